import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createMockApp } from '../../../src/app.js';
import { createLogger } from '../../../src/logger.js';
import { actorEmail } from '../../../src/vendors/sarvam/present.js';
import { apiKeyHeaderAuth } from '../../helpers/caller.js';
import { testMock } from '../../helpers/mock.js';
import { sarvamSeed } from './seed.js';

const KEY = 'sarvam_fx_a';
const BASE = '/api/scheduling/v1/orgs/org-demo/workspaces/ws-demo';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const STATUSES = {
  'camp-fxactive': 'active',
  'camp-fxsched1': 'scheduled',
  'camp-fxpaused': 'paused',
  'camp-fxended1': 'ended',
  'camp-fxcancel': 'cancelled',
};

/** Each campaign's cohorts, newest first, as list-cohorts answers them. */
const COHORTS: Record<string, string[]> = {
  'camp-fxactive': ['coh-fxact003', 'coh-fxact002', 'coh-fxact001'],
  'camp-fxsched1': ['coh-fxsch001'],
  'camp-fxpaused': ['coh-fxpau001'],
  'camp-fxended1': ['coh-fxend001'],
  'camp-fxcancel': ['coh-fxcan001'],
};

const attempt = (campaign: 'ac71' | '9a05' | 'e4d1' | 'ca4c', n: number) => `019d3a10-${campaign}-7000-8000-00000000000${n}`;

/** A folder of fixtures holding one Sarvam file. */
function fixtureFolder(name: string, yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'campaign-mock-sarvam-fixtures-'));
  mkdirSync(join(dir, 'sarvam'));
  writeFileSync(join(dir, 'sarvam', `${name}.yaml`), yaml);
  return dir;
}

