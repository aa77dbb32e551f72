import { Heap } from './heap.js';
import type { CampaignRef, DialerEffects, DialPolicy, DialState } from './model.js';
import { callTiming, outcomeOf, type Outcome } from './outcomes.js';
import { nextOpenSpan } from './schedule.js';

/** A contact as the dialer tracks it. */
export interface Contact {
  /** Its row in the simulation's store, once saved. */
  id?: number;
  ref: string;
  phone: string;
  /** Order of arrival: among contacts due at once, the earlier first. */
  seq: number;
  status: 'queued' | 'dialing' | 'done' | 'removed';
  attempts: number;
  /** When the next attempt may start (ms). */
  nextAttemptAt: number;
  callStartedAt: number | null;
  callEndsAt: number | null;
  outcome: Outcome | null;
}

/** The dialer's memory of one campaign between runs. */
export interface CampaignRun {
  state: DialState;
  policy: DialPolicy;
  /** Everything before this instant has been simulated. */
  cursor: number;
  lastStartAt: number | null;
  /** Whether a call was ever placed. */
  started: boolean;
  /** Recent call ends, for the circuit breaker: [time, failed]. */
  recent: Array<[number, boolean]>;
}

/**
 * One campaign's discrete-event simulation: calls start while a line is free, the window is
 * open and the pace allows; each ends after its deterministic timing; retries are queued by the
 * policy. Events are processed strictly in time order, so the same inputs give the same history.
 */
export class CampaignDialer {
  readonly #queue = new Heap<Contact>((a, b) => a.nextAttemptAt < b.nextAttemptAt || (a.nextAttemptAt === b.nextAttemptAt && a.seq < b.seq));
  readonly #dialing = new Heap<Contact>((a, b) => (a.callEndsAt as number) < (b.callEndsAt as number) || (a.callEndsAt === b.callEndsAt && a.seq < b.seq));
  /** Contacts changed since the last `takeChanged()`. */
  readonly #changed = new Set<Contact>();
  #span: { start: number; end: number } | undefined;
  #hadContacts: boolean;
  /** The highest `seq` given to a contact, once known (an upload adds contacts in many calls). */
  lastSeq: number | undefined;

  constructor(
    readonly ref: CampaignRef,
    readonly run: CampaignRun,
    contacts: Iterable<Contact>,
  ) {
    let any = false;
    for (const contact of contacts) {
      any = true;
      if (contact.status === 'queued') this.#queue.push(contact);
      else if (contact.status === 'dialing') this.#dialing.push(contact);
    }
    this.#hadContacts = any || run.started;
  }

