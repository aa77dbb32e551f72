import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN_SPEC_FILE, INSPECTOR_PAGE_DIR, SPEC_CACHE_DIR } from '../../src/app.js';
import { loadSpec } from '../../src/engine/spec/load.js';
import { apiKeyHeaderAuth } from '../helpers/caller.js';
import { testMock } from '../helpers/mock.js';
import { startMock } from '../../src/start-mock.js';

const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

interface SandboxListing {
  sandboxes: Array<{ key: string; vendors: string[]; requests: number; lastActivity: string; scenario: string | null }>;
}

describe('the routes the inspector reads', () => {
  const { mock, as } = testMock({ speed: 0 });
  afterAll(() => mock.close());
  const KEY = 'dnx_inspect_a';
  const call = as(KEY);

  const createCampaign = async () =>
    (await call('POST', '/v1/campaigns', { body: { name: 'Inspected', agent_id: 'agt_1', from_phone_number: '+14155550100', retry_config: { max_retries: 1, retry_interval_minutes: 5 } } })).body as {
      id: string;
    };
  const upload = async (campaignId: string, phones: string[]) => {
    const form = new FormData();
    form.append('file', new Blob([`phone_number\n${phones.join('\n')}\n`], { type: 'text/csv' }), 'leads.csv');
    expect((await call('POST', `/v1/campaigns-leads/upload-file/${campaignId}`, { body: form })).status).toBe(201);
  };

  it('lists the sandboxes that exist with the vendors they called and their request counts, creating none', async () => {
    await as('dnx_inspect_b')('POST', '/v1/campaigns', { body: { name: 'b', agent_id: 'agt_1' } });
    await as('dnx_inspect_b')('GET', '/v1/campaigns/cmp_nothere');
    const before = mock.db.prepare('SELECT count(*) FROM sandboxes').pluck().get();
    const { sandboxes } = (await (await mock.app.request('/__admin/sandboxes')).json()) as SandboxListing;
    expect(mock.db.prepare('SELECT count(*) FROM sandboxes').pluck().get()).toBe(before);
    expect(sandboxes.find((s) => s.key === 'dnx_inspect_b')).toMatchObject({ vendors: ['dialnexa'], requests: 2, scenario: null });
    const journal = (await (await mock.app.request('/__admin/requests?key=dnx_inspect_b')).json()) as { requests: Array<{ time: string }> };
    expect(sandboxes.find((s) => s.key === 'dnx_inspect_b')?.lastActivity).toBe(journal.requests.at(-1)?.time);
    await as('dnx_inspect_c')('GET', '/v1/campaigns/cmp_nothere');
    const first = (await (await mock.app.request('/__admin/sandboxes?limit=1')).json()) as SandboxListing & { total: number };
    expect(first.sandboxes.map((s) => s.key)).toEqual(['dnx_inspect_c']);
    expect(first.total).toBe(mock.db.prepare('SELECT count(*) FROM sandboxes').pluck().get());
    expect((await mock.app.request('/__admin/sandboxes?limit=0')).status).toBe(400);
  });

  it("reports a DialNexa campaign's status and counters as GET /v1/campaigns/{id} does, with a page of its leads and its calls", async () => {
    const { id } = await createCampaign();
    await upload(id, ['+14155551000', '+14155550001', '+14155550004']);
    await mock.app.request(`/__admin/clock/advance?key=${KEY}`, json({ seconds: 120 }));
    const vendor = (await call('GET', `/v1/campaigns/${id}`)).body as { status: string; total_leads: number; completed_calls: number; pending_calls: number };
    const { campaigns } = (await (await mock.app.request(`/__admin/campaigns?key=${KEY}`)).json()) as { campaigns: Array<Record<string, unknown>> };
    expect(campaigns).toEqual([
      {
        vendor: 'dialnexa',
        id,
        name: 'Inspected',
        status: vendor.status,
        counters: { total_leads: vendor.total_leads, completed_calls: vendor.completed_calls, pending_calls: vendor.pending_calls },
        progress: { done: vendor.total_leads - vendor.pending_calls, total: 3 },
        createdAt: expect.any(String),
      },
    ]);
    const detail = (await (await mock.app.request(`/__admin/campaigns/dialnexa/${id}?key=${KEY}&limit=2&offset=1`)).json()) as {
      leads: { total: number; offset: number; items: Array<{ phone_number: string }> };
      calls: { total: number; items: unknown[] };
    };
    expect(detail.leads).toMatchObject({ total: 3, offset: 1 });
    expect(detail.leads.items.map((lead) => lead.phone_number)).toEqual(['+14155550001', '+14155550004']);
    const logs = (await call('GET', `/v1/call-logs?campaign_id=${id}&limit=100`)).body as { data: unknown[] };
    expect(detail.calls.total).toBe(logs.data.length);
    expect(detail.calls.items).toHaveLength(Math.min(2, logs.data.length));
  });

  it("counts the timeline's calls from the call logs: placed, answered, failed, retried", async () => {
    await mock.app.request(`/__admin/clock/advance?key=${KEY}`, json({ seconds: 3600 }));
    const logs = ((await call('GET', '/v1/call-logs?limit=100')).body as { data: Array<{ status: string }> }).data;
    const timeline = (await (await mock.app.request(`/__admin/timeline?key=${KEY}&interval=60`)).json()) as {
      intervalSeconds: number;
      buckets: Array<{ placed: number }>;
      totals: { placed: number; answered: number; failed: number; retried: number };
      marks: Array<{ status: string }>;
    };
    expect(timeline.intervalSeconds).toBe(60);
    // One busy lead is called twice (max_retries 1); the others once.
    expect(timeline.totals).toEqual({
      placed: logs.length,
      answered: logs.filter((log) => log.status === 'completed').length,
      failed: logs.filter((log) => ['busy', 'no_answer', 'failed'].includes(log.status)).length,
      retried: 1,
    });
    expect(logs.length).toBe(4);
    expect(timeline.buckets.reduce((sum, bucket) => sum + bucket.placed, 0)).toBe(4);
    expect(timeline.marks.map((mark) => mark.status)).toEqual(['created', 'completed']);
  });

  it('marks every status a campaign took, at the time on the sandbox clock it took it', async () => {
    const key = 'dnx_inspect_statuses';
    const mine = as(key);
    const created = (await mine('POST', '/v1/campaigns', { body: { name: 'Moved about', agent_id: 'agt_1' } })).body as { id: string; status: string };
    const seen: Array<{ status: string; at: string }> = [];
    for (const status of ['paused', 'running', 'paused', 'cancelled']) {
      const { now } = (await (await mock.app.request(`/__admin/clock/advance?key=${key}`, json({ seconds: 600 }))).json()) as { now: string };
      const res = await mine('PATCH', `/v1/campaigns/${created.id}`, { body: { status } });
      expect(res.status).toBe(200);
      seen.push({ status: (res.body as { status: string }).status, at: now });
    }
    const timeline = (await (await mock.app.request(`/__admin/timeline?key=${key}`)).json()) as { marks: Array<{ campaign: string; status: string; at: string }> };
    const marks = timeline.marks.filter((mark) => mark.campaign === created.id).map(({ status, at }) => ({ status, at }));
    expect(marks.map((mark) => mark.status)).toEqual(['created', ...seen.map((change) => change.status)]);
    expect(marks.slice(1)).toEqual(seen);
    // A reset takes the history with the sandbox.
    await mock.app.request(`/__admin/reset?key=${key}`, { method: 'POST' });
    expect(mock.db.prepare("SELECT count(*) FROM campaign_status_changes WHERE campaign_id = ?").pluck().get(created.id)).toBe(0);
  });

  it("answers 404 for another sandbox's campaign, and never shows it", async () => {
    const { id } = await createCampaign();
    const other = await mock.app.request(`/__admin/campaigns/dialnexa/${id}?key=dnx_inspect_b`);
    expect(other.status).toBe(404);
    const listed = (await (await mock.app.request('/__admin/campaigns?key=dnx_inspect_b')).json()) as { campaigns: Array<{ id: string }> };
    expect(listed.campaigns.map((c) => c.id)).not.toContain(id);
  });

  it("serves the control plane's own OpenAPI document, listing exactly the routes the admin router serves", async () => {
    const res = await mock.app.request('/__admin/specs/admin.json');
    expect(res.status).toBe(200);
    const document = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(document.openapi).toBe('3.1.0');
    const documented = Object.entries(document.paths)
      .flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    const served = [...new Set(mock.app.routes.filter((r) => r.method !== 'ALL' && r.path.startsWith('/__admin/')).map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`))].sort();
    expect(documented).toEqual(served);
    expect(loadSpec(ADMIN_SPEC_FILE, SPEC_CACHE_DIR).operations.length).toBe(served.length);
  });
});

describe("the timeline of Asisso's calls", () => {
  const { mock, as } = testMock({ speed: 0, auth: apiKeyHeaderAuth });
  afterAll(() => mock.close());
  const KEY = 'asisso_timeline';

  it("counts the runs GET /api/v1/campaign/{id}/runs lists: placed, answered, failed (not_connected) and retried (tagged retry)", async () => {
    expect((await mock.app.request(`/__admin/fixtures?key=${KEY}`, json({ name: 'asisso/campaigns' }))).status).toBe(200);
    await mock.app.request(`/__admin/clock/advance?key=${KEY}`, json({ seconds: 7200 }));
    const { campaigns } = (await as(KEY)('GET', '/api/v1/campaign/')).body as { campaigns: Array<{ id: number }> };
    const runs: Array<{ is_completed: boolean; gathered_context: { call_tags: string[] } }> = [];
    for (const { id } of campaigns) {
      for (let page = 1; ; page++) {
        const body = (await as(KEY)('GET', `/api/v1/campaign/${id}/runs?page=${page}&limit=100`)).body as { runs: typeof runs; total_pages: number };
        runs.push(...body.runs);
        if (page >= body.total_pages) break;
      }
    }
    const ended = runs.filter((run) => run.is_completed);
    const notConnected = (run: (typeof runs)[number]) => run.gathered_context.call_tags.includes('not_connected');
    const timeline = (await (await mock.app.request(`/__admin/timeline?key=${KEY}`)).json()) as { totals: Record<string, number>; marks: Array<{ vendor: string }> };
    expect(runs.length).toBeGreaterThan(10);
    expect(timeline.totals).toEqual({
      placed: runs.length,
      answered: ended.filter((run) => !notConnected(run)).length,
      failed: ended.filter(notConnected).length,
      retried: runs.filter((run) => run.gathered_context.call_tags.includes('retry')).length,
    });
    expect(new Set(timeline.marks.map((mark) => mark.vendor))).toEqual(new Set(['asisso']));
  });
});

describe("the timeline of Sarvam's call attempts", () => {
  const { mock, as } = testMock({ speed: 0, auth: apiKeyHeaderAuth });
  afterAll(() => mock.close());
  const KEY = 'sarvam_timeline';
  const WORKSPACE = '/api/scheduling/v1/orgs/org-demo/workspaces/ws-demo';

  it("counts the attempts its webhook deliveries carry: connected ones answered, the others failed, retry_attempt > 0 retried", async () => {
    expect((await mock.app.request(`/__admin/fixtures?key=${KEY}`, json({ name: 'sarvam/campaigns' }))).status).toBe(200);
    await mock.app.request(`/__admin/clock/advance?key=${KEY}`, json({ seconds: 7200 }));
    const { items: campaigns } = (await as(KEY)('GET', `${WORKSPACE}/campaigns?limit=100`)).body as { items: Array<{ campaign_id: string }> };
    const attempts: Array<{ connectivity_status: string; retry_attempt: number }> = [];
    for (const { campaign_id } of campaigns) {
      const { items } = (await as(KEY)('GET', `${WORKSPACE}/campaigns/${campaign_id}/webhooks?limit=250`)).body as { items: Array<{ payload: (typeof attempts)[number] }> };
      attempts.push(...items.map((item) => item.payload));
    }
    const timeline = (await (await mock.app.request(`/__admin/timeline?key=${KEY}`)).json()) as { totals: Record<string, number> };
    expect(attempts.length).toBeGreaterThan(5);
    expect(timeline.totals).toEqual({
      placed: attempts.length,
      answered: attempts.filter((a) => a.connectivity_status === 'connected').length,
      failed: attempts.filter((a) => a.connectivity_status !== 'connected').length,
      retried: attempts.filter((a) => a.retry_attempt > 0).length,
    });
  });
});

describe('the sandbox list with a keys file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'campaign-mock-inspector-keys-'));
  const keysFile = join(dir, 'keys.yaml');
  writeFileSync(keysFile, 'keys:\n  - key: dnx_listed_a\n  - key: dnx_listed_b\n');
  const { mock, as } = testMock({ keysFile, speed: 0 });
  afterAll(() => {
    mock.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("shows only listed keys' sandboxes, and refuses to open any other", async () => {
    await as('dnx_listed_a')('POST', '/v1/campaigns', { body: { name: 'a', agent_id: 'agt_1' } });
    expect((await as('dnx_not_listed')('POST', '/v1/campaigns', { body: { name: 'x', agent_id: 'agt_1' } })).status).toBe(401);
    const { sandboxes } = (await (await mock.app.request('/__admin/sandboxes')).json()) as SandboxListing;
    expect(sandboxes.map((s) => s.key)).toEqual(['dnx_listed_a']);
    expect((await mock.app.request('/__admin/campaigns?key=dnx_not_listed')).status).toBe(404);
  });
});

describe('the inspector page', () => {
  const { mock } = testMock();
  afterAll(() => mock.close());

  it('is served by the mock with its built script, style sheets and uPlot, and a policy that lets it reach nothing else', async () => {
    const page = await mock.app.request('/__admin/ui?key=dnx_page');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("connect-src 'self'");
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="(\/__admin\/ui\/[^"]+)"/g)].map((m) => m[1] as string);
    expect(assets.sort()).toEqual(['/__admin/ui/inspector.css', '/__admin/ui/inspector.js', '/__admin/ui/uplot.css', '/__admin/ui/uplot.js']);
    for (const asset of assets) {
      const res = await mock.app.request(asset);
      expect([asset, res.status]).toEqual([asset, 200]);
      expect((await res.text()).length).toBeGreaterThan(100);
    }
    expect((await mock.app.request('/__admin/ui/..%2Fpackage.json')).status).toBe(404);
  });

  it('sits behind the control plane guard: a foreign Host is refused, and so is a missing admin token', async () => {
    expect((await mock.app.request('http://rebind.example.com/__admin/ui')).status).toBe(403);
    const guarded = testMock({ adminToken: 'sekret' });
    try {
      expect((await guarded.mock.app.request('/__admin/ui')).status).toBe(401);
      expect((await guarded.mock.app.request('/__admin/ui/inspector.js')).status).toBe(401);
      expect((await guarded.mock.app.request('/__admin/sandboxes')).status).toBe(401);
      expect((await guarded.mock.app.request('/__admin/ui', { headers: { 'x-admin-token': 'sekret' } })).status).toBe(200);
    } finally {
      guarded.mock.close();
    }
  });
});

/** A GET with a Host header of our choosing (fetch sets its own). */
function getWithHost(url: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', headers: { host } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the inspector page of a mock bound to every address', () => {
  it('is refused under a name a web page could control, and is the same static page whatever ?key= it is given', async () => {
    const mock = await startMock({ host: '0.0.0.0' });
    try {
      for (const path of ['/__admin/ui', '/__admin/ui/inspector.js', '/__admin/sandboxes']) {
        expect([path, (await getWithHost(`${mock.url}${path}`, 'rebind.attacker.example')).status]).toEqual([path, 403]);
      }
      const plain = await getWithHost(`${mock.url}/__admin/ui`, '192.0.2.10');
      expect(plain.status).toBe(200);
      const keyed = await getWithHost(`${mock.url}/__admin/ui?key=${encodeURIComponent('dnx_secret"><script>alert(1)</script>')}`, '192.0.2.10');
      expect(keyed.body).toBe(plain.body);
    } finally {
      await mock.close();
    }
  });

  it('reads nothing but documented control plane routes', () => {
    const script = readFileSync(`${INSPECTOR_PAGE_DIR}inspector.js`, 'utf8');
    const used = [...new Set([...script.matchAll(/['`](\/__admin\/[a-z/]+)/g)].map((m) => (m[1] as string).replace(/\/$/, '')))].sort();
    const documented = Object.keys(loadSpec(ADMIN_SPEC_FILE, SPEC_CACHE_DIR).document.paths ?? {});
    expect(used.length).toBeGreaterThan(8);
    expect(used.filter((path) => !documented.includes(path))).toEqual([]);
  });
});
