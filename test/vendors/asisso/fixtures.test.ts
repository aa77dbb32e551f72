import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createMockApp } from '../../../src/app.js';
import { fixtureTime } from '../../../src/fixtures/fixture-time.js';
import { createLogger } from '../../../src/logger.js';
import { loadAsissoFixture } from '../../../src/vendors/asisso/fixtures.js';
import { pydanticTime } from '../../../src/vendors/asisso/present.js';
import { AsissoStore } from '../../../src/vendors/asisso/store.js';
import { apiKeyHeaderAuth } from '../../helpers/caller.js';
import { testMock } from '../../helpers/mock.js';

const KEY = 'as_test_fixtures';
const OTHER = 'as_test_other';

const FILES = {
  wave1: '5d0b7e3a-2f4c-4d8e-9a61-3c7f1b2e4a90_renewals-wave-1.csv',
  payments: '8c1e4f20-7b3a-4e59-b2d6-0a9f5c3e7d18_payment-reminders.csv',
  collections: '2a7d9b64-c1e8-4f03-8d5a-6b2e0f4c9a71_overdue-collections.csv',
  wave2: 'f3b85c17-94d2-4a6e-a0c9-7e1d2b5f8c36_renewals-wave-2.csv',
  survey: '0e6a3d92-5f7b-4c18-9e24-b8c1a7d5f063_satisfaction-survey.csv',
};

const WEEKDAYS_9_TO_6 = [0, 1, 2, 3, 4].map((day) => ({ day_of_week: day, start_time: '09:00', end_time: '18:00' }));
const WAVE_1_RETRIES = { enabled: true, max_retries: 1, retry_delay_seconds: 3600, retry_on_busy: true, retry_on_no_answer: true, retry_on_voicemail: false };
const NO_CIRCUIT_BREAKER = { enabled: false, failure_threshold: 0.5, window_seconds: 120, min_calls_in_window: 5 };

type Run = { id: number; created_at: string; is_completed: boolean; initial_context: Record<string, string>; gathered_context: { call_tags: string[]; mapped_call_disposition: string | null } };

