import type { DialerEffects, DialPolicy, DialState } from '../../sim/model.js';
import type { Outcome } from '../../sim/outcomes.js';
import type { Simulator } from '../../sim/simulator.js';
import type { Sandbox } from '../../store/sandboxes.js';
import { attemptsAllowed, isFinalFailure, retryReasonOf, type PlacedCall, type RetryReason } from './counters.js';
import { pythonIsoformat } from './present.js';
import { NO_CIRCUIT_BREAKER, type CircuitBreakerConfig, type RetryConfig, type ScheduleConfig } from './settings.js';
import type { AsissoStore, BreakerFailure, CampaignRecord, CampaignState, DialContact } from './store.js';

/**
 * Asisso campaigns in the dialer simulation, as Dograh's orchestrator and call dispatcher run
 * them (Dograh's code and campaign runner; every rule here is inferred for Asisso, see x-mock-inferred in the spec).
 *
 * Settings → policy: `max_concurrency` → concurrent calls (without it, the organization's limit);
 * the dial rate `rate_limit_per_second` → calls started per second; `retry_config` → attempts,
 * delay and the endings retried (busy, no answer, voicemail, each by its flag; none when
 * disabled); an enabled `schedule_config` → the calling window (`day_of_week` 0 is Monday, as
 * Python's `weekday()`); an enabled `circuit_breaker` → the breaker, counting `failed` calls as
 * failures (Dograh's campaign runner's telephony status processing: busy and unanswered calls count as successes).
 *
 * Calls → Asisso's data: each call is a run, in progress from the moment it is dialed; the first
 * call of a contact marks its queued run processed (`processed_rows`, `executed_count`); a
 * contact whose retries are spent on a retried ending counts in `failed_rows` (counters.ts). A
 * campaign whose contacts are all done is `completed`; a breaker trip pauses it with a
 * `circuit_breaker_tripped` log entry. Asisso documents no webhooks, so none are sent.
 */

const VENDOR = 'asisso';

/** Concurrent calls an organization gets unless its keys-file entry sets one (Dograh's `DEFAULT_ORG_CONCURRENCY_LIMIT`, Dograh's code). */
export const DEFAULT_ORGANIZATION_CONCURRENCY = 10;

/** The organization's concurrent call limit from the keys file (`asisso.max_concurrency_limit`), if set. */
export function organizationConcurrencyLimit(sandbox: Sandbox): number | undefined {
  return sandbox.access.vendors.asisso?.max_concurrency_limit as number | undefined;
}

type DialSettings = Pick<CampaignRecord, 'retry_config' | 'schedule_config' | 'circuit_breaker' | 'max_concurrency' | 'rate_limit_per_second'>;

/** The outcome each retry setting retries. */
const RETRIED_OUTCOME: Record<RetryReason, Outcome> = { retry_on_busy: 'busy', retry_on_no_answer: 'no_answer', retry_on_voicemail: 'voicemail' };

export function dialPolicy(campaign: DialSettings, organizationLimit: number | undefined): DialPolicy {
  const retry = JSON.parse(campaign.retry_config) as RetryConfig;
  const schedule = campaign.schedule_config === null ? null : (JSON.parse(campaign.schedule_config) as ScheduleConfig);
  const breaker = campaign.circuit_breaker === null ? null : (JSON.parse(campaign.circuit_breaker) as CircuitBreakerConfig);
  return {
    // Dograh's code: the campaign's cap, under the organization's, which alone applies without one.
    concurrency: Math.min(campaign.max_concurrency ?? organizationLimit ?? DEFAULT_ORGANIZATION_CONCURRENCY, organizationLimit ?? Infinity),
    attemptsPerSecond: campaign.rate_limit_per_second,
    maxAttempts: attemptsAllowed(retry),
    retryDelaySeconds: retry.retry_delay_seconds,
    retryOn: retry.enabled ? (Object.keys(RETRIED_OUTCOME) as RetryReason[]).filter((reason) => retry[reason]).map((reason) => RETRIED_OUTCOME[reason]) : [],
    // Dograh's campaign runner `_is_within_schedule`: a disabled schedule allows any time.
    ...(schedule?.enabled
      ? { window: { timezone: schedule.timezone, slots: schedule.slots.map((slot) => ({ day: slot.day_of_week, start: slot.start_time, end: slot.end_time })) } }
      : {}),
    ...(breaker?.enabled
      ? { breaker: { failureThreshold: breaker.failure_threshold, windowSeconds: breaker.window_seconds, minCalls: breaker.min_calls_in_window, failures: BREAKER_FAILURES } }
      : {}),
    finishWhenDialed: true,
  };
}

/** A draft is not in the simulation yet; a failed campaign never dials again. */
const DIAL_STATE: Record<CampaignState, DialState | undefined> = { draft: undefined, running: 'running', paused: 'paused', completed: 'finished', failed: 'stopped' };

