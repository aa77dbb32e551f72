import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockApp } from '../../src/app.js';
import { createLogger } from '../../src/logger.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { WebhookTargets } from '../../src/sim/webhook-targets.js';
import { startWebhookReceiver } from '../helpers/webhook-receiver.js';

/** Webhooks go where they may, and one sandbox's receivers never hold up another sandbox. */

const silent = createLogger('silent');
const json = { 'content-type': 'application/json' };

/** A server with answers of its own (a redirect, or none); one that keeps webhooks is startWebhookReceiver. */
async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` };
}

const closeServer = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

/** A DialNexa campaign of one answered lead, with a webhook on its calls; the clock advanced past the call. */
async function campaignWithWebhook(mock: RunningServer, key: string, url: string): Promise<void> {
  const headers = { ...json, authorization: `Bearer ${key}` };
  const hook = await fetch(`${mock.url}/v1/user-webhooks`, { method: 'POST', headers, body: JSON.stringify({ url, events: ['call.completed'] }) });
  expect(hook.status).toBe(201);
  const campaign = (await (await fetch(`${mock.url}/v1/campaigns`, { method: 'POST', headers, body: JSON.stringify({ name: 'Hooks', agent_id: 'agt_1' }) })).json()) as { id: string };
  await fetch(`${mock.url}/v1/campaigns-leads`, { method: 'POST', headers, body: JSON.stringify({ phoneNumber: '+14155551000', campaignId: campaign.id }) });
}

const deliveries = async (mock: RunningServer, key: string) =>
  ((await (await fetch(`${mock.url}/__admin/webhooks?key=${key}`)).json()) as { webhooks: Array<{ url: string; status: string; error: string | null; attempts: number }> }).webhooks;

describe('where webhooks may go', () => {
  let mock: RunningServer;
  beforeAll(async () => {
    mock = await startServer({ port: 0, speed: 0, webhookAllow: ['*'], logger: silent });
  });
  afterAll(() => mock.close());

  it("never to the mock's own control plane: a webhook at /__admin/reset is refused and no sandbox is touched", async () => {
    const victim = { ...json, authorization: 'Bearer victim' };
    const kept = (await (await fetch(`${mock.url}/v1/campaigns`, { method: 'POST', headers: victim, body: JSON.stringify({ name: 'Kept', agent_id: 'agt_1' }) })).json()) as { id: string };
    await campaignWithWebhook(mock, 'attacker', `${mock.url}/__admin/reset`);
    await fetch(`${mock.url}/__admin/clock/advance?key=attacker`, { method: 'POST', headers: json, body: JSON.stringify({ seconds: 600 }) });
    expect(await deliveries(mock, 'attacker')).toEqual([
      expect.objectContaining({ status: 'refused', error: 'campaign-mock: webhooks may not go to a /__admin path (/__admin/reset): the control plane is not a webhook receiver' }),
    ]);
    expect((await fetch(`${mock.url}/v1/campaigns/${kept.id}`, { headers: victim })).status).toBe(200);
  });

  it("never to the mock itself, on any path, even with --webhook-allow '*'", async () => {
    await campaignWithWebhook(mock, 'loop', `${mock.url.replace('127.0.0.1', 'localhost')}/v1/campaigns`);
    await fetch(`${mock.url}/__admin/clock/advance?key=loop`, { method: 'POST', headers: json, body: JSON.stringify({ seconds: 600 }) });
    const [delivery] = await deliveries(mock, 'loop');
    expect([delivery?.status, delivery?.error]).toEqual(['refused', `campaign-mock: localhost:${mock.port} is this campaign-mock itself; webhooks never go to the mock`]);
  });

  it("never to a link-local address, where clouds serve instance metadata, even with '*'", async () => {
    const targets = new WebhookTargets(['*']);
    expect(await targets.check('http://169.254.169.254/latest/meta-data/')).toEqual({
      refused: '169.254.169.254 resolves to the link-local address 169.254.169.254, where clouds serve instance metadata; webhooks never go there',
    });
    expect(await targets.check('http://[fe80::1]:8080/')).toEqual({ refused: expect.stringContaining('link-local address fe80::1') });
  });

  it('to loopback by default, elsewhere only when allowed by name or address', async () => {
    const loopbackOnly = new WebhookTargets([]);
    expect(await loopbackOnly.check('http://localhost:9000/hooks')).toEqual({ address: expect.stringMatching(/^(127\.0\.0\.1|::1)$/), family: expect.any(Number) });
    expect(await loopbackOnly.check('http://10.0.0.5:9000/hooks')).toEqual({ refused: 'webhooks may not go to http://10.0.0.5:9000/hooks; start the mock with --webhook-allow 10.0.0.5:9000 to allow that host' });
    const byAddress = new WebhookTargets(['10.0.0.5']);
    expect(await byAddress.check('http://10.0.0.5:9000/hooks')).toEqual({ address: '10.0.0.5', family: 4 });
    // A name is resolved before it is judged: here one that resolves to loopback, allowed by its address.
    const resolved = new WebhookTargets(['127.0.0.1']);
    expect(await resolved.check('http://localhost:9000/hooks')).toMatchObject({ address: expect.any(String) });
    const self = new WebhookTargets(['*']);
    self.setSelf({ port: 4010 });
    expect(await self.check('http://0.0.0.0:4010/x')).toEqual({ refused: '0.0.0.0:4010 is this campaign-mock itself; webhooks never go to the mock' });
    expect(await self.check('http://127.0.0.1:4011/x')).toEqual({ address: '127.0.0.1', family: 4 });
  });

  it('follows no redirect: a 302 is a failed delivery, and the place it points to is not called', async () => {
    const target = await startWebhookReceiver();
    const redirecting = await listen((_req, res) => res.writeHead(302, { location: `${target.url}/stolen` }).end());
    try {
      await campaignWithWebhook(mock, 'redirect', `${redirecting.url}/hooks`);
      await fetch(`${mock.url}/__admin/clock/advance?key=redirect`, { method: 'POST', headers: json, body: JSON.stringify({ seconds: 600 }) });
      const [delivery] = await deliveries(mock, 'redirect');
      expect([delivery?.status === 'pending' || delivery?.status === 'failed', delivery?.error]).toEqual([true, 'the receiver answered 302']);
      expect(target.received).toEqual([]);
    } finally {
      await closeServer(redirecting.server);
      await target.close();
    }
  });

  it('goes to an https address over TLS', async () => {
    // A TCP server that notes the first byte it is sent: 0x16 opens a TLS handshake.
    const firstBytes: number[] = [];
    const tcp = createTcpServer((socket) =>
      socket.once('data', (chunk: Buffer) => {
        firstBytes.push(chunk[0] as number);
        socket.destroy();
      }),
    );
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    try {
      await campaignWithWebhook(mock, 'tls', `https://127.0.0.1:${(tcp.address() as { port: number }).port}/hooks`);
      await fetch(`${mock.url}/__admin/clock/advance?key=tls`, { method: 'POST', headers: json, body: JSON.stringify({ seconds: 600 }) });
      const [delivery] = await deliveries(mock, 'tls');
      expect([delivery?.status === 'pending' || delivery?.status === 'failed', firstBytes[0]]).toEqual([true, 0x16]);
    } finally {
      await new Promise((resolve) => tcp.close(resolve));
    }
  });
});

