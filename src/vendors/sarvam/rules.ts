import { ReplyError } from '../../engine/reply.js';
import { conflict } from './errors.js';
import type { CampaignStatus } from './store.js';

/**
 * Sarvam's campaign lifecycle, in one place (Sarvam's "Create Campaign" page, "List Campaigns" page, Sarvam's "Update Campaign" page, "Update Campaign Status" page, Sarvam's "Campaign lifecycle" page, "Stream Cohort" page and Sarvam's scheduling API "Update Campaign Status" page). The choices where the
 * sources disagree are explained in specs/sarvam.yaml under update-campaign-status.
 */

export type CampaignAction = 'pause' | 'resume' | 'cancel';

/** Where each action may start from. Sarvam's "List Campaigns" page: a campaign "can be paused or cancelled at any point". */
const ACTION_STARTS: Record<CampaignAction, readonly CampaignStatus[]> = {
  pause: ['scheduled', 'active'],
  resume: ['paused'],
  cancel: ['scheduled', 'active', 'paused'],
};

/** Sarvam's "Update Campaign" page: "Only allowed when the campaign is in paused or scheduled status". */
const UPDATABLE: readonly CampaignStatus[] = ['paused', 'scheduled'];

/** Sarvam's "Stream Cohort" page: "The campaign must be active, scheduled, or paused." */
const ACCEPTS_COHORTS: readonly CampaignStatus[] = ['active', 'scheduled', 'paused'];

/** Sarvam's "Campaign lifecycle" page and scheduling API "Update Campaign Status" page: "ended and cancelled are terminal". */
const TERMINAL: readonly CampaignStatus[] = ['ended', 'cancelled'];

/**
 * The status the schedule gives at `now`: `scheduled` before start_timestamp (Sarvam's "Create Campaign" page), `active` in
 * the window (Sarvam's "Campaign lifecycle" page), `ended` once end_timestamp has passed (Sarvam's scheduling API "Update Campaign Status" page).
 */
export function statusBySchedule(startTimestamp: string, endTimestamp: string, now: Date): CampaignStatus {
  const at = now.getTime();
  if (at >= Date.parse(endTimestamp)) return 'ended';
  return at < Date.parse(startTimestamp) ? 'scheduled' : 'active';
}

/** The status an action leads to, or a 409 that says what the current status allows. */
export function statusAfter(
  action: CampaignAction,
  campaign: { status: CampaignStatus; start_timestamp: string; end_timestamp: string },
  now: Date,
): CampaignStatus {
  const current = campaign.status;
  if (!ACTION_STARTS[action].includes(current)) {
    const allowed = (Object.keys(ACTION_STARTS) as CampaignAction[]).filter((a) => ACTION_STARTS[a].includes(current));
    const why = TERMINAL.includes(current) ? `: '${current}' is terminal and allows no action` : `; allowed actions from '${current}': ${allowed.join(', ')}`;
    throw new ReplyError(conflict(`Cannot ${action} a campaign in '${current}' status${why}`));
  }
  if (action === 'pause') return 'paused';
  if (action === 'cancel') return 'cancelled';
  return statusBySchedule(campaign.start_timestamp, campaign.end_timestamp, now);
}

/** Whether a campaign in this status counts against the concurrent-campaign limit (Sarvam's "Campaign lifecycle" page). */
export function isLive(status: CampaignStatus): boolean {
  return status === 'scheduled' || status === 'active';
}

/** Sarvam's "Campaign lifecycle" page: "by default you can have 10 concurrent agent campaigns" (active or scheduled). */
export function assertBelowCampaignLimit(live: number, limit: number): void {
  if (live >= limit) {
    throw new ReplyError(
      conflict(
        `Concurrent campaign limit reached: ${limit} ${limit === 1 ? 'campaign is' : 'campaigns are'} active or scheduled in this workspace; pause, cancel or wait for one to end first`,
      ),
    );
  }
}

export function assertUpdatable(status: CampaignStatus): void {
  if (UPDATABLE.includes(status)) return;
  const hint = status === 'active' ? ' (pause it first)' : '';
  throw new ReplyError(conflict(`Cannot update a campaign in '${status}' status; updates are allowed only in 'paused' or 'scheduled' status${hint}`));
}

export function assertAcceptsCohorts(status: CampaignStatus): void {
  if (ACCEPTS_COHORTS.includes(status)) return;
  throw new ReplyError(conflict(`Cannot add a cohort to a campaign in '${status}' status; the campaign must be active, scheduled, or paused`));
}
