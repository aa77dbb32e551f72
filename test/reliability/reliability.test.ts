import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startMock, type Mock } from '../../src/start-mock.js';
import { startMockProcess } from '../helpers/process.js';

const dir = mkdtempSync(join(tmpdir(), 'campaign-mock-reliability-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const json = { 'content-type': 'application/json' };
const dialnexa = (key: string) => ({ authorization: `Bearer ${key}`, ...json });
const campaign = { name: 'Reliable', agent_id: 'agt_1', from_phone_number: '+14155550100' };

describe('under concurrent writes', () => {
  it('50 concurrent PATCHes to one campaign all land, the last one wins, and nothing is corrupted', async () => {
    const mock = await startMock({ speed: 0 });
    try {
      const headers = dialnexa('concurrent');
      const { id } = (await (await fetch(`${mock.baseUrls.dialnexa}/campaigns`, { method: 'POST', headers, body: JSON.stringify(campaign) })).json()) as { id: string };
      const answers = await Promise.all(
        Array.from({ length: 50 }, async (_, i) => {
          const res = await fetch(`${mock.baseUrls.dialnexa}/campaigns/${id}`, { method: 'PATCH', headers, body: JSON.stringify({ name: `Name ${i}`, max_concurrent_calls: i + 1 }) });
          return { status: res.status, body: (await res.json()) as { name: string; max_concurrent_calls: number } };
        }),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
      // Each reply shows its own update whole: no PATCH saw another's half-applied fields.
      for (const { body } of answers) expect(Number(body.name.slice(5)) + 1).toBe(body.max_concurrent_calls);
      // The journal records requests in the order they were answered: the last one's name stands.
      const order = mock.server.mock.journal.find({ key: 'concurrent', operationId: 'updateCampaign' });
      expect(order).toHaveLength(50);
      const final = (await (await fetch(`${mock.baseUrls.dialnexa}/campaigns/${id}`, { headers })).json()) as { name: string; max_concurrent_calls: number };
      expect(final.name).toBe((order.at(-1)?.requestBody as { name: string }).name);
      expect(Number(final.name.slice(5)) + 1).toBe(final.max_concurrent_calls);
      expect(mock.server.mock.db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      await mock.close();
    }
  });

  it('50 concurrent leads added to one campaign are all counted', async () => {
    const mock = await startMock({ speed: 0 });
    try {
      const headers = dialnexa('leads');
      const { id } = (await (await fetch(`${mock.baseUrls.dialnexa}/campaigns`, { method: 'POST', headers, body: JSON.stringify({ ...campaign, scheduled_at: '2099-01-01T00:00:00Z' }) })).json()) as { id: string };
      const statuses = await Promise.all(
        Array.from({ length: 50 }, async (_, i) => {
          const body = JSON.stringify({ phoneNumber: `+1415555${String(2000 + i)}`, campaignId: id });
          return (await fetch(`${mock.baseUrls.dialnexa}/campaigns-leads`, { method: 'POST', headers, body })).status;
        }),
      );
      expect(statuses).toEqual(Array(50).fill(201));
      const read = (await (await fetch(`${mock.baseUrls.dialnexa}/campaigns/${id}`, { headers })).json()) as Record<string, number>;
      expect([read.total_leads, read.pending_calls]).toEqual([50, 50]);
    } finally {
      await mock.close();
    }
  });
});

describe('a file database', () => {
  it('keeps every campaign whose creation got a 2xx, after kill -9 in the middle of a load', async () => {
    const db = join(dir, 'kill9.sqlite');
    const first = await startMockProcess(['--port', '0', '--db', db, '--log-level', 'warn', '--speed', '0']);
    const headers = dialnexa('kill9');
    const confirmed: string[] = [];
    let stop = false;
    const writers = Array.from({ length: 8 }, async () => {
      while (!stop) {
        try {
          const res = await fetch(`${first.url}/v1/campaigns`, { method: 'POST', headers, body: JSON.stringify(campaign) });
          if (res.status === 201) confirmed.push(((await res.json()) as { id: string }).id);
        } catch {
          return; // the process is gone
        }
      }
    });
    while (confirmed.length < 200) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await first.stop('SIGKILL')).toBe('SIGKILL');
    stop = true;
    await Promise.all(writers);

    const second = await startMockProcess(['--port', '0', '--db', db, '--log-level', 'warn', '--speed', '0']);
    try {
      const missing: string[] = [];
      for (const id of confirmed) if ((await fetch(`${second.url}/v1/campaigns/${id}`, { headers })).status !== 200) missing.push(id);
      expect(missing).toEqual([]);
      expect(confirmed.length).toBeGreaterThanOrEqual(200);
    } finally {
      await second.stop();
    }
  });

  it('on SIGTERM, finishes the requests in flight, then closes the database cleanly', async () => {
    const db = join(dir, 'sigterm.sqlite');
    const scenarios = mkdtempSync(join(dir, 'scenarios-'));
    writeFileSync(join(scenarios, 'slow.yaml'), 'name: test-slow-create\ndescription: Creating a campaign takes 800 ms.\nrules:\n  - match: { operationId: createCampaign }\n    latency: 800\n');
    const mock = await startMockProcess(['--port', '0', '--db', db, '--log-level', 'warn', '--scenarios', scenarios]);
    const headers = { ...dialnexa('sigterm'), 'x-mock-scenario': 'test-slow-create' };
    const inFlight = fetch(`${mock.url}/v1/campaigns`, { method: 'POST', headers, body: JSON.stringify(campaign) });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const exited = mock.stop('SIGTERM');
    const answer = await inFlight;
    expect(answer.status).toBe(201);
    expect(await exited).toBe(0);
    // A clean close checkpoints the write-ahead log into the database and removes it.
    expect(existsSync(`${db}-wal`) ? statSync(`${db}-wal`).size : 0).toBe(0);
    const again = await startMockProcess(['--port', '0', '--db', db, '--log-level', 'warn']);
    try {
      const { id } = (await answer.json()) as { id: string };
      expect((await fetch(`${again.url}/v1/campaigns/${id}`, { headers: dialnexa('sigterm') })).status).toBe(200);
    } finally {
      await again.stop();
    }
  });
});

describe('a shutdown grace period', () => {
  it('cuts a request still in flight once --shutdown-grace has passed, and exits cleanly', async () => {
    const scenarios = mkdtempSync(join(dir, 'scenarios-'));
    writeFileSync(join(scenarios, 'slower.yaml'), 'name: test-very-slow-create\ndescription: Creating a campaign takes 20 s.\nrules:\n  - match: { operationId: createCampaign }\n    latency: 20000\n');
    const mock = await startMockProcess(['--port', '0', '--log-level', 'warn', '--scenarios', scenarios, '--shutdown-grace', '0.5']);
    const headers = { ...dialnexa('grace'), 'x-mock-scenario': 'test-very-slow-create' };
    const inFlight = fetch(`${mock.url}/v1/campaigns`, { method: 'POST', headers, body: JSON.stringify(campaign) }).then(
      (res) => res.status,
      () => 'cut',
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = Date.now();
    expect(await mock.stop('SIGTERM')).toBe(0);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(await inFlight).toBe('cut');
  });
});

describe('misbehaving clients', () => {
  let mock: Mock;
  afterAll(() => mock?.close());

  it('slow and half-closed clients do not hold up anyone else', async () => {
    mock = await startMock({ speed: 0 });
    const { port, hostname } = new URL(mock.url);
    const sockets = Array.from({ length: 20 }, (_, i) => {
      const socket = connect(Number(port), hostname);
      socket.on('error', () => {});
      // A request that promises a body and sends a few bytes of it, then waits (slowloris), or
      // gives up writing half way through (half-closed).
      socket.write(`POST /v1/campaigns HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer slow\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"na`);
      if (i % 2 === 0) socket.end();
      return socket;
    });
    try {
      const answers = await Promise.all(Array.from({ length: 20 }, () => fetch(`${mock.baseUrls.dialnexa}/campaigns/cmp_000000000000`, { headers: dialnexa('fast') }).then((r) => r.status)));
      expect(answers).toEqual(Array(20).fill(404));
    } finally {
      for (const socket of sockets) socket.destroy();
    }
  });

  it('a burst of thousands of requests leaves the journal at its bound', async () => {
    const bounded = await startMock({ speed: 0, journalLimit: 100 });
    try {
      for (let batch = 0; batch < 20; batch++) {
        await Promise.all(Array.from({ length: 100 }, () => fetch(`${bounded.baseUrls.dialnexa}/campaigns/cmp_000000000000`, { headers: dialnexa('burst') })));
      }
      const { requests } = (await (await fetch(`${bounded.url}/__admin/requests`)).json()) as { requests: Array<{ id: number }> };
      expect(requests).toHaveLength(100);
      expect(requests[0]?.id).toBe(1901);
      expect(bounded.server.mock.journal.size).toBe(100);
    } finally {
      await bounded.close();
    }
  });
});
