import type { DialerEffects, DialPolicy, DialState } from '../../sim/model.js';
import type { Outcome } from '../../sim/outcomes.js';
import type { CallingWindow } from '../../sim/schedule.js';
import type { Simulator } from '../../sim/simulator.js';
import { attemptPayload, campaignCaller, type CampaignCaller } from './call-attempts.js';
import type { StoredAppConfig } from './campaign-settings.js';
import type { WebhookDeliveries } from './deliveries.js';
import type { AllowedSchedule } from './model-checks.js';
import type { CampaignRow, CampaignStatus, CohortUserRow, SarvamStore } from './store.js';

/**
 * Sarvam campaigns in the dialer simulation. The settings map onto the neutral policy:
 * attempts_per_second → the pace (S13), retry_config → attempts, delay and the outcomes retried,
 * allowed_schedule → the calling window in its time zone, start_timestamp and end_timestamp →
 * when dialing may happen. The users of each completed cohort are the contacts. Every attempt
 * comes back as S9's webhook, recorded as a delivery (S10); end_timestamp ends the campaign.
 */

const VENDOR = 'sarvam';

interface StoredRetryConfig {
  max_retries: number | null;
  retry_interval_minutes: number | null;
  retry_on: {
    busy: { enabled: boolean } | null;
    no_answer: { enabled: boolean } | null;
    short_duration: { enabled: boolean; threshold_seconds: number | null } | null;
  } | null;
}

/** Not documented: the interval of S1's example, used when retry_config leaves it out. */
const DEFAULT_RETRY_INTERVAL_MINUTES = 30;

/** Sarvam's day names (S1) as the calling window's days, 0 = Monday. */
const DAY_INDEX: Record<string, number> = { Monday: 0, Tuesday: 1, Wednesday: 2, Thursday: 3, Friday: 4, Saturday: 5, Sunday: 6 };

/** retry_on as outcomes (S1): busy and no_answer by their toggles. Without retry_on, both are retried. */
function retriedOutcomes(retryOn: StoredRetryConfig['retry_on']): Outcome[] {
  if (retryOn === null) return ['busy', 'no_answer'];
  const outcomes: Outcome[] = [];
  if (retryOn.busy?.enabled) outcomes.push('busy');
  if (retryOn.no_answer?.enabled) outcomes.push('no_answer');
  return outcomes;
}

/** short_duration (S1): a connected call shorter than threshold_seconds is retried. */
function shortDurationThreshold(retryOn: StoredRetryConfig['retry_on']): number | undefined {
  const short = retryOn?.short_duration;
  return short?.enabled && short.threshold_seconds ? short.threshold_seconds : undefined;
}

function callingWindow(schedule: AllowedSchedule): CallingWindow {
  return {
    timezone: schedule.timezone,
    slots: schedule.allowed_days.map((day) => ({ day: DAY_INDEX[day] as number, start: schedule.allowed_start_time, end: schedule.allowed_end_time })),
  };
}

/**
 * How a campaign dials. It runs until end_timestamp whatever happens, never ending because every
 * user was dialed: cohorts may join it while it is active (S8). A paused campaign is given no end,
 * so it stays paused past end_timestamp until resumed (see rules.ts).
 */
export function dialPolicy(campaign: CampaignRow): DialPolicy {
  const app = JSON.parse(campaign.app_config) as StoredAppConfig & { retry_config: StoredRetryConfig | null };
  const retry = app.retry_config;
  return {
    attemptsPerSecond: app.attempts_per_second,
    maxAttempts: 1 + (retry?.max_retries ?? 0),
    retryDelaySeconds: (retry?.retry_interval_minutes ?? DEFAULT_RETRY_INTERVAL_MINUTES) * 60,
    retryOn: retriedOutcomes(retry?.retry_on ?? null),
    ...(shortDurationThreshold(retry?.retry_on ?? null) === undefined ? {} : { retryIfTalkUnder: shortDurationThreshold(retry?.retry_on ?? null) }),
    window: callingWindow(JSON.parse(campaign.allowed_schedule) as AllowedSchedule),
    startsAt: Date.parse(campaign.start_timestamp),
    ...(campaign.status === 'paused' ? {} : { endsAt: Date.parse(campaign.end_timestamp) }),
    finishWhenDialed: false,
  };
}

/** `scheduled` dials too: startsAt holds its first call back until start_timestamp. */
const DIAL_STATE: Record<CampaignStatus, DialState> = { scheduled: 'running', active: 'running', paused: 'paused', cancelled: 'stopped', ended: 'finished' };

/** Hands the campaign's current settings and status to the simulation. */
export function syncCampaign(simulator: Simulator, campaign: CampaignRow, at: number): void {
  simulator.upsertCampaign(campaign.sandbox_id, VENDOR, campaign.id, dialPolicy(campaign), DIAL_STATE[campaign.status], at);
}

/** A contact is a user of a cohort: `<cohort_id>/<position>`. */
const contactRef = (user: Pick<CohortUserRow, 'cohort_id' | 'position'>) => `${user.cohort_id}/${user.position}`;

function userOf(ref: string): { cohortId: string; position: number } {
  const slash = ref.lastIndexOf('/');
  return { cohortId: ref.slice(0, slash), position: Number(ref.slice(slash + 1)) };
}

/** Queues a cohort's users on the campaign, in their order in the cohort. */
export function queueCohortUsers(simulator: Simulator, campaign: CampaignRow, users: readonly CohortUserRow[], at: number): void {
  if (users.length === 0) return;
  simulator.addContacts(campaign.sandbox_id, VENDOR, campaign.id, users.map((user) => ({ ref: contactRef(user), phone: user.phone_number })), at);
}

export function createSarvamDialerEffects(store: SarvamStore, deliveries: WebhookDeliveries): DialerEffects {
  /** Each campaign's settings, read once per run of the simulation (nothing edits them during one). */
  const callers = new Map<string, CampaignCaller | undefined>();
  const callerOf = (sandboxId: number, campaignRef: string): CampaignCaller | undefined => {
    const key = `${sandboxId}|${campaignRef}`;
    if (!callers.has(key)) {
      const campaign = store.campaignById(sandboxId, campaignRef);
      callers.set(key, campaign && campaignCaller(campaign));
    }
    return callers.get(key);
  };

  return {
    beforeSettle() {
      callers.clear();
    },

    callEnded({ sandboxId, campaignRef }, call) {
      const caller = callerOf(sandboxId, campaignRef);
      // S9: the webhook goes to the campaign's webhook_config; a campaign without one hears nothing.
      const target = caller?.target;
      if (!caller || !target) return;
      const { cohortId, position } = userOf(call.contactRef);
      const user = store.cohortUser(sandboxId, cohortId, position);
      if (!user) return;
      const { campaign } = caller;
      const payload = attemptPayload(caller, user, call, target);
      const sentAt = new Date(call.endedAt).toISOString();
      deliveries.send({
        sandbox_id: sandboxId,
        org_id: campaign.org_id,
        workspace_id: campaign.workspace_id,
        campaign_id: campaign.id,
        attempt_id: payload.attempt_id,
        url: target.url,
        payload: JSON.stringify(payload),
        created_at: sentAt,
        queued_at: sentAt,
      });
    },

    // The policy never finishes on 'dialed' (finishWhenDialed is off), so this is end_timestamp.
    campaignFinished({ sandboxId, campaignRef }, at) {
      store.endCampaign(sandboxId, campaignRef, new Date(at).toISOString());
    },
  };
}
