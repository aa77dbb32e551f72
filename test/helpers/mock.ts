import { createMockApp, type MockApp, type MockAppOptions } from '../../src/app.js';
import { createLogger } from '../../src/logger.js';
import { makeCaller, type Caller } from './caller.js';

/**
 * A mock for `app.request()` tests: strict (a reply that breaks its spec is a 500, so every
 * assertion on it fails), silent, in memory.
 */
export function testMock(options: MockAppOptions = {}): { mock: MockApp; call: Caller; as(key: string | null): Caller } {
  const mock = createMockApp({ strict: true, logger: createLogger('silent'), ...options });
  const as = (key: string | null) => makeCaller((path, init) => Promise.resolve(mock.app.request(path, init)), key);
  return { mock, call: as('dnx_test_a'), as };
}
