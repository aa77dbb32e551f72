import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { runCli, startMockProcess } from '../helpers/process.js';

/** A raw HTTP request, so the Host header is what the test says (fetch sets its own). */
function raw(url: string, options: { method: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method, headers: options.headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('the control plane, safe to expose', () => {
  let mock: RunningServer;
  const key = 'dnx_guard';
  const created = async () => {
    const res = await fetch(`${mock.url}/v1/campaigns`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Kept', agent_id: 'agt_1' }),
    });
    return ((await res.json()) as { id: string }).id;
  };
  const stillThere = async (id: string) => (await fetch(`${mock.url}/v1/campaigns/${id}`, { headers: { authorization: `Bearer ${key}` } })).status;

  beforeAll(async () => {
    mock = await startServer({ port: 0, speed: 0, logger: createLogger('silent') });
  });
  afterAll(() => mock.close());

  it('refuses a cross-site text/plain POST to /__admin/reset (a drive-by from a web page), and resets nothing', async () => {
    const id = await created();
    const driveBy = await fetch(`${mock.url}/__admin/reset`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      body: 'x',
    });
    expect([driveBy.status, await driveBy.json()]).toEqual([
      403,
      { error: 'campaign-mock: cross-site requests to the control plane are refused (Sec-Fetch-Site: cross-site); call it from your tests, a client or curl, not from a web page' },
    ]);
    const byOrigin = await fetch(`${mock.url}/__admin/reset`, { method: 'POST', headers: { origin: 'http://localhost:5173' } });
    expect([byOrigin.status, ((await byOrigin.json()) as { error: string }).error]).toEqual([403, expect.stringContaining('(Origin: http://localhost:5173)')]);
    expect(await stillThere(id)).toBe(200);
  });

  it('takes a write body only as JSON, and a write without a body as it is', async () => {
    const id = await created();
    const text = await fetch(`${mock.url}/__admin/clock/advance?key=${key}`, { method: 'POST', body: '{"seconds": 60}' });
    expect([text.status, await text.json()]).toEqual([
      415,
      { error: 'campaign-mock: POST /__admin/clock/advance takes a JSON body: send it with "Content-Type: application/json"' },
    ]);
    const form = await fetch(`${mock.url}/__admin/reset`, { method: 'POST', body: new URLSearchParams({ key }) });
    expect(form.status).toBe(415);
    expect(await stillThere(id)).toBe(200);
    const json = await fetch(`${mock.url}/__admin/clock/advance?key=${key}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"seconds": 60}' });
    expect(json.status).toBe(200);
    const sameOrigin = await fetch(`${mock.url}/__admin/reset?key=${key}`, { method: 'POST', headers: { origin: mock.url, 'sec-fetch-site': 'same-origin' } });
    expect(sameOrigin.status).toBe(200);
    expect(await stillThere(id)).toBe(404);
  });

  it('refuses a body over 64 KiB with a 413, without echoing it', async () => {
    const started = performance.now();
    const res = await fetch(`${mock.url}/__admin/scenario?key=${key}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x'.repeat(4 * 1024 * 1024) }),
    });
    const body = await res.text();
    expect([res.status, JSON.parse(body)]).toEqual([413, { error: "campaign-mock: the body of PUT /__admin/scenario is over the control plane's 65536-byte limit" }]);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('does not echo a large refused body in its error', async () => {
    const res = await fetch(`${mock.url}/__admin/clock/advance?key=${key}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ seconds: 'x'.repeat(50_000) }),
    });
    const { error } = (await res.json()) as { error: string };
    expect(res.status).toBe(400);
    expect(error.length).toBeLessThan(400);
  });

  it('answers only to names a page cannot point at it (DNS rebinding)', async () => {
    const rebound = await raw(`${mock.url}/__admin/requests`, { method: 'GET', headers: { host: `attacker.example:${mock.port}` } });
    expect([rebound.status, JSON.parse(rebound.body)]).toEqual([
      403,
      {
        error:
          'campaign-mock: the control plane does not answer to the host "attacker.example" (a page could reach it through a name it controls); start the mock with --allow-host attacker.example, or set --admin-token',
      },
    ]);
    for (const host of ['localhost', '127.0.0.1', 'campaign-mock', 'app.localhost']) {
      expect((await raw(`${mock.url}/__admin/requests`, { method: 'GET', headers: { host: `${host}:${mock.port}` } })).status, host).toBe(200);
    }
    expect((await raw(`${mock.url}/__admin/health`, { method: 'GET', headers: { host: 'attacker.example' } })).status).toBe(200);
  });
});

describe('an admin token', () => {
  let mock: RunningServer;
  beforeAll(async () => {
    mock = await startServer({ port: 0, speed: 0, adminToken: 'tok_0123456789', allowedHosts: [], logger: createLogger('silent') });
  });
  afterAll(() => mock.close());

  it('is needed by every /__admin route but /health, as a Bearer token or X-Admin-Token', async () => {
    const without = await fetch(`${mock.url}/__admin/requests`);
    expect([without.status, await without.json()]).toEqual([
      401,
      { error: 'campaign-mock: the control plane needs the admin token: send it as "Authorization: Bearer <token>" or "X-Admin-Token: <token>"' },
    ]);
    expect((await fetch(`${mock.url}/__admin/requests`, { headers: { authorization: 'Bearer tok_wrong_token' } })).status).toBe(401);
    expect((await fetch(`${mock.url}/__admin/requests`, { headers: { authorization: 'Bearer tok_0123456789' } })).status).toBe(200);
    expect((await fetch(`${mock.url}/__admin/reset`, { method: 'POST', headers: { 'x-admin-token': 'tok_0123456789' } })).status).toBe(200);
    expect((await fetch(`${mock.url}/__admin/health`)).status).toBe(200);
    // With a token, any host name may be used: a page cannot know the token.
    const named = await raw(`${mock.url}/__admin/requests`, { method: 'GET', headers: { host: 'mock.internal.example', authorization: 'Bearer tok_0123456789' } });
    expect(named.status).toBe(200);
  });
});

describe('the banner and the warning, when listening beyond loopback', () => {
  it('prints the address actually bound, and warns loudly without an admin token', async () => {
    const open = await startMockProcess(['--port', '0', '--host', '0.0.0.0', '--log-level', 'warn']);
    try {
      expect(open.output()).toMatch(/^campaign-mock \S+ listening on http:\/\/127\.0\.0\.1:\d+ \(bound to 0\.0\.0\.0:\d+, every address of this machine that can reach it\) \(in-memory database\)$/m);
      for (let i = 0; i < 100 && !open.output().includes('WARNING'); i++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(open.output()).toContain('campaign-mock: WARNING: listening on 0.0.0.0:');
      expect(open.output()).toContain('Set --admin-token (or CAMPAIGN_MOCK_ADMIN_TOKEN).');
    } finally {
      await open.stop();
    }
    const guarded = await startMockProcess(['--port', '0', '--host', '0.0.0.0', '--log-level', 'warn', '--admin-token', 'tok_0123456789']);
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(guarded.output()).not.toContain('WARNING');
    } finally {
      await guarded.stop();
    }
    const short = await runCli(['--admin-token', 'abc']);
    expect([short.code, short.stderr]).toEqual([2, 'campaign-mock: --admin-token must be at least 8 characters long\nRun campaign-mock --help for the options.\n']);
  });
});