/** Hands a started campaign's current settings and state to the simulation. */
export function syncCampaign(simulator: Simulator, campaign: DialSettings & Pick<CampaignRecord, 'sandbox_id' | 'id' | 'state'>, organizationLimit: number | undefined, at: number): void {
  const state = DIAL_STATE[campaign.state];
  if (state === undefined) return;
  simulator.upsertCampaign(campaign.sandbox_id, VENDOR, String(campaign.id), dialPolicy(campaign, organizationLimit), state, at);
}

/** Queues contacts on a campaign already handed to the simulation, to be dialed in the order given. */
export function queueContacts(simulator: Simulator, campaign: Pick<CampaignRecord, 'sandbox_id' | 'id'>, contacts: readonly DialContact[], at: number): void {
  if (contacts.length === 0) return;
  simulator.addContacts(campaign.sandbox_id, VENDOR, String(campaign.id), contacts.map((contact) => ({ ref: contact.source_uuid, phone: contact.phone_number })), at);
}

/** Takes contacts out of the simulation altogether (a start taken back). */
export function unqueueContacts(simulator: Simulator, sandboxId: number, campaignId: number, sourceUuids: readonly string[]): void {
  simulator.deleteContacts(sandboxId, VENDOR, String(campaignId), sourceUuids);
}

/**
 * How each ending reads in a run (Dograh's campaign runner): a call that does not connect carries its telephony status
 * as disposition and the tags `not_connected` and `telephony_<status>`; one that connects ends
 * with the pipeline's reason (reaching the workflow's end node, the caller hanging up, or
 * voicemail), also tagged, plus `user_speech` when someone spoke.
 */
const RUN_ENDING: Record<Outcome, { call_status: string; disposition: string; tags: readonly string[]; connected: boolean }> = {
  completed: { call_status: 'completed', disposition: 'user_qualified', tags: ['user_qualified', 'user_speech'], connected: true },
  short: { call_status: 'completed', disposition: 'user_hangup', tags: ['user_hangup', 'user_speech'], connected: true },
  voicemail: { call_status: 'completed', disposition: 'voicemail_detected', tags: ['voicemail_detected'], connected: true },
  busy: { call_status: 'busy', disposition: 'busy', tags: ['not_connected', 'telephony_busy'], connected: false },
  no_answer: { call_status: 'no-answer', disposition: 'no-answer', tags: ['not_connected', 'telephony_no-answer'], connected: false },
  failed: { call_status: 'failed', disposition: 'failed', tags: ['not_connected', 'telephony_failed'], connected: false },
  // Dograh's telephony status `error`: a call the provider or the platform could not place.
  provider_error: { call_status: 'error', disposition: 'error', tags: ['not_connected', 'telephony_error'], connected: false },
  internal_error: { call_status: 'error', disposition: 'error', tags: ['not_connected', 'telephony_error'], connected: false },
};

/** Dograh's telephony status processing counts `failed` and `error` calls against the circuit breaker. */
const BREAKER_FAILURES: Outcome[] = ['failed', 'provider_error', 'internal_error'];

/** Dograh's campaign runner `RetryReason`: how a retry call names what it retries (`retry_reason_<reason>`). */
const RETRY_EVENT_REASON: Record<RetryReason, string> = { retry_on_busy: 'busy', retry_on_no_answer: 'no_answer', retry_on_voicemail: 'voicemail' };

/** Dograh keeps at most 20 recent failures, for `DEFAULT_CIRCUIT_BREAKER_CONFIG`'s window (120 s) plus 60 s after the last one (Dograh's campaign runner). */
const RECENT_FAILURES_KEPT = 20;
const RECENT_FAILURES_TTL_MS = (120 + 60) * 1000;

/** Python's `f"{x:.2%}"`. */
const percent = (fraction: number) => `${(fraction * 100).toFixed(2)}%`;