  /** Contacts whose state changed, to be written back; clears the list. */
  takeChanged(): Contact[] {
    const changed = [...this.#changed];
    this.#changed.clear();
    return changed;
  }

  add(contact: Contact): void {
    this.#hadContacts = true;
    this.#queue.push(contact);
    this.#changed.add(contact);
  }

  /** Takes a contact out of the queue; a call in progress finishes, with no retry after it. */
  remove(contactRef: string): void {
    const dialing = this.#dialing.values().filter((c) => c.ref === contactRef);
    for (const contact of [...this.#queue.removeWhere((c) => c.ref === contactRef), ...dialing]) {
      contact.status = 'removed';
      this.#changed.add(contact);
    }
  }

  setState(state: DialState, at: number): void {
    if (state === 'stopped') {
      for (const contact of this.#queue.removeWhere(() => true)) {
        contact.status = 'removed';
        this.#changed.add(contact);
      }
    }
    if (state === 'running' && this.run.state !== 'running') this.run.recent = [];
    this.run.state = state;
    this.run.cursor = Math.max(this.run.cursor, at);
  }

  setPolicy(policy: DialPolicy): void {
    this.run.policy = policy;
    this.#span = undefined;
  }

  /** Simulates everything up to and including `until`. */
  advance(until: number, effects: DialerEffects): void {
    for (;;) {
      const end = this.#dialing.peek();
      const start = this.#nextStart();
      const endsAt = this.run.policy.endsAt;
      const pendingEnd = endsAt !== undefined && this.run.state !== 'finished' && this.run.state !== 'stopped' ? endsAt : undefined;
      const next = Math.min(end?.callEndsAt ?? Infinity, start ?? Infinity, pendingEnd ?? Infinity);
      if (next === Infinity || next > until) break;
      if (end && end.callEndsAt === next) this.#endCall(end, effects);
      else if (pendingEnd === next) this.#finish(next, 'ended', effects);
      else this.#startCall(next, effects);
    }
    this.run.cursor = Math.max(this.run.cursor, until);
  }

  /** The next instant something happens, or undefined if nothing ever will without a change. */
  nextEventAt(): number | undefined {
    const end = this.#dialing.peek()?.callEndsAt ?? undefined;
    const start = this.#nextStart();
    const endsAt = this.run.state === 'running' || this.run.state === 'paused' ? this.run.policy.endsAt : undefined;
    const next = Math.min(end ?? Infinity, start ?? Infinity, endsAt ?? Infinity);
    return next === Infinity ? undefined : next;
  }

  /** When the next call may start, or undefined when none can without a change. */
  #nextStart(): number | undefined {
    const { policy, state } = this.run;
    if (state !== 'running') return undefined;
    const head = this.#queue.peek();
    if (!head) return undefined;
    if (policy.concurrency !== undefined && this.#dialing.size >= policy.concurrency) return undefined;
    let at = Math.max(head.nextAttemptAt, this.run.cursor, policy.startsAt ?? -Infinity);
    if (policy.attemptsPerSecond && this.run.lastStartAt !== null) at = Math.max(at, this.run.lastStartAt + Math.ceil(1000 / policy.attemptsPerSecond));
    if (policy.window) {
      if (!this.#span || at < this.#span.start || at >= this.#span.end) this.#span = nextOpenSpan(policy.window, at);
      if (!this.#span) return undefined;
      at = Math.max(at, this.#span.start);
    }
    if (policy.endsAt !== undefined && at >= policy.endsAt) return undefined;
    return at;
  }

  #startCall(at: number, effects: DialerEffects): void {
    const contact = this.#queue.pop() as Contact;
    contact.status = 'dialing';
    contact.attempts += 1;
    contact.outcome = outcomeOf(contact.phone);
    contact.callStartedAt = at;
    contact.callEndsAt = at + callTiming(contact.phone, contact.attempts, contact.outcome).holdSeconds * 1000;
    this.#dialing.push(contact);
    this.#changed.add(contact);
    this.run.lastStartAt = at;
    this.run.cursor = at;
    if (!this.run.started) {
      this.run.started = true;
      effects.campaignStarted?.(this.ref, at);
    }
    effects.callStarted?.(this.ref, { contactRef: contact.ref, attempt: contact.attempts, at });
  }

  #endCall(contact: Contact, effects: DialerEffects): void {
    this.#dialing.pop();
    const at = contact.callEndsAt as number;
    const outcome = contact.outcome as Outcome;
    const { policy } = this.run;
    const own = policy.outcomeRetries?.[outcome];
    const retryAt = at + (own ? own.retryDelaySeconds : retryDelaySeconds(policy, contact.attempts)) * 1000;
    const removed = contact.status === 'removed';
    const talkSeconds = callTiming(contact.phone, contact.attempts, outcome).talkSeconds;
    const tooShort = policy.retryIfTalkUnder !== undefined && talkSeconds > 0 && talkSeconds < policy.retryIfTalkUnder;
    const retry =
      !removed &&
      (this.run.state === 'running' || this.run.state === 'paused') &&
      (policy.retryOn.includes(outcome) || tooShort) &&
      contact.attempts < (own ? own.maxAttempts : policy.maxAttempts) &&
      (policy.endsAt === undefined || retryAt < policy.endsAt);
    const call = {
      contactRef: contact.ref,
      phone: contact.phone,
      attempt: contact.attempts,
      outcome,
      startedAt: contact.callStartedAt as number,
      endedAt: at,
      talkSeconds,
      retryAt: retry ? retryAt : null,
    };
    contact.status = removed ? 'removed' : retry ? 'queued' : 'done';
    contact.callStartedAt = null;
    contact.callEndsAt = null;
    if (retry) {
      contact.nextAttemptAt = retryAt;
      this.#queue.push(contact);
    }
    this.#changed.add(contact);
    this.run.cursor = at;
    effects.callEnded(this.ref, call);
    this.#checkBreaker(at, outcome, effects);
    if (
      policy.finishWhenDialed &&
      this.#hadContacts &&
      this.#queue.size === 0 &&
      this.#dialing.size === 0 &&
      (this.run.state === 'running' || this.run.state === 'paused')
    ) {
      this.#finish(at, 'dialed', effects);
    }
  }

  #checkBreaker(at: number, outcome: Outcome, effects: DialerEffects): void {
    const breaker = this.run.policy.breaker;
    if (!breaker || this.run.state !== 'running') return;
    const since = at - breaker.windowSeconds * 1000;
    this.run.recent = this.run.recent.filter(([time]) => time > since);
    this.run.recent.push([at, breaker.failures.includes(outcome)]);
    const calls = this.run.recent.length;
    if (calls < breaker.minCalls) return;
    const failureRate = this.run.recent.filter(([, failed]) => failed).length / calls;
    if (failureRate < breaker.failureThreshold) return;
    this.run.state = 'paused';
    effects.campaignTripped?.(this.ref, at, { failureRate, calls });
  }

  #finish(at: number, reason: 'dialed' | 'ended', effects: DialerEffects): void {
    this.run.state = 'finished';
    this.run.cursor = at;
    effects.campaignFinished(this.ref, at, reason);
  }
}

/** The delay before the retry that follows a contact's `attempts`-th call. */
function retryDelaySeconds(policy: DialPolicy, attempts: number): number {
  const delays = policy.retryDelaysSeconds;
  if (!delays || delays.length === 0) return policy.retryDelaySeconds;
  return delays[Math.min(attempts, delays.length) - 1] as number;
}
