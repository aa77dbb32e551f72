import { REDIAL_TAGS } from './rules.js';
import type { RetryConfig } from './settings.js';

/**
 * How Asisso's campaign counters follow from the calls placed, in one place: the fixture loader
 * works them out from a fixture's calls, the dialer keeps them as calls happen (Dograh's
 * orchestrator, Dograh's campaign runner, and telephony status callbacks).
 *
 * - `processed_rows`: contacts with at least one call placed; Dograh counts a dispatched queued
 *   run, and the mock keeps one queued run per contact, retries included, so the counter never
 *   passes `total_rows` and equals `executed_count`.
 * - `failed_rows`: contacts whose latest call ended for a reason the campaign retries and whose
 *   retries are spent (`isFinalFailure`).
 */

/** A call as the counters read it. */
export interface PlacedCall {
  /** Telephony status: `completed`, `busy`, `no-answer`, `failed`, … or one of a call under way. */
  call_status: string;
  call_tags?: readonly string[];
}

export type RetryReason = keyof typeof REDIAL_TAGS;

/**
 * The retry setting a call's ending falls under: busy, no answer (telephony statuses) or
 * voicemail (the `voicemail_detected` tag); `undefined` for any other ending, which is never
 * retried (a `failed` call included, Dograh's campaign runner).
 */
export function retryReasonOf(call: PlacedCall): RetryReason | undefined {
  if (call.call_status === 'busy') return 'retry_on_busy';
  if (call.call_status === 'no-answer') return 'retry_on_no_answer';
  if (call.call_tags?.includes(REDIAL_TAGS.retry_on_voicemail)) return 'retry_on_voicemail';
  return undefined;
}

/** Calls a contact may get: the first and, with retries enabled, `max_retries` more. */
export function attemptsAllowed(retry: RetryConfig): number {
  return retry.enabled ? 1 + retry.max_retries : 1;
}

/** Whether the latest of a contact's calls (in the order placed) is due another attempt. */
export function isRetryDue(calls: readonly PlacedCall[], retry: RetryConfig): boolean {
  const reason = retryable(calls, retry);
  return reason !== undefined && calls.length < attemptsAllowed(retry);
}

/**
 * Whether a contact counts in `failed_rows`, as Dograh's orchestrator counts it
 * (`_mark_final_failure`, Dograh's campaign runner): its latest call ended for a reason the campaign retries and its
 * retries are spent. A call that ends for a reason not retried, or as `failed`, is not counted.
 */
export function isFinalFailure(calls: readonly PlacedCall[], retry: RetryConfig): boolean {
  const reason = retryable(calls, retry);
  return reason !== undefined && calls.length >= attemptsAllowed(retry);
}

function retryable(calls: readonly PlacedCall[], retry: RetryConfig): RetryReason | undefined {
  const latest = calls.at(-1);
  const reason = latest === undefined ? undefined : retryReasonOf(latest);
  return reason !== undefined && retry.enabled && retry[reason] ? reason : undefined;
}

/**
 * A campaign's counters from the calls placed for each of its contacts (each list in the order
 * placed; contacts not yet called may be left out).
 *
 * @example
 * campaignCounters([[{ call_status: 'busy' }, { call_status: 'busy' }], [{ call_status: 'completed' }]], retry);
 * // { processed_rows: 2, failed_rows: 1 } with one busy retry allowed
 */
export function campaignCounters(callsByContact: Iterable<readonly PlacedCall[]>, retry: RetryConfig): { processed_rows: number; failed_rows: number } {
  let processed = 0;
  let failed = 0;
  for (const calls of callsByContact) {
    if (calls.length === 0) continue;
    processed++;
    if (isFinalFailure(calls, retry)) failed++;
  }
  return { processed_rows: processed, failed_rows: failed };
}
