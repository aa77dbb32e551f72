import { afterAll, describe, expect, it } from 'vitest';
import { createMockApp } from '../src/app.js';
import { createLogger } from '../src/logger.js';
import { VENDORS } from '../src/vendors/registry.js';

describe('MockApp.advanceClock', () => {
  const mock = createMockApp({ speed: 0, logger: createLogger('silent') });
  afterAll(() => mock.close());
  const clock = async (key: string) => new Date(((await (await mock.app.request(`/__admin/clock?key=${key}`)).json()) as { now: string }).now).getTime();

  it("takes (seconds, key), as startMock()'s advance does", async () => {
    const start = await clock('dnx_order');
    const now = await mock.advanceClock(90, 'dnx_order');
    expect(now.getTime() - start).toBe(90_000);
    expect(await clock('dnx_order')).toBe(now.getTime());
  });

  it('still takes the deprecated key-first order', async () => {
    const start = await clock('dnx_legacy');
    const now = await mock.advanceClock('dnx_legacy', 30);
    expect(now.getTime() - start).toBe(30_000);
    expect(await clock('dnx_legacy')).toBe(now.getTime());
  });
});

describe('createMockApp({ vendors })', () => {
  it('refuses a list that leaves out a shipped vendor, saying which and how to add one of your own', () => {
    const sarvam = VENDORS.find((vendor) => vendor.name === 'sarvam') as (typeof VENDORS)[number];
    expect(() => createMockApp({ vendors: [sarvam], logger: createLogger('silent') })).toThrow(
      'campaign-mock: the vendors option leaves out dialnexa, asisso; the bundled fixtures, scenarios and the inspector need every vendor campaign-mock ships, so list them first and add your own after: vendors: [...VENDORS, yours]',
    );
  });
});
