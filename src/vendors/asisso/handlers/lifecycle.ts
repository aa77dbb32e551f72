import { ReplyError } from '../../../engine/reply.js';
import type { AnyHandler, PreparedHandler, RequestContext, VendorEnvironment } from '../../../engine/vendor.js';
import { WRITTEN_AT_ONCE } from '../../../store/imports.js';
import { readContactsPaced } from '../contacts.js';
import { organizationConcurrencyLimit, queueContacts, syncCampaign, unqueueContacts } from '../dialer.js';
import { badRequest, notFound } from '../errors.js';
import { assertSomeRedialReason } from '../model-validators.js';
import { presentCampaign } from '../present.js';
import { assertRedialable, INITIAL_STATE, nextState, REDIAL_TAGS } from '../rules.js';
import { retryConfigFrom, type RetryConfig } from '../settings.js';
import type { AsissoStore, CampaignRow, QueuedRun } from '../store.js';
import { findCampaign } from './campaigns.js';

interface RedialBody {
  name?: string | null;
  retry_on_voicemail?: boolean;
  retry_on_no_answer?: boolean;
  retry_on_busy?: boolean;
  retry_config?: Partial<RetryConfig> | null;
}

const START_IMPORT = 'asisso/start';

/** A start's prepare step: the contacts to queue (none for a redial), or the campaign started already (a big source). */
type PreparedStart = { contacts: QueuedRun[] } | { started: CampaignRow };

export function lifecycleHandlers(store: AsissoStore, { simulator, imports }: VendorEnvironment): Record<string, AnyHandler> {
  /** The simulation follows each change of state, with the campaign's settings as they are now. */
  const sync = (request: RequestContext, campaign: CampaignRow) => syncCampaign(simulator, campaign, organizationConcurrencyLimit(request.sandbox), request.now().getTime());
  /** Campaigns whose contacts are being queued in slices: started, as far as another start is concerned. */
  const starting = new Set<string>();
  // A start cut short: its contacts leave the queue and the dialer; the campaign was never changed.
  imports.define(START_IMPORT, (entry, limit) => {
    const removed = store.unqueueContacts(entry.sandbox_id, Number(entry.ref), limit);
    unqueueContacts(simulator, entry.sandbox_id, Number(entry.ref), removed);
    return removed.length;
  });

  /** The campaign saved as started, with `total` contacts (queued already), and handed to the dialer running. */
  const start = (request: RequestContext, campaign: CampaignRow, total: number | null): CampaignRow => {
    const now = request.now().toISOString();
    const started = store.updateCampaign({
      ...campaign,
      state: nextState('start', campaign.state),
      total_rows: total ?? campaign.total_rows,
      started_at: now,
      source_sync_status: 'completed',
      source_last_synced_at: now,
      updated_at: now,
    });
    sync(request, started);
    return started;
  };

  return {
    startCampaign: {
      // Dograh's campaign runner: a redial campaign starts from the contacts it was created with;
      // any other reads its CSV, here, a few milliseconds at a time. A big one is also queued
      // here, in slices (see src/store/imports.ts), the campaign started with the last.
      async prepare(request): Promise<PreparedStart> {
        const campaign = findCampaign(store, request);
        const key = `${campaign.sandbox_id}/${campaign.id}`;
        nextState('start', starting.has(key) ? 'running' : campaign.state);
        if (campaign.parent_campaign_id !== null) return { contacts: [] };
        const contacts = await readContactsPaced(campaign.source_id, store.getUpload(request.sandbox.id, campaign.source_id)?.content ?? null);
        if (contacts.length <= WRITTEN_AT_ONCE) return { contacts };
        nextState('start', starting.has(key) ? 'running' : findCampaign(store, request).state);
        starting.add(key);
        let started: CampaignRow | undefined;
        try {
          const at = request.now().getTime();
          const [first, last] = [contacts[0], contacts.at(-1)];
          await imports.run({ sandbox: request.sandbox, kind: START_IMPORT, ref: String(campaign.id) }, contacts, (slice) => {
            // Its state alone, read again: the whole campaign counts its queue, which grows.
            const state = store.campaignState(campaign.sandbox_id, campaign.id);
            if (state === undefined) throw new ReplyError(notFound('Campaign not found'));
            nextState('start', state);
            // Queued on a paused dialer, so nothing is dialed before the campaign has started.
            if (slice[0] === first) syncCampaign(simulator, { ...findCampaign(store, request), state: 'paused' }, organizationConcurrencyLimit(request.sandbox), at);
            store.queueSlice(campaign.sandbox_id, campaign.id, slice);
            queueContacts(simulator, campaign, slice, at);
            if (slice.at(-1) === last) started = start(request, findCampaign(store, request), contacts.length);
          });
        } finally {
          starting.delete(key);
        }
        // The row as the last slice saved it: read again, it would count half a million contacts once more.
        return { started: started as CampaignRow };
      },
      handle(request, prepared) {
        if ('started' in prepared) return { status: 200, body: presentCampaign(prepared.started) };
        const campaign = findCampaign(store, request);
        const redial = campaign.parent_campaign_id !== null;
        store.queueSlice(campaign.sandbox_id, campaign.id, prepared.contacts);
        const started = start(request, campaign, redial ? null : prepared.contacts.length);
        // Dialing begins: the CSV's contacts, or a redial's own, in queue order.
        queueContacts(simulator, started, store.queuedContacts(started.sandbox_id, started.id), request.now().getTime());
        return { status: 200, body: presentCampaign(started) };
      },
    } satisfies PreparedHandler<PreparedStart>,

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
