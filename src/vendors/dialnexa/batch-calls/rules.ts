import { ReplyError } from '../../../engine/reply.js';
import { badRequest } from '../errors.js';
import type { BatchStatus } from './store.js';

/**
 * DialNexa's batch status rules, in one place. Documented (the batch-calls OpenAPI): `pause`, `resume` and `cancel`,
 * a 400 for an action the current status does not allow, and cancel removes the queued calls;
 * "pause <-> resume are mutually reversing; cancel is terminal" ("Update Batch Call Status"). Which status allows which
 * action is inferred, and marked so on updateBatchCallStatus in the spec.
 */

export type BatchAction = 'pause' | 'resume' | 'cancel';

const ALLOWED_FROM: Record<BatchAction, readonly BatchStatus[]> = {
  pause: ['running', 'waiting', 'scheduled'],
  resume: ['paused'],
  cancel: ['running', 'waiting', 'scheduled', 'paused'],
};

/** the batch-calls OpenAPI's answer names the batch a campaign: "Campaign paused successfully". */
export const ACTION_MESSAGES: Record<BatchAction, string> = {
  pause: 'Campaign paused successfully',
  resume: 'Campaign resumed successfully',
  cancel: 'Campaign cancelled successfully',
};

/** Retries of busy and unanswered calls ("Auto-retry" retries them by default; the count and delay are inferred). */
export const BATCH_RETRIES = { count: 2, intervalMinutes: 30 } as const;

export function assertActionAllowed(status: BatchStatus, action: BatchAction): void {
  if (!ALLOWED_FROM[action].includes(status)) throw new ReplyError(badRequest(`Cannot ${action} a ${status} batch call`));
}

/** Where a batch joins the organization's queue: `scheduled` while its start is ahead, else `waiting` its turn. */
export function readyStatus(startsAt: string | null, now: Date): 'scheduled' | 'waiting' {
  return startsAt !== null && Date.parse(startsAt) > now.getTime() ? 'scheduled' : 'waiting';
}
