import { ReplyError } from '../../../engine/reply.js';
import type { AnyHandler, PreparedHandler, RequestContext } from '../../../engine/vendor.js';
import type { Simulator } from '../../../sim/simulator.js';
import { readContactsPaced } from '../contacts.js';
import { DEFAULT_ORGANIZATION_CONCURRENCY, organizationConcurrencyLimit, syncCampaign } from '../dialer.js';
import { badRequest, notFound } from '../errors.js';
import { assertValidSchedule } from '../model-validators.js';
import { presentCampaign } from '../present.js';
import { assertUpdatable, INITIAL_STATE } from '../rules.js';
import {
  circuitBreakerFrom,
  DEFAULT_RETRY_CONFIG,
  NO_CIRCUIT_BREAKER,
  retryConfigFrom,
  scheduleConfigFrom,
  type CircuitBreakerConfig,
  type RetryConfig,
  type TimeSlot,
} from '../settings.js';
import type { AsissoStore, CampaignRow } from '../store.js';

interface SettingsInput {
  retry_config?: Partial<RetryConfig> | null;
  max_concurrency?: number | null;
  schedule_config?: { enabled?: boolean; timezone?: string; slots: TimeSlot[] } | null;
  circuit_breaker?: Partial<CircuitBreakerConfig> | null;
}

interface CreateCampaignBody extends SettingsInput {
  name: string;
  workflow_id: number;
  source_type: string;
  source_id: string;
  telephony_configuration_id?: number | null;
}

interface UpdateCampaignBody extends SettingsInput {
  name?: string | null;
}

export function findCampaign(store: AsissoStore, request: RequestContext): CampaignRow {
  const campaign = store.getCampaign(request.sandbox.id, request.params.campaign_id as number);
  if (!campaign) throw new ReplyError(notFound('Campaign not found'));
  return campaign;
}

/**
 * Dograh's code: `max_concurrency` is bounded by the organization's limit as well as by 1–100. The limit
 * is the keys file's `asisso.max_concurrency_limit`; without one, only the documented range
 * applies (Asisso's "Update Campaign" page).
 */
function assertWithinOrganizationLimit(request: RequestContext, maxConcurrency: number | null | undefined): void {
  const limit = organizationConcurrencyLimit(request.sandbox);
  if (maxConcurrency === null || maxConcurrency === undefined || limit === undefined || maxConcurrency <= limit) return;
  throw new ReplyError(badRequest(`max_concurrency (${maxConcurrency}) cannot exceed organization limit (${limit})`));
}

/**
 * Outside the emulated surface, a telephony configuration is any positive id (Dograh's code answers an id
 * it does not know with this 400); without one, the campaign has none.
 */
function telephonyConfiguration(id: number | null | undefined): { id: number | null; name: string | null } {
  if (id === null || id === undefined || id === 0) return { id: null, name: null };
  if (id < 0) throw new ReplyError(badRequest('telephony_configuration_not_found'));
  return { id, name: `Telephony configuration ${id}` };
}

