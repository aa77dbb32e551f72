import { createLogger, type LogLevel } from './logger.js';
import { startServer, type RunningServer, type ServerOptions } from './server.js';

export interface StartMockOptions extends Omit<ServerOptions, 'logger'> {
  /** `silent` unless asked: a test suite wants its own output. */
  logLevel?: LogLevel;
}

/** A mock started for a test suite. */
export interface Mock {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  /** Each vendor's base URL on this mock: point the vendor's client at it. */
  baseUrls: { dialnexa: string; asisso: string; sarvam: string };
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
export async function startMock(options: StartMockOptions = {}): Promise<Mock> {
  const { logLevel = 'silent', ...serverOptions } = options;
  const server = await startServer({ port: 0, ...serverOptions, logger: createLogger(logLevel) });
  const base = (name: string) => `${server.url}${server.mock.vendors.find((v) => v.name === name)?.basePath ?? ''}`;
  return {
    url: server.url,
    baseUrls: { dialnexa: base('dialnexa'), asisso: base('asisso'), sarvam: base('sarvam') },
    advance: (seconds, key) => server.mock.advanceClock(key, seconds),
    reset: async (key) => server.mock.reset(key),
    close: () => server.close(),
    server,
  };
}
