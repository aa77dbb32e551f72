import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { fixtureTime } from '../../../src/fixtures/fixture-time.js';
import { callTiming, outcomeOf } from '../../../src/sim/outcomes.js';
import { loadAsissoFixture } from '../../../src/vendors/asisso/fixtures.js';
import { pydanticTime, pythonIsoformat } from '../../../src/vendors/asisso/present.js';
import { apiKeyHeaderAuth } from '../../helpers/caller.js';
import { testMock } from '../../helpers/mock.js';

const KEY = 'as_test_dialer';

type Run = {
  id: number;
  created_at: string;
  is_completed: boolean;
  usage_info: { call_duration_seconds: number | null };
  initial_context: Record<string, string>;
  gathered_context: { call_tags: string[]; mapped_call_disposition: string | null };
};

/** When a run's call ended: its start plus the simulation's deterministic time on the line. */
const endOf = (run: Run, attempt = 1) => {
  const phone = run.initial_context.phone_number as string;
  return Date.parse(run.created_at) + callTiming(phone, attempt, outcomeOf(phone)).holdSeconds * 1000;
};

/**
 * Asisso campaigns running in simulated time (frozen clock: only clock/advance moves it): started
 * from an uploaded CSV, dialed within max_concurrency, the dial rate and the calling window,
 * retried per retry_config, paused by the circuit breaker, completed and redialed, with runs,
 * counters and progress to show for it.
 */
