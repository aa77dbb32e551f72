import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMockApp, type MockApp, type MockAppOptions } from './app.js';

export interface ServerOptions extends MockAppOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** How long `close()` lets requests in flight finish before cutting their connections. Default 5 s. */
  shutdownGraceMs?: number;
}

/** A mock listening on a port. */
export interface RunningServer {
  /** `http://host:port`, no trailing slash; for a server bound to every interface, loopback's. */
  url: string;
  /** The address the server is bound to, as `host:port` (`0.0.0.0:4010` for every interface). */
  boundAddress: string;
  port: number;
  mock: MockApp;
  /** Stops accepting connections, lets requests in flight finish, then closes the database. */
  close(): Promise<void>;
}

/** How long `close()` waits for requests in flight before cutting their connections, unless told otherwise. */
export const DEFAULT_SHUTDOWN_GRACE_MS = 5000;

/**
 * Starts the mock on a port.
 *
 * @example
 * const server = await startServer({ port: 0 });
 * await fetch(`${server.url}/__admin/health`);
 * await server.close();
 */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const mock = createMockApp(options);
  const host = options.host ?? '127.0.0.1';
  // Vendor operations and the health route are served straight from Node's request; the rest goes
  // to Hono through @hono/node-server, loaded with the first such request: loading it loads Node's
  // fetch implementation (undici), a sixth of the mock's startup.
  let honoListener: Promise<RequestListener> | undefined;
  const toHono = () =>
    (honoListener ??= import('@hono/node-server').then(({ getRequestListener }) => getRequestListener(mock.app.fetch, { hostname: host }) as RequestListener));
  const server: Server = createServer((req, res) => {
    if (mock.serveNode(req, res)) return;
    toHono().then(
      (listener) => listener(req, res),
      (error: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`campaign-mock: the control plane could not be loaded: ${error.message}`),
    );
  });
  const address = await new Promise<AddressInfo>((resolve, reject) => {
    server.listen(options.port ?? 4010, host, () => resolve(server.address() as AddressInfo));
    server.once('error', (error: NodeJS.ErrnoException) => {
      mock.close();
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`campaign-mock: port ${options.port} on ${host} is already in use; pick another with --port, or 0 for a free one`)
          : error,
      );
    });
  });
  mock.webhooks.setSelf({ port: address.port });
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost === '0.0.0.0' || urlHost === '[::]' ? '127.0.0.1' : urlHost}:${address.port}`,
    port: address.port,
    boundAddress: `${urlHost}:${address.port}`,
    mock,
    close() {
      closing ??= new Promise<void>((resolve) => {
        const http = server;
        const force = setTimeout(() => http.closeAllConnections(), options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS);
        http.close(() => {
          clearTimeout(force);
          mock.close();
          resolve();
        });
        http.closeIdleConnections();
      });
      return closing;
    },
  };
}
