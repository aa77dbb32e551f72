import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { apiKeyHeaderAuth } from '../../helpers/caller.js';
import { testMock } from '../../helpers/mock.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../helpers/webhook-receiver.js';

/**
 * Sarvam campaigns running in simulated time: dialed at attempts_per_second inside their
 * allowed_schedule, retried per retry_config, ended at end_timestamp, and reporting every attempt
 * with Sarvam's "Webhook payload" page's webhook, recorded as a delivery (Sarvam's "Retry webhook deliveries" page). The sandbox clock is frozen, so only
 * clock/advance moves it.
 */

const KEY = 'sarvam_dialer';
const BASE = '/api/scheduling/v1/orgs/org-sim/workspaces/ws-sim';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Asia/Kolkata is UTC+05:30 all year. */
const IST_OFFSET = 5.5 * HOUR;
const EVERY_DAY = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The documented fields of Sarvam's "Webhook payload" page's payload, in order. */
const PAYLOAD_FIELDS = [
  'app_id',
  'app_version',
  'attempt_id',
  'campaign_id',
  'cohort_id',
  'completion_status',
  'connectivity_status',
  'next_action_status',
  'failure_reason',
  'user_identifier',
  'user_phone_number',
  'agent_phone_number',
  'duration',
  'interaction_id',
  'retry_attempt',
  'executed_at',
  'initial_agent_variables',
  'final_agent_variables',
  'metadata',
  'interaction_transcript',
];

interface Payload {
  attempt_id: string;
  cohort_id: string;
  completion_status: string;
  connectivity_status: string;
  next_action_status: string | null;
  failure_reason: string | null;
  user_phone_number: string;
  duration: number | null;
  interaction_id: string | null;
  retry_attempt: number;
  executed_at: string;
  interaction_transcript: Array<{ role: string; en_text: string }>;
  [field: string]: unknown;
}

interface Delivery {
  attempt_id: string;
  url: string;
  status: string;
  response_status_code: number | null;
  error: string | null;
  delivery_attempts: number;
  payload: Payload;
  created_at: string;
  last_attempted_at: string | null;
}

/** A contact number that answers and completes (no magic ending, see src/sim/outcomes.ts). */
const answering = (i: number) => `+91987654${1000 + i}`;
const BUSY = '+919800000001';
const NO_ANSWER = '+919800000002';
const VOICEMAIL = '+919800000003';
const FAILED = '+919800000004';
const SHORT = '+919800000005';

/** `executed_at`'s local wall clock, and the zone's real offset at that instant. */
function localParts(executedAt: string, timezone: string) {
  const match = /^(\d{4})-(\d\d)-(\d\d)T(\d\d:\d\d):\d\d\.\d{3}([+-]\d\d:\d\d)$/.exec(executedAt);
  if (!match) throw new Error(`executed_at ${executedAt} is not ISO 8601 with milliseconds and an offset`);
  const [, year, month, day, clock, offset] = match as unknown as [string, string, string, string, string, string];
  const zoneOffset = new Intl.DateTimeFormat('en-US', { timeZone: timezone, timeZoneName: 'longOffset' })
    .formatToParts(Date.parse(executedAt))
    .find((part) => part.type === 'timeZoneName')
    ?.value.replace('GMT', '');
  const weekday = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day))).getUTCDay();
  return { date: `${year}-${month}-${day}`, weekday, clock, offset, zoneOffset: zoneOffset === '' ? '+00:00' : zoneOffset };
}