describe("one sandbox's webhooks never hold up another's", () => {
  it("300 webhooks to a receiver that never answers do not hold up another sandbox's clock/advance", async () => {
    const hanging = await listen(() => {
      // Never answers: each delivery waits for the 5-second timeout.
    });
    const mock = await startServer({ port: 0, speed: 0, logger: silent });
    try {
      const slow = { ...json, authorization: 'Bearer slow_receivers' };
      for (let i = 0; i < 300; i++) {
        await fetch(`${mock.url}/v1/user-webhooks`, { method: 'POST', headers: slow, body: JSON.stringify({ url: `${hanging.url}/hook/${i}`, events: ['campaign.paused'] }) });
      }
      const campaign = (await (await fetch(`${mock.url}/v1/campaigns`, { method: 'POST', headers: slow, body: JSON.stringify({ name: 'Slow', agent_id: 'agt_1' }) })).json()) as { id: string };
      await fetch(`${mock.url}/v1/campaigns/${campaign.id}`, { method: 'PATCH', headers: slow, body: JSON.stringify({ status: 'paused' }) });
      // The slow sandbox's webhooks are now on their way, and hanging.
      await new Promise((resolve) => setTimeout(resolve, 200));

      const other = { ...json, authorization: 'Bearer prompt' };
      await fetch(`${mock.url}/v1/campaigns`, { method: 'POST', headers: other, body: JSON.stringify({ name: 'Prompt', agent_id: 'agt_1' }) });
      for (let i = 0; i < 5; i++) {
        const res = await fetch(`${mock.url}/__admin/clock/advance?key=prompt`, { method: 'POST', headers: json, body: JSON.stringify({ seconds: 60 }) });
        expect(res.status).toBe(200);
      }
      // Had the advances waited for the slow sandbox's webhooks, those would have timed out (5 s)
      // and carry an error by now. None has: every one is still on its way, unanswered.
      const { webhooks } = (await (await fetch(`${mock.url}/__admin/webhooks?key=slow_receivers`)).json()) as { webhooks: Array<{ status: string; error: string | null }> };
      expect(webhooks).toHaveLength(300);
      expect(webhooks.filter((w) => w.error !== null)).toEqual([]);
      expect(webhooks.some((w) => w.status === 'sending')).toBe(true);
    } finally {
      await closeServer(hanging.server);
      await mock.close();
    }
  });
});

