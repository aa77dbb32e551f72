import type { WebhookDispatcher } from '../../../sim/webhooks.js';
import type { CampaignRef, DialerEffects, DialPolicy } from '../../../sim/model.js';
import { fnv1a } from '../../../sim/outcomes.js';
import type { CallingWindow } from '../../../sim/schedule.js';
import { randomId } from '../../../store/ids.js';
import { CALL_LOG, SENTIMENTS, sendEvent, subscriptions } from '../dialer.js';
import type { DialnexaStore } from '../store.js';
import { presentBatchCall, presentBatchSummary } from './present.js';
import type { BatchQueue } from './queue.js';
import type { BatchCallStatus, BatchRow, BatchStore, NewBatch } from './store.js';

/**
 * DialNexa batches in the dialer simulation. A batch maps onto the neutral policy: the workspace
 * concurrency limit ("Concurrency and limits") → concurrency; its retries of busy and unanswered calls ("Auto-retry");
 * `starts_at` / `ends_at` → its start and end; `calling_hours_start` / `calling_hours_end` → a
 * daily window in UTC. Calls come back as the batch's call logs (and so its counters), its
 * status, the organization's next turn, and signed webhooks ("Register a webhook").
 */

const BATCH_ID = /^batch_/;

export function isBatchRef(ref: string): boolean {
  return BATCH_ID.test(ref);
}

export function batchPolicy(batch: NewBatch): DialPolicy {
  const window = callingWindow(batch.calling_hours_start, batch.calling_hours_end);
  return {
    concurrency: batch.concurrency,
    maxAttempts: 1 + batch.number_of_retries,
    retryDelaySeconds: batch.retry_interval_minutes * 60,
    retryOn: ['busy', 'no_answer'],
    ...(window ? { window } : {}),
    ...(batch.starts_at ? { startsAt: Date.parse(batch.starts_at) } : {}),
    ...(batch.ends_at ? { endsAt: Date.parse(batch.ends_at) } : {}),
    finishWhenDialed: true,
  };
}

/** Every day from `start` to `end` (HH:MM, UTC); a window that ends before it starts runs past midnight. */
function callingWindow(start: string | null, end: string | null): CallingWindow | undefined {
  if (start === null && end === null) return undefined;
  const from = start ?? '00:00';
  const to = end ?? '24:00';
  const spans = from < to ? [{ start: from, end: to }] : [{ start: from, end: '24:00' }, { start: '00:00', end: to }];
  return { timezone: 'UTC', slots: [0, 1, 2, 3, 4, 5, 6].flatMap((day) => spans.map((span) => ({ day, ...span }))) };
}

/**
 * One DialerEffects for DialNexa's two kinds of dialing, campaigns and batches, told apart by id
 * (`cmp_…`, `batch_…`): the simulation knows one set of effects per vendor.
 */
export function routeDialerEffects(campaigns: DialerEffects, batches: DialerEffects): DialerEffects {
  const of = (ref: CampaignRef) => (isBatchRef(ref.campaignRef) ? batches : campaigns);
  return {
    beforeSettle(sandboxId) {
      campaigns.beforeSettle?.(sandboxId);
      batches.beforeSettle?.(sandboxId);
    },
    campaignStarted: (ref, at) => of(ref).campaignStarted?.(ref, at),
    callStarted: (ref, call) => of(ref).callStarted?.(ref, call),
    callEnded: (ref, call) => of(ref).callEnded(ref, call),
    campaignFinished: (ref, at, reason) => of(ref).campaignFinished(ref, at, reason),
    campaignTripped: (ref, at, breaker) => of(ref).campaignTripped?.(ref, at, breaker),
  };
}

export function createBatchDialerEffects(store: BatchStore, queue: BatchQueue, campaigns: DialnexaStore, webhooks: WebhookDispatcher): DialerEffects {
  const iso = (ms: number) => new Date(ms).toISOString();
  const subscribed = subscriptions(campaigns);
  const hasSubscribers = subscribed.has;

  return {
    beforeSettle() {
      subscribed.clear();
    },

    campaignStarted({ sandboxId, campaignRef }, at) {
      // An armed scheduled batch has the turn once its first call goes out.
      if (store.getBatch(sandboxId, campaignRef)?.status === 'scheduled') store.setStatus(sandboxId, campaignRef, 'running', iso(at));
    },

    callStarted({ sandboxId }, call) {
      store.startCall(sandboxId, call.contactRef, call.attempt - 1, iso(call.at));
    },

    callEnded({ sandboxId }, call) {
      const shape = CALL_LOG[call.outcome];
      const spread = fnv1a(`${call.contactRef}#${call.attempt}`);
      const log = store.endCall({
        sandbox_id: sandboxId,
        recipient_id: call.contactRef,
        depth: call.attempt - 1,
        status: shape.status as BatchCallStatus,
        duration_seconds: call.talkSeconds,
        sentiment: shape.connected ? (SENTIMENTS[spread % 3] as string) : 'unknown',
        end_reason: shape.endReason,
      });
      if (!log) return;
      // A retry is a call log of its own from the moment it is scheduled (the batch-calls OpenAPI's retry counts).
      if (call.retryAt !== null) {
        store.insertCall({
          sandbox_id: sandboxId,
          id: randomId('call_'),
          batch_id: log.batch_id,
          recipient_id: log.recipient_id,
          depth: call.attempt,
          agent_id: log.agent_id,
          agent_version_number: log.agent_version_number,
          from_number: log.from_number,
          to_number: log.to_number,
          created_at: iso(call.endedAt),
        });
      }
      if (hasSubscribers(sandboxId, shape.event)) sendEvent(campaigns, webhooks, sandboxId, shape.event, call.endedAt, presentBatchCall(log));
    },

    campaignFinished({ sandboxId, campaignRef }, at) {
      const batch = store.getBatch(sandboxId, campaignRef);
      if (!batch || batch.status === 'completed' || batch.status === 'cancelled') return;
      store.setStatus(sandboxId, campaignRef, 'completed', iso(at));
      store.expireWaitingCalls(sandboxId, campaignRef);
      const next = queue.rebalance(sandboxId, at);
      if (next) store.markHandedOver(sandboxId, next.id);
      const completed = store.getBatch(sandboxId, campaignRef) as BatchRow;
      sendEvent(campaigns, webhooks, sandboxId, 'campaign.completed', at, presentBatchSummary(completed));
    },
  };
}