describe('Sarvam campaigns in the dialer simulation', () => {
  const { mock, as } = testMock({ speed: 0, auth: apiKeyHeaderAuth });
  const call = as(KEY);
  afterAll(() => mock.close());

  /** Where the campaigns' webhooks go; `failNext` makes it answer 500. */
  let receiver: WebhookReceiver;
  let hookUrl = '';
  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    hookUrl = `${receiver.url}/hooks/sarvam`;
  });
  afterAll(() => receiver.close());
  beforeEach(async () => {
    await mock.app.request('/__admin/reset', { method: 'POST' });
    receiver.clear();
  });

  /** Moves the sandbox clock; answers once everything due has happened and its webhooks are out. */
  const advance = async (seconds: number): Promise<number> => {
    const res = await mock.app.request(`/__admin/clock/advance?key=${KEY}`, { method: 'POST', body: JSON.stringify({ seconds }) });
    expect(res.status).toBe(200);
    return Date.parse(((await res.json()) as { now: string }).now);
  };
  /** Moves the clock to the next time Asia/Kolkata reads `hhmm`, so a test starts at a known hour. */
  const advanceToIst = async (hhmm: string): Promise<number> => {
    const now = await advance(0);
    const target = (Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3))) * MINUTE;
    return advance((((target - ((now + IST_OFFSET) % DAY)) % DAY) + DAY) % DAY / 1000);
  };
  const iso = (ms: number) => new Date(ms).toISOString();

  const createCampaign = async (now: number, overrides: { app?: Record<string, unknown>; [field: string]: unknown } = {}) => {
    const { app, ...fields } = overrides;
    const res = await call('POST', `${BASE}/campaigns`, {
      body: {
        name: 'Dialer',
        app_config: {
          app_id: 'payment-reminder-agent',
          app_type: 'agent',
          app_version: 3,
          connection_configs: [{ connection_id: 'conn-exotel-001', phone_numbers: ['+918045678901'], weight: 1 }],
          webhook_config: { url: hookUrl, metadata: { team: 'collections' } },
          ...app,
        },
        start_timestamp: iso(now - MINUTE),
        end_timestamp: iso(now + 30 * DAY),
        allowed_schedule: { allowed_start_time: '00:00', allowed_end_time: '23:59', allowed_days: EVERY_DAY, timezone: 'Asia/Kolkata' },
        ...fields,
      },
    });
    expect(res.status, res.text).toBe(200);
    return res.body as { campaign_id: string; status: string };
  };
  const stream = async (campaignId: string, users: Array<string | Record<string, unknown>>, name = 'Cohort') => {
    const body = { name, users: users.map((user) => (typeof user === 'string' ? { user_phone_number: user } : user)) };
    const res = await call('POST', `${BASE}/campaigns/${campaignId}/cohorts/stream`, { body });
    return res;
  };
  const status = async (campaignId: string) => (await call('GET', `${BASE}/campaigns/${campaignId}`)).body as { status: string; updated_at: string };
  const act = (campaignId: string, action: string) => call('PUT', `${BASE}/campaigns/${campaignId}/status`, { body: { action } });
  /**
   * Every delivery of a campaign, in the order the calls started. (Listed newest first by when
   * the webhook went out, which is when the call ended.)
   */
  const deliveries = async (campaignId: string): Promise<Delivery[]> => {
    const res = await call('GET', `${BASE}/campaigns/${campaignId}/webhooks?limit=250`);
    expect(res.status).toBe(200);
    return (res.body.items as Delivery[]).sort((a, b) => Date.parse(a.payload.executed_at) - Date.parse(b.payload.executed_at));
  };
  const executedAt = (list: Delivery[]) => list.map((d) => Date.parse(d.payload.executed_at));
  const gaps = (times: number[]) => times.slice(1).map((time, i) => time - (times[i] as number));

  it('runs a campaign from scheduled to ended: dials at start_timestamp, keeps going while cohorts join, ends at end_timestamp', async () => {
    const now = await advanceToIst('10:00');
    const start = now + HOUR;
    const end = now + DAY;
    const { campaign_id: id, status: created } = await createCampaign(now, { start_timestamp: iso(start), end_timestamp: iso(end) });
    expect(created).toBe('scheduled');
    expect((await stream(id, [answering(1), answering(2), answering(3)])).status).toBe(200);

    await advance(30 * 60);
    expect((await status(id)).status).toBe('scheduled');
    expect(await deliveries(id)).toEqual([]);

    await advance(31 * 60);
    expect(await status(id)).toMatchObject({ status: 'active', updated_at: iso(start) });
    // A webhook goes out when its call ends: answered calls last up to four minutes.
    await advance(600);
    const first = await deliveries(id);
    expect(first.map((d) => d.payload.user_phone_number)).toEqual([answering(1), answering(2), answering(3)]);
    // The first call at start_timestamp, then one every 1/2 s: attempts_per_second defaults to 2 (Sarvam's "Dialing rate" page).
    expect(executedAt(first)).toEqual([start, start + 500, start + 1000]);
    expect(first[0]?.payload.executed_at).toMatch(/^\d{4}-\d\d-\d\dT11:00:00\.000\+05:30$/);

    // Every user is dialed, and the campaign still runs until end_timestamp: a new cohort is dialed too.
    await advance(19 * 3600);
    expect((await status(id)).status).toBe('active');
    expect((await stream(id, [answering(4)], 'Late joiners')).status).toBe(200);
    await advance(600);
    expect((await deliveries(id)).map((d) => d.payload.user_phone_number)).toEqual([answering(1), answering(2), answering(3), answering(4)]);

    await advance(4 * 3600);
    expect(await status(id)).toMatchObject({ status: 'ended', updated_at: iso(end) });
    const ended = await call('GET', `${BASE}/campaigns?campaign_status=ended`);
    expect(ended.body.items.map((c: { campaign_id: string }) => c.campaign_id)).toEqual([id]);
    expect((await stream(id, [answering(5)])).status).toBe(409);
    expect(receiver.received).toHaveLength(4);
  });

  it('ends at end_timestamp with users left undialed, and dials nothing after', async () => {
    const now = await advanceToIst('09:00');
    const end = now + DAY - 30 * MINUTE;
    const { campaign_id: id } = await createCampaign(now, {
      end_timestamp: iso(end),
      app: { attempts_per_second: 0.1 },
      // One minute a day: at one attempt per 10 s, six calls fit.
      allowed_schedule: { allowed_start_time: '10:00', allowed_end_time: '10:01', allowed_days: EVERY_DAY, timezone: 'Asia/Kolkata' },
    });
    await stream(id, Array.from({ length: 10 }, (_, i) => answering(i)));
    await advance(DAY / 1000);
    expect(await status(id)).toMatchObject({ status: 'ended', updated_at: iso(end) });
    const list = await deliveries(id);
    expect(list.map((d) => d.payload.user_phone_number)).toEqual(Array.from({ length: 6 }, (_, i) => answering(i)));
    expect(list.map((d) => localParts(d.payload.executed_at, 'Asia/Kolkata').clock)).toEqual(['10:00', '10:00', '10:00', '10:00', '10:00', '10:00']);
    await advance((3 * DAY) / 1000);
    expect(await deliveries(id)).toHaveLength(6);
  });

  it('retries exactly the connected calls shorter than short_duration.threshold_seconds', async () => {
    const now = await advanceToIst('10:00');
    // Short calls talk 3-9 s: a 6-second threshold retries some of them and not others.
    const { campaign_id: id } = await createCampaign(now, {
      app: { retry_config: { max_retries: 1, retry_interval_minutes: 10, retry_on: { short_duration: { enabled: true, threshold_seconds: 6 } } } },
    });
    const shorts = Array.from({ length: 12 }, (_, i) => `+9198765${String(10 + i)}0005`);
    await stream(id, shorts);
    await advance(3600);
    const firsts = (await deliveries(id)).filter((d) => d.payload.retry_attempt === 0).map((d) => d.payload);
    expect(firsts).toHaveLength(12);
    const retried = firsts.filter((p) => p.next_action_status === 'short_duration_retry');
    expect(retried.length).toBeGreaterThan(0);
    expect(retried.length).toBeLessThan(12);
    for (const first of firsts) expect(first.next_action_status === 'short_duration_retry').toBe((first.duration as number) < 6);
  });

  it('retries failed, provider_error and internal_error per retry_on, the errors by their own max_retries and interval', async () => {
    const now = await advanceToIst('10:00');
    const PROVIDER_ERROR = '+919800000006';
    const INTERNAL_ERROR = '+919800000007';
    const { campaign_id: id } = await createCampaign(now, {
      app: {
        retry_config: {
          max_retries: 2,
          // The first retry after 5 minutes, every later one after 15.
          retry_interval_minutes: [5, 15],
          retry_on: {
            failed: { enabled: true },
            provider_error: { enabled: true, max_retries: 3, retry_interval_minutes: 6 },
            internal_error: { enabled: true, max_retries: 1, retry_interval_minutes: 20 },
          },
        },
      },
    });
    await stream(id, [FAILED, PROVIDER_ERROR, INTERNAL_ERROR, BUSY]);
    await advance(6 * 3600);
    const list = await deliveries(id);
    const of = (phone: string) => list.filter((d) => d.payload.user_phone_number === phone).map((d) => d.payload);
    const summary = (payloads: Payload[]) => payloads.map((p) => [p.retry_attempt, p.connectivity_status, p.next_action_status]);
    expect(summary(of(FAILED))).toEqual([[0, 'failed', 'retry'], [1, 'failed', 'retry'], [2, 'failed', null]]);
    expect(summary(of(PROVIDER_ERROR))).toEqual([
      [0, 'failed', 'provider_error_retry'],
      [1, 'failed', 'provider_error_retry'],
      [2, 'failed', 'provider_error_retry'],
      [3, 'failed', null],
    ]);
    expect(summary(of(INTERNAL_ERROR))).toEqual([[0, 'failed', 'internal_error_retry'], [1, 'failed', null]]);
    expect(of(PROVIDER_ERROR)[0]?.failure_reason).toBe('The telephony provider returned an error');
    // retry_on without busy: a busy line is not retried.
    expect(summary(of(BUSY))).toEqual([[0, 'busy', null]]);
    // Each failed call holds the line for a second; the retries wait their intervals after it.
    const minutes = (phone: string) => gaps(of(phone).map((p) => Date.parse(p.executed_at))).map((gap) => Math.round((gap - 1000) / MINUTE));
    expect(minutes(FAILED)).toEqual([5, 15]);
    expect(minutes(PROVIDER_ERROR)).toEqual([6, 6, 6]);
    expect(minutes(INTERNAL_ERROR)).toEqual([20]);
  });

  it('retries busy, no_answer and short_duration per retry_on, each after retry_interval_minutes', async () => {
    const now = await advanceToIst('10:00');
    const retryConfig = (retryOn: Record<string, unknown>) => ({ max_retries: 2, retry_interval_minutes: 10, retry_on: retryOn });
    const all = await createCampaign(now, {
      app: { retry_config: retryConfig({ busy: { enabled: true }, no_answer: { enabled: true }, short_duration: { enabled: true, threshold_seconds: 10 } }) },
    });
    const some = await createCampaign(now, { app: { retry_config: retryConfig({ busy: { enabled: false }, no_answer: { enabled: true } }) } });
    const phones = [BUSY, NO_ANSWER, SHORT, VOICEMAIL, FAILED, answering(1)];
    await stream(all.campaign_id, phones);
    await stream(some.campaign_id, phones);
    await advance(6 * 3600);

    const byPhone = (list: Delivery[]) => Object.fromEntries(phones.map((phone) => [phone, list.filter((d) => d.payload.user_phone_number === phone).map((d) => d.payload)]));
    const attempts = byPhone(await deliveries(all.campaign_id));
    const summary = (payloads: Payload[]) => payloads.map((p) => [p.retry_attempt, p.connectivity_status, p.completion_status, p.next_action_status]);
    expect(summary(attempts[BUSY] as Payload[])).toEqual([
      [0, 'busy', 'failed', 'retry'],
      [1, 'busy', 'failed', 'retry'],
      [2, 'busy', 'failed', null],
    ]);
    expect(summary(attempts[NO_ANSWER] as Payload[])).toEqual([
      [0, 'no_answer', 'failed', 'retry'],
      [1, 'no_answer', 'failed', 'retry'],
      [2, 'no_answer', 'failed', null],
    ]);
    // Answered, then hung up within 3-9 seconds: under the 10-second threshold.
    expect(summary(attempts[SHORT] as Payload[])).toEqual([
      [0, 'connected', 'partial', 'short_duration_retry'],
      [1, 'connected', 'partial', 'short_duration_retry'],
      [2, 'connected', 'partial', null],
    ]);
    expect((attempts[SHORT] as Payload[]).every((p) => (p.duration as number) < 10 && p.failure_reason === `The call ended after ${p.duration} seconds`)).toBe(true);
    // Voicemail talks 20-39 seconds, over the threshold; retry_on.failed is not enabled here.
    expect(summary(attempts[VOICEMAIL] as Payload[])).toEqual([[0, 'connected', 'partial', null]]);
    expect(summary(attempts[FAILED] as Payload[])).toEqual([[0, 'failed', 'failed', null]]);
    expect(summary(attempts[answering(1)] as Payload[])).toEqual([[0, 'connected', 'completed', null]]);

    // Each retry starts 10 minutes after the attempt before it ended (busy rings 3-7 s, no answer 30 s).
    for (const [phone, ring] of [[BUSY, 7_000], [NO_ANSWER, 30_000], [SHORT, 17_000]] as const) {
      for (const gap of gaps((attempts[phone] as Payload[]).map((p) => Date.parse(p.executed_at)))) {
        expect(gap).toBeGreaterThanOrEqual(10 * MINUTE);
        expect(gap).toBeLessThanOrEqual(10 * MINUTE + ring);
      }
    }

    // The same users where only no_answer is retried.
    const fewer = byPhone(await deliveries(some.campaign_id));
    expect(Object.fromEntries(phones.map((phone) => [phone, (fewer[phone] as Payload[]).length]))).toEqual({
      [BUSY]: 1,
      [NO_ANSWER]: 3,
      [SHORT]: 1,
      [VOICEMAIL]: 1,
      [FAILED]: 1,
      [answering(1)]: 1,
    });
    expect((fewer[BUSY] as Payload[])[0]?.next_action_status).toBeNull();
  });

  it('dials only inside allowed_schedule, read in its time zone, across the date line of UTC', async () => {
    const now = await advance(0);
    const timezone = 'America/Los_Angeles';
    const { campaign_id: id } = await createCampaign(now, {
      end_timestamp: iso(now + 15 * DAY),
      app: { attempts_per_second: 0.1 },
      // Two minutes on two evenings a week: at most twelve calls each, so twenty users take two evenings or more.
      allowed_schedule: { allowed_start_time: '22:58', allowed_end_time: '23:00', allowed_days: ['Tuesday', 'Thursday'], timezone },
    });
    await stream(id, Array.from({ length: 20 }, (_, i) => answering(i)));
    await advance((15 * DAY) / 1000);

    const list = await deliveries(id);
    expect(list).toHaveLength(20);
    const local = list.map((d) => localParts(d.payload.executed_at, timezone));
    for (const [i, parts] of local.entries()) {
      expect(parts.offset, list[i]?.payload.executed_at).toBe(parts.zoneOffset);
      expect(['22:58', '22:59']).toContain(parts.clock);
      expect([2, 4]).toContain(parts.weekday);
    }
    // In UTC these calls fall on the next day: Wednesday or Friday morning.
    expect(list.every((d) => [3, 5].includes(new Date(d.payload.executed_at).getUTCDay()))).toBe(true);
    // The window closed with users left, and dialing went on at the next allowed evening.
    expect(new Set(local.map((parts) => parts.date)).size).toBeGreaterThanOrEqual(2);
    expect(gaps(executedAt(list)).every((gap) => gap >= 10_000)).toBe(true);
  });

  it('starts at most attempts_per_second calls a second', async () => {
    const now = await advanceToIst('10:00');
    const fast = await createCampaign(now, { app: { attempts_per_second: 4 } });
    const slow = await createCampaign(now, { app: { attempts_per_second: 0.5 } });
    const users = Array.from({ length: 6 }, (_, i) => answering(i));
    await stream(fast.campaign_id, users);
    await stream(slow.campaign_id, users);
    await advance(3600);
    expect(gaps(executedAt(await deliveries(fast.campaign_id)))).toEqual([250, 250, 250, 250, 250]);
    expect(gaps(executedAt(await deliveries(slow.campaign_id)))).toEqual([2000, 2000, 2000, 2000, 2000]);
  });

  it('pauses (a call in progress ends, no new one starts), resumes, and cancels for good', async () => {
    const now = await advanceToIst('10:00');
    const { campaign_id: id } = await createCampaign(now, { app: { attempts_per_second: 0.1 } });
    await stream(id, [answering(1), answering(2), answering(3)]);
    // The first call starts as the clock reaches the pause; the next would be 10 s later.
    expect((await act(id, 'pause')).body.status).toBe('paused');
    await advance(3600);
    expect((await deliveries(id)).map((d) => d.payload.user_phone_number)).toEqual([answering(1)]);
    expect((await status(id)).status).toBe('paused');

    expect((await act(id, 'resume')).body.status).toBe('active');
    await advance(5);
    expect((await act(id, 'cancel')).body.status).toBe('cancelled');
    await advance(3600);
    const list = await deliveries(id);
    expect(list.map((d) => d.payload.user_phone_number)).toEqual([answering(1), answering(2)]);
    expect(Date.parse(list[1]?.payload.executed_at as string)).toBe(now + 3600_000);
    await advance(DAY / 1000);
    expect(await deliveries(id)).toHaveLength(2);
    expect((await status(id)).status).toBe('cancelled');
  });

  describe('webhooks', () => {
    it('POSTs the webhook payload page\'s payload for every attempt to app_config.webhook_config.url, and lists it as a delivery', async () => {
      const now = await advanceToIst('10:00');
      const { campaign_id: id } = await createCampaign(now);
      const cohort = (
        await stream(id, [
          { user_phone_number: '98765 43210', user_identifier: 'cust-1042', app_variables: { customer_name: 'Asha', due_amount: '4500' } },
          { user_phone_number: BUSY },
        ])
      ).body as { cohort_id: string };
      await advance(3600);

      expect(receiver.received.map((hook) => [hook.path, hook.headers['content-type']])).toEqual([
        ['/hooks/sarvam', 'application/json'],
        ['/hooks/sarvam', 'application/json'],
      ]);
      const [busy, connected] = receiver.received.map((hook) => JSON.parse(hook.body) as Payload).sort((a, b) => (a.connectivity_status < b.connectivity_status ? -1 : 1));
      expect(Object.keys(connected as Payload)).toEqual(PAYLOAD_FIELDS);
      expect(connected).toEqual({
        app_id: 'payment-reminder-agent',
        app_version: 3,
        attempt_id: expect.stringMatching(UUID_V7),
        campaign_id: id,
        cohort_id: cohort.cohort_id,
        completion_status: 'completed',
        connectivity_status: 'connected',
        next_action_status: null,
        failure_reason: null,
        user_identifier: 'cust-1042',
        user_phone_number: '+919876543210',
        agent_phone_number: '+918045678901',
        duration: expect.any(Number),
        interaction_id: expect.stringMatching(/^\d{8}\/[a-z0-9]{8}-10:00:00-[0-9a-f]{8}$/),
        retry_attempt: 0,
        executed_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT10:00:00\.000\+05:30$/),
        initial_agent_variables: { customer_name: 'Asha', due_amount: '4500' },
        final_agent_variables: { customer_name: 'Asha', due_amount: '4500' },
        metadata: { team: 'collections' },
        interaction_transcript: expect.arrayContaining([{ role: 'agent', en_text: expect.stringContaining('Asha') }]),
      });
      const { attempt_id: attemptId, duration, executed_at: executed } = connected as Payload;
      // UUID v7: the first 48 bits are the attempt's time.
      expect(parseInt(attemptId.replace('-', '').slice(0, 12), 16)).toBe(Date.parse(executed));
      expect(duration).toBeGreaterThanOrEqual(45);
      expect((connected as Payload).interaction_transcript.every((line) => Object.keys(line).join() === 'role,en_text')).toBe(true);
      expect(busy).toMatchObject({
        connectivity_status: 'busy',
        completion_status: 'failed',
        failure_reason: 'The line was busy',
        user_identifier: null,
        duration: null,
        interaction_id: null,
        interaction_transcript: [],
        metadata: { team: 'collections' },
      });

      // Listed newest first with Sarvam's "List webhook deliveries" page's cursors, each as sent and with how its sending went.
      const page = await call('GET', `${BASE}/campaigns/${id}/webhooks?limit=1`);
      const next = await call('GET', `${BASE}/campaigns/${id}/webhooks?limit=1&after=${page.body.cursors.after}`);
      expect(next.body.cursors.after).toBeNull();
      const listed = [...page.body.items, ...next.body.items] as Delivery[];
      expect(listed.map((d) => d.payload).sort((a, b) => (a.connectivity_status < b.connectivity_status ? -1 : 1))).toEqual([busy, connected]);
      for (const delivery of listed) {
        const ended = Date.parse(delivery.payload.executed_at) + (delivery.payload.duration === null ? 0 : 1000 * (delivery.payload.duration + 8));
        expect(delivery).toMatchObject({ url: hookUrl, status: 'delivered', response_status_code: 200, error: null, delivery_attempts: 1, last_attempted_at: delivery.created_at });
        if (delivery.payload.duration !== null) expect(delivery.created_at).toBe(iso(ended));
      }
    });

    it('uses the top-level webhook_config when app_config has none', async () => {
      const now = await advanceToIst('10:00');
      const { campaign_id: id } = await createCampaign(now, { app: { webhook_config: null }, webhook_config: { url: `${hookUrl}/top`, metadata: { source: 'top-level' } } });
      await stream(id, [answering(1)]);
      await advance(3600);
      expect(receiver.received.map((hook) => [hook.path, (JSON.parse(hook.body) as Payload).metadata])).toEqual([['/hooks/sarvam/top', { source: 'top-level' }]]);
    });

    it('sends nothing for a campaign without a webhook_config', async () => {
      const now = await advanceToIst('10:00');
      const { campaign_id: id } = await createCampaign(now, { app: { webhook_config: null } });
      await stream(id, [answering(1)]);
      await advance(3600);
      expect(receiver.received).toEqual([]);
      expect(await deliveries(id)).toEqual([]);
    });

    it('marks a delivery failed when the receiver answers 500, and sends it again on retry', async () => {
      const now = await advanceToIst('10:00');
      const { campaign_id: id } = await createCampaign(now);
      await stream(id, [answering(1)]);
      // One try per delivery: re-sending a failed one is the retry endpoint's job (Sarvam's "Retry webhook deliveries" page).
      receiver.failNext(1);
      await advance(3600);
      const [failed] = await deliveries(id);
      expect(failed).toMatchObject({ status: 'failed', response_status_code: 500, error: 'the receiver answered 500', delivery_attempts: 1 });
      expect(receiver.received).toHaveLength(1);

      const retriedAt = await advance(60);
      const res = await call('POST', `${BASE}/campaigns/${id}/webhooks/retry`, { body: { attempt_ids: [failed?.attempt_id] } });
      expect([res.status, res.body]).toEqual([202, {}]);
      await advance(0);
      const [delivered] = await deliveries(id);
      expect(delivered).toMatchObject({ status: 'delivered', response_status_code: 200, error: null, delivery_attempts: 2, last_attempted_at: iso(retriedAt) });
      expect(receiver.received).toHaveLength(2);
      expect(new Set(receiver.received.map((hook) => hook.body)).size).toBe(1);
      expect(JSON.parse(receiver.received[1]?.body as string)).toEqual(failed?.payload);
    });

    it('refuses a host that was not allowed, says why, and records the delivery as failed', async () => {
      const now = await advanceToIst('10:00');
      const url = 'https://hooks.example.com/sarvam';
      const { campaign_id: id } = await createCampaign(now, { app: { webhook_config: { url } } });
      await stream(id, [answering(1)]);
      await advance(3600);
      const why = 'campaign-mock: webhooks may not go to https://hooks.example.com/sarvam; start the mock with --webhook-allow hooks.example.com to allow that host';
      const listed = (await (await mock.app.request(`/__admin/webhooks?key=${KEY}`)).json()) as { webhooks: Array<{ vendor: string; url: string; status: string; error: string }> };
      expect(listed.webhooks).toEqual([expect.objectContaining({ vendor: 'sarvam', url, status: 'refused', error: why })]);
      expect(await deliveries(id)).toEqual([expect.objectContaining({ url, status: 'failed', response_status_code: null, error: why, delivery_attempts: 1 })]);
      expect(receiver.received).toEqual([]);
    });
  });
});