describe('the Asisso fixture asisso/campaigns', () => {
  // Frozen clocks: the fixture's relative times are exact, however long the test takes.
  const { mock, as } = testMock({ auth: apiKeyHeaderAuth, speed: 0 });
  const call = as(KEY);
  afterAll(() => mock.close());
  beforeEach(async () => {
    await mock.app.request('/__admin/reset', { method: 'POST' });
  });

  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await mock.app.request(`/__admin${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: res.status, body: (await res.json()) as any };
  };
  const load = (key = KEY) => admin('POST', `/fixtures?key=${key}`, { name: 'asisso/campaigns' });
  const sandboxId = (key = KEY) => mock.sandboxes.resolve(key)?.id as number;
  const now = async (key = KEY) => new Date((await admin('GET', `/clock?key=${key}`)).body.now as string);
  /** A fixture time as the API writes it, on the sandbox clock. */
  const at = async (relative: string, key = KEY) => pydanticTime(fixtureTime(relative, await now(key)));
  const get = async (path: string, key = KEY) => {
    const res = await as(key)('GET', `/api/v1${path}`);
    expect(res.status, res.text).toBe(200);
    return res.body;
  };
  const allRuns = async (id: number): Promise<Run[]> => (await get(`/campaign/${id}/runs?limit=100`)).runs;
  /**
   * Moves the sandbox clock to the first Wednesday 06:00 UTC at least `days` ahead. The running
   * campaigns dial on once loaded, each in its calling window: Renewals wave 2's (Kolkata, 11:30)
   * is open then and its redial's (New York, 01:00 or 02:00) shut, whenever the test runs.
   */
  const toWednesdayMorning = async (days = 0) => {
    const from = await now();
    const earliest = from.getTime() + days * 86_400_000;
    const target = new Date(earliest);
    target.setUTCHours(6, 0, 0, 0);
    if (target.getTime() < earliest) target.setUTCDate(target.getUTCDate() + 1);
    while (target.getUTCDay() !== 3) target.setUTCDate(target.getUTCDate() + 1);
    await admin('POST', `/clock/advance?key=${KEY}`, { seconds: (target.getTime() - from.getTime()) / 1000 });
  };

  it('loads six campaigns, one in each state, with times on the sandbox clock', async () => {
    await toWednesdayMorning(30);
    expect(await load()).toEqual({ status: 200, body: { key: KEY, fixture: 'asisso/campaigns' } });

    const { campaigns } = await get('/campaign/');
    expect(campaigns.map((c: { id: number; state: string }) => [c.id, c.state])).toEqual([
      [6, 'draft'],
      [5, 'running'],
      [4, 'running'],
      [3, 'paused'],
      [2, 'failed'],
      [1, 'completed'],
    ]);
    expect(await get('/campaign/1')).toEqual({
      id: 1,
      name: 'Renewals wave 1',
      workflow_id: 42,
      workflow_name: 'Renewal reminder',
      state: 'completed',
      source_type: 'csv',
      source_id: `campaigns/${sandboxId()}/${FILES.wave1}`,
      total_rows: 5,
      processed_rows: 5,
      failed_rows: 2,
      created_at: await at('-21d'),
      started_at: await at('-480h'),
      completed_at: await at('-18d'),
      retry_config: WAVE_1_RETRIES,
      max_concurrency: 5,
      schedule_config: { enabled: true, timezone: 'America/New_York', slots: WEEKDAYS_9_TO_6 },
      circuit_breaker: NO_CIRCUIT_BREAKER,
      executed_count: 5,
      total_queued_count: 5,
      parent_campaign_id: null,
      redialed_campaign_id: 4,
      telephony_configuration_id: 3,
      telephony_configuration_name: 'Twilio US outbound',
      logs: [],
    });
    expect(await get('/campaign/4')).toMatchObject({
      name: 'Renewals wave 1 (Redial)',
      state: 'running',
      source_id: `campaigns/${sandboxId()}/${FILES.wave1}`,
      parent_campaign_id: 1,
      redialed_campaign_id: null,
      total_rows: 3,
      total_queued_count: 3,
      executed_count: 2,
      processed_rows: 2,
      failed_rows: 0,
      retry_config: WAVE_1_RETRIES,
      telephony_configuration_id: null,
      created_at: await at('-3d'),
      started_at: await at('-48h'),
      completed_at: null,
    });
    expect(await get('/campaign/3')).toMatchObject({
      state: 'paused',
      workflow_name: 'Payment collection',
      total_rows: 6,
      processed_rows: 5,
      failed_rows: 0,
      executed_count: 5,
      total_queued_count: 6,
      retry_config: { enabled: true, max_retries: 2, retry_delay_seconds: 600, retry_on_busy: true, retry_on_no_answer: true, retry_on_voicemail: false },
      max_concurrency: 3,
      schedule_config: null,
      circuit_breaker: { enabled: true, failure_threshold: 0.5, window_seconds: 600, min_calls_in_window: 5 },
      logs: [
        {
          ts: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00$/),
          level: 'warning',
          event: 'circuit_breaker_tripped',
          message: 'Paused at scheduling: failure rate 60.00% (3/5) exceeded threshold 50.00% in 600s window',
          details: { failure_rate: 0.6, failure_count: 3, success_count: 2, threshold: 0.5, window_seconds: 600 },
        },
      ],
    });
    // Dograh stamps log entries with Python's isoformat(): microseconds and +00:00.
    expect(Date.parse((await get('/campaign/3')).logs[0].ts)).toBe(Date.parse(await at('-4314m')));
    const failed = await get('/campaign/2');
    expect(failed).toMatchObject({ state: 'failed', total_rows: 4, processed_rows: 2, failed_rows: 0, started_at: await at('-192h'), completed_at: null, max_concurrency: 10 });
    expect(failed.logs.map((log: { level: string; event: string }) => `${log.level} ${log.event}`)).toEqual([
      'warning phone_number_pool_exhausted_retry',
      'warning phone_number_pool_exhausted_retry',
      'error phone_number_pool_exhausted',
    ]);
    expect(failed.logs[2].message).toBe(`Phone number pool exhausted for org ${sandboxId()} after 3 consecutive attempts: no free from_number available to dispatch outbound calls`);
    expect(await get('/campaign/5')).toMatchObject({
      state: 'running',
      total_rows: 6,
      processed_rows: 3,
      failed_rows: 0,
      retry_config: { enabled: true, max_retries: 2, retry_delay_seconds: 1800, retry_on_busy: true, retry_on_no_answer: true, retry_on_voicemail: true },
      circuit_breaker: { enabled: true, failure_threshold: 0.5, window_seconds: 120, min_calls_in_window: 5 },
      telephony_configuration_name: 'Plivo India',
    });
    expect(await get('/campaign/6')).toMatchObject({
      state: 'draft',
      workflow_name: 'Customer survey',
      source_id: `campaigns/${sandboxId()}/${FILES.survey}`,
      total_rows: null,
      processed_rows: 0,
      executed_count: 0,
      total_queued_count: 0,
      retry_config: { enabled: true, max_retries: 1, retry_delay_seconds: 120, retry_on_busy: true, retry_on_no_answer: true, retry_on_voicemail: false },
      max_concurrency: null,
      telephony_configuration_id: null,
      created_at: await at('-1h'),
      started_at: null,
    });
  });

  it("reports each campaign's progress as its runs add up", async () => {
    await toWednesdayMorning();
    await load();
    const expected: Record<number, [state: string, total: number, processed: number, failedCalls: number, percent: number]> = {
      1: ['completed', 5, 5, 4, 100],
      2: ['failed', 4, 2, 1, 50],
      3: ['paused', 6, 5, 3, (5 / 6) * 100],
      4: ['running', 3, 2, 1, (2 / 3) * 100],
      5: ['running', 6, 3, 1, 50],
      6: ['draft', 0, 0, 0, 0],
    };
    for (const [id, [state, total, processed, failedCalls, percent]] of Object.entries(expected)) {
      const progress = await get(`/campaign/${id}/progress`);
      const campaign = await get(`/campaign/${id}`);
      expect(progress).toEqual({
        campaign_id: Number(id),
        state,
        total_rows: total,
        processed_rows: processed,
        failed_calls: failedCalls,
        progress_percentage: percent,
        source_sync: state === 'draft' ? { status: 'pending', last_synced_at: null, error: null } : { status: 'completed', last_synced_at: campaign.started_at, error: null },
        rate_limit: id === '2' ? 2 : 1,
        started_at: campaign.started_at,
        completed_at: campaign.completed_at,
      });
      // The counters agree with the runs: contacts called, and calls that did not connect.
      const runs = await allRuns(Number(id));
      expect(new Set(runs.map((run) => run.initial_context.phone_number)).size).toBe(campaign.executed_count);
      expect(campaign.processed_rows).toBe(campaign.executed_count);
      const notConnected = runs.filter((run) => ['telephony_failed', 'telephony_busy', 'telephony_no-answer'].some((tag) => run.gathered_context.call_tags.includes(tag)));
      expect(notConnected).toHaveLength(failedCalls);
    }
  });

  it("pages through a campaign's runs, newest first, each with its contact's CSV row", async () => {
    await toWednesdayMorning();
    await load();
    const first = await get('/campaign/1/runs?page=1&limit=5');
    expect({ ...first, runs: first.runs.length }).toEqual({ runs: 5, total_count: 7, page: 1, limit: 5, total_pages: 2 });
    const second = await get('/campaign/1/runs?page=2&limit=5');
    expect(second.runs.map((run: Run) => run.initial_context.customer_name)).toEqual(['Ben Ortiz', 'Asha Rao']);
    expect(first.runs[0]).toEqual({
      id: 7,
      workflow_id: 42,
      name: 'WR-7',
      mode: 'twilio',
      created_at: await at('-473h'),
      is_completed: true,
      transcript_url: null,
      recording_url: null,
      cost_info: { call_duration_seconds: 31 },
      usage_info: { call_duration_seconds: 31 },
      definition_id: null,
      initial_context: { phone_number: '+14155550104', customer_name: 'Eli Novak', plan: 'silver' },
      gathered_context: { call_tags: ['voicemail_detected'], mapped_call_disposition: 'voicemail' },
      call_type: 'outbound',
    });
    expect(first.runs.map((run: Run) => [run.id, run.initial_context.customer_name, run.gathered_context.mapped_call_disposition])).toEqual([
      [7, 'Eli Novak', 'voicemail'],
      [6, 'Dana Kim', 'no-answer'],
      [5, 'Dana Kim', 'no-answer'],
      [4, 'Chen Wei', 'callback_requested'],
      [3, 'Ben Ortiz', 'busy'],
    ]);
    expect(first.runs[4].gathered_context.call_tags).toEqual(['retry', 'retry_reason_busy', 'not_connected', 'telephony_busy']);

    // Loaded in its calling window, Renewals wave 2 at once retries the contact who did not answer.
    const underWay = await get(`/campaign/5/runs?filters=${encodeURIComponent('[{"attribute":"status","type":"radio","value":{"status":"in_progress"}}]')}`);
    expect(underWay.runs).toHaveLength(1);
    expect(underWay.runs[0]).toMatchObject({
      is_completed: false,
      created_at: await at('now'),
      cost_info: { call_duration_seconds: null },
      initial_context: { customer_name: 'Rohan Mehta' },
      gathered_context: { call_tags: ['retry', 'retry_reason_no_answer'], mapped_call_disposition: null },
    });
    expect((await allRuns(5)).map((run) => run.initial_context.customer_name)).toEqual(['Rohan Mehta', 'Sara Thomas', 'Rohan Mehta', 'Kavya Iyer']);
    // Its redial's window (New York) is shut: nothing more yet.
    const redialRuns = await allRuns(4);
    expect(redialRuns.map((run) => run.initial_context.customer_name)).toEqual(['Dana Kim', 'Ben Ortiz']);
    expect(await allRuns(6)).toEqual([]);
  });

  it('uploads each source as the CSV a client would have sent, quoting where CSV needs it', async () => {
    await load();
    const store = new AsissoStore(mock.db);
    const survey = store.getUpload(sandboxId(), `campaigns/${sandboxId()}/${FILES.survey}`);
    expect(survey?.content?.toString()).toBe('phone_number,customer_name,last_order\n+14155550120,Pat Lee,A-1042\n+14155550121,"Smith, Jordan",A-1043\n+14155550122,Rui Costa,A-1044\n');
    expect(survey?.uploaded_at).toBe(fixtureTime('-2h', await now()));
    for (const file of Object.values(FILES)) expect(store.getUpload(sandboxId(), `campaigns/${sandboxId()}/${file}`)?.content).toBeTruthy();
  });

  it('leaves each campaign to the state rules: the draft starts from its CSV, the others move on', async () => {
    await load();
    const post = (path: string) => call('POST', `/api/v1/campaign/${path}`);
    const started = await post('6/start');
    expect([started.status, started.body.state, started.body.total_rows, started.body.total_queued_count]).toEqual([200, 'running', 3, 3]);
    expect((await post('5/pause')).body.state).toBe('paused');
    expect((await post('3/resume')).body.state).toBe('running');
    expect((await post('1/start')).body).toEqual({ detail: "Campaign must be in 'draft' state to start, current state: completed" });
    expect((await call('PATCH', '/api/v1/campaign/2', { body: { name: 'Again' } })).body).toEqual({ detail: 'Cannot update a failed campaign' });
    const redial = await call('POST', '/api/v1/campaign/1/redial', { body: {} });
    expect([redial.status, redial.body]).toEqual([400, { detail: 'This campaign has already been redialed' }]);
  });

  it("gives a new campaign the id after the fixture's, and holds it to the fixture's workflows", async () => {
    await load();
    const presigned = await call('POST', '/api/v1/s3/presigned-upload-url', { body: { file_name: 'contacts.csv', file_size: 64 } });
    const url = new URL(presigned.body.upload_url);
    const put = await as(null)('PUT', `${url.pathname}${url.search}`, { body: 'phone_number\n+14155550199\n', headers: { 'content-type': 'text/csv' } });
    expect(put.status).toBe(200);
    const body = { name: 'Follow-up', workflow_id: 63, source_type: 'csv', source_id: presigned.body.file_key };
    const created = await call('POST', '/api/v1/campaign/create', { body });
    expect([created.status, created.body.id, created.body.workflow_name]).toEqual([200, 7, 'Customer survey']);
    const unknown = await call('POST', '/api/v1/campaign/create', { body: { ...body, workflow_id: 9 } });
    expect([unknown.status, unknown.body]).toEqual([404, { detail: 'Workflow not found' }]);
    expect((await call('POST', '/api/v1/campaign/create', { body })).body.id).toBe(8);
  });

  it('refuses to load it twice into a sandbox, changing nothing', async () => {
    await load();
    await call('POST', '/api/v1/campaign/6/start');
    expect(await load()).toEqual({
      status: 409,
      body: { error: 'campaign-mock: fixture "asisso/campaigns" is already loaded in this sandbox (its ids exist); reset the sandbox first' },
    });
    const { campaigns } = await get('/campaign/');
    expect(campaigns).toHaveLength(6);
    expect(campaigns[0]).toMatchObject({ id: 6, state: 'running' });
    expect(await allRuns(1)).toHaveLength(7);
  });

  it('is seen by its own key only; another key loads its own copy', async () => {
    await load();
    expect(await get('/campaign/', OTHER)).toEqual({ campaigns: [] });
    const res = await as(OTHER)('GET', '/api/v1/campaign/1');
    expect([res.status, res.body]).toEqual([404, { detail: 'Campaign not found' }]);

    await load(OTHER);
    expect(sandboxId(OTHER)).not.toBe(sandboxId());
    expect((await get('/campaign/1', OTHER)).source_id).toBe(`campaigns/${sandboxId(OTHER)}/${FILES.wave1}`);
    await call('POST', '/api/v1/campaign/6/start');
    expect((await get('/campaign/6', OTHER)).state).toBe('draft');
  });

  it('is loaded by the asisso-demo scenario', async () => {
    expect(await admin('PUT', `/scenario?key=${KEY}`, { name: 'asisso-demo' })).toEqual({ status: 200, body: { key: KEY, scenario: 'asisso-demo', fixtures: ['asisso/campaigns'] } });
    expect((await get('/campaign/')).campaigns).toHaveLength(6);
    expect((await get('/campaign/3')).state).toBe('paused');
  });

  it('refuses data whose parts do not fit together, writing nothing', async () => {
    const sandbox = mock.sandboxes.resolve(KEY);
    if (!sandbox) throw new Error('no sandbox');
    const time = (value: string) => fixtureTime(value, new Date());
    const source = `campaigns/{organization_id}/${FILES.survey}`;
    const base = { id: 1, name: 'c', workflow_id: 42, source_id: source, created_at: '-1d' };
    const attempt = (data: object) => () => loadAsissoFixture(mock.db, sandbox, data, time, mock);
    expect(attempt({ campaigns: [{ ...base, state: 'running', started_at: '-1h' }] })).toThrow(
      `campaign-mock: Asisso fixture campaign 1 has started, so its source ${source} must be among the fixture's sources`,
    );
    const withSource = { workflows: [{ id: 42, name: 'W' }], sources: [{ file_key: source, uploaded_at: '-1d', contacts: { '+14155550120': {} } }] };
    expect(attempt({ ...withSource, campaigns: [{ ...base, state: 'running', started_at: '-1h', calls: [{ phone_number: '+14155550199', call_status: 'busy', created_at: '-1h' }] }] })).toThrow(
      'campaign-mock: Asisso fixture campaign 1 calls +14155550199, who is not among its contacts',
    );
    expect(attempt({ ...withSource, campaigns: [{ ...base, workflow_id: 9, state: 'draft' }] })).toThrow("campaign-mock: Asisso fixture campaign 1 names workflow 9, which the fixture's workflows do not list");
    expect(attempt({ ...withSource, campaigns: [{ ...base, state: 'paused', started_at: '-1h', calls: [{ phone_number: '+14155550120', call_status: 'ringing', created_at: '-1m' }] }] })).toThrow(
      'campaign-mock: Asisso fixture campaign 1 has a call to +14155550120 under way (ringing); a paused campaign joins the dialer simulation when loaded, which cannot take over a call in progress: give the call how it ended (completed, busy, no-answer, failed, …) or leave it out',
    );
    expect(attempt({ ...withSource, campaigns: [{ ...base, state: 'draft', parent_campaign_id: 2 }] })).toThrow(
      'campaign-mock: Asisso fixture campaign 1 redials campaign 2, which must come before it in the fixture, completed (Dograh\'s code)',
    );
    expect(await get('/campaign/')).toEqual({ campaigns: [] });
    expect(new AsissoStore(mock.db).workflowName(sandbox.id, 7)).toBe('Workflow 7');
  });
});

