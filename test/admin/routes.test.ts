import { afterAll, describe, expect, it } from 'vitest';
import { VENDORS } from '../../src/vendors/registry.js';
import { testMock } from '../helpers/mock.js';

describe('/__admin', () => {
  const { mock, as } = testMock();
  afterAll(() => mock.close());
  const campaign = { name: 'c', agent_id: 'agt_1', from_phone_number: '+14155550100' };

  it('answers health', async () => {
    const res = await mock.app.request('/__admin/health');
    expect([res.status, await res.json()]).toEqual([200, { status: 'ok' }]);
  });

  it('wipes one sandbox with ?key, leaving the others', async () => {
    const a = (await as('reset_a')('POST', '/v1/campaigns', { body: campaign })).body;
    const b = (await as('reset_b')('POST', '/v1/campaigns', { body: campaign })).body;
    const res = await mock.app.request('/__admin/reset?key=reset_a', { method: 'POST' });
    expect([res.status, await res.json()]).toEqual([200, { status: 'ok', reset: 'sandbox', key: 'reset_a' }]);
    expect((await as('reset_a')('GET', `/v1/campaigns/${a.id}`)).status).toBe(404);
    expect((await as('reset_b')('GET', `/v1/campaigns/${b.id}`)).status).toBe(200);
  });

  it('wipes everything without ?key, and the keys work again afterwards', async () => {
    const b = (await as('reset_b')('POST', '/v1/campaigns', { body: campaign })).body;
    const res = await mock.app.request('/__admin/reset', { method: 'POST' });
    expect(await res.json()).toEqual({ status: 'ok', reset: 'all' });
    expect((await as('reset_b')('GET', `/v1/campaigns/${b.id}`)).status).toBe(404);
    expect((await as('reset_b')('POST', '/v1/campaigns', { body: campaign })).status).toBe(201);
    expect(mock.db.prepare('SELECT count(*) FROM dialnexa_campaigns').pluck().get()).toBe(1);
  });

  it('refuses an empty ?key= rather than wiping everything', async () => {
    const res = await mock.app.request('/__admin/reset?key=', { method: 'POST' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/^campaign-mock: \?key= is empty/);
  });

  it("answers a path under a vendor's base with the vendor's not-found envelope", async () => {
    const res = await mock.app.request('/v1/campaigns', { method: 'GET' });
    expect([res.status, await res.json()]).toEqual([404, { statusCode: 404, message: 'Cannot GET /v1/campaigns', error: 'Not Found' }]);
  });

  it('answers any other path with a campaign-mock 404 that lists where routes live', async () => {
    const res = await mock.app.request('/nowhere');
    expect(res.status).toBe(404);
    const bases = VENDORS.map((v) => `${v.basePath} (${v.title})`).join(', ');
    expect(((await res.json()) as { error: string }).error).toBe(`campaign-mock: no route for GET /nowhere. Vendor routes live under ${bases}; the control plane under /__admin.`);
  });
});