describe('the sarvam/campaigns fixture', () => {
  // A frozen clock, so every time the fixture writes can be compared exactly.
  const { mock, as } = testMock({ auth: apiKeyHeaderAuth, speed: 0 });
  const call = as(KEY);
  const seed = sarvamSeed(mock);
  afterAll(() => mock.close());

  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await mock.app.request(`/__admin${path}`, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
    return { status: res.status, body: (await res.json()) as any };
  };
  const load = (key = KEY) => admin('POST', `/fixtures?key=${key}`, { name: 'sarvam/campaigns' });
  /** The sandbox clock, and a time that many milliseconds from it. */
  const clock = async (key = KEY) => {
    const now = Date.parse((await admin('GET', `/clock?key=${key}`)).body.now);
    return { now, at: (offsetMs: number) => new Date(now + offsetMs).toISOString() };
  };
  /** Every delivery of a campaign, following `cursors.after` from the newest, `limit` at a time. */
  const allDeliveries = async (campaignId: string, limit: number) => {
    const pages = [];
    let after: string | null = null;
    do {
      const res = await call('GET', `${BASE}/campaigns/${campaignId}/webhooks?limit=${limit}${after ? `&after=${after}` : ''}`);
      expect(res.status).toBe(200);
      pages.push(res.body);
      after = res.body.cursors.after;
    } while (after !== null);
    return pages;
  };

  beforeEach(async () => {
    await admin('POST', '/reset');
  });

  it('is listed with its vendor and description', async () => {
    const { body } = await admin('GET', '/fixtures');
    expect(body.fixtures).toContainEqual({ name: 'sarvam/campaigns', vendor: 'sarvam', description: expect.stringContaining('one in each status') });
  });

  it('loads a campaign in every status, with times on the sandbox clock that keep each status', async () => {
    await admin('POST', `/clock/advance?key=${KEY}`, { seconds: 100 * 86_400 });
    const { now, at } = await clock();
    expect(await load()).toEqual({ status: 200, body: { key: KEY, fixture: 'sarvam/campaigns' } });

    const list = await call('GET', `${BASE}/campaigns?limit=100`);
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(5);
    expect(Object.fromEntries(list.body.items.map((c: { campaign_id: string; status: string }) => [c.campaign_id, c.status]))).toEqual(STATUSES);

    for (const [id, status] of Object.entries(STATUSES)) {
      const res = await call('GET', `${BASE}/campaigns/${id}`);
      expect([res.status, res.body.status]).toEqual([200, status]);
      const [start, end] = [Date.parse(res.body.start_timestamp), Date.parse(res.body.end_timestamp)];
      expect(start).toBeLessThan(end);
      if (status === 'scheduled') expect(start).toBeGreaterThan(now);
      if (status === 'active') expect([start <= now, now < end]).toEqual([true, true]);
      if (status === 'ended') expect(end).toBeLessThan(now);
    }

    // Fields left out are stored as the API stores them: nulls, and attempts_per_second 2 (Sarvam's "Dialing rate" page).
    expect((await call('GET', `${BASE}/campaigns/camp-fxsched1`)).body).toEqual({
      name: 'KYC renewal May',
      campaign_id: 'camp-fxsched1',
      status: 'scheduled',
      app_id: 'kyc-renewal-agent',
      created_by: actorEmail({ key: KEY } as never),
      created_at: at(-DAY),
      updated_at: at(-DAY),
      description: 'Asks customers to renew their KYC documents',
      app_type: 'agent',
      app_version: 1,
      updated_by: actorEmail({ key: KEY } as never),
      app_config: {
        app_id: 'kyc-renewal-agent',
        app_type: 'agent',
        app_version: 1,
        attempts_per_second: 2,
        connection_configs: [{ connection_id: 'conn-exotel-001', phone_numbers: ['+918045678902'], weight: null }],
        retry_config: null,
        webhook_config: null,
      },
      start_timestamp: at(2 * DAY),
      end_timestamp: at(32 * DAY),
      allowed_schedule: { allowed_start_time: '10:00', allowed_end_time: '17:00', allowed_days: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'], timezone: 'Asia/Kolkata' },
      webhook_config: null,
    });
    const paused = (await call('GET', `${BASE}/campaigns/camp-fxpaused`)).body;
    expect(paused).toMatchObject({
      created_by: 'rahul.verma@example.com',
      updated_at: at(-DAY),
      webhook_config: { url: 'http://127.0.0.1:9000/hooks/sarvam-offers', metadata: { campaign_type: 'cross-sell' } },
      app_config: { attempts_per_second: 5, retry_config: { max_retries: 1, retry_interval_minutes: 120, retry_on: null } },
    });

    const ended = await call('GET', `${BASE}/campaigns?campaign_status=ended`);
    expect(ended.body.items.map((c: { campaign_id: string }) => c.campaign_id)).toEqual(['camp-fxended1']);
  });

  it('reads back every cohort, the failed one with its reason, and the users stored with them', async () => {
    const { at } = await clock();
    await load();
    for (const [campaignId, cohortIds] of Object.entries(COHORTS)) {
      const list = await call('GET', `${BASE}/campaigns/${campaignId}/cohorts`);
      expect(list.status).toBe(200);
      expect(list.body.items.map((c: { cohort_id: string }) => c.cohort_id)).toEqual(cohortIds);
      for (const item of list.body.items) {
        const one = await call('GET', `${BASE}/campaigns/${campaignId}/cohorts/${item.cohort_id}`);
        expect([one.status, one.body]).toEqual([200, item]);
      }
    }

    const cohort = (campaignId: string, cohortId: string) => call('GET', `${BASE}/campaigns/${campaignId}/cohorts/${cohortId}`).then((res) => res.body);
    expect(await cohort('camp-fxactive', 'coh-fxact001')).toEqual({
      name: 'April EMI due list',
      cohort_id: 'coh-fxact001',
      status: 'completed',
      source_type: 'file_upload',
      failure_reason: null,
      created_by: actorEmail({ key: KEY } as never),
      created_at: at(-3 * DAY),
      updated_at: at(-3 * DAY),
      result: { total_records: 5, valid_records: 4, rejected_records: 1 },
      updated_by: actorEmail({ key: KEY } as never),
    });
    expect(await cohort('camp-fxactive', 'coh-fxact003')).toMatchObject({
      status: 'failed',
      source_type: 'url',
      failure_reason: 'the source file has no column phone_number',
      result: { total_records: 0, valid_records: 0, rejected_records: 0 },
    });
    // A cohort belongs to its campaign: under another one it is not found.
    expect((await call('GET', `${BASE}/campaigns/camp-fxpaused/cohorts/coh-fxact001`)).status).toBe(404);

    const users = seed.cohortUsers(KEY, 'coh-fxact001');
    expect(users.map((u) => [u.position, u.phone_number, u.user_identifier])).toEqual([
      [0, '+919876543210', 'cust-1042'],
      [1, '+919812345678', 'cust-1043'],
      [2, '+917012345678', 'cust-1044'],
      [3, '+918123456789', 'cust-1045'],
    ]);
    expect(users[1]).toMatchObject({
      org_id: 'org-demo',
      workspace_id: 'ws-demo',
      app_variables: JSON.stringify({ customer_name: 'Ravi Kumar', due_amount: '12000', loan_type: 'personal' }),
      app_overrides: JSON.stringify({ initial_language_name: 'Hindi' }),
    });
    expect(users[0]?.app_overrides).toBeNull();
    expect(seed.cohortUsers(KEY, 'coh-fxact003')).toEqual([]);
    expect(seed.cohortUsers(KEY, 'coh-fxpau001')).toHaveLength(3);
  });

  it('lists the webhook deliveries newest first, through every cursor and back', async () => {
    const { at } = await clock();
    await load();
    const pages = await allDeliveries('camp-fxactive', 2);
    expect(pages.map((page) => page.items.map((d: { attempt_id: string }) => d.attempt_id))).toEqual([
      [attempt('ac71', 6), attempt('ac71', 5)],
      [attempt('ac71', 4), attempt('ac71', 3)],
      [attempt('ac71', 2), attempt('ac71', 1)],
    ]);
    expect(pages.map((page) => page.cursors.before === null)).toEqual([true, false, false]);
    const back = await call('GET', `${BASE}/campaigns/camp-fxactive/webhooks?limit=2&before=${pages[2].cursors.before}`);
    expect(back.body).toEqual(pages[1]);

    const [pending, , failed, retried] = [...pages[0].items, ...pages[1].items];
    expect(pending).toMatchObject({ status: 'pending', response_status_code: null, error: null, delivery_attempts: 0, last_attempted_at: null, created_at: at(-10 * MINUTE + 9000) });
    expect(failed).toEqual({
      attempt_id: attempt('ac71', 4),
      campaign_id: 'camp-fxactive',
      url: 'http://127.0.0.1:9000/hooks/sarvam',
      status: 'failed',
      response_status_code: 503,
      error: 'the receiver answered 503 Service Unavailable',
      delivery_attempts: 3,
      payload: expect.objectContaining({ connectivity_status: 'no_answer', duration: null, interaction_id: null, interaction_transcript: [], next_action_status: 'retry' }),
      created_at: at(-26 * HOUR),
      last_attempted_at: at(-25 * HOUR),
    });
    // Sarvam's "Webhook payload" page's payload, built from the campaign, the cohort and the user; the second try of that user.
    const executedAt = at(-2850 * MINUTE);
    expect(retried.payload).toEqual({
      app_id: 'payment-reminder-agent',
      app_version: 3,
      attempt_id: attempt('ac71', 3),
      campaign_id: 'camp-fxactive',
      cohort_id: 'coh-fxact001',
      completion_status: 'completed',
      connectivity_status: 'connected',
      next_action_status: null,
      failure_reason: null,
      user_identifier: 'cust-1043',
      user_phone_number: '+919812345678',
      agent_phone_number: '+918045678901',
      duration: 95,
      interaction_id: `${executedAt.slice(0, 10).replaceAll('-', '')}/fxactive-${executedAt.slice(11, 19)}-00000003`,
      retry_attempt: 1,
      executed_at: executedAt,
      initial_agent_variables: { customer_name: 'Ravi Kumar', due_amount: '12000', loan_type: 'personal' },
      final_agent_variables: { customer_name: 'Ravi Kumar', due_amount: '12000', loan_type: 'personal', promised_to_pay: 'no', callback_requested: 'yes' },
      metadata: { team: 'collections', region: 'south' },
      interaction_transcript: [
        { role: 'agent', en_text: 'Namaste Ravi ji, your EMI of 12000 rupees is due this week.' },
        { role: 'user', en_text: 'I cannot pay now, please call me next week.' },
      ],
    });
    expect(retried.created_at).toBe(at(-2850 * MINUTE + 95_000));

    const counts: Record<string, number> = {};
    for (const id of Object.keys(STATUSES)) counts[id] = (await allDeliveries(id, 250)).flatMap((page) => page.items).length;
    expect(counts).toEqual({ 'camp-fxactive': 6, 'camp-fxsched1': 0, 'camp-fxpaused': 2, 'camp-fxended1': 3, 'camp-fxcancel': 1 });
    const offers = (await allDeliveries('camp-fxpaused', 250))[0].items;
    expect(offers.map((d: { url: string; payload: { metadata: unknown } }) => [d.url, d.payload.metadata])).toEqual([
      ['http://127.0.0.1:9000/hooks/sarvam-offers', { campaign_type: 'cross-sell' }],
      ['http://127.0.0.1:9000/hooks/sarvam-offers', { campaign_type: 'cross-sell' }],
    ]);

    // The failed delivery can be retried like any other (Sarvam's "Retry webhook deliveries" page).
    expect((await call('POST', `${BASE}/campaigns/camp-fxactive/webhooks/retry`, { body: { attempt_ids: [attempt('ac71', 4)] } })).status).toBe(202);
    expect((await allDeliveries('camp-fxactive', 250))[0].items.find((d: { attempt_id: string }) => d.attempt_id === attempt('ac71', 4)).status).toBe('pending');
  });

  it('stays inside its org, workspace and sandbox', async () => {
    await load();
    const otherWorkspace = '/api/scheduling/v1/orgs/org-demo/workspaces/ws-other';
    expect((await call('GET', `${otherWorkspace}/campaigns`)).body.total).toBe(0);
    expect((await call('GET', `${otherWorkspace}/campaigns/camp-fxactive`)).status).toBe(404);
    expect((await call('GET', '/api/scheduling/v1/orgs/org-other/workspaces/ws-demo/campaigns/camp-fxactive')).status).toBe(404);
    const other = as('sarvam_fx_b');
    expect((await other('GET', `${BASE}/campaigns`)).body.total).toBe(0);
    expect((await other('GET', `${BASE}/campaigns/camp-fxactive/webhooks`)).status).toBe(404);
  });

  it('refuses to load twice into a sandbox, changing nothing, and loads again after a reset', async () => {
    await load();
    await call('PUT', `${BASE}/campaigns/camp-fxactive/status`, { body: { action: 'pause' } });
    expect(await load()).toEqual({
      status: 409,
      body: { error: 'campaign-mock: fixture "sarvam/campaigns" is already loaded in this sandbox (its ids exist); reset the sandbox first' },
    });
    expect((await call('GET', `${BASE}/campaigns`)).body.total).toBe(5);
    expect((await call('GET', `${BASE}/campaigns/camp-fxactive`)).body.status).toBe('paused');
    expect((await load('sarvam_fx_b')).status).toBe(200);

    await admin('POST', `/reset?key=${KEY}`);
    expect((await load()).status).toBe(200);
    expect((await call('GET', `${BASE}/campaigns/camp-fxactive`)).body.status).toBe('active');
  });

  it('then follows the sandbox clock and the lifecycle like any campaign', async () => {
    await load();
    expect((await call('PATCH', `${BASE}/campaigns/camp-fxactive`, { body: { description: 'x' } })).status).toBe(409);
    expect((await call('PUT', `${BASE}/campaigns/camp-fxended1/status`, { body: { action: 'resume' } })).status).toBe(409);
    expect((await call('POST', `${BASE}/campaigns/camp-fxcancel/cohorts/stream`, { body: { name: 'Late', users: [{ user_phone_number: '9876543210' }] } })).status).toBe(409);

    await admin('POST', `/clock/advance?key=${KEY}`, { seconds: 2 * 86_400 + 3600 });
    expect((await call('GET', `${BASE}/campaigns/camp-fxsched1`)).body.status).toBe('active');
    await admin('POST', `/clock/advance?key=${KEY}`, { seconds: 26 * 86_400 });
    const statuses = (await call('GET', `${BASE}/campaigns?limit=100`)).body.items.map((c: { campaign_id: string; status: string }) => [c.campaign_id, c.status]);
    expect(Object.fromEntries(statuses)).toEqual({ ...STATUSES, 'camp-fxactive': 'ended', 'camp-fxsched1': 'active' });
  });

  it('refuses, loading nothing, a campaign the sandbox clock would move at once', async () => {
    const stale = [
      'description: A scheduled campaign whose start has passed.',
      'org_id: org-demo',
      'workspace_id: ws-demo',
      'campaigns:',
      '  - { id: camp-fxfine01, name: Fine, status: ended, app_config: { app_id: a, app_type: agent, app_version: 1 }, start_timestamp: -3d, end_timestamp: -1d,',
      "      allowed_schedule: { allowed_start_time: '09:00', allowed_end_time: '18:00', allowed_days: [Monday], timezone: Asia/Kolkata }, created_at: -4d }",
      '  - { id: camp-fxstale1, name: Stale, status: scheduled, app_config: { app_id: a, app_type: agent, app_version: 1 }, start_timestamp: -1d, end_timestamp: +5d,',
      "      allowed_schedule: { allowed_start_time: '09:00', allowed_end_time: '18:00', allowed_days: [Monday], timezone: Asia/Kolkata }, created_at: -2d }",
      '',
    ].join('\n');
    const { mock: other, as: otherAs } = testMock({ auth: apiKeyHeaderAuth, speed: 0, fixtureDirs: [fixtureFolder('stale', stale)] });
    try {
      const res = await other.app.request(`/__admin/fixtures?key=${KEY}`, { method: 'POST', body: JSON.stringify({ name: 'sarvam/stale' }) });
      const now = ((await (await other.app.request(`/__admin/clock?key=${KEY}`)).json()) as { now: string }).now;
      expect([res.status, await res.json()]).toEqual([
        409,
        {
          error: expect.stringMatching(
            new RegExp(`^campaign-mock: fixture campaign camp-fxstale1 is 'scheduled', but at ${now} on the sandbox clock its window .+ makes it 'active', and the mock would move it there at once; write its times relative to the clock`),
          ),
        },
      ]);
      expect((await otherAs(KEY)('GET', `${BASE}/campaigns`)).body.total).toBe(0);
    } finally {
      other.close();
    }
  });

  it('stops startup at a broken fixture file, naming its file, line and field', () => {
    const broken = [
      'description: Broken on purpose.',
      'org_id: org-demo',
      'workspace_id: ws-demo',
      'campaigns:',
      '  - id: cmp_notsarvam',
      '    name: Broken',
      '    status: running',
      '    app_config: { app_id: a, app_type: agent, app_version: 1 }',
      '    start_timestamp: -1d',
      '    end_timestamp: tomorrow',
      "    allowed_schedule: { allowed_start_time: '09:00', allowed_end_time: '18:00', allowed_days: [Monday], timezone: Asia/Kolkata }",
      '    created_at: -2d',
      '    cohorts:',
      '      - { id: coh-fxbroke1, name: No reason, source_type: url, status: failed, created_at: -1d }',
      '      - { id: coh-fxbroke2, name: Done, source_type: stream, status: completed, failure_reason: why, created_at: -1d }',
      '',
    ].join('\n');
    const dir = fixtureFolder('broken', broken);
    let message = '';
    try {
      createMockApp({ fixtureDirs: [dir], logger: createLogger('silent') }).close();
    } catch (error) {
      message = (error as Error).message;
    }
    const file = `${dir}/sarvam/broken.yaml`;
    expect(message.split('\n')).toEqual(
      expect.arrayContaining([
        'campaign-mock: invalid fixture file:',
        `  ${file}:5: campaigns[0].id must match pattern "^camp-[a-z0-9]{8}$"`,
        `  ${file}:7: campaigns[0].status must be one of: scheduled, active, paused, ended, cancelled`,
        expect.stringMatching(new RegExp(`^  ${file}:10: campaigns\\[0\\]\\.end_timestamp must match pattern`)),
        `  ${file}:14: campaigns[0].cohorts[0] must have required property 'failure_reason'`,
        `  ${file}:15: campaigns[0].cohorts[1].failure_reason must be null`,
      ]),
    );
  });
});

describe('the Sarvam scenarios', () => {
  const { mock, as } = testMock({ auth: apiKeyHeaderAuth });
  afterAll(() => mock.close());
  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await mock.app.request(`/__admin${path}`, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
    return { status: res.status, body: (await res.json()) as any };
  };

  it('sarvam-demo, made sticky, loads the fixture into that sandbox only', async () => {
    expect(await admin('PUT', '/scenario?key=sarvam_demo', { name: 'sarvam-demo' })).toEqual({
      status: 200,
      body: { key: 'sarvam_demo', scenario: 'sarvam-demo', fixtures: ['sarvam/campaigns'] },
    });
    const list = await as('sarvam_demo')('GET', `${BASE}/campaigns?limit=100`);
    expect([list.status, list.body.total]).toEqual([200, 5]);
    expect((await as('sarvam_demo')('GET', `${BASE}/campaigns/camp-fxpaused`)).body.status).toBe('paused');
    expect((await as('sarvam_other')('GET', `${BASE}/campaigns`)).body.total).toBe(0);
    const scenarios = (await admin('GET', '/scenarios')).body.scenarios;
    expect(scenarios.find((s: { name: string }) => s.name === 'sarvam-demo')).toMatchObject({ fixtures: ['sarvam/campaigns'], source: expect.stringMatching(/scenarios\/sarvam-demo\.yaml$/) });
  });

  it('sarvam-rate-limited answers the first three Sarvam requests 429 with Retry-After, then normally', async () => {
    const key = 'sarvam_limited';
    expect((await admin('PUT', `/scenario?key=${key}`, { name: 'sarvam-rate-limited' })).status).toBe(200);
    const call = as(key);
    const paths = [`${BASE}/campaigns`, `${BASE}/campaigns/camp-00000000`, `${BASE}/campaigns`, `${BASE}/campaigns`, `${BASE}/campaigns/camp-00000000`];
    const answers = [];
    for (const path of paths) answers.push(await call('GET', path));
    expect(answers.map((res) => res.status)).toEqual([429, 429, 429, 200, 404]);
    for (const limited of answers.slice(0, 3)) {
      expect([limited.headers.get('retry-after'), limited.body]).toEqual(['2', { detail: 'Too Many Requests' }]);
    }
    expect(answers[3]?.headers.get('retry-after')).toBeNull();
    const journal = (await admin('GET', `/requests?key=${key}`)).body.requests;
    expect(journal.map((entry: { status: number; scenario: string | null }) => [entry.status, entry.scenario])).toEqual([
      [429, 'sarvam-rate-limited'],
      [429, 'sarvam-rate-limited'],
      [429, 'sarvam-rate-limited'],
      [200, null],
      [404, null],
    ]);
  });

  it('sarvam-rate-limited leaves the other vendors of the sandbox alone', async () => {
    const key = 'sarvam_limited_dnx';
    await admin('PUT', `/scenario?key=${key}`, { name: 'sarvam-rate-limited' });
    const dialnexa = await mock.app.request('/v1/campaigns/cmp_000000000000', { headers: { authorization: `Bearer ${key}` } });
    expect(dialnexa.status).toBe(404);
    expect((await as(key)('GET', `${BASE}/campaigns`)).status).toBe(429);
  });

  it('sarvam-campaign-limit refuses creating and resuming with the limit 409, and nothing else', async () => {
    const key = 'sarvam_full';
    await admin('POST', `/fixtures?key=${key}`, { name: 'sarvam/campaigns' });
    expect((await admin('PUT', `/scenario?key=${key}`, { name: 'sarvam-campaign-limit' })).status).toBe(200);
    const call = as(key);
    const limit = { detail: 'Concurrent campaign limit reached: 10 campaigns are active or scheduled in this workspace; pause, cancel or wait for one to end first' };
    const created = await call('POST', `${BASE}/campaigns`, {
      body: {
        name: 'One more',
        app_config: { app_id: 'a', app_type: 'agent', app_version: 1 },
        start_timestamp: '2020-01-01T00:00:00Z',
        end_timestamp: '2099-01-01T00:00:00Z',
        allowed_schedule: { allowed_start_time: '09:00', allowed_end_time: '18:00', allowed_days: ['Monday'], timezone: 'Asia/Kolkata' },
      },
    });
    expect([created.status, created.body]).toEqual([409, limit]);
    const resumed = await call('PUT', `${BASE}/campaigns/camp-fxpaused/status`, { body: { action: 'resume' } });
    expect([resumed.status, resumed.body]).toEqual([409, limit]);
    expect((await call('PUT', `${BASE}/campaigns/camp-fxactive/status`, { body: { action: 'pause' } })).body.status).toBe('paused');
    expect((await call('GET', `${BASE}/campaigns`)).body.total).toBe(5);
  });
});
