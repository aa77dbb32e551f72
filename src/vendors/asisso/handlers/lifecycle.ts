import { ReplyError, type Handler, type RequestContext } from '../../../engine/vendor.js';
import type { Simulator } from '../../../sim/simulator.js';
import { readContacts } from '../contacts.js';
import { organizationConcurrencyLimit, queueContacts, syncCampaign } from '../dialer.js';
import { badRequest } from '../errors.js';
import { assertSomeRedialReason } from '../model-validators.js';
import { presentCampaign } from '../present.js';
import { assertRedialable, INITIAL_STATE, nextState, REDIAL_TAGS } from '../rules.js';
import { retryConfigFrom, type RetryConfig } from '../settings.js';
import type { AsissoStore, CampaignRow } from '../store.js';
import { findCampaign } from './campaigns.js';

interface RedialBody {
  name?: string | null;
  retry_on_voicemail?: boolean;
  retry_on_no_answer?: boolean;
  retry_on_busy?: boolean;
  retry_config?: Partial<RetryConfig> | null;
}

export function lifecycleHandlers(store: AsissoStore, simulator: Simulator): Record<string, Handler> {
  /** The simulation follows each change of state, with the campaign's settings as they are now. */
  const sync = (request: RequestContext, campaign: CampaignRow) => syncCampaign(simulator, campaign, organizationConcurrencyLimit(request.sandbox), request.now().getTime());

  return {
    startCampaign(request) {
      const campaign = findCampaign(store, request);
      const state = nextState('start', campaign.state);
      const now = request.now().toISOString();
      // Dograh's campaign runner: a redial campaign starts from the contacts it was created with; any other reads its CSV.
      const redial = campaign.parent_campaign_id !== null;
      const contacts = redial ? [] : readContacts(campaign.source_id, store.getUpload(request.sandbox.id, campaign.source_id)?.content ?? null);
      const started = store.startCampaign(
        {
          ...campaign,
          state,
          total_rows: redial ? campaign.total_rows : contacts.length,
          started_at: now,
          source_sync_status: 'completed',
          source_last_synced_at: now,
          updated_at: now,
        },
        contacts,
      );
      // Dialing begins: the CSV's contacts, or a redial's own, in queue order.
      sync(request, started);
      queueContacts(simulator, started, store.queuedContacts(started.sandbox_id, started.id), request.now().getTime());
      return { status: 200, body: presentCampaign(started) };
    },

    pauseCampaign(request) {
      const campaign = findCampaign(store, request);
      const paused = store.updateCampaign({ ...campaign, state: nextState('pause', campaign.state), updated_at: request.now().toISOString() });
      sync(request, paused);
      return { status: 200, body: presentCampaign(paused) };
    },

    resumeCampaign(request) {
      const campaign = findCampaign(store, request);
      const resumed = store.updateCampaign({ ...campaign, state: nextState('resume', campaign.state), updated_at: request.now().toISOString() });
      // Dograh's campaign runner: resuming resets the circuit breaker (the simulation empties its window as the campaign runs again).
      store.clearBreakerFailures(resumed.sandbox_id, resumed.id);
      sync(request, resumed);
      return { status: 200, body: presentCampaign(resumed) };
    },

    redialCampaign(request) {
      const body = request.body as RedialBody;
      assertSomeRedialReason(body);
      const parent = findCampaign(store, request);
      assertRedialable(parent);
      const tags = (Object.keys(REDIAL_TAGS) as Array<keyof typeof REDIAL_TAGS>).filter((reason) => body[reason] ?? true).map((reason) => REDIAL_TAGS[reason]);
      const contacts = store.redialCandidates(request.sandbox.id, parent.id, tags);
      if (contacts.length === 0) throw new ReplyError(badRequest('No subscribers match the selected redial criteria'));
      const now = request.now().toISOString();
      // Dograh's code `create_redial_campaign`: the parent's workflow, source, dial rate and orchestrator settings.
      const child = store.createRedial(
        {
          sandbox_id: parent.sandbox_id,
          name: body.name ?? `${parent.name} (Redial)`,
          workflow_id: parent.workflow_id,
          workflow_name: parent.workflow_name,
          state: INITIAL_STATE,
          source_type: parent.source_type,
          source_id: parent.source_id,
          total_rows: contacts.length,
          processed_rows: 0,
          failed_rows: 0,
          retry_config: body.retry_config ? JSON.stringify(retryConfigFrom(body.retry_config)) : parent.retry_config,
          max_concurrency: parent.max_concurrency,
          schedule_config: parent.schedule_config,
          circuit_breaker: parent.circuit_breaker,
          parent_campaign_id: parent.id,
          redialed_campaign_id: null,
          // Dograh's code leaves the child's telephony configuration unset (the dialer falls back to the default).
          telephony_configuration_id: null,
          telephony_configuration_name: null,
          rate_limit_per_second: parent.rate_limit_per_second,
          source_sync_status: 'completed',
          source_last_synced_at: null,
          source_sync_error: null,
          logs: '[]',
          created_at: now,
          started_at: null,
          completed_at: null,
          updated_at: now,
        },
        parent.id,
        contacts,
        now,
      );
      return { status: 200, body: presentCampaign(child) };
    },
  };
}
