import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { testMock } from '../helpers/mock.js';

const dir = mkdtempSync(join(tmpdir(), 'campaign-mock-rules-'));
writeFileSync(
  join(dir, 'rules.yaml'),
  `name: test-rules
description: Rules exercised by the runtime tests.
seed: 3
rules:
  - match: { vendor: dialnexa, operationId: createCampaign, body: { name: Fail me } }
    times: 2
    respond: { status: 500 }
  - match: { vendor: dialnexa, operationId: getCampaign, params: { id: cmp_fxrunning001 }, call: 2 }
    respond: { status: 404 }
  - match: { vendor: dialnexa, operationId: getCampaign, params: { id: cmp_amended00001 } }
    respond:
      status: 200
      headers: { X-Forced: 'yes' }
      body: { id: cmp_amended00001, organization_id: org_x, name: Forced, agent_id: a, from_phone_number: '+14155550100', status: completed, max_concurrent_calls: 1, scheduled_at: null, retry_config: { max_retries: 0, retry_interval_minutes: 1 }, total_leads: 0, completed_calls: 0, pending_calls: 0, created_at: '2024-01-01T00:00:00.000Z' }
  - match: { vendor: dialnexa, operationId: updateCampaign }
    respond: { body: { status: completed }, headers: { X-Amended: 'yes' } }
  - match: { vendor: dialnexa, operationId: listCallLogs, query: { agent_id: coin }, probability: 0.5 }
    respond: { status: 429 }
  - match: { vendor: dialnexa, operationId: listCallLogs, query: { agent_id: amended } }
    respond: { body: { meta: { total: 99 } } }
`,
);

