import { afterAll, beforeAll, describe, expect } from 'vitest';
import { createLogger } from '../../../src/logger.js';
import { startServer, type RunningServer } from '../../../src/server.js';
import { makeCaller, type Fetcher } from '../../helpers/caller.js';
import { dialnexaSeed, type DialnexaSeed } from '../../helpers/dialnexa-seed.js';
import { startPrismProxy, violationsOf, type PrismProxy, type PrismViolation } from '../../helpers/prism.js';
import { describeDialnexaApi, KEYS_FILE } from './suite.js';

const SPEC = new URL('../../../specs/dialnexa.yaml', import.meta.url).pathname;

/**
 * The DialNexa suite over real HTTP, behind Prism as the independent contract checker. Requests
 * that keep to the spec go through `prism proxy --errors`, which turns any response violation into
 * a 500; requests that break it on purpose go through a proxy without `--errors` (which would
 * otherwise answer them itself), and there no response violation may be reported either.
 */
describe('DialNexa API over HTTP, behind prism proxy --errors', () => {
  let server: RunningServer;
  let strictProxy: PrismProxy;
  let lenientProxy: PrismProxy;
  let seed: DialnexaSeed;
  const seen = { requests: 0, violations: [] as Array<{ request: string; violation: PrismViolation }> };

  beforeAll(async () => {
    server = await startServer({ port: 0, strict: true, keysFile: KEYS_FILE, logger: createLogger('silent') });
    seed = dialnexaSeed(server.mock);
    [strictProxy, lenientProxy] = await Promise.all([
      startPrismProxy(SPEC, server.url, { errors: true }),
      startPrismProxy(SPEC, server.url, { errors: false }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([strictProxy?.close(), lenientProxy?.close()]);
    await server?.close();
    expect(seen.violations, 'Prism reported contract violations').toEqual([]);
    expect(seen.requests).toBeGreaterThan(100);
  });

  const fetcher: Fetcher = async (path, init, options) => {
    const proxy = options.invalid ? lenientProxy : strictProxy;
    const response = await fetch(`${proxy.url}${path}`, init);
    seen.requests++;
    const request = `${init.method} ${path}`;
    for (const violation of violationsOf(response)) {
      // A request that breaks the spec on purpose is expected to show request violations.
      if (options.invalid && violation.location[0] === 'request') continue;
      seen.violations.push({ request, violation });
    }
    expect(violationsOf(response).filter((v) => v.location[0] === 'response'), `response violations for ${request}`).toEqual([]);
    if (!options.invalid) expect(violationsOf(response), `violations for ${request}`).toEqual([]);
    return response;
  };

  describeDialnexaApi(() => ({
    as: (key) => makeCaller(fetcher, key),
    seed,
    viaPrism: true,
    reset: async () => {
      await fetch(`${server.url}/__admin/reset`, { method: 'POST' });
    },
  }));
});
