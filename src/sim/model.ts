import type { Outcome } from './outcomes.js';
import type { CallingWindow } from './schedule.js';

/**
 * How a campaign dials, in vendor-neutral terms. Each vendor maps its own settings onto it
 * (DialNexa max_concurrent_calls and retry_config; Asisso max_concurrency, retry_config,
 * schedule_config and circuit_breaker; Sarvam attempts_per_second, retry_config, allowed_schedule
 * and its start and end).
 */
export interface DialPolicy {
  /** Calls in progress at once, at most; unlimited when absent. */
  concurrency?: number;
  /** Calls started per second, at most. */
  attemptsPerSecond?: number;
  /** Attempts per contact: the first call plus its retries. */
  maxAttempts: number;
  /** How long after an attempt ends its retry is due. */
  retryDelaySeconds: number;
  /**
   * Delays per retry instead (Sarvam's list of intervals): the k-th retry waits the k-th, the
   * last repeating; empty or absent, `retryDelaySeconds` for every retry.
   */
  retryDelaysSeconds?: number[];
  /** An outcome retried by settings of its own (Sarvam's provider and internal errors); it must also be in `retryOn`. */
  outcomeRetries?: Partial<Record<Outcome, { maxAttempts: number; retryDelaySeconds: number }>>;
  /** The outcomes that are retried, while attempts remain. */
  retryOn: Outcome[];
  /** Also retry a call that connected but talked for fewer seconds than this (Sarvam's short_duration). */
  retryIfTalkUnder?: number;
  /** When dialing is allowed; always when absent. */
  window?: CallingWindow;
  /** No call starts before this (ms since the epoch, on the sandbox clock). */
  startsAt?: number;
  /** No call starts at or after this, and the campaign ends then. */
  endsAt?: number;
  /** Pause the campaign when the share of failed calls in a recent window grows too high. */
  breaker?: { failureThreshold: number; windowSeconds: number; minCalls: number; failures: Outcome[] };
  /**
   * Finish the campaign once every contact is done. Off for a campaign that runs until its end
   * whatever happens (Sarvam's, which more cohorts may join).
   */
  finishWhenDialed: boolean;
}

/** A campaign's state in the simulation. */
export type DialState = 'running' | 'paused' | 'stopped' | 'finished';

/** Where a simulated event belongs. */
export interface CampaignRef {
  sandboxId: number;
  campaignRef: string;
}

export interface CallStart {
  contactRef: string;
  attempt: number;
  at: number;
}

export interface CallEnd {
  contactRef: string;
  phone: string;
  attempt: number;
  outcome: Outcome;
  startedAt: number;
  endedAt: number;
  /** Seconds of conversation; 0 when nobody answered. */
  talkSeconds: number;
  /** When the next attempt is due, or null when this was the contact's last. */
  retryAt: number | null;
}

/**
 * What a vendor does when simulated calls happen: update its leads, write its call logs or runs,
 * change its counters and statuses, queue its webhooks. Called in time order, inside the
 * simulation's transaction.
 */
export interface DialerEffects {
  /** A run over a sandbox begins: a chance to drop what a vendor caches for one run. */
  beforeSettle?(sandboxId: number): void;
  campaignStarted?(campaign: CampaignRef, at: number): void;
  callStarted?(campaign: CampaignRef, call: CallStart): void;
  callEnded(campaign: CampaignRef, call: CallEnd): void;
  /** Every contact is done (`dialed`), or the campaign's end time came (`ended`). */
  campaignFinished(campaign: CampaignRef, at: number, reason: 'dialed' | 'ended'): void;
  /** The circuit breaker tripped: the simulation has paused the campaign. */
  campaignTripped?(campaign: CampaignRef, at: number, breaker: { failureRate: number; calls: number }): void;
}
