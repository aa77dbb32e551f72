import { afterAll, describe, expect, it } from 'vitest';
import { createMockApp } from '../../src/app.js';
import { createLogger } from '../../src/logger.js';
import { startMock } from '../../src/start-mock.js';
import { VENDORS } from '../../src/vendors/registry.js';
import { built, fixtureVendor } from './fixture-vendor/index.js';

// A fourth vendor is its folder and its spec (test/engine/fixture-vendor/): nothing in src/ names it.
describe('a vendor added as a folder and a spec', () => {
  const before = built.count;
  const mock = createMockApp({ vendors: [...VENDORS, fixtureVendor], strict: true, logger: createLogger('silent') });
  afterAll(() => mock.close());
  const send = (method: string, path: string, key: string | null, body?: unknown) =>
    mock.app.request(path, {
      method,
      headers: { ...(key === null ? {} : { 'x-api-key': key }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  it('is served beside the shipped vendors, its data kept per sandbox', async () => {
    const created = await send('POST', '/fixture/v1/widgets', 'fx_a', { name: 'First', timezone: 'Asia/Kolkata' });
    expect(created.status).toBe(201);
    const widget = (await created.json()) as { id: number };
    expect(widget).toMatchObject({ name: 'First', timezone: 'Asia/Kolkata' });

    const read = await send('GET', `/fixture/v1/widgets/${widget.id}`, 'fx_a');
    expect([read.status, await read.json()]).toEqual([200, widget]);
    const elsewhere = await send('GET', `/fixture/v1/widgets/${widget.id}`, 'fx_b');
    expect([elsewhere.status, await elsewhere.json()]).toEqual([404, { detail: 'Widget not found' }]);

    const shipped = await mock.app.request('/v1/campaigns/cmp_nothere', { headers: { authorization: 'Bearer dnx_a' } });
    expect(shipped.status).toBe(404);
    expect(mock.vendors.map((vendor) => vendor.name)).toEqual(['dialnexa', 'asisso', 'sarvam', 'fixture']);
  });

  it("answers the engine's errors in the envelope of the framework preset it chose", async () => {
    const anonymous = await send('POST', '/fixture/v1/widgets', null, { name: 'x', timezone: 'UTC' });
    expect([anonymous.status, await anonymous.json()]).toEqual([401, { detail: 'Invalid API key' }]);
    const invalid = await send('POST', '/fixture/v1/widgets', 'fx_a', { timezone: 'UTC' });
    expect([invalid.status, await invalid.json()]).toEqual([422, { detail: [{ type: 'missing', loc: ['body', 'name'], msg: 'Field required', input: { timezone: 'UTC' } }] }]);
    const zone = await send('POST', '/fixture/v1/widgets', 'fx_a', { name: 'x', timezone: 'IST' });
    expect([zone.status, await zone.json()]).toEqual([
      422,
      { detail: [{ type: 'value_error', loc: ['body', 'timezone'], msg: 'Value error, Invalid timezone: IST', input: 'IST', ctx: { error: {} } }] },
    ]);
    const nowhere = await send('GET', '/fixture/v1/gadgets', 'fx_a');
    expect([nowhere.status, await nowhere.json()]).toEqual([404, { detail: 'Not Found' }]);
  });

  it('is built once per app: its stores, and so its statements, are shared by its handlers and its dialer', () => {
    expect(built.count - before).toBe(1);
  });

  it("gets a base URL from startMock(), named by the vendor's own name", async () => {
    const server = await startMock({ vendors: [...VENDORS, fixtureVendor] });
    try {
      expect(server.baseUrls.fixture).toBe(`${server.url}/fixture/v1`);
      expect(server.baseUrls.sarvam).toBe(`${server.url}/api/scheduling`);
      const res = await fetch(`${server.baseUrls.fixture}/widgets`, {
        method: 'POST',
        headers: { 'x-api-key': 'fx_live', 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Live', timezone: 'PST8PDT' }),
      });
      expect(res.status).toBe(201);
    } finally {
      await server.close();
    }
  });

  it('refuses two vendors that would answer for each other', () => {
    expect(() => createMockApp({ vendors: [...VENDORS, fixtureVendor, { ...fixtureVendor, title: 'Copy', basePath: '/copy' }] })).toThrow(
      'campaign-mock: vendors Fixture and Copy share the name "fixture"; give each vendor its own name and base path',
    );
  });
});