describe('scenario rules', () => {
  const { mock, call, as } = testMock({ scenarioDirs: [dir] });
  afterAll(() => mock.close());
  beforeEach(async () => {
    await mock.app.request('/__admin/reset', { method: 'POST' });
  });
  const campaign = { name: 'Fail me', agent_id: 'agt_1', from_phone_number: '+14155550100' };
  const inScenario = { 'x-mock-scenario': 'test-rules' };

  it('fail twice, then succeed: `times` limits a rule, and a body field narrows it', async () => {
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call('POST', '/v1/campaigns', { body: campaign, headers: inScenario })).status);
    expect(statuses).toEqual([500, 500, 201]);
    const other = await call('POST', '/v1/campaigns', { body: { ...campaign, name: 'Fine' }, headers: inScenario });
    expect(other.status).toBe(201);
    const forced = await as('dnx_test_other')('POST', '/v1/campaigns', { body: campaign, headers: inScenario });
    expect([forced.status, forced.body]).toEqual([500, { statusCode: 500, message: 'Internal server error', error: 'Internal Server Error' }]);
  });

  it('`call` fires on the n-th matching request only, matching path parameters', async () => {
    await mock.app.request('/__admin/fixtures?key=dnx_test_a', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'dialnexa/campaigns' }) });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call('GET', '/v1/campaigns/cmp_fxrunning001', { headers: inScenario })).status);
    expect(statuses).toEqual([200, 404, 200]);
    expect(mock.journal.find({ key: 'dnx_test_a' }).map((e) => e.scenario)).toEqual([null, 'test-rules', null]);
  });

  it('forces a documented success with the rule body and headers', async () => {
    const res = await call('GET', '/v1/campaigns/cmp_amended00001', { headers: inScenario });
    expect([res.status, res.body.name, res.headers.get('x-forced')]).toEqual([200, 'Forced', 'yes']);
  });

  it('amends the real answer when the rule gives no status', async () => {
    const created = (await call('POST', '/v1/campaigns', { body: { ...campaign, name: 'Real' } })).body;
    const res = await call('PATCH', `/v1/campaigns/${created.id}`, { body: { name: 'Renamed' }, headers: inScenario });
    expect([res.status, res.body.name, res.body.status, res.headers.get('x-amended')]).toEqual([200, 'Renamed', 'completed', 'yes']);
  });

  it('amends a reply whose handler serialised the body already (a list page, for its ETag)', async () => {
    const res = await call('GET', '/v1/call-logs?agent_id=amended', { headers: inScenario });
    expect([res.status, res.body.meta]).toEqual([200, { page: 1, limit: 20, total: 99, totalPages: 0 }]);
    const plain = await call('GET', '/v1/call-logs?agent_id=amended');
    expect(plain.body.meta.total).toBe(0);
  });

  it('draws probabilities from the seeded generator: the same sequence after every reset', async () => {
    const draw = async () => {
      const statuses = [];
      for (let i = 0; i < 8; i++) statuses.push((await call('GET', '/v1/call-logs?agent_id=coin', { headers: inScenario })).status);
      return statuses;
    };
    const first = await draw();
    expect(new Set(first)).toEqual(new Set([200, 429]));
    await mock.app.request('/__admin/reset', { method: 'POST' });
    expect(await draw()).toEqual(first);
  });

  it("forces a status with Prism's Prefer header, and a named example", async () => {
    const code = await call('PATCH', '/v1/campaigns/cmp_000000000000', { body: {}, headers: { prefer: 'code=409' } });
    expect([code.status, code.body.statusCode]).toEqual([409, 409]);
    const example = await call('PATCH', '/v1/campaigns/cmp_000000000000', { body: {}, headers: { prefer: 'example=terminal' } });
    expect([example.status, example.body]).toEqual([409, { statusCode: 409, message: 'Cannot resume a cancelled campaign', error: 'Conflict' }]);
    const both = await call('POST', '/v1/campaigns-leads/upload-file/cmp_x', { body: new FormData(), headers: { prefer: 'code=400, example=missingColumn' } });
    expect(both.body.message).toBe('The uploaded file must include a phone_number column');
    const lead = await call('GET', '/v1/campaigns-leads/lead_x', { headers: { prefer: 'code=404' } });
    expect(lead.body.message).toBe('Lead not found');
    const untouched = await call('GET', '/v1/campaigns/cmp_000000000000', { headers: { prefer: 'return=minimal' } });
    expect(untouched.status).toBe(404);
  });

  it('refuses what it cannot honour with a campaign-mock error, never a silent fallback', async () => {
    const cases = [
      [{ prefer: 'code=418' }, 'campaign-mock: dialnexa.getCampaign does not document status 418, so the real DialNexa API would not answer it (documented: 200, 401, 403, 404, 429, 500)'],
      [{ prefer: 'code=abc' }, 'campaign-mock: Prefer: code=abc is not a status code; write e.g. Prefer: code=404'],
      [{ prefer: 'example=nope' }, 'campaign-mock: dialnexa.getCampaign has no response example named "nope" (it has: openapi (401), authenticationPage (401), campaign (404), lead (404))'],
      [{ 'x-mock-scenario': 'dialnexa.getCampaign.999' }, 'campaign-mock: unknown scenario "dialnexa.getCampaign.999". Did you mean'],
    ] as const;
    for (const [headers, message] of cases) {
      const res = await call('GET', '/v1/campaigns/cmp_000000000000', { headers: { ...headers } });
      expect(res.status).toBe(400);
      expect(res.headers.get('campaign-mock-error')).toBe('scenario');
      expect(res.body.error).toContain(message);
    }
  });

  it('answers a rate-limited request with 429, Retry-After and the documented X-RateLimit headers', async () => {
    const res = await call('GET', '/v1/campaigns/cmp_000000000000', { headers: { 'x-mock-scenario': 'dialnexa-rate-limited' } });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('2');
    expect(res.headers.get('x-ratelimit-limit')).toBe('60');
    expect(res.headers.get('x-ratelimit-remaining')).toBe('0');
    const clock = (await (await mock.app.request('/__admin/clock?key=dnx_test_a')).json()) as { now: string };
    expect(Number(res.headers.get('x-ratelimit-reset'))).toBe(Math.ceil(Date.parse(clock.now) / 1000) + 2);
  });

  it('drops the connection: under app.request() a network-error response', async () => {
    const res = await mock.app.request('/v1/campaigns/cmp_000000000000', { headers: { authorization: 'Bearer dnx_test_a', prefer: '', 'x-mock-scenario': 'flaky-network' } });
    const statuses = [res.status];
    for (let i = 0; i < 9; i++) statuses.push((await mock.app.request('/v1/campaigns/cmp_000000000000', { headers: { authorization: 'Bearer dnx_test_a', 'x-mock-scenario': 'flaky-network' } })).status);
    expect(statuses).toContain(0);
    expect(statuses).toContain(404);
    expect(mock.journal.find({ key: 'dnx_test_a' }).filter((e) => e.status === 0).length).toBe(statuses.filter((s) => s === 0).length);
  });
});