export function createAsissoDialerEffects(store: AsissoStore, simulator: Simulator): DialerEffects {
  const iso = (ms: number) => new Date(ms).toISOString();
  /** Settings read once per run of the simulation: they change only between requests. */
  const settings = new Map<string, { retry: RetryConfig; breaker: CircuitBreakerConfig }>();
  const settingsOf = (sandboxId: number, campaignId: number) => {
    const key = `${sandboxId}|${campaignId}`;
    let found = settings.get(key);
    if (!found) {
      const row = store.dialSettings(sandboxId, campaignId);
      if (!row) return undefined;
      found = {
        retry: JSON.parse(row.retry_config) as RetryConfig,
        breaker: row.circuit_breaker === null ? NO_CIRCUIT_BREAKER : (JSON.parse(row.circuit_breaker) as CircuitBreakerConfig),
      };
      settings.set(key, found);
    }
    return found;
  };
  const callsOf = (sandboxId: number, campaignId: number, sourceUuid: string) =>
    store.contactRuns(sandboxId, campaignId, sourceUuid).map((run) => ({ ...run, call_tags: JSON.parse(run.call_tags) as string[] }));

  return {
    beforeSettle() {
      settings.clear();
    },

    callStarted({ sandboxId, campaignRef }, call) {
      const campaignId = Number(campaignRef);
      // Dograh's campaign runner `dispatch_call`: a retry call is tagged with the reason of the call it retries.
      const previous = callsOf(sandboxId, campaignId, call.contactRef).at(-1);
      const reason = previous === undefined ? undefined : retryReasonOf(previous);
      store.startCall(sandboxId, campaignId, call.contactRef, reason ? ['retry', `retry_reason_${RETRY_EVENT_REASON[reason]}`] : [], iso(call.at));
    },

    callEnded({ sandboxId, campaignRef }, call) {
      const campaignId = Number(campaignRef);
      const campaign = settingsOf(sandboxId, campaignId);
      const calls = callsOf(sandboxId, campaignId, call.contactRef);
      const open = calls.at(-1);
      if (campaign === undefined || open === undefined || open.is_completed === 1) return;
      const ending = RUN_ENDING[call.outcome];
      const tags = [...open.call_tags, ...ending.tags.filter((tag) => !open.call_tags.includes(tag))];
      store.endRun(sandboxId, open.id, { call_status: ending.call_status, call_tags: JSON.stringify(tags), disposition: ending.disposition, duration_seconds: ending.connected ? call.talkSeconds : 0 });

      const { retry, breaker } = campaign;
      const before: PlacedCall[] = calls.slice(0, -1);
      const after: PlacedCall[] = [...before, { call_status: ending.call_status, call_tags: tags }];
      // A contact from a fixture joined the simulation with calls behind it, which the simulation
      // does not count: its retries end when the campaign's settings say, not later.
      if (call.retryAt !== null && after.length >= attemptsAllowed(retry)) simulator.removeContact(sandboxId, VENDOR, campaignRef, call.contactRef);
      const failed = Number(isFinalFailure(after, retry)) - Number(isFinalFailure(before, retry));
      store.addToCounters(sandboxId, campaignId, { processed: 0, failed }, iso(call.endedAt));
      if (BREAKER_FAILURES.includes(call.outcome) && breaker.enabled) {
        store.recordBreakerFailure(sandboxId, campaignId, { run_id: open.id, reason: ending.call_status, at_ms: call.endedAt }, RECENT_FAILURES_KEPT);
      }
    },

    campaignFinished({ sandboxId, campaignRef }, at) {
      store.completeCampaign(sandboxId, Number(campaignRef), iso(at));
    },

    campaignTripped({ sandboxId, campaignRef }, at, { failureRate, calls }) {
      const campaignId = Number(campaignRef);
      const breaker = settingsOf(sandboxId, campaignId)?.breaker ?? NO_CIRCUIT_BREAKER;
      const failureCount = Math.round(failureRate * calls);
      const stats = {
        failure_rate: failureRate,
        failure_count: failureCount,
        success_count: calls - failureCount,
        threshold: breaker.failure_threshold,
        window_seconds: breaker.window_seconds,
      };
      // Dograh's campaign runner `record_and_evaluate`: the entry written when a call's outcome trips the breaker.
      const entry = {
        ts: pythonIsoformat(iso(at)),
        level: 'warning',
        event: 'circuit_breaker_tripped',
        message: `Paused: failure rate ${percent(failureRate)} (${failureCount}/${calls}) exceeded threshold ${percent(breaker.failure_threshold)} in ${breaker.window_seconds}s window`,
        details: { ...stats, recent_failures: recentFailures(store.breakerFailures(sandboxId, campaignId), at) },
      };
      store.tripCampaign(sandboxId, campaignId, entry, iso(at));
    },
  };
}

/**
 * The failures Dograh's capped list still holds at `at`, newest first: the list lives until
 * 180 s after its latest entry, so a longer quiet spell starts it afresh.
 */
function recentFailures(failures: readonly BreakerFailure[], at: number): Array<{ workflow_run_id: number; reason: string; ts: number }> {
  const kept: BreakerFailure[] = [];
  let later = at;
  for (const failure of failures) {
    if (later - failure.at_ms > RECENT_FAILURES_TTL_MS || kept.length === RECENT_FAILURES_KEPT) break;
    kept.push(failure);
    later = failure.at_ms;
  }
  return kept.map((failure) => ({ workflow_run_id: failure.run_id, reason: failure.reason, ts: failure.at_ms / 1000 }));
}
