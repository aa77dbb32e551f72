import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SPECS_DIR } from '../../src/app.js';
import { loadSpec } from '../../src/engine/spec/load.js';
import { createLogger } from '../../src/logger.js';
import { documentedStatuses } from '../../src/scenarios/forced-reply.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { VENDORS } from '../../src/vendors/registry.js';
import { exampleRequest } from '../helpers/example-request.js';
import { startPrismProxy, violationsOf, type PrismProxy } from '../helpers/prism.js';

/**
 * For every operation of every vendor, every documented error status can be forced with the
 * built-in scenario `<vendor>.<operationId>.<status>`, and the forced answer passes
 * `prism proxy --errors` for that vendor's spec.
 */
describe('forced error statuses, behind prism proxy --errors', () => {
  let server: RunningServer;
  const proxies = new Map<string, PrismProxy>();
  const tally = { requests: 0 };

  beforeAll(async () => {
    server = await startServer({ port: 0, strict: true, logger: createLogger('silent') });
    await Promise.all(VENDORS.map(async (vendor) => proxies.set(vendor.name, await startPrismProxy(`${SPECS_DIR}${vendor.specFile}`, server.url, { errors: true }))));
  });
  afterAll(async () => {
    await Promise.all([...proxies.values()].map((proxy) => proxy.close()));
    await server?.close();
    expect(tally.requests).toBeGreaterThan(40);
  });

  for (const vendor of VENDORS) {
    const spec = loadSpec(`${SPECS_DIR}${vendor.specFile}`);
    describe(vendor.title, () => {
      for (const operation of spec.operations) {
        const statuses = documentedStatuses(operation).filter((status) => status >= 400);
        it(`${operation.operationId}: ${statuses.join(', ')}`, async () => {
          for (const status of statuses) {
            const { path, init } = exampleRequest(spec, operation, `forced_${vendor.name}`);
            const scenario = `${vendor.name}.${operation.operationId}.${status}`;
            const response = await fetch(`${proxies.get(vendor.name)?.url}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), 'x-mock-scenario': scenario } });
            tally.requests++;
            const text = await response.text();
            expect(violationsOf(response), `${scenario}: ${text}`).toEqual([]);
            expect(response.status, `${scenario}: ${text}`).toBe(status);
          }
        });
      }
    });
  }
});
