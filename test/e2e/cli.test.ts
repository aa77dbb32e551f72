import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { keyHash } from '../../src/engine/credentials.js';
import { VENDORS } from '../../src/vendors/registry.js';
import { runCli, startMockProcess } from '../helpers/process.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const dir = mkdtempSync(join(tmpdir(), 'campaign-mock-e2e-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const headers = { authorization: 'Bearer dnx_test_e2e', 'content-type': 'application/json' };
const campaign = { name: 'Over HTTP', agent_id: 'agt_1', from_phone_number: '+14155550100' };

describe('the campaign-mock process', () => {
  it('serves health and the vendor routes on the port it prints, one line per vendor', async () => {
    const mock = await startMockProcess(['--port', '0', '--log-level', 'warn']);
    try {
      const lines = [
        `campaign-mock ${version} listening on ${mock.url} (in-memory database)`,
        ...VENDORS.map((v) => `  ${v.title.padEnd(10)} ${mock.url}${v.basePath}`),
        `  ${'admin'.padEnd(10)} ${mock.url}/__admin`,
        `  ${'inspector'.padEnd(10)} ${mock.url}/__admin/ui`,
      ];
      expect(mock.output()).toBe(`${lines.join('\n')}\n`);
      // The README shows the same lines, on the default port.
      const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
      expect(readme).toContain(mock.output().replaceAll(mock.url, 'http://127.0.0.1:4010'));
      const health = await fetch(`${mock.url}/__admin/health`);
      expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }]);

      const created = await fetch(`${mock.url}/v1/campaigns`, { method: 'POST', headers, body: JSON.stringify(campaign) });
      expect(created.status).toBe(201);
      const malformed = await fetch(`${mock.url}/v1/campaigns`, { method: 'POST', headers, body: '{"name":' });
      expect([malformed.status, ((await malformed.json()) as { error: string }).error]).toEqual([400, 'Bad Request']);
      const oversized = await fetch(`${mock.url}/v1/campaigns`, { method: 'POST', headers, body: JSON.stringify({ ...campaign, name: 'x'.repeat(2 * 1024 * 1024) }) });
      expect([oversized.status, await oversized.json()]).toEqual([413, { statusCode: 413, message: 'request entity too large', error: 'Payload Too Large' }]);
      const after = await fetch(`${mock.url}/__admin/health`);
      expect(after.status).toBe(200);
    } finally {
      expect(await mock.stop('SIGTERM')).toBe(0);
    }
  });

  it('answers a body over the limit with the 413 even while the client is still sending it, and the health route on a kept-alive connection', async () => {
    const mock = await startMockProcess(['--port', '0', '--log-level', 'warn']);
    try {
      // Closing the connection at once would cut the client off mid-send (a broken pipe, not a 413).
      const body = JSON.stringify({ ...campaign, name: 'x'.repeat(8 * 1024 * 1024) });
      const statuses = [];
      for (let i = 0; i < 10; i++) {
        const res = await fetch(`${mock.url}/v1/campaigns`, { method: 'POST', headers, body });
        statuses.push([res.status, ((await res.json()) as { error: string }).error]);
      }
      expect(statuses).toEqual(Array.from({ length: 10 }, () => [413, 'Payload Too Large']));
      const health = await fetch(`${mock.url}/__admin/health`);
      expect([health.status, health.headers.get('content-type'), health.headers.get('connection'), await health.json()]).toEqual([200, 'application/json', 'keep-alive', { status: 'ok' }]);
    } finally {
      expect(await mock.stop('SIGTERM')).toBe(0);
    }
  });

  it('keeps the connection open after a vendor read answered in the turn it arrived, and after a write', async () => {
    const mock = await startMockProcess(['--port', '0', '--log-level', 'warn']);
    try {
      const created = (await (await fetch(`${mock.url}/v1/campaigns`, { method: 'POST', headers, body: JSON.stringify(campaign) })).json()) as { id: string };
      const read = await fetch(`${mock.url}/v1/campaigns/${created.id}`, { headers });
      const renamed = await fetch(`${mock.url}/v1/campaigns/${created.id}`, { method: 'PATCH', headers, body: JSON.stringify({ name: 'Renamed' }) });
      expect([read.status, read.headers.get('connection'), ((await read.json()) as { id: string }).id]).toEqual([200, 'keep-alive', created.id]);
      expect([renamed.status, renamed.headers.get('connection'), ((await renamed.json()) as { name: string }).name]).toEqual([200, 'keep-alive', 'Renamed']);
    } finally {
      expect(await mock.stop('SIGTERM')).toBe(0);
    }
  });

  it('keeps campaigns in a --db file across a clean restart and across kill -9', async () => {
    const db = join(dir, 'restart.sqlite');
    const first = await startMockProcess(['--port', '0', '--db', db, '--log-level', 'warn']);
    const created = (await (await fetch(`${first.url}/v1/campaigns`, { method: 'POST', headers, body: JSON.stringify(campaign) })).json()) as { id: string };
    expect(await first.stop('SIGTERM')).toBe(0);

    const second = await startMockProcess(['--port', '0', '--log-level', 'warn'], { CAMPAIGN_MOCK_DB: db });
    expect(second.output()).toContain(`(database ${db})`);
    const read = await fetch(`${second.url}/v1/campaigns/${created.id}`, { headers });
    expect([read.status, await read.json()]).toEqual([200, created]);
    const paused = await (await fetch(`${second.url}/v1/campaigns/${created.id}`, { method: 'PATCH', headers, body: JSON.stringify({ status: 'paused' }) })).json();
    expect(await second.stop('SIGKILL')).toBe('SIGKILL');

    const third = await startMockProcess(['--port', '0', '--db', db, '--log-level', 'warn']);
    const again = await fetch(`${third.url}/v1/campaigns/${created.id}`, { headers });
    expect(await again.json()).toEqual(paused);
    await third.stop();
  });

  it('reads its settings from the environment', async () => {
    const mock = await startMockProcess([], { PORT: '0', CAMPAIGN_MOCK_LOG_LEVEL: 'warn', CAMPAIGN_MOCK_KEYS: writeKeys('env-keys.yaml', 'keys:\n  - key: only_me\n') });
    try {
      const stranger = await fetch(`${mock.url}/v1/campaigns/cmp_000000000000`, { headers });
      expect(stranger.status).toBe(401);
      const known = await fetch(`${mock.url}/v1/campaigns/cmp_000000000000`, { headers: { authorization: 'Bearer only_me' } });
      expect(known.status).toBe(404);
    } finally {
      await mock.stop();
    }
  });

  it('logs one line per request at the info level', async () => {
    const mock = await startMockProcess(['--port', '0']);
    await fetch(`${mock.url}/v1/campaigns/cmp_000000000000`, { headers });
    await mock.stop();
    expect(mock.output()).toMatch(/\nGET \/v1\/campaigns\/cmp_000000000000 404 [\d.]+ms dialnexa\.getCampaign\n/);
  });

  it('logs JSON lines with --log-format json', async () => {
    const mock = await startMockProcess(['--port', '0', '--log-format', 'json']);
    await fetch(`${mock.url}/v1/campaigns/cmp_000000000000`, { headers });
    await mock.stop();
    const lines = mock.output().trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ level: 'info', url: mock.url, baseUrls: { dialnexa: `${mock.url}/v1`, asisso: `${mock.url}/api/v1`, sarvam: `${mock.url}/api/scheduling` } });
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 'info', method: 'GET', path: '/v1/campaigns/cmp_000000000000', status: 404, vendor: 'dialnexa', operationId: 'getCampaign', keyHash: keyHash('dnx_test_e2e') }),
    );
    // A log is no place for a credential: the key is named by its hash alone.
    expect(mock.output()).not.toContain('dnx_test_e2e');
  });

  it('prints help and the version', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage:\n  campaign-mock [serve] [options]');
    expect(help.stdout).toContain('--db <path>');
    const version = await runCli(['--version']);
    expect([version.code, version.stdout]).toEqual([0, expect.stringMatching(/^\d+\.\d+\.\d+\n$/)]);
  });

  it('refuses bad arguments with exit code 2 and a pointer to --help', async () => {
    for (const [args, message] of [
      [['--prot', '1'], "Unknown option '--prot'"],
      [['--port', 'abc'], '--port must be a number from 0 to 65535, got "abc"'],
      [['--log-level', 'loud'], '--log-level must be one of debug, info, warn, error, silent, got "loud"'],
      [['start'], 'unknown command "start"'],
    ] as const) {
      const run = await runCli([...args]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(message);
      expect(run.stderr).toContain('Run campaign-mock --help for the options.');
    }
  });

  it('stops with exit code 1 and the reason when the keys file is wrong or the port is taken', async () => {
    const keys = writeKeys('bad-keys.yaml', 'keys:\n  - key: a\n    deny: [nothing:read]\n');
    const bad = await runCli(['--port', '0', '--keys', keys]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`${keys}:3: keys[0].deny[0] must be one of: batch-calls:read, batch-calls:write, call-logs:read, campaigns:read`);

    const holder = await startMockProcess(['--port', '0', '--log-level', 'warn']);
    const port = new URL(holder.url).port;
    const taken = await runCli(['--port', port]);
    await holder.stop();
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain(`campaign-mock: port ${port} on 127.0.0.1 is already in use`);
  });
  describe('a --db file it cannot serve: exit code 1 and one line that names the file', () => {
    it('a second mock on a file another mock holds is told its pid', async () => {
      const db = join(dir, 'held.sqlite');
      const first = await startMockProcess(['--port', '0', '--db', db, '--log-level', 'warn']);
      try {
        const second = await runCli(['--port', '0', '--db', db]);
        expect([second.code, second.stderr]).toEqual([1, `campaign-mock: the database ${db} is already in use by pid ${first.child.pid} (lock file ${db}.lock); stop that mock, or pass another --db\n`]);
        expect((await fetch(`${first.url}/__admin/health`)).status).toBe(200);
      } finally {
        await first.stop();
      }
    });

    it('a file that is not a database, or a damaged one', async () => {
      const junk = join(dir, 'junk.sqlite');
      writeFileSync(junk, 'phone_number\n+14155550100\n'.repeat(100));
      const res = await runCli(['--port', '0', '--db', junk]);
      expect([res.code, res.stderr]).toEqual([1, `campaign-mock: ${junk} is not a campaign-mock database or it is damaged (file is not a database); move it aside, or pass another --db\n`]);
    });

    it('a read-only file', async (ctx) => {
      // Root may write any file: run the mock as an ordinary user then, which needs a checkout
      // that user can read (not one under a root-only folder such as a fresh mktemp -d).
      const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
      if ((await runCli(['--version'], {}, asUser)).code !== 0) ctx.skip('the checkout is not readable by uid 65534, so the mock cannot run as a user that read-only files stop');
      const readOnlyDir = join(dir, 'read-only');
      mkdirSync(readOnlyDir);
      const db = join(readOnlyDir, 'mock.sqlite');
      const maker = await startMockProcess(['--port', '0', '--db', db, '--log-level', 'warn']);
      await maker.stop();
      // The file is read-only; its folder is not, so the lock file can still be taken.
      chmodSync(db, 0o444);
      chmodSync(readOnlyDir, 0o777);
      chmodSync(dir, 0o755);
      const res = await runCli(['--port', '0', '--db', db], {}, asUser);
      expect([res.code, res.stderr]).toEqual([1, `campaign-mock: the database ${db} is read-only (the file is not writable); make the file and its folder writable, or pass another --db\n`]);
      // A folder that is not writable cannot hold the lock file, the WAL or a new database.
      chmodSync(readOnlyDir, 0o555);
      const folder = await runCli(['--port', '0', '--db', db], {}, asUser);
      chmodSync(readOnlyDir, 0o755);
      expect([folder.code, folder.stderr]).toEqual([1, `campaign-mock: the database ${db} is read-only (its folder is not writable); make the file and its folder writable, or pass another --db\n`]);
    });
  });
});

function writeKeys(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
