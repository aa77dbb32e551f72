import { afterAll, beforeAll, expect } from 'vitest';
import type { MockApp } from '../../src/app.js';
import { createLogger } from '../../src/logger.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { makeCaller, type Auth, type Caller, type Fetcher } from './caller.js';
import { startPrismProxy, violationsOf, type PrismProxy, type PrismViolation } from './prism.js';

export interface BehindPrism {
  /** A caller through Prism for a key (`null`: no credential). */
  as(key: string | null): Caller;
  /**
   * A caller straight to the mock's server, for binary bodies: Prism's proxy forwards a
   * multipart body re-encoded as text, which breaks an XLSX file. The mock runs strict, so its
   * answers are still checked against the spec.
   */
  direct(key: string | null): Caller;
  /** The mock behind the proxies, for seeding its store. */
  mock(): MockApp;
  /** Wipes every sandbox, directly on the mock. */
  reset(): Promise<void>;
  /** Moves a sandbox's clock forward, directly on the mock. */
  advance(key: string, seconds: number): Promise<void>;
}

/**
 * Runs a vendor suite over real HTTP with Prism in front as the independent contract checker.
 * Requests that keep to the spec go through `prism proxy --errors`, which turns any response
 * violation into a 500; requests that break it on purpose (`invalid: true`) go through a proxy
 * without `--errors` (which would otherwise answer them itself), and there no response violation
 * may be reported either. After the suite, the whole run must have shown no violation at all.
 *
 * Call it inside a `describe`; it registers the hooks.
 */
export function behindPrism(options: { spec: string; keysFile?: string; auth: Auth; minimumRequests: number; speed?: number }): BehindPrism {
  let server: RunningServer;
  let strictProxy: PrismProxy;
  let lenientProxy: PrismProxy;
  const seen = { requests: 0, violations: [] as Array<{ request: string; violation: PrismViolation }> };

  beforeAll(async () => {
    server = await startServer({
      port: 0,
      strict: true,
      logger: createLogger('silent'),
      ...(options.keysFile ? { keysFile: options.keysFile } : {}),
      ...(options.speed === undefined ? {} : { speed: options.speed }),
    });
    [strictProxy, lenientProxy] = await Promise.all([
      startPrismProxy(options.spec, server.url, { errors: true }),
      startPrismProxy(options.spec, server.url, { errors: false }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([strictProxy?.close(), lenientProxy?.close()]);
    await server?.close();
    expect(seen.violations, 'Prism reported contract violations').toEqual([]);
    expect(seen.requests).toBeGreaterThanOrEqual(options.minimumRequests);
  });

  const fetcher: Fetcher = async (path, init, callOptions) => {
    const proxy = callOptions.invalid ? lenientProxy : strictProxy;
    const response = await fetch(`${proxy.url}${path}`, init);
    seen.requests++;
    const request = `${init.method} ${path}`;
    const violations = violationsOf(response);
    for (const violation of violations) {
      // A request that breaks the spec on purpose is expected to show request violations.
      if (callOptions.invalid && violation.location[0] === 'request') continue;
      seen.violations.push({ request, violation });
    }
    expect(violations.filter((v) => v.location[0] === 'response'), `response violations for ${request}`).toEqual([]);
    if (!callOptions.invalid) expect(violations, `violations for ${request}`).toEqual([]);
    return response;
  };

  return {
    as: (key) => makeCaller(fetcher, key, options.auth),
    direct: (key) => makeCaller((path, init) => fetch(`${server.url}${path}`, init), key, options.auth),
    mock: () => server.mock,
    reset: async () => {
      await fetch(`${server.url}/__admin/reset`, { method: 'POST' });
    },
    advance: async (key, seconds) => {
      await fetch(`${server.url}/__admin/clock/advance?key=${encodeURIComponent(key)}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ seconds }) });
    },
  };
}
