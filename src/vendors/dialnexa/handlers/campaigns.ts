import { ReplyError } from '../../../engine/reply.js';
import type { Handler, RequestContext, VendorEnvironment } from '../../../engine/vendor.js';
import { inSimulation, sendEvent, syncCampaign } from '../dialer.js';
import { orderedId } from '../../../store/ids.js';
import { badRequest, notFound } from '../errors.js';
import { organizationId, presentCampaign } from '../present.js';
import { assertAgentChangeAllowed, initialStatus, nextStatus, type RequestedStatus } from '../rules.js';
import type { CampaignRow, DialnexaStore } from '../store.js';
import { agentFromNumber, workspaceOf } from '../workspace.js';

interface RetryConfigInput {
  max_retries?: number;
  retry_interval_minutes?: number;
}

interface CreateCampaignBody {
  name: string;
  agent_id: string;
  from_phone_number?: string;
  scheduled_at?: string;
  max_concurrent_calls?: number;
  retry_config?: RetryConfigInput;
}

interface UpdateCampaignBody {
  name?: string;
  agent_id?: string;
  from_phone_number?: string;
  scheduled_at?: string | null;
  max_concurrent_calls?: number;
  retry_config?: RetryConfigInput;
  status?: RequestedStatus;
}

/** Not documented; see x-mock-inferred on createCampaign. */
const DEFAULTS = { max_concurrent_calls: 1, max_retries: 2, retry_interval_minutes: 30 };

export function findCampaign(store: DialnexaStore, request: RequestContext, id: string): CampaignRow {
  const campaign = store.getCampaign(request.sandbox.id, id);
  if (!campaign) throw new ReplyError(notFound('Campaign not found'));
  return campaign;
}

/** `max_concurrent_calls` is "subject to the workspace concurrency limit" ("Update a campaign"). */
function assertWithinConcurrencyLimit(request: RequestContext, requested: number | undefined): void {
  if (requested === undefined) return;
  const limit = workspaceOf(request.sandbox).concurrencyLimit;
  if (requested > limit) {
    throw new ReplyError(badRequest(`max_concurrent_calls (${requested}) exceeds the workspace concurrency limit (${limit})`));
  }
}

/**
 * "Update a campaign" names the retry settings `retry_config` in its request schema and example,
 * and `retry_policy` in its parameter table. The mock reads `retry_config`; `retry_policy` is
 * refused rather than ignored, so a client that follows the table learns it at once.
 */
function assertNoRetryPolicy(body: object): void {
  if ('retry_policy' in body) {
    throw new ReplyError(badRequest('property retry_policy should not exist; send the retry settings as retry_config'));
  }
}

/** ISO 8601 with milliseconds and Z, as DialNexa writes timestamps ("Create a campaign"). */
function canonicalTime(value: string): string {
  return new Date(value).toISOString();
}

export function campaignHandlers(store: DialnexaStore, environment: VendorEnvironment): Record<string, Handler> {
  return {
    createCampaign(request) {
      const body = request.body as CreateCampaignBody;
      assertNoRetryPolicy(body);
      assertWithinConcurrencyLimit(request, body.max_concurrent_calls);
      const now = request.now();
      const createdAt = now.toISOString();
      const scheduledAt = body.scheduled_at === undefined ? null : canonicalTime(body.scheduled_at);
      const campaign = {
        sandbox_id: request.sandbox.id,
        // Ordered: a test suite creates campaigns by the thousand, and random keys make each insert dearer than the last.
        id: orderedId('cmp_'),
        name: body.name,
        agent_id: body.agent_id,
        from_phone_number: body.from_phone_number ?? agentFromNumber(workspaceOf(request.sandbox), body.agent_id),
        status: initialStatus(scheduledAt, now),
        max_concurrent_calls: body.max_concurrent_calls ?? DEFAULTS.max_concurrent_calls,
        scheduled_at: scheduledAt,
        max_retries: body.retry_config?.max_retries ?? DEFAULTS.max_retries,
        retry_interval_minutes: body.retry_config?.retry_interval_minutes ?? DEFAULTS.retry_interval_minutes,
        created_at: createdAt,
        updated_at: createdAt,
      };
      // It joins the dialer simulation with its first leads (see addLeads): a campaign without
      // leads has nothing to dial, and most campaigns a test creates never get any.
      const created = store.insertCampaign(campaign);
      return { status: 201, body: presentCampaign(created, organizationId(request.sandbox.key)) };
    },

    getCampaign(request) {
      const campaign = findCampaign(store, request, request.params.id as string);
      return { status: 200, body: presentCampaign(campaign, organizationId(request.sandbox.key)) };
    },

    updateCampaign(request) {
      const body = request.body as UpdateCampaignBody;
      assertNoRetryPolicy(body);
      const campaign = findCampaign(store, request, request.params.id as string);
      if (body.agent_id !== undefined && body.agent_id !== campaign.agent_id) {
        assertAgentChangeAllowed(store.campaignHasCalls(request.sandbox.id, campaign.id));
      }
      assertWithinConcurrencyLimit(request, body.max_concurrent_calls);
      const now = request.now();
      const scheduledAt = body.scheduled_at === undefined ? campaign.scheduled_at : body.scheduled_at === null ? null : canonicalTime(body.scheduled_at);
      const updated: CampaignRow = {
        ...campaign,
        name: body.name ?? campaign.name,
        agent_id: body.agent_id ?? campaign.agent_id,
        from_phone_number: body.from_phone_number ?? campaign.from_phone_number,
        scheduled_at: scheduledAt,
        max_concurrent_calls: body.max_concurrent_calls ?? campaign.max_concurrent_calls,
        max_retries: body.retry_config?.max_retries ?? campaign.max_retries,
        retry_interval_minutes: body.retry_config?.retry_interval_minutes ?? campaign.retry_interval_minutes,
        status: body.status === undefined ? campaign.status : nextStatus(campaign.status, body.status, scheduledAt, now),
        updated_at: now.toISOString(),
      };
      const saved = store.updateCampaign(updated);
      if (inSimulation(environment.simulator, saved)) syncCampaign(environment.simulator, saved, now.getTime());
      const presented = presentCampaign(saved, organizationId(request.sandbox.key));
      if (saved.status === 'paused' && campaign.status !== 'paused') sendEvent(store, environment.webhooks, saved.sandbox_id, 'campaign.paused', now.getTime(), presented);
      return { status: 200, body: presented };
    },
  };
}
