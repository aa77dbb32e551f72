import type { VendorEnvironment } from '../../engine/vendor.js';
import type { WebhookDispatcher } from '../../sim/webhooks.js';
import type { DialerEffects, DialPolicy, DialState } from '../../sim/model.js';
import { fnv1a, type Outcome } from '../../sim/outcomes.js';
import { orderedId, randomId } from '../../store/ids.js';
import { hmacSha256Hex } from '../../sim/webhooks.js';
import type { Simulator } from '../../sim/simulator.js';
import { organizationId, presentCallLog, presentCampaign } from './present.js';
import type { CampaignRow, CampaignStatus, DialnexaStore } from './store.js';

/**
 * DialNexa campaigns in the dialer simulation. Settings map onto the neutral policy:
 * max_concurrent_calls → concurrency; retry_config → attempts and delay, retrying No Answer and
 * Busy but not Failed ("Auto-retry"); scheduled_at → the first call. Calls come back as call logs, lead
 * statuses (and so the counters), the campaign's own status, and signed webhooks ("Register a webhook").
 */

const VENDOR = 'dialnexa';

export function dialPolicy(campaign: CampaignRow): DialPolicy {
  return {
    concurrency: campaign.max_concurrent_calls,
    maxAttempts: 1 + campaign.max_retries,
    retryDelaySeconds: campaign.retry_interval_minutes * 60,
    retryOn: ['busy', 'no_answer'],
    ...(campaign.scheduled_at ? { startsAt: Date.parse(campaign.scheduled_at) } : {}),
    finishWhenDialed: true,
  };
}

const DIAL_STATE: Record<CampaignStatus, DialState> = { draft: 'paused', active: 'running', running: 'running', paused: 'paused', cancelled: 'stopped', completed: 'finished' };

/** Hands the campaign's current settings and status to the simulation. */
export function syncCampaign(simulator: Simulator, campaign: CampaignRow, at: number): void {
  simulator.upsertCampaign(campaign.sandbox_id, VENDOR, campaign.id, dialPolicy(campaign), DIAL_STATE[campaign.status], at);
}

/** Whether the campaign is in the simulation yet: it joins with its first leads. */
export function inSimulation(simulator: Simulator, campaign: Pick<CampaignRow, 'sandbox_id' | 'id'>): boolean {
  return simulator.hasCampaign(campaign.sandbox_id, VENDOR, campaign.id);
}

export function queueLeads(simulator: Simulator, campaign: CampaignRow, leads: ReadonlyArray<{ id: string; phone_number: string }>, at: number): void {
  if (leads.length === 0) return;
  simulator.addContacts(campaign.sandbox_id, VENDOR, campaign.id, leads.map((lead) => ({ ref: lead.id, phone: lead.phone_number })), at);
}

/** Takes leads an upload wrote out of the simulation altogether (the upload is taken back). */
export function unqueueLeads(simulator: Simulator, sandboxId: number, campaignId: string, leadIds: readonly string[]): void {
  simulator.deleteContacts(sandboxId, VENDOR, campaignId, leadIds);
}

export function dequeueLead(simulator: Simulator, campaign: CampaignRow, leadId: string): void {
  simulator.removeContact(campaign.sandbox_id, VENDOR, campaign.id, leadId);
}

/** How each outcome reads in a call log (the end_reason values of "List call logs", the call statuses of "Batch call retries and statuses"). */
export const CALL_LOG: Record<Outcome, { status: string; endReason: string; connected: boolean; event: string }> = {
  completed: { status: 'completed', endReason: 'user_disconnected', connected: true, event: 'call.completed' },
  short: { status: 'completed', endReason: 'user_disconnected', connected: true, event: 'call.completed' },
  voicemail: { status: 'completed', endReason: 'voicemail_reached', connected: true, event: 'call.completed' },
  busy: { status: 'busy', endReason: 'user_busy', connected: false, event: 'call.failed' },
  no_answer: { status: 'no_answer', endReason: 'user_did_not_pick_up', connected: false, event: 'call.no_answer' },
  failed: { status: 'failed', endReason: 'user_unreachable', connected: false, event: 'call.failed' },
  // DialNexa's pages name no provider or platform errors: a call that fails to connect.
  provider_error: { status: 'failed', endReason: 'user_unreachable', connected: false, event: 'call.failed' },
  internal_error: { status: 'failed', endReason: 'user_unreachable', connected: false, event: 'call.failed' },
};