describe('Asisso campaigns in the dialer simulation', () => {
  const { mock, as } = testMock({ speed: 0, auth: apiKeyHeaderAuth });
  const call = as(KEY);
  afterAll(() => mock.close());
  beforeEach(async () => {
    await mock.app.request('/__admin/reset', { method: 'POST' });
  });

  const advance = async (seconds: number) => {
    const res = await mock.app.request(`/__admin/clock/advance?key=${KEY}`, { method: 'POST', body: JSON.stringify({ seconds }) });
    return Date.parse(((await res.json()) as { now: string }).now);
  };
  const ok = async (method: string, path: string, body?: unknown) => {
    const res = await call(method, `/api/v1${path}`, body === undefined ? {} : { body });
    expect(res.status, res.text).toBe(200);
    return res.body;
  };
  const upload = async (phones: string[]) => {
    const csv = `phone_number,customer_name\n${phones.map((phone, i) => `${phone},Contact ${i + 1}`).join('\n')}\n`;
    const { upload_url, file_key } = await ok('POST', '/s3/presigned-upload-url', { file_name: 'contacts.csv', file_size: csv.length });
    const url = new URL(upload_url as string);
    const put = await as(null)('PUT', `${url.pathname}${url.search}`, { body: csv, headers: { 'content-type': 'text/csv' } });
    expect(put.status, put.text).toBe(200);
    return file_key as string;
  };
  /** A started campaign calling `phones`, with these settings. */
  const startCampaign = async (phones: string[], settings: Record<string, unknown> = {}) => {
    const created = await ok('POST', '/campaign/create', { name: 'Sim', workflow_id: 42, source_type: 'csv', source_id: await upload(phones), ...settings });
    return (await ok('POST', `/campaign/${created.id as number}/start`)) as { id: number; started_at: string; [field: string]: unknown };
  };
  const campaign = (id: number) => ok('GET', `/campaign/${id}`);
  /** Every run, oldest first. */
  const runsOf = async (id: number): Promise<Run[]> => (await ok('GET', `/campaign/${id}/runs?limit=100&sort_order=asc`)).runs;
  const inProgress = async (id: number): Promise<number> =>
    (await ok('GET', `/campaign/${id}/runs?filters=${encodeURIComponent('[{"attribute":"status","type":"radio","value":{"status":"in_progress"}}]')}`)).total_count;
  const byPhone = (runs: Run[], phone: string) => runs.filter((run) => run.initial_context.phone_number === phone);

  it('runs a campaign from upload and start to completed, with its runs, counters and progress', async () => {
    const [answers, busy, voicemail, fails] = ['+14155551000', '+14155550001', '+14155550003', '+14155550004'] as const;
    // Dograh's default retries: one, after 120 s, for busy and unanswered calls only.
    const started = await startCampaign([answers, busy, voicemail, fails]);
    expect(started).toMatchObject({ state: 'running', total_rows: 4, total_queued_count: 4, executed_count: 0, processed_rows: 0 });
    const t0 = Date.parse(started.started_at);

    await advance(0);
    expect(await inProgress(started.id)).toBe(1);
    expect(await campaign(started.id)).toMatchObject({ state: 'running', processed_rows: 1, executed_count: 1 });
    expect(await ok('GET', `/campaign/${started.id}/progress`)).toMatchObject({ processed_rows: 1, progress_percentage: 25, failed_calls: 0 });

    await advance(3600);
    const runs = await runsOf(started.id);
    // One call a second (the dial rate, rate_limit 1), then the busy contact's retry.
    expect(runs.map((run) => [run.initial_context.phone_number, Date.parse(run.created_at) - t0])).toEqual([
      [answers, 0],
      [busy, 1000],
      [voicemail, 2000],
      [fails, 3000],
      [busy, endOf(runs[1] as Run) - t0 + 120_000],
    ]);
    expect(runs.map((run) => [run.gathered_context.mapped_call_disposition, run.gathered_context.call_tags])).toEqual([
      ['user_qualified', ['user_qualified', 'user_speech']],
      ['busy', ['not_connected', 'telephony_busy']],
      ['voicemail_detected', ['voicemail_detected']],
      ['failed', ['not_connected', 'telephony_failed']],
      ['busy', ['retry', 'retry_reason_busy', 'not_connected', 'telephony_busy']],
    ]);
    expect(runs.every((run) => run.is_completed)).toBe(true);
    expect(runs.map((run) => run.usage_info.call_duration_seconds)).toEqual([
      callTiming(answers, 1, 'completed').talkSeconds,
      0,
      callTiming(voicemail, 1, 'voicemail').talkSeconds,
      0,
      0,
    ]);
    expect(runs[0]?.initial_context).toEqual({ phone_number: answers, customer_name: 'Contact 1' });

    const completedAt = Math.max(...runs.map((run, index) => endOf(run, index === 4 ? 2 : 1)));
    expect(await campaign(started.id)).toMatchObject({
      state: 'completed',
      completed_at: pydanticTime(new Date(completedAt).toISOString()),
      total_rows: 4,
      processed_rows: 4,
      // The busy contact spent its retry; a failed call is not retried, so it is not counted (Dograh's campaign runner).
      failed_rows: 1,
      executed_count: 4,
      total_queued_count: 4,
      logs: [],
    });
    expect(await ok('GET', `/campaign/${started.id}/progress`)).toMatchObject({
      state: 'completed',
      total_rows: 4,
      processed_rows: 4,
      failed_calls: 3,
      progress_percentage: 100,
      completed_at: pydanticTime(new Date(completedAt).toISOString()),
    });
  });

  it('retries the endings retry_config selects, after retry_delay_seconds, and none when retries are disabled', async () => {
    const phones = ['+14155550001', '+14155550002', '+14155550003', '+14155550004', '+14155550005'];
    const [busy, unanswered, voicemail, fails, short] = phones as [string, string, string, string, string];
    const selective = await startCampaign(phones, {
      retry_config: { enabled: true, max_retries: 2, retry_delay_seconds: 300, retry_on_busy: false, retry_on_no_answer: true, retry_on_voicemail: true },
    });
    const disabled = await startCampaign(phones, { retry_config: { enabled: false, max_retries: 5, retry_delay_seconds: 30 } });
    await advance(4 * 3600);

    const runs = await runsOf(selective.id);
    expect(phones.map((phone) => byPhone(runs, phone).length)).toEqual([1, 3, 3, 1, 1]);
    for (const [phone, attempts] of [[unanswered, byPhone(runs, unanswered)], [voicemail, byPhone(runs, voicemail)]] as const) {
      attempts.slice(1).forEach((retry, index) => {
        expect(Date.parse(retry.created_at), `${phone} attempt ${index + 2}`).toBe(endOf(attempts[index] as Run, index + 1) + 300_000);
      });
    }
    expect(byPhone(runs, unanswered).map((run) => run.gathered_context.call_tags)).toEqual([
      ['not_connected', 'telephony_no-answer'],
      ['retry', 'retry_reason_no_answer', 'not_connected', 'telephony_no-answer'],
      ['retry', 'retry_reason_no_answer', 'not_connected', 'telephony_no-answer'],
    ]);
    expect(byPhone(runs, voicemail)[2]?.gathered_context.call_tags).toEqual(['retry', 'retry_reason_voicemail', 'voicemail_detected']);
    expect(byPhone(runs, short)[0]?.gathered_context).toEqual({ call_tags: ['user_hangup', 'user_speech'], mapped_call_disposition: 'user_hangup' });
    expect(byPhone(runs, busy)[0]?.gathered_context.mapped_call_disposition).toBe('busy');
    expect(byPhone(runs, fails)).toHaveLength(1);
    // The unanswered and voicemail contacts spent their retries; busy is not retried here, so not counted.
    expect(await campaign(selective.id)).toMatchObject({ state: 'completed', processed_rows: 5, failed_rows: 2 });

    const once = await runsOf(disabled.id);
    expect(phones.map((phone) => byPhone(once, phone).length)).toEqual([1, 1, 1, 1, 1]);
    expect(once.some((run) => run.gathered_context.call_tags.includes('retry'))).toBe(false);
    expect(await campaign(disabled.id)).toMatchObject({ state: 'completed', processed_rows: 5, failed_rows: 0 });
  });

  it('never has more calls under way than max_concurrency, and reaches it', async () => {
    const phones = Array.from({ length: 6 }, (_, i) => `+1415555100${i}`);
    const { id } = await startCampaign(phones, { max_concurrency: 2 });
    // Calls start and end on whole seconds from the start (the dial rate, the call timings), so
    // a look after every second sees every state the campaign passes through.
    let most = 0;
    for (let second = 0; second < 3600 && (await campaign(id)).state === 'running'; second++) {
      const underWay = await inProgress(id);
      expect(underWay, `at ${second} s`).toBeLessThanOrEqual(2);
      most = Math.max(most, underWay);
      await advance(1);
    }
    expect(most).toBe(2);
    expect(await campaign(id)).toMatchObject({ state: 'completed', processed_rows: 6 });
    expect(await runsOf(id)).toHaveLength(6);
  });

  it('pauses with calls under way finishing, and dials by the settings changed while paused once resumed', async () => {
    const phones = ['+14155551000', '+14155551001', '+14155551002', '+14155551003'];
    const { id } = await startCampaign(phones, { max_concurrency: 1 });
    await advance(1);
    expect(await ok('POST', `/campaign/${id}/pause`)).toMatchObject({ state: 'paused', processed_rows: 1 });
    await advance(3600);
    expect(await runsOf(id)).toHaveLength(1);
    expect(await inProgress(id)).toBe(0);
    expect(await campaign(id)).toMatchObject({ state: 'paused', processed_rows: 1 });

    expect(await ok('PATCH', `/campaign/${id}`, { max_concurrency: 3 })).toMatchObject({ state: 'paused', max_concurrency: 3 });
    await ok('POST', `/campaign/${id}/resume`);
    await advance(2);
    expect(await inProgress(id)).toBe(3);
    await advance(3600);
    expect(await campaign(id)).toMatchObject({ state: 'completed', processed_rows: 4 });
  });

  it('dials only inside the calling window, read in its own time zone across the UTC day boundary', async () => {
    // Asia/Tokyo is UTC+9: Monday 08:00 there is Sunday 23:00 UTC.
    const tokyo = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    const local = (iso: string) => tokyo.format(new Date(iso));
    const now = await advance(0);
    const sunday = new Date(now);
    sunday.setUTCHours(22, 0, 0, 0);
    while (sunday.getUTCDay() !== 0 || sunday.getTime() <= now) sunday.setUTCDate(sunday.getUTCDate() + 1);
    await advance((sunday.getTime() - now) / 1000);

    const phones = Array.from({ length: 10 }, (_, i) => `+8135555100${i}`);
    const schedule_config = {
      timezone: 'Asia/Tokyo',
      slots: [
        { day_of_week: 0, start_time: '08:00', end_time: '08:05' },
        { day_of_week: 1, start_time: '08:00', end_time: '08:05' },
      ],
    };
    const { id } = await startCampaign(phones, { max_concurrency: 1, schedule_config });
    await advance(3599);
    expect(await runsOf(id)).toEqual([]);
    await advance(1);
    const [first] = await runsOf(id);
    expect(first?.created_at).toBe(pydanticTime(new Date(sunday.getTime() + 3600_000).toISOString()));
    expect(local(first?.created_at as string)).toBe('Mon 08:00');

    // By Tuesday noon in Tokyo, calls went out in both slots and in no other minute.
    await advance(28 * 3600);
    const runs = await runsOf(id);
    const starts = runs.map((run) => local(run.created_at));
    expect(starts.every((start) => /^(Mon|Tue) 08:0[0-4]$/.test(start)), starts.join(', ')).toBe(true);
    expect(starts.some((start) => start.startsWith('Mon'))).toBe(true);
    expect(starts.some((start) => start.startsWith('Tue'))).toBe(true);
    // Monday's calls in Tokyo went out on Sunday by UTC.
    expect(runs.filter((run) => local(run.created_at).startsWith('Mon')).every((run) => new Date(run.created_at).getUTCDay() === 0)).toBe(true);
    expect(runs.length).toBeLessThan(phones.length);
    expect(await campaign(id)).toMatchObject({ state: 'running' });

    // The next week's slots call the rest.
    await advance(7 * 86_400);
    const all = await runsOf(id);
    expect(all).toHaveLength(phones.length);
    expect(all.map((run) => local(run.created_at)).every((start) => /^(Mon|Tue) 08:0[0-4]$/.test(start))).toBe(true);
    expect(await campaign(id)).toMatchObject({ state: 'completed', processed_rows: phones.length });
  });

  it('trips the circuit breaker on failed calls: paused with its log entry, and resumed it dials on', async () => {
    const failing = ['+14155550004', '+14155560004', '+14155570004', '+14155580004'];
    const answering = ['+14155551000', '+14155551001', '+14155551002'];
    const started = await startCampaign([...failing, ...answering], {
      circuit_breaker: { enabled: true, failure_threshold: 0.5, window_seconds: 120, min_calls_in_window: 4 },
    });
    const t0 = Date.parse(started.started_at);
    await advance(600);

    const tripped = await campaign(started.id);
    const runs = await runsOf(started.id);
    expect(runs.map((run) => run.gathered_context.mapped_call_disposition)).toEqual(['failed', 'failed', 'failed', 'failed']);
    // The fourth failure ends at 4 s (a call a second, each failing after 1 s): four calls, all failed.
    expect(tripped).toMatchObject({ state: 'paused', processed_rows: 4, failed_rows: 0, completed_at: null });
    expect(tripped.logs).toEqual([
      {
        ts: pythonIsoformat(new Date(t0 + 4000).toISOString()),
        level: 'warning',
        event: 'circuit_breaker_tripped',
        message: 'Paused: failure rate 100.00% (4/4) exceeded threshold 50.00% in 120s window',
        details: {
          failure_rate: 1,
          failure_count: 4,
          success_count: 0,
          threshold: 0.5,
          window_seconds: 120,
          recent_failures: [4, 3, 2, 1].map((runId) => ({ workflow_run_id: runId, reason: 'failed', ts: (t0 + runId * 1000) / 1000 })),
        },
      },
    ]);
    expect(await ok('GET', `/campaign/${started.id}/progress`)).toMatchObject({ state: 'paused', processed_rows: 4, failed_calls: 4 });

    // Dograh's campaign runner: resuming resets the breaker; the answering contacts are called and the campaign completes.
    expect(await ok('POST', `/campaign/${started.id}/resume`)).toMatchObject({ state: 'running' });
    await advance(3600);
    const done = await campaign(started.id);
    expect(done).toMatchObject({ state: 'completed', processed_rows: 7 });
    expect(done.logs).toHaveLength(1);
    expect(byPhone(await runsOf(started.id), answering[0] as string)[0]?.gathered_context.mapped_call_disposition).toBe('user_qualified');
  });

  it('redials a completed campaign, calling only the contacts its flags select', async () => {
    const [answers, busy, unanswered, voicemail, fails] = ['+14155551000', '+14155550001', '+14155550002', '+14155550003', '+14155550004'] as const;
    const parent = await startCampaign([answers, busy, unanswered, voicemail, fails], { retry_config: { enabled: false } });
    await advance(3600);
    expect(await campaign(parent.id)).toMatchObject({ state: 'completed', processed_rows: 5 });

    const child = await ok('POST', `/campaign/${parent.id}/redial`, { retry_on_busy: false });
    expect(child).toMatchObject({ state: 'draft', parent_campaign_id: parent.id, total_rows: 2, total_queued_count: 2, retry_config: { enabled: false } });
    expect(await campaign(parent.id)).toMatchObject({ redialed_campaign_id: child.id });
    await advance(3600);
    expect(await runsOf(child.id)).toEqual([]);

    expect(await ok('POST', `/campaign/${child.id}/start`)).toMatchObject({ state: 'running', total_rows: 2 });
    await advance(3600);
    const runs = await runsOf(child.id);
    expect(runs.map((run) => run.initial_context.phone_number).sort()).toEqual([unanswered, voicemail]);
    expect(await campaign(child.id)).toMatchObject({ state: 'completed', processed_rows: 2, executed_count: 2, failed_rows: 0 });
  });

  it("gives a fixture's contact due a retry only the retries it has left", async () => {
    const sandbox = mock.sandboxes.resolve(KEY);
    if (!sandbox) throw new Error('no sandbox');
    const source = 'campaigns/{organization_id}/0e6a3d92-5f7b-4c18-9e24-b8c1a7d5f063_retries.csv';
    loadAsissoFixture(
      mock.db,
      sandbox,
      {
        sources: [{ file_key: source, uploaded_at: '-1d', contacts: { '+14155550002': {}, '+14155551000': {} } }],
        campaigns: [
          {
            id: 1,
            name: 'Unanswered once',
            workflow_id: 42,
            state: 'running',
            source_id: source,
            retry_config: { max_retries: 1, retry_delay_seconds: 60 },
            created_at: '-1d',
            started_at: '-1h',
            calls: [{ phone_number: '+14155550002', call_status: 'no-answer', call_tags: ['not_connected', 'telephony_no-answer'], created_at: '-50m' }],
          },
        ],
      },
      (value) => fixtureTime(value, mock.clocks.now(sandbox)),
      mock,
    );
    await advance(3600);
    // Its one retry is due at once, and goes first; unanswered again, it has none left.
    const runs = await runsOf(1);
    expect(runs.map((run) => [run.initial_context.phone_number, run.gathered_context.call_tags])).toEqual([
      ['+14155550002', ['not_connected', 'telephony_no-answer']],
      ['+14155550002', ['retry', 'retry_reason_no_answer', 'not_connected', 'telephony_no-answer']],
      ['+14155551000', ['user_qualified', 'user_speech']],
    ]);
    expect(await campaign(1)).toMatchObject({ state: 'completed', processed_rows: 2, failed_rows: 1 });
  });

  it('carries on the running campaigns of the asisso/campaigns fixture once loaded, each in its calling window', async () => {
    // Wednesday 06:00 UTC: Renewals wave 2 may call (Kolkata, 11:30), its redial not yet (New York, 01:00 or 02:00).
    const now = await advance(0);
    const wednesday = new Date(now);
    wednesday.setUTCHours(6, 0, 0, 0);
    while (wednesday.getUTCDay() !== 3 || wednesday.getTime() <= now) wednesday.setUTCDate(wednesday.getUTCDate() + 1);
    await advance((wednesday.getTime() - now) / 1000);
    const loaded = await mock.app.request(`/__admin/fixtures?key=${KEY}`, { method: 'POST', body: JSON.stringify({ name: 'asisso/campaigns' }) });
    expect(loaded.status).toBe(200);

    await advance(3600);
    expect(await campaign(5)).toMatchObject({ state: 'completed', processed_rows: 6, executed_count: 6, failed_rows: 0 });
    expect((await runsOf(5)).map((run) => run.initial_context.customer_name)).toEqual(['Kavya Iyer', 'Rohan Mehta', 'Sara Thomas', 'Rohan Mehta', 'Vikram Singh', 'Neha Gupta', 'Arjun Das']);
    expect(await campaign(4)).toMatchObject({ state: 'running', processed_rows: 2 });

    // New York opens at 09:00: the redial retries Dana Kim, then calls Eli Novak.
    await advance(10 * 3600);
    expect(await campaign(4)).toMatchObject({ state: 'completed', processed_rows: 3, executed_count: 3 });
    expect((await runsOf(4)).map((run) => run.initial_context.customer_name)).toEqual(['Ben Ortiz', 'Dana Kim', 'Dana Kim', 'Eli Novak']);

    // The campaign its breaker paused waits for a resume, then calls the contact it had left.
    expect(await campaign(3)).toMatchObject({ state: 'paused', processed_rows: 5 });
    await ok('POST', '/campaign/3/resume');
    await advance(3600);
    expect(await campaign(3)).toMatchObject({ state: 'completed', processed_rows: 6 });
  });
});