export function campaignHandlers(store: AsissoStore, simulator: Simulator): Record<string, AnyHandler> {
  const workflowNameOf = (request: RequestContext, workflowId: number): string => {
    const name = store.workflowName(request.sandbox.id, workflowId);
    if (name === undefined) throw new ReplyError(notFound('Workflow not found'));
    return name;
  };

  return {
    createCampaign: {
      // Dograh's code's order: the workflow, the source, the concurrency limit, the telephony
      // configuration. The source is read here, a few milliseconds at a time (a big CSV takes
      // a while); the rest is checked and written in the handler proper.
      async prepare(request) {
        const body = request.body as CreateCampaignBody;
        assertValidSchedule(body.schedule_config, ['body', 'schedule_config']);
        workflowNameOf(request, body.workflow_id);
        await readContactsPaced(body.source_id, store.getUpload(request.sandbox.id, body.source_id)?.content ?? null);
      },
      handle(request) {
        const body = request.body as CreateCampaignBody;
        const workflowName = workflowNameOf(request, body.workflow_id);
        assertWithinOrganizationLimit(request, body.max_concurrency);
        const telephony = telephonyConfiguration(body.telephony_configuration_id);
        const now = request.now().toISOString();
        const created = store.insertCampaign({
          sandbox_id: request.sandbox.id,
          name: body.name,
          workflow_id: body.workflow_id,
          workflow_name: workflowName,
          state: INITIAL_STATE,
          source_type: body.source_type,
          source_id: body.source_id,
          total_rows: null,
          processed_rows: 0,
          failed_rows: 0,
          retry_config: JSON.stringify(body.retry_config ? retryConfigFrom(body.retry_config) : DEFAULT_RETRY_CONFIG),
          max_concurrency: body.max_concurrency ?? null,
          schedule_config: body.schedule_config ? JSON.stringify(scheduleConfigFrom(body.schedule_config)) : null,
          circuit_breaker: body.circuit_breaker ? JSON.stringify(circuitBreakerFrom(body.circuit_breaker)) : null,
          parent_campaign_id: null,
          redialed_campaign_id: null,
          telephony_configuration_id: telephony.id,
          telephony_configuration_name: telephony.name,
          rate_limit_per_second: 1,
          source_sync_status: 'pending',
          source_last_synced_at: null,
          source_sync_error: null,
          logs: '[]',
          created_at: now,
          started_at: null,
          completed_at: null,
          updated_at: now,
        });
        return { status: 200, body: presentCampaign(created) };
      },
    } satisfies PreparedHandler<void>,

    getCampaignDefaults(request) {
      const latest = store.latestCampaign(request.sandbox.id);
      return {
        status: 200,
        body: {
          concurrent_call_limit: organizationConcurrencyLimit(request.sandbox) ?? DEFAULT_ORGANIZATION_CONCURRENCY,
          from_numbers_count: 0,
          default_retry_config: DEFAULT_RETRY_CONFIG,
          last_campaign_settings: latest
            ? {
                retry_config: JSON.parse(latest.retry_config) as RetryConfig,
                max_concurrency: latest.max_concurrency,
                schedule_config: latest.schedule_config === null ? null : (JSON.parse(latest.schedule_config) as unknown),
                circuit_breaker: latest.circuit_breaker === null ? NO_CIRCUIT_BREAKER : (JSON.parse(latest.circuit_breaker) as CircuitBreakerConfig),
              }
            : null,
        },
      };
    },

    listCampaigns(request) {
      return { status: 200, body: { campaigns: store.listCampaigns(request.sandbox.id).map(presentCampaign) } };
    },

    getCampaign(request) {
      return { status: 200, body: presentCampaign(findCampaign(store, request)) };
    },

    updateCampaign(request) {
      const body = request.body as UpdateCampaignBody;
      assertValidSchedule(body.schedule_config, ['body', 'schedule_config']);
      const campaign = findCampaign(store, request);
      assertUpdatable(campaign.state);
      assertWithinOrganizationLimit(request, body.max_concurrency);
      // Dograh's code: a field sent as null, or left out, keeps its value.
      const updated = store.updateCampaign({
        ...campaign,
        name: body.name ?? campaign.name,
        retry_config: body.retry_config ? JSON.stringify(retryConfigFrom(body.retry_config)) : campaign.retry_config,
        max_concurrency: body.max_concurrency ?? campaign.max_concurrency,
        schedule_config: body.schedule_config ? JSON.stringify(scheduleConfigFrom(body.schedule_config)) : campaign.schedule_config,
        circuit_breaker: body.circuit_breaker ? JSON.stringify(circuitBreakerFrom(body.circuit_breaker)) : campaign.circuit_breaker,
        updated_at: request.now().toISOString(),
      });
      // A paused campaign dials by its new settings once resumed; a draft joins the simulation when it starts.
      syncCampaign(simulator, updated, organizationConcurrencyLimit(request.sandbox), request.now().getTime());
      return { status: 200, body: presentCampaign(updated) };
    },
  };
}