export const SENTIMENTS = ['positive', 'neutral', 'negative'] as const;

/**
 * Sends an event to every active webhook subscribed to it, signed with the webhook's secret:
 * `X-DialNexa-Signature: sha256=<hex HMAC-SHA256 of the raw body>` ("Register a webhook"). The payload's shape is
 * not documented: `{event, created_at, data}` (marked inferred in the spec).
 */
export function sendEvent(store: DialnexaStore, webhooks: WebhookDispatcher, sandboxId: number, event: string, at: number, data: unknown): void {
  for (const hook of store.webhooksFor(sandboxId, event)) {
    const body = JSON.stringify({ event, created_at: new Date(at).toISOString(), data });
    webhooks.enqueue({
      sandboxId,
      vendor: VENDOR,
      url: hook.url,
      headers: { 'content-type': 'application/json', ...(hook.secret ? { 'x-dialnexa-signature': `sha256=${hmacSha256Hex(hook.secret, body)}` } : {}) },
      body,
    });
  }
}

/**
 * Whether a sandbox has a webhook for an event, read once per dialer run (most sandboxes have
 * none): `clear()` it before each run, as webhooks may have been added since.
 */
export function subscriptions(store: DialnexaStore): { has(sandboxId: number, event: string): boolean; clear(): void } {
  const subscribed = new Map<string, boolean>();
  return {
    has(sandboxId, event) {
      const key = `${sandboxId}|${event}`;
      let any = subscribed.get(key);
      if (any === undefined) {
        any = store.webhooksFor(sandboxId, event).length > 0;
        subscribed.set(key, any);
      }
      return any;
    },
    clear: () => subscribed.clear(),
  };
}

export function createDialnexaDialerEffects(store: DialnexaStore, { webhooks }: VendorEnvironment): DialerEffects {
  const iso = (ms: number) => new Date(ms).toISOString();
  const subscribed = subscriptions(store);
  const hasSubscribers = subscribed.has;

  return {
    beforeSettle() {
      subscribed.clear();
    },

    campaignStarted({ sandboxId, campaignRef }, at) {
      // A scheduled (active, "Batch call retries and statuses") campaign is running once its first call goes out.
      store.activateCampaign(sandboxId, campaignRef, iso(at));
    },

    callStarted({ sandboxId, campaignRef }, call) {
      store.startCall(sandboxId, campaignRef, call.contactRef, { log: orderedId('log_'), call: randomId('call_') }, iso(call.at));
    },

    callEnded({ sandboxId, campaignRef }, call) {
      const shape = CALL_LOG[call.outcome];
      const spread = fnv1a(`${call.contactRef}#${call.attempt}`);
      const leadStatus = call.retryAt !== null ? 'pending' : shape.connected ? 'completed' : 'failed';
      const log = store.endCall(
        {
          sandbox_id: sandboxId,
          lead_id: call.contactRef,
          status: shape.status,
          sentiment: shape.connected ? (SENTIMENTS[spread % 3] as string) : null,
          duration_seconds: call.talkSeconds,
          recording_url: shape.connected ? `https://recordings.dialnexa.invalid/${call.contactRef}-${call.attempt}.mp3` : null,
          analysis: shape.connected ? JSON.stringify({ outcome: call.outcome === 'voicemail' ? 'voicemail' : 'conversation' }) : null,
          end_reason: shape.endReason,
        },
        leadStatus,
      );
      if (log && hasSubscribers(sandboxId, shape.event)) {
        sendEvent(store, webhooks, sandboxId, shape.event, call.endedAt, { ...presentCallLog(log), campaign_id: campaignRef, lead_id: call.contactRef });
      }
    },

    campaignFinished({ sandboxId, campaignRef }, at) {
      store.setCampaignStatus(sandboxId, campaignRef, 'completed', iso(at));
      const campaign = store.getCampaign(sandboxId, campaignRef);
      if (campaign) sendEvent(store, webhooks, sandboxId, 'campaign.completed', at, presentCampaign(campaign, organizationId(store.sandboxKey(sandboxId) ?? '')));
    },
  };
}
