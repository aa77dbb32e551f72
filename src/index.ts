/**
 * campaign-mock's programmatic API: start a mock for a test suite, or build the app for
 * `app.request()` tests.
 *
 * @example
 * import { startMock } from 'campaign-mock';
 * const mock = await startMock();
 * // point the DialNexa client at mock.baseUrls.dialnexa
 * await mock.close();
 */
export { startMock, type Mock, type StartMockOptions } from './start-mock.js';
export { createMockApp, type MockApp, type MockAppOptions } from './app.js';
export { startServer, type RunningServer, type ServerOptions } from './server.js';
export { VENDORS, type VendorName } from './vendors/registry.js';
export type { VendorModule } from './engine/vendor.js';
export { MAGIC_ENDINGS, type Outcome } from './sim/outcomes.js';
export type { LogLevel } from './logger.js';
