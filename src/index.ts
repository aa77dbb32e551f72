/**
 * campaign-mock's programmatic API: build the app for `app.request()` tests, or start a server.
 *
 * @example
 * import { startServer } from 'campaign-mock';
 * const mock = await startServer({ port: 0 });
 * // point the client at `${mock.url}/v1`
 * await mock.close();
 */
export { createMockApp, type MockApp, type MockAppOptions } from './app.js';
export { startServer, type RunningServer, type ServerOptions } from './server.js';
