import { createMockApp, type MockApp, type MockAppOptions } from '../../src/app.js';
import { createLogger } from '../../src/logger.js';
import { bearerAuth, makeCaller, type Auth, type Caller } from './caller.js';

/**
 * A mock for `app.request()` tests: strict (a reply that breaks its spec is a 500, so every
 * assertion on it fails), silent, in memory. `as(key)` calls with that key, sent as `auth` says.
 */
export function testMock(options: MockAppOptions & { auth?: Auth } = {}): { mock: MockApp; call: Caller; as(key: string | null): Caller } {
  const { auth = bearerAuth, ...appOptions } = options;
  const mock = createMockApp({ strict: true, logger: createLogger('silent'), ...appOptions });
  const as = (key: string | null) => makeCaller((path, init) => Promise.resolve(mock.app.request(path, init)), key, auth);
  return { mock, call: as('dnx_test_a'), as };
}
