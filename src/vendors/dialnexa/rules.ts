import { ReplyError } from '../../engine/reply.js';
import { conflict } from './errors.js';
import type { CampaignStatus } from './store.js';

/**
 * DialNexa's campaign state rules, in one place. Documented: `agent_id` is locked once a call is
 * placed ("Update a campaign"); a campaign takes leads "incrementally", "one-by-one after
 * creation" ("Create a campaign"); leads cannot be removed from a completed or cancelled campaign
 * ("Remove a campaign lead"); resuming a cancelled campaign is a 409 ("Errors"). The table of
 * allowed status changes, and `completed` reopening when a lead is added, are the mock's reading
 * (no page gives them) and marked so in specs/dialnexa.yaml.
 */

export type RequestedStatus = 'paused' | 'running' | 'active' | 'cancelled';
type Action = 'pause' | 'resume' | 'cancel';

const ACTION_OF: Record<RequestedStatus, Action> = { paused: 'pause', running: 'resume', active: 'resume', cancelled: 'cancel' };

/** A `draft` campaign starts as a paused one resumes. */
const ALLOWED_FROM: Record<Action, readonly CampaignStatus[]> = {
  pause: ['active', 'running'],
  resume: ['paused', 'draft'],
  cancel: ['draft', 'active', 'running', 'paused'],
};

/** The status a campaign starts in: `active` while its start is ahead, else `running` (the "Create a campaign" example). */
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

/**
 * Campaigns are ongoing: leads may be added in any status but `cancelled`. A `completed` campaign
 * has called every lead it had; a new lead makes it `running` again (see `statusWithNewLeads`).
 */
export function assertLeadsCanBeAdded(status: CampaignStatus): void {
  if (status === 'cancelled') throw new ReplyError(conflict('Cannot add leads to a cancelled campaign'));
}

/** The status a campaign has once new leads join it: a completed campaign dials again. */
export function statusWithNewLeads(status: CampaignStatus): CampaignStatus {
  return status === 'completed' ? 'running' : status;
}

/** "Remove a campaign lead": 409 when the campaign is in a terminal state (completed or cancelled). */
export function assertLeadRemovable(status: CampaignStatus): void {
  if (status === 'completed' || status === 'cancelled') throw new ReplyError(conflict(`Cannot remove a lead from a ${status} campaign`));
}