describe('a broken Asisso fixture file', () => {
  const folder = (yaml: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'campaign-mock-asisso-fixtures-'));
    mkdirSync(join(dir, 'asisso'));
    writeFileSync(join(dir, 'asisso', 'broken.yaml'), yaml);
    return dir;
  };
  const campaign = (lines: string[]) =>
    ['description: d', 'campaigns:', '  - id: 1', '    name: x', '    workflow_id: 42', '    source_id: campaigns/{organization_id}/0e6a3d92-5f7b-4c18-9e24-b8c1a7d5f063_a.csv', '    created_at: -1d', ...lines, ''].join('\n');

  it('stops the mock at startup, naming the file, the line and the field', () => {
    const dir = folder(campaign(['    state: archived']));
    expect(() => createMockApp({ fixtureDirs: [dir], logger: createLogger('silent') })).toThrow(
      new RegExp(`^campaign-mock: invalid fixture file:\\n  ${dir}/asisso/broken.yaml:8: campaigns\\[0\\].state must be one of: draft, running, paused, completed, failed`),
    );
  });

  it('refuses a state its times and calls contradict', () => {
    const draft = folder(campaign(['    state: draft', '    calls:', "      - { phone_number: '+14155550120', call_status: busy, created_at: -1h }"]));
    expect(() => createMockApp({ fixtureDirs: [draft], logger: createLogger('silent') })).toThrow(`${draft}/asisso/broken.yaml:10: campaigns[0].calls boolean schema is false`);
    const completed = folder(campaign(['    state: completed', '    started_at: -20h']));
    expect(() => createMockApp({ fixtureDirs: [completed], logger: createLogger('silent') })).toThrow(
      `${completed}/asisso/broken.yaml:3: campaigns[0] must have required property 'completed_at'`,
    );
  });

  it('refuses a contact without its country code', () => {
    const dir = folder(
      ['description: d', 'sources:', '  - file_key: campaigns/{organization_id}/0e6a3d92-5f7b-4c18-9e24-b8c1a7d5f063_a.csv', '    uploaded_at: -1d', '    contacts:', "      '4155550120': { customer_name: Pat }", ''].join('\n'),
    );
    expect(() => createMockApp({ fixtureDirs: [dir], logger: createLogger('silent') })).toThrow(
      `${dir}/asisso/broken.yaml:6: sources[0].contacts must match pattern "^\\+[1-9][0-9]{1,14}$"\n  ${dir}/asisso/broken.yaml:6: sources[0].contacts property name must be valid`,
    );
  });
});
