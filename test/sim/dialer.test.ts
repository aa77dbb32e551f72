import { describe, expect, it } from 'vitest';
import { CampaignDialer, type CampaignRun, type Contact } from '../../src/sim/dialer.js';
import type { CallEnd, DialerEffects, DialPolicy } from '../../src/sim/model.js';
import { callTiming, outcomeOf } from '../../src/sim/outcomes.js';

const contact = (ref: string, phone: string, seq: number, at = 0): Contact => ({
  ref,
  phone,
  seq,
  status: 'queued',
  attempts: 0,
  nextAttemptAt: at,
  callStartedAt: null,
  callEndsAt: null,
  outcome: null,
});

const basePolicy: DialPolicy = { concurrency: 2, maxAttempts: 3, retryDelaySeconds: 600, retryOn: ['busy', 'no_answer'], finishWhenDialed: true };

function dial(policy: Partial<DialPolicy>, phones: string[], start = 0) {
  const run: CampaignRun = { state: 'running', policy: { ...basePolicy, ...policy }, cursor: start, lastStartAt: null, started: false, recent: [] };
  const dialer = new CampaignDialer({ sandboxId: 1, campaignRef: 'c' }, run, phones.map((phone, i) => contact(`l${i}`, phone, i, start)));
  const events: string[] = [];
  const ends: CallEnd[] = [];
  const starts: number[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const effects: DialerEffects = {
    campaignStarted: (_, at) => events.push(`started ${at}`),
    callStarted: (_, call) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      starts.push(call.at);
      events.push(`call ${call.contactRef}#${call.attempt} ${call.at}`);
    },
    callEnded: (_, call) => {
      inFlight--;
      ends.push(call);
      events.push(`end ${call.contactRef}#${call.attempt} ${call.outcome}`);
    },
    campaignFinished: (_, at, reason) => events.push(`finished ${reason} ${at}`),
    campaignTripped: (_, at, breaker) => events.push(`tripped ${at} ${breaker.failureRate}`),
  };
  return { dialer, run, events, ends, starts, effects, maxInFlight: () => maxInFlight };
}

describe('magic numbers', () => {
  it.each([
    ['+14155550001', 'busy'],
    ['+14155550002', 'no_answer'],
    ['+14155550003', 'voicemail'],
    ['+14155550004', 'failed'],
    ['+14155550005', 'short'],
    ['+14155550006', 'provider_error'],
    ['+14155550007', 'internal_error'],
    ['+14155550008', 'completed'],
    ['+91 98765 40001', 'busy'],
  ] as const)('%s → %s', (phone, outcome) => {
    expect(outcomeOf(phone)).toBe(outcome);
  });

  it('times calls deterministically and realistically', () => {
    expect(callTiming('+14155550100', 1, 'completed')).toEqual(callTiming('+14155550100', 1, 'completed'));
    expect(callTiming('+14155550100', 1, 'completed')).not.toEqual(callTiming('+14155550100', 2, 'completed'));
    const talk = callTiming('+14155550100', 1, 'completed').talkSeconds;
    expect(talk).toBeGreaterThanOrEqual(45);
    expect(talk).toBeLessThanOrEqual(240);
    expect(callTiming('+14155550002', 1, 'no_answer')).toEqual({ holdSeconds: 30, talkSeconds: 0 });
  });
});

