import { createServer, type IncomingHttpHeaders } from 'node:http';

/** One request as the receiver got it. */
export interface ReceivedWebhook {
  /** Path and query, e.g. `/hooks/sarvam`. */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface WebhookReceiver {
  /** `http://127.0.0.1:<port>`; a webhook URL is this and a path. */
  url: string;
  /** Every request received, in the order they arrived. */
  received: ReceivedWebhook[];
  /** Answers the next `count` requests with a 500, as a receiver that is down would. */
  failNext(count: number): void;
  /** Forgets what was received, and any failures still to come. */
  clear(): void;
  close(): Promise<void>;
}

/**
 * Starts an HTTP server on a free loopback port that keeps every webhook the mock sends it and
 * answers 200 (or 500, after `failNext`). Loopback is where the mock may send webhooks without
 * `--webhook-allow`.
 *
 * @example
 * const receiver = await startWebhookReceiver();
 * await call('POST', '/v1/user-webhooks', { body: { url: `${receiver.url}/hooks`, events: ['call.completed'] } });
 * // … advance the clock …
 * expect(receiver.received.map((hook) => JSON.parse(hook.body).event)).toEqual(['call.completed']);
 * await receiver.close();
 */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  let failures = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body });
      if (failures > 0) {
        failures--;
        res.writeHead(500).end('down');
      } else {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    received,
    failNext: (count) => {
      failures = count;
    },
    clear: () => {
      received.length = 0;
      failures = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
