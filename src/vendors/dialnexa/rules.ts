import { ReplyError } from '../../engine/vendor.js';
import { conflict } from './errors.js';
import type { CampaignStatus } from './store.js';

/**
 * DialNexa's campaign state rules, in one place. Documented: `completed` and `cancelled` are
 * terminal (D2, D6, D11: 409 "trying to resume a cancelled campaign"); `agent_id` is locked once
 * a call is placed (D3); leads cannot be removed from a terminal campaign (D6). The table of
 * allowed status changes is inferred (D3 gives no field name or table) and marked so in the spec.
 */

export type RequestedStatus = 'paused' | 'running' | 'active' | 'cancelled';
type Action = 'pause' | 'resume' | 'cancel';

const ACTION_OF: Record<RequestedStatus, Action> = { paused: 'pause', running: 'resume', active: 'resume', cancelled: 'cancel' };

const ALLOWED_FROM: Record<Action, readonly CampaignStatus[]> = {
  pause: ['active', 'running'],
  resume: ['paused'],
  cancel: ['active', 'running', 'paused'],
};

export const TERMINAL_STATUSES: ReadonlySet<CampaignStatus> = new Set(['completed', 'cancelled']);

/** The status a campaign starts in: `active` while its start is ahead (D15), else `running` (D1). */
export function initialStatus(scheduledAt: string | null, now: Date): CampaignStatus {
  return scheduledAt !== null && Date.parse(scheduledAt) > now.getTime() ? 'active' : 'running';
}

/** The status a PATCH `status` leads to, or a 409 when the current status does not allow it. */
export function nextStatus(current: CampaignStatus, requested: RequestedStatus, scheduledAt: string | null, now: Date): CampaignStatus {
  const action = ACTION_OF[requested];
  if (!ALLOWED_FROM[action].includes(current)) {
    const already = (action === 'pause' && current === 'paused') || (action === 'resume' && (current === 'running' || current === 'active'));
    throw new ReplyError(conflict(already ? `Campaign is already ${current}` : `Cannot ${action} a ${current} campaign`));
  }
  if (action === 'pause') return 'paused';
  if (action === 'cancel') return 'cancelled';
  return initialStatus(scheduledAt, now);
}

export function assertAgentChangeAllowed(callsPlaced: boolean): void {
  if (callsPlaced) throw new ReplyError(conflict('agent_id cannot be changed once any calls have been placed'));
}

export function assertLeadsCanBeAdded(status: CampaignStatus): void {
  if (TERMINAL_STATUSES.has(status)) throw new ReplyError(conflict(`Cannot add leads to a ${status} campaign`));
}

export function assertLeadRemovable(status: CampaignStatus): void {
  if (TERMINAL_STATUSES.has(status)) throw new ReplyError(conflict(`Cannot remove a lead from a ${status} campaign`));
}