describe('a webhook a crash interrupted', () => {
  it('is sent again when the mock starts on the same database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'campaign-mock-hooks-'));
    const receiver = await startWebhookReceiver();
    try {
      const db = join(dir, 'mock.sqlite');
      const first = createMockApp({ db, speed: 0, logger: silent });
      const sandbox = first.sandboxes.resolve('crashed') as NonNullable<ReturnType<typeof first.sandboxes.resolve>>;
      first.db
        .prepare("INSERT INTO webhook_outbox (sandbox_id, vendor, url, headers, body, status, attempts, due_ms, created_at) VALUES (?, 'dialnexa', ?, '{}', '{}', 'sending', 1, 0, ?)")
        .run(sandbox.id, `${receiver.url}/interrupted`, new Date().toISOString());
      // What a crash mid-send leaves behind: a row still `sending`.
      first.close();

      const second = createMockApp({ db, speed: 0, logger: silent });
      try {
        for (let i = 0; i < 100 && receiver.received.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
        expect(receiver.received.map((hook) => hook.path)).toEqual(['/interrupted']);
        // The receiver has it; the mock records the delivery once it has read the answer.
        await second.webhooks.flush(sandbox.id);
        const [delivery] = second.webhooks.list(sandbox.id);
        expect(delivery).toMatchObject({ status: 'delivered', attempts: 2 });
      } finally {
        second.close();
      }
    } finally {
      await receiver.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('webhook ids', () => {
  it('are never handed out again after a reset, so a late outcome cannot land on another sandbox’s webhook', () => {
    const mock = createMockApp({ speed: 0, logger: silent });
    try {
      const sandboxOf = (key: string) => (mock.sandboxes.resolve(key) as { id: number }).id;
      const queue = (key: string) => mock.webhooks.enqueue({ sandboxId: sandboxOf(key), vendor: 'dialnexa', url: 'http://127.0.0.1:9/hook', headers: {}, body: '{}' });
      const newest = () => mock.db.prepare('SELECT max(id) FROM webhook_outbox').pluck().get() as number;
      queue('hooks_a');
      queue('hooks_a');
      const before = newest();
      mock.reset('hooks_a');
      queue('hooks_b');
      expect(newest()).toBeGreaterThan(before);
      // The same after a reset of everything, which empties the table whole.
      const again = newest();
      mock.reset();
      queue('hooks_c');
      expect(newest()).toBeGreaterThan(again);
    } finally {
      mock.close();
    }
  });
});
