import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMockApp } from '../../src/app.js';
import { createLogger } from '../../src/logger.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { bundledFixtureNames } from '../helpers/bundled-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'campaign-mock-control-'));
writeFileSync(
  join(dir, 'slow.yaml'),
  'name: test-fixed-latency\ndescription: Every DialNexa request waits 150 ms.\nrules:\n  - match: { vendor: dialnexa }\n    latency: 150\n',
);

describe('the control plane over HTTP', () => {
  let server: RunningServer;
  const admin = (method: string, path: string, body?: unknown) =>
    fetch(`${server.url}/__admin${path}`, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
  const json = async (response: Promise<Response> | Response) => {
    const res = await response;
    return { status: res.status, body: (await res.json()) as any };
  };
  const vendor = (key: string, method: string, path: string, body?: unknown) =>
    fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const campaign = { name: 'c', agent_id: 'agt_1', from_phone_number: '+14155550100' };

  beforeAll(async () => {
    server = await startServer({ port: 0, strict: true, scenarioDirs: [dir], journalLimit: 50, logger: createLogger('silent') });
  });
  afterAll(() => server.close());
  beforeEach(async () => {
    await admin('POST', '/reset');
  });

  describe('clock', () => {
    it('reads and advances one sandbox clock, which stamps what that sandbox creates', async () => {
      const before = await json(admin('GET', '/clock?key=clock_a'));
      expect(Math.abs(Date.parse(before.body.now) - Date.now())).toBeLessThan(5000);
      const advanced = await json(admin('POST', '/clock/advance?key=clock_a', { seconds: 86_400 }));
      expect(Date.parse(advanced.body.now) - Date.parse(before.body.now)).toBeGreaterThanOrEqual(86_400_000);
      const created = (await (await vendor('clock_a', 'POST', '/v1/campaigns', campaign)).json()) as { created_at: string };
      expect(Date.parse(created.created_at) - Date.parse(advanced.body.now)).toBeGreaterThanOrEqual(0);
      expect(Date.parse(created.created_at) - Date.parse(advanced.body.now)).toBeLessThan(5000);
      const other = await json(admin('GET', '/clock?key=clock_b'));
      expect(Date.parse(advanced.body.now) - Date.parse(other.body.now)).toBeGreaterThan(86_000_000);
    });

    it('refuses a missing key, a missing body and a negative advance', async () => {
      expect(await json(admin('GET', '/clock'))).toEqual({ status: 400, body: { error: 'campaign-mock: GET /__admin/clock needs ?key=<the API key of the sandbox>' } });
      const noBody = await json(admin('POST', '/clock/advance?key=k'));
      expect([noBody.status, noBody.body.error]).toEqual([400, 'campaign-mock: POST /__admin/clock/advance needs a JSON body {"seconds": N} with 0 ≤ N ≤ 31622400']);
      const negative = await json(admin('POST', '/clock/advance?key=k', { seconds: -5 }));
      expect([negative.status, negative.body.error]).toEqual([400, 'campaign-mock: POST /__admin/clock/advance needs a JSON body {"seconds": N} with 0 ≤ N ≤ 31622400, got {"seconds":-5}']);
      const huge = await json(admin('POST', '/clock/advance?key=k', { seconds: 1e13 }));
      expect([huge.status, huge.body.error]).toEqual([400, 'campaign-mock: POST /__admin/clock/advance needs a JSON body {"seconds": N} with 0 ≤ N ≤ 31622400, got {"seconds":10000000000000}']);
      const created = await fetch(`${server.url}/v1/campaigns`, { method: 'POST', headers: { authorization: 'Bearer k', 'content-type': 'application/json' }, body: JSON.stringify({ name: 'After', agent_id: 'agt_1' }) });
      expect(created.status, 'the sandbox still works after a refused advance').toBe(201);
      const late = server.mock.sandboxes.resolve('late') as NonNullable<ReturnType<typeof server.mock.sandboxes.resolve>>;
      server.mock.sandboxes.saveClock(late, { virtualMs: Date.parse('9999-12-31T23:59:00.000Z'), wallMs: Date.now() });
      const past = await json(admin('POST', '/clock/advance?key=late', { seconds: 3600 }));
      expect([past.status, past.body.error]).toEqual([400, 'campaign-mock: the clock of "late" cannot pass 9999-12-31T23:59:59.999Z; reset the sandbox to start its clock again from now']);
    });
  });

  describe('scenarios and fixtures', () => {
    it('lists scenarios with descriptions, built-in and from files', async () => {
      const { body } = await json(admin('GET', '/scenarios'));
      const names = body.scenarios.map((s: { name: string }) => s.name);
      expect(names).toEqual(expect.arrayContaining(['dialnexa.getCampaign.404', 'dialnexa-demo', 'flaky-network', 'test-fixed-latency']));
      expect(body.scenarios.find((s: { name: string }) => s.name === 'dialnexa-demo')).toEqual({
        name: 'dialnexa-demo',
        description: expect.stringContaining('campaigns in every status'),
        source: expect.stringMatching(/scenarios\/dialnexa-demo\.yaml$/),
        fixtures: ['dialnexa/campaigns'],
      });
    });

    it('makes a scenario sticky for one sandbox, loading its fixtures, and clears it', async () => {
      expect(await json(admin('PUT', '/scenario?key=demo', { name: 'dialnexa-demo' }))).toEqual({ status: 200, body: { key: 'demo', scenario: 'dialnexa-demo', fixtures: ['dialnexa/campaigns'] } });
      expect((await json(admin('GET', '/scenario?key=demo'))).body).toEqual({ key: 'demo', scenario: 'dialnexa-demo' });
      const running = (await (await vendor('demo', 'GET', '/v1/campaigns/cmp_fxrunning001')).json()) as Record<string, unknown>;
      expect(running).toMatchObject({ status: 'running', total_leads: 4, completed_calls: 2, pending_calls: 2 });
      // Two logs come with the fixture; the running campaign dials its two pending leads at once.
      const logs = (await (await vendor('demo', 'GET', '/v1/call-logs/campaign/cmp_fxrunning001')).json()) as { meta: { total: number }; data: Array<{ status: string }> };
      expect(logs.meta.total).toBe(4);
      expect(logs.data.filter((log) => log.status === 'initiated')).toHaveLength(2);
      expect((await vendor('other', 'GET', '/v1/campaigns/cmp_fxrunning001')).status).toBe(404);

      const again = await json(admin('PUT', '/scenario?key=demo', { name: 'dialnexa-demo' }));
      expect([again.status, again.body.error]).toEqual([409, 'campaign-mock: fixture "dialnexa/campaigns" is already loaded in this sandbox (its ids exist); reset the sandbox first']);
      expect((await json(admin('DELETE', '/scenario?key=demo'))).body).toEqual({ key: 'demo', scenario: null });
    });

    it('loads a fixture on its own, with times on the sandbox clock', async () => {
      await admin('POST', '/clock/advance?key=fx', { seconds: 365 * 86_400 });
      const now = Date.parse((await json(admin('GET', '/clock?key=fx'))).body.now);
      expect((await json(admin('POST', '/fixtures?key=fx', { name: 'dialnexa/campaigns' }))).body).toEqual({ key: 'fx', fixture: 'dialnexa/campaigns' });
      const paused = (await (await vendor('fx', 'GET', '/v1/campaigns/cmp_fxpaused0001')).json()) as { created_at: string };
      expect(Math.round((now - Date.parse(paused.created_at)) / 86_400_000)).toBe(5);
      const listed = await json(admin('GET', '/fixtures'));
      expect(listed.body.fixtures).toContainEqual({ name: 'dialnexa/campaigns', vendor: 'dialnexa', description: expect.any(String) });
      expect((await json(admin('POST', '/fixtures?key=fx', { name: 'dialnexa/none' }))).status).toBe(404);
    });

    // The bundled fixtures are read at first use, not at startup: this is where a broken one is caught.
    it('lists every bundled fixture, each read and checked against its vendor', async () => {
      const listed = await json(admin('GET', '/fixtures'));
      expect(listed.status).toBe(200);
      expect(listed.body.fixtures.map((fixture: { name: string }) => fixture.name).sort()).toEqual([...bundledFixtureNames()].sort());
      for (const fixture of listed.body.fixtures) expect(fixture.description).toMatch(/\S/);
    });

    it("answers a fixture whose parts contradict each other with a 409 that says what to fix, loading none of it", async () => {
      const folder = mkdtempSync(join(tmpdir(), 'campaign-mock-contradiction-'));
      mkdirSync(join(folder, 'asisso'));
      const bundled = readFileSync(new URL('../../fixtures/asisso/campaigns.yaml', import.meta.url), 'utf8');
      writeFileSync(join(folder, 'asisso', 'contradiction.yaml'), bundled.replace('    workflow_id: 42', '    workflow_id: 99'));
      const mock = createMockApp({ fixtureDirs: [folder], strict: true, logger: createLogger('silent') });
      try {
        const res = await mock.app.request('/__admin/fixtures?key=fx_bad', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'asisso/contradiction' }) });
        expect(res.status).toBe(409);
        expect(((await res.json()) as { error: string }).error).toMatch(/^campaign-mock: Asisso fixture campaign \d+ names workflow 99, which the fixture's workflows do not list$/);
        const list = await mock.app.request('/api/v1/campaign/', { headers: { 'x-api-key': 'fx_bad' } });
        expect(((await list.json()) as { campaigns: unknown[] }).campaigns).toEqual([]);
      } finally {
        mock.close();
        rmSync(folder, { recursive: true, force: true });
      }
    });

    it('refuses an unknown scenario by name', async () => {
      const res = await json(admin('PUT', '/scenario?key=k', { name: 'dialnexa-demoo' }));
      expect([res.status, res.body.error]).toEqual([404, 'campaign-mock: unknown scenario "dialnexa-demoo". Did you mean dialnexa-demo? GET /__admin/scenarios lists them all.']);
    });

    it('runs two sandboxes on different scenarios at once without either seeing the other', async () => {
      await admin('PUT', '/scenario?key=limited', { name: 'dialnexa-rate-limited' });
      await admin('PUT', '/scenario?key=failing', { name: 'dialnexa-retry-then-succeed' });
      const run = async (key: string) => {
        const statuses: number[] = [];
        for (let i = 0; i < 4; i++) statuses.push((await vendor(key, 'POST', '/v1/campaigns', campaign)).status);
        return statuses;
      };
      const [limited, failing, plain] = await Promise.all([run('limited'), run('failing'), run('plain')]);
      expect(limited).toEqual([429, 429, 429, 201]);
      expect(failing).toEqual([500, 500, 201, 201]);
      expect(plain).toEqual([201, 201, 201, 201]);
    });

    it('picks the per-request scenario over the sticky one', async () => {
      await admin('PUT', '/scenario?key=both', { name: 'dialnexa-rate-limited' });
      const res = await fetch(`${server.url}/v1/campaigns/cmp_000000000000`, { headers: { authorization: 'Bearer both', 'x-mock-scenario': 'dialnexa.getCampaign.403' } });
      expect(res.status).toBe(403);
    });

    it('drops the connection over real HTTP', async () => {
      const outcomes = [];
      for (let i = 0; i < 10; i++) {
        outcomes.push(
          await fetch(`${server.url}/v1/campaigns/cmp_000000000000`, { headers: { authorization: 'Bearer flaky', 'x-mock-scenario': 'flaky-network' } }).then(
            (res) => res.status,
            (error: Error) => error.message,
          ),
        );
      }
      expect(outcomes).toContain('fetch failed');
      expect(outcomes).toContain(404);
    });

    it('adds the latency a scenario asks for', async () => {
      const started = performance.now();
      const res = await fetch(`${server.url}/v1/campaigns/cmp_000000000000`, { headers: { authorization: 'Bearer slow', 'x-mock-scenario': 'test-fixed-latency' } });
      expect(res.status).toBe(404);
      expect(performance.now() - started).toBeGreaterThanOrEqual(145);
    });
  });

  describe('journal', () => {
    it('records each request with its sandbox, operation, status, duration and violations, filtered', async () => {
      await vendor('j1', 'POST', '/v1/campaigns', campaign);
      await vendor('j1', 'POST', '/v1/campaigns', { name: 7 });
      await vendor('j2', 'GET', '/v1/campaigns/cmp_000000000000');
      await fetch(`${server.url}/v1/campaigns/cmp_000000000000`);
      await fetch(`${server.url}/v1/nowhere`, { headers: { authorization: 'Bearer j1' } });

      const j1 = (await json(admin('GET', '/requests?key=j1'))).body.requests;
      expect(j1.map((e: any) => [e.method, e.operationId, e.status])).toEqual([
        ['POST', 'createCampaign', 201],
        ['POST', 'createCampaign', 400],
      ]);
      expect(j1[1]).toEqual({
        id: expect.any(Number),
        time: expect.any(String),
        key: 'j1',
        vendor: 'dialnexa',
        operationId: 'createCampaign',
        method: 'POST',
        path: '/v1/campaigns',
        query: '',
        status: 400,
        durationMs: expect.any(Number),
        scenario: null,
        violations: ['body.name: must be string', 'body.agent_id: is required'],
        replyViolations: [],
        requestBody: { name: 7 },
        responseBody: JSON.stringify({ statusCode: 400, message: ['name must be a string', 'agent_id should not be empty'], error: 'Bad Request' }),
      });
      // Without ?key=, entries name their sandbox by a hash of the key, never by the key.
      const byOperation = (await json(admin('GET', '/requests?operation=getCampaign'))).body.requests;
      expect(byOperation.map((e: any) => [e.key, e.keyHash, e.status])).toEqual([
        [null, createHash('sha256').update('j2').digest('hex').slice(0, 12), 404],
        [null, null, 401],
      ]);
      const violations = (await json(admin('GET', '/violations'))).body.violations;
      expect(violations.map((e: any) => e.violations[0])).toEqual([
        'body.name: must be string',
        'security: the request carries no usable credential',
        'no DialNexa operation is GET /v1/nowhere',
      ]);
      const future = (await json(admin('GET', `/requests?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`))).body.requests;
      expect(future).toEqual([]);
      expect((await json(admin('GET', '/requests?since=yesterday'))).status).toBe(400);
    });

    it('keeps secrets out: a webhook signing secret reads [redacted], and no key is listed without ?key=', async () => {
      await vendor('j3', 'POST', '/v1/user-webhooks', { url: 'http://127.0.0.1:9/hooks', events: ['campaign.paused'], secret: 'whsec_do_not_show' });
      const [mine] = (await json(admin('GET', '/requests?key=j3'))).body.requests;
      expect(mine.requestBody).toEqual({ url: 'http://127.0.0.1:9/hooks', events: ['campaign.paused'], secret: '[redacted]' });
      // The answer is kept as it was sent, and it never carried the secret.
      expect(JSON.parse(mine.responseBody)).toMatchObject({ url: 'http://127.0.0.1:9/hooks', events: ['campaign.paused'] });
      expect(JSON.stringify(mine)).not.toContain('whsec_do_not_show');
      const everyone = await (await admin('GET', '/requests')).text();
      expect(everyone).not.toContain('whsec_do_not_show');
      expect(everyone).not.toContain('"j3"');
    });

    it('pages its answer, and compares times as times', async () => {
      for (let i = 0; i < 7; i++) await vendor('paged', 'GET', `/v1/campaigns/cmp_${String(i).padStart(12, '0')}`);
      const first = (await json(admin('GET', '/requests?key=paged&limit=3'))).body;
      expect(first.requests.map((e: any) => e.path.slice(-1))).toEqual(['0', '1', '2']);
      const second = (await json(admin('GET', `/requests?key=paged&limit=3&after=${first.next}`))).body;
      expect(second.requests.map((e: any) => e.path.slice(-1))).toEqual(['3', '4', '5']);
      const last = (await json(admin('GET', `/requests?key=paged&limit=3&after=${second.next}`))).body;
      expect([last.requests.map((e: any) => e.path.slice(-1)), last.next]).toEqual([['6'], null]);
      expect((await json(admin('GET', '/requests?limit=0'))).status).toBe(400);
      // The same instant written with an offset: every entry is after an hour ago.
      const anHourAgo = new Date(Date.now() - 3_600_000);
      const withOffset = `${new Date(anHourAgo.getTime() + 2 * 3_600_000).toISOString().slice(0, 19)}+02:00`;
      expect((await json(admin('GET', `/requests?key=paged&since=${encodeURIComponent(withOffset)}`))).body.requests).toHaveLength(7);
    });

    it('keeps at most its limit, dropping the oldest, and forgets a reset sandbox', async () => {
      for (let i = 0; i < 60; i++) await vendor('many', 'GET', `/v1/campaigns/cmp_${String(i).padStart(12, '0')}`);
      const { body } = await json(admin('GET', '/requests'));
      expect(body.capacity).toBe(50);
      expect(body.requests).toHaveLength(50);
      expect(body.requests[0].path).toBe('/v1/campaigns/cmp_000000000010');
      await admin('POST', '/reset?key=many');
      expect((await json(admin('GET', '/requests?key=many'))).body.requests).toEqual([]);
    });
  });
});

describe('sandbox clocks and scenarios in a file database', () => {
  it('survive a restart', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'campaign-mock-clock-'));
    const db = join(folder, 'mock.sqlite');
    try {
      const first = createMockApp({ db, logger: createLogger('silent'), speed: 0 });
      const advanced = (await (await first.app.request('/__admin/clock/advance?key=k', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"seconds": 7200}' })).json()) as { now: string };
      await first.app.request('/__admin/scenario?key=k', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"name": "dialnexa-rate-limited"}' });
      first.close();
      const second = createMockApp({ db, logger: createLogger('silent'), speed: 0 });
      expect(await (await second.app.request('/__admin/clock?key=k')).json()).toEqual({ now: advanced.now });
      expect(await (await second.app.request('/__admin/scenario?key=k')).json()).toEqual({ key: 'k', scenario: 'dialnexa-rate-limited' });
      second.close();
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
