import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockApp, type MockApp } from '../../src/app.js';
import { createLogger } from '../../src/logger.js';

/**
 * No request with key B can read, change or list anything of key A's, whatever B does, in any
 * order: a property checked over random sequences of B's requests, against A's data in all three
 * vendors (A's fixtures, and a DialNexa campaign with a lead A created itself).
 */

const A = 'isolation_a';
const B = 'isolation_b';
const SARVAM = '/api/scheduling/v1/orgs/org-demo/workspaces/ws-demo';

const headersFor = (path: string, key: string): Record<string, string> =>
  path.startsWith('/v1/') ? { authorization: `Bearer ${key}`, 'content-type': 'application/json' } : { 'x-api-key': key, 'content-type': 'application/json' };

describe('sandboxes', () => {
  let mock: MockApp;
  const call = async (key: string, method: string, path: string, body?: unknown) => {
    const res = await mock.app.request(path, { method, headers: headersFor(path, key), ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  };
  /** Everything A can see: the reads that make up A's state. */
  let aReads: string[] = [];
  let aLead = '';
  let aCampaign = '';
  const snapshot = async () => Promise.all(aReads.map(async (path) => [path, await call(A, 'GET', path)] as const));

  beforeAll(async () => {
    mock = createMockApp({ strict: true, speed: 0, logger: createLogger('silent') });
    for (const fixture of ['dialnexa/campaigns', 'asisso/campaigns', 'sarvam/campaigns']) {
      const res = await mock.app.request(`/__admin/fixtures?key=${A}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: fixture }) });
      expect(res.status).toBe(200);
    }
    aCampaign = ((await call(A, 'POST', '/v1/campaigns', { name: 'Mine', agent_id: 'agt_a', from_phone_number: '+14155550100', scheduled_at: '2099-01-01T00:00:00Z' })).body as { id: string }).id;
    aLead = ((await call(A, 'POST', '/v1/campaigns-leads', { phoneNumber: '+14155550199', campaignId: aCampaign })).body as { id: string }).id;
    aReads = [
      `/v1/campaigns/${aCampaign}`,
      `/v1/campaigns/cmp_fxrunning001`,
      `/v1/campaigns-leads/${aLead}`,
      '/v1/call-logs?limit=100',
      '/api/v1/campaign/',
      '/api/v1/campaign/1',
      `${SARVAM}/campaigns?limit=100`,
      `${SARVAM}/campaigns/camp-fxactive`,
    ];
  });
  afterAll(() => mock?.close());

  /** B's requests, each aimed at something of A's (ids B does not own, or ids B owns too). */
  const bRequests = fc.constantFrom<[string, string, unknown?]>(
    ['GET', `/v1/campaigns/__A__`],
    ['PATCH', `/v1/campaigns/__A__`, { name: 'Taken', status: 'paused' }],
    ['GET', '/v1/campaigns/cmp_fxrunning001'],
    ['PATCH', '/v1/campaigns/cmp_fxrunning001', { status: 'cancelled' }],
    ['GET', `/v1/campaigns-leads/__LEAD__`],
    ['DELETE', `/v1/campaigns-leads/__LEAD__`],
    ['GET', '/v1/call-logs'],
    ['GET', '/api/v1/campaign/'],
    ['GET', '/api/v1/campaign/1'],
    ['PATCH', '/api/v1/campaign/1', { name: 'Taken' }],
    ['POST', '/api/v1/campaign/1/pause'],
    ['GET', `${SARVAM}/campaigns`],
    ['GET', `${SARVAM}/campaigns/camp-fxactive`],
    ['PUT', `${SARVAM}/campaigns/camp-fxactive/status`, { action: 'cancel' }],
    ['FIXTURE', 'asisso/campaigns'],
    ['FIXTURE', 'sarvam/campaigns'],
    ['FIXTURE', 'dialnexa/campaigns'],
    ['ADVANCE', '3600'],
  );

  it('keep every request of one key away from another key’s data', async () => {
    const before = await snapshot();
    expect(before.every(([, read]) => read.status === 200)).toBe(true);
    await fc.assert(
      fc.asyncProperty(fc.array(bRequests, { minLength: 1, maxLength: 12 }), async (requests) => {
        await mock.app.request(`/__admin/reset?key=${B}`, { method: 'POST' });
        for (const [method, rawPath, body] of requests) {
          const path = rawPath.replace('__A__', aCampaign).replace('__LEAD__', aLead);
          if (method === 'FIXTURE') {
            await mock.app.request(`/__admin/fixtures?key=${B}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: path }) });
            continue;
          }
          if (method === 'ADVANCE') {
            await mock.app.request(`/__admin/clock/advance?key=${B}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ seconds: Number(path) }) });
            continue;
          }
          const res = await call(B, method, path, body);
          expect(res.status, `${method} ${path}`).toBeLessThan(500);
          // Reads of A's own ids are 404s for B: nothing of A's is visible.
          if (path.includes(aCampaign) || path.includes(aLead)) expect(res.status, `${method} ${path}`).toBe(404);
          // Lists show only B's own: A's campaign and lead are never in them.
          if (method === 'GET') expect(JSON.stringify(res.body)).not.toContain(aCampaign);
        }
        // Whatever B did, A reads exactly what it read before (A's clock did not move).
        expect(await snapshot()).toEqual(before);
      }),
      { numRuns: 30, seed: 20261122 },
    );
  });
});
