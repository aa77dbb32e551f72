import type { DialerEffects, DialPolicy, DialState } from '../../sim/model.js';
import type { Outcome } from '../../sim/outcomes.js';
import type { CallingWindow } from '../../sim/schedule.js';
import type { Simulator } from '../../sim/simulator.js';
import { attemptPayload, campaignCaller, type CampaignCaller } from './call-attempts.js';
import type { StoredAppConfig } from './campaign-settings.js';
import type { WebhookDeliveries } from './deliveries.js';
import type { AllowedSchedule } from './model-validators.js';
import type { CampaignRow, CampaignStatus, CohortUserRow, SarvamStore } from './store.js';

/**
 * Sarvam campaigns in the dialer simulation. The settings map onto the neutral policy:
 * attempts_per_second → the pace (Sarvam's "Dialing rate" page), retry_config → attempts, delay and the outcomes retried,
 * allowed_schedule → the calling window in its time zone, start_timestamp and end_timestamp →
 * when dialing may happen. The users of each completed cohort are the contacts. Every attempt
 * comes back as Sarvam's "Webhook payload" page's webhook, recorded as a delivery (Sarvam's "Retry webhook deliveries" page); end_timestamp ends the campaign.
 */

const VENDOR = 'sarvam';

/** An error kind retried by settings of its own, falling back to the retry_config's. */
interface ErrorRetry {
  enabled: boolean;
  max_retries: number | null;
  retry_interval_minutes: number | null;
}

interface StoredRetryConfig {
  max_retries: number | null;
  /** Minutes before each retry, the last repeated (the update page's list); a single number is every retry's. */
  retry_interval_minutes: number | number[] | null;
  retry_on: {
    busy: { enabled: boolean } | null;
    failed: { enabled: boolean } | null;
    no_answer: { enabled: boolean } | null;
    short_duration: { enabled: boolean; threshold_seconds: number | null } | null;
    provider_error: ErrorRetry | null;
    internal_error: ErrorRetry | null;
  } | null;
}

/** Not documented: the interval of the create page's example, used when retry_config gives none. */
const DEFAULT_RETRY_INTERVAL_MINUTES = 30;

/** The retry intervals as minutes, in order; empty when none are set. */
function retryIntervals(retry: StoredRetryConfig | null): number[] {
  const minutes = retry?.retry_interval_minutes ?? null;
  if (minutes === null) return [];
  return Array.isArray(minutes) ? minutes : [minutes];
}

/** Provider and internal errors, each retried by its own max_retries and interval when enabled. */
function errorRetries(retry: StoredRetryConfig | null): DialPolicy['outcomeRetries'] {
  const rules: NonNullable<DialPolicy['outcomeRetries']> = {};
  for (const kind of ['provider_error', 'internal_error'] as const) {
    const own = retry?.retry_on?.[kind];
    if (!own?.enabled) continue;
    rules[kind] = {
      maxAttempts: 1 + (own.max_retries ?? retry?.max_retries ?? 0),
      retryDelaySeconds: (own.retry_interval_minutes ?? retryIntervals(retry)[0] ?? DEFAULT_RETRY_INTERVAL_MINUTES) * 60,
    };
  }
  return rules;
}

/** Sarvam's day names (Sarvam's "Create Campaign" page) as the calling window's days, 0 = Monday. */
const DAY_INDEX: Record<string, number> = { Monday: 0, Tuesday: 1, Wednesday: 2, Thursday: 3, Friday: 4, Saturday: 5, Sunday: 6 };

/**
 * retry_on as outcomes: busy, failed, no_answer, provider_error and internal_error by their
 * toggles (the update page's six kinds, short_duration apart). Without retry_on, busy and
 * no_answer are retried.
 */
function retriedOutcomes(retryOn: StoredRetryConfig['retry_on']): Outcome[] {
  if (retryOn === null) return ['busy', 'no_answer'];
  return (['busy', 'failed', 'no_answer', 'provider_error', 'internal_error'] as const).filter((kind) => retryOn[kind]?.enabled);
}

/** short_duration (Sarvam's "Create Campaign" page): a connected call shorter than threshold_seconds is retried. */
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
 * user was dialed: cohorts may join it while it is active (Sarvam's "Stream Cohort" page). A paused campaign is given no end,
 * so it stays paused past end_timestamp until resumed (see rules.ts).
 */
export function dialPolicy(campaign: CampaignRow): DialPolicy {
  const app = JSON.parse(campaign.app_config) as StoredAppConfig & { retry_config: StoredRetryConfig | null };
  const retry = app.retry_config;
  return {
    attemptsPerSecond: app.attempts_per_second,
    maxAttempts: 1 + (retry?.max_retries ?? 0),
    retryDelaySeconds: DEFAULT_RETRY_INTERVAL_MINUTES * 60,
    retryDelaysSeconds: retryIntervals(retry).map((minutes) => minutes * 60),
    outcomeRetries: errorRetries(retry),
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

/** Takes users of a cohort out of the simulation altogether (the cohort is taken back). */
export function unqueueCohortUsers(simulator: Simulator, sandboxId: number, campaignId: string, cohortId: string, positions: readonly number[]): void {
  simulator.deleteContacts(sandboxId, VENDOR, campaignId, positions.map((position) => contactRef({ cohort_id: cohortId, position })));
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
      // Sarvam's "Webhook payload" page: the webhook goes to the campaign's webhook_config; a campaign without one hears nothing.
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
