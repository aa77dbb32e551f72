import type { VendorModule } from './engine/vendor.js';
import { createLogger, type LogLevel } from './logger.js';
import { startServer, type RunningServer, type ServerOptions } from './server.js';
import type { VendorName, VENDORS } from './vendors/registry.js';

export interface StartMockOptions<Vendors extends readonly VendorModule[] = typeof VENDORS> extends Omit<ServerOptions, 'logger' | 'vendors'> {
  /** `silent` unless asked: a test suite wants its own output. */
  logLevel?: LogLevel;
  /** The vendors to serve: every vendor campaign-mock ships (the default), then your own: `[...VENDORS, yours]`. */
  vendors?: Vendors;
}

/** A mock started for a test suite; `Name` is the name of each vendor it serves. */
export interface Mock<Name extends string = VendorName> {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  /** Each vendor's base URL on this mock: point the vendor's client at it. */
  baseUrls: Readonly<Record<Name, string>>;
  /** Moves a sandbox's clock forward, running every call, retry and webhook that falls due; resolves with its new time. */
  advance(seconds: number, key: string): Promise<Date>;
  /** Wipes one sandbox, or every sandbox. */
  reset(key?: string): Promise<void>;
  /** Stops the server and closes its database. */
  close(): Promise<void>;
  /** The server underneath, for what this API does not cover. */
  server: RunningServer;
}

/**
 * Starts a mock on a free port (unless `port` is given), with its own in-memory database: two
 * mocks in one process share nothing.
 *
 * @example
 * import { startMock } from 'campaign-mock';
 *
 * const mock = await startMock({ scenario: 'dialnexa-demo', speed: 0 });
 * const res = await fetch(`${mock.baseUrls.dialnexa}/campaigns/cmp_fxrunning001`, {
 *   headers: { authorization: 'Bearer dnx_test_1' },
 * });
 * await mock.advance(3600, 'dnx_test_1'); // an hour of calls
 * await mock.close();
 */
export async function startMock<const Vendors extends readonly VendorModule[] = typeof VENDORS>(
  options: StartMockOptions<Vendors> = {},
): Promise<Mock<Vendors[number]['name']>> {
  const { logLevel = 'silent', ...serverOptions } = options;
  const server = await startServer({ port: 0, ...serverOptions, logger: createLogger(logLevel) });
  return {
    url: server.url,
    // One per vendor served: the list decides the names.
    baseUrls: Object.fromEntries(server.mock.vendors.map((vendor) => [vendor.name, `${server.url}${vendor.basePath}`])) as Record<Vendors[number]['name'], string>,
    advance: (seconds, key) => server.mock.advanceClock(seconds, key),
    reset: async (key) => server.mock.reset(key),
    close: () => server.close(),
    server,
  };
}