describe('CampaignDialer', () => {
  it('never has more calls in progress than its concurrency, and dials everyone', () => {
    const phones = Array.from({ length: 50 }, (_, i) => `+1415555${String(1000 + i)}`);
    const run = dial({ concurrency: 3 }, phones);
    run.dialer.advance(10 ** 9, run.effects);
    expect(run.maxInFlight()).toBe(3);
    expect(run.ends).toHaveLength(50);
    expect(run.events.at(-1)).toMatch(/^finished dialed /);
  });

  it('retries busy and no-answer per policy, not failed, and stops at max attempts', () => {
    const run = dial({}, ['+14155550001', '+14155550002', '+14155550004', '+14155550006']);
    run.dialer.advance(10 ** 9, run.effects);
    const attemptsOf = (ref: string) => run.ends.filter((end) => end.contactRef === ref).map((end) => [end.attempt, end.retryAt === null]);
    expect(attemptsOf('l0')).toEqual([[1, false], [2, false], [3, true]]);
    expect(attemptsOf('l1')).toEqual([[1, false], [2, false], [3, true]]);
    expect(attemptsOf('l2')).toEqual([[1, true]]);
    expect(attemptsOf('l3')).toEqual([[1, true]]);
    const first = run.ends.find((end) => end.contactRef === 'l0' && end.attempt === 1) as CallEnd;
    const second = run.ends.find((end) => end.contactRef === 'l0' && end.attempt === 2) as CallEnd;
    expect(second.startedAt).toBe(first.endedAt + 600_000);
  });

  it('waits the k-th of retryDelaysSeconds before the k-th retry, the last one repeating', () => {
    const run = dial({ maxAttempts: 4, retryDelaysSeconds: [60, 300] }, ['+14155550001']);
    run.dialer.advance(10 ** 9, run.effects);
    const gaps = run.ends.slice(1).map((end, i) => (end.startedAt - (run.ends[i] as CallEnd).endedAt) / 1000);
    expect(gaps).toEqual([60, 300, 300]);
  });

  it('retries an outcome with settings of its own by those, and the others by the policy', () => {
    const run = dial(
      { maxAttempts: 2, retryOn: ['busy', 'provider_error'], outcomeRetries: { provider_error: { maxAttempts: 4, retryDelaySeconds: 360 } } },
      ['+14155550001', '+14155550006', '+14155550007'],
    );
    run.dialer.advance(10 ** 9, run.effects);
    const of = (ref: string) => run.ends.filter((end) => end.contactRef === ref);
    expect([of('l0').length, of('l1').length, of('l2').length]).toEqual([2, 4, 1]);
    const provider = of('l1');
    expect(provider.slice(1).map((end, i) => (end.startedAt - (provider[i] as CallEnd).endedAt) / 1000)).toEqual([360, 360, 360]);
  });

  it('retries a connected call that talked for less than retryIfTalkUnder, and only that', () => {
    const phones = Array.from({ length: 20 }, (_, i) => `+1415555${3000 + i}`);
    const run = dial({ concurrency: undefined, retryOn: [], maxAttempts: 2, retryIfTalkUnder: 120 }, phones);
    run.dialer.advance(10 ** 9, run.effects);
    const firsts = run.ends.filter((end) => end.attempt === 1);
    expect(firsts.filter((end) => end.retryAt !== null).length).toBeGreaterThan(0);
    for (const end of firsts) expect(end.retryAt !== null).toBe(end.talkSeconds < 120);
  });

  it('paces starts by attempts per second', () => {
    const run = dial({ concurrency: undefined, attemptsPerSecond: 2 }, ['+14155551000', '+14155551001', '+14155551002', '+14155551003']);
    run.dialer.advance(10 ** 9, run.effects);
    expect(run.starts).toEqual([0, 500, 1000, 1500]);
  });

  it('dials only inside its window, in its time zone, across a day boundary', () => {
    // Kolkata is UTC+05:30: Monday to Friday 09:00-18:00 there.
    const window = { timezone: 'Asia/Kolkata', slots: [0, 1, 2, 3, 4].map((day) => ({ day, start: '09:00', end: '18:00' })) };
    // Friday 2026-11-20 17:59:30 in Kolkata.
    const friday = Date.parse('2026-11-20T12:29:30Z');
    const run = dial({ concurrency: 1, window }, ['+14155551000', '+14155551001'], friday);
    run.dialer.advance(friday + 7 * 86_400_000, run.effects);
    expect(run.starts.map((at) => new Date(at).toISOString())).toEqual(['2026-11-20T12:29:30.000Z', '2026-11-23T03:30:00.000Z']);
  });

  it('does not dial before its start, and ends at its end time with contacts left', () => {
    const run = dial({ concurrency: 1, startsAt: 60_000, endsAt: 200_000, finishWhenDialed: false }, ['+14155551000', '+14155551001', '+14155551002']);
    run.dialer.advance(10 ** 9, run.effects);
    expect(run.starts[0]).toBe(60_000);
    expect(run.events).toContain('finished ended 200000');
    expect(run.starts.every((at) => at < 200_000)).toBe(true);
    expect(run.ends.length).toBeLessThan(3);
  });

  it('simulates in steps exactly as in one go', () => {
    const phones = Array.from({ length: 30 }, (_, i) => (i % 4 === 0 ? `+141555500${String(i % 5).padStart(2, '0')}` : `+1415555${2000 + i}`));
    const whole = dial({ concurrency: 4 }, phones);
    whole.dialer.advance(10 ** 8, whole.effects);
    const stepped = dial({ concurrency: 4 }, phones);
    for (let t = 0; t <= 10 ** 8; t += 7_777) stepped.dialer.advance(t, stepped.effects);
    stepped.dialer.advance(10 ** 8, stepped.effects);
    expect(stepped.events).toEqual(whole.events);
  });

  it('pauses: calls in progress finish, nothing new starts until resumed', () => {
    const run = dial({ concurrency: 2 }, ['+14155551000', '+14155551001', '+14155551002']);
    run.dialer.advance(1000, run.effects);
    run.dialer.setState('paused', 1000);
    run.dialer.advance(10 ** 7, run.effects);
    expect(run.starts).toEqual([0, 0]);
    expect(run.ends).toHaveLength(2);
    run.dialer.setState('running', 10 ** 7);
    run.dialer.advance(10 ** 8, run.effects);
    expect(run.starts).toEqual([0, 0, 10 ** 7]);
  });

  it('stops: queued contacts are dropped, a call in progress finishes without retry', () => {
    const run = dial({ concurrency: 1 }, ['+14155550001', '+14155551001']);
    run.dialer.advance(0, run.effects);
    run.dialer.setState('stopped', 1);
    run.dialer.advance(10 ** 8, run.effects);
    expect(run.ends.map((end) => [end.contactRef, end.retryAt])).toEqual([['l0', null]]);
    expect(run.events.some((event) => event.startsWith('finished'))).toBe(false);
  });

  it('trips its circuit breaker when too many calls fail, and pauses', () => {
    const phones = ['+14155550004', '+14155550004', '+14155550004', '+14155551000', '+14155551001', '+14155551002'];
    const run = dial({ concurrency: 1, retryOn: [], breaker: { failureThreshold: 0.5, windowSeconds: 120, minCalls: 3, failures: ['failed', 'busy', 'no_answer'] } }, phones);
    run.dialer.advance(10 ** 8, run.effects);
    expect(run.events.filter((e) => e.startsWith('tripped'))).toEqual(['tripped 3000 1']);
    expect(run.run.state).toBe('paused');
    expect(run.ends).toHaveLength(3);
  });

  it('removes a contact: a queued one is never called, one in a call is not retried', () => {
    const run = dial({ concurrency: 1 }, ['+14155550001', '+14155551001']);
    run.dialer.advance(0, run.effects);
    run.dialer.remove('l0');
    run.dialer.remove('l1');
    run.dialer.advance(10 ** 8, run.effects);
    expect(run.ends.map((end) => [end.contactRef, end.retryAt])).toEqual([['l0', null]]);
    expect(run.dialer.takeChanged().find((c) => c.ref === 'l0')?.status).toBe('removed');
  });
});
