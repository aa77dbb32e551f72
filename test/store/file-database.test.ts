import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMockApp } from '../../src/app.js';
import { createLogger } from '../../src/logger.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const open = (db: string) => createMockApp({ db, strict: true, logger: createLogger('silent') });
const auth = { authorization: 'Bearer dnx_test_file', 'content-type': 'application/json' };

describe('a file database', () => {
  it('keeps campaigns and leads across a restart, in WAL mode', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'campaign-mock-'));
    dirs.push(dir);
    const path = join(dir, 'nested', 'mock.sqlite');

    const first = open(path);
    expect(first.db.pragma('journal_mode', { simple: true })).toBe('wal');
    const created = (await (
      await first.app.request('/v1/campaigns', { method: 'POST', headers: auth, body: JSON.stringify({ name: 'Kept', agent_id: 'agt_1', from_phone_number: '+14155550100' }) })
    ).json()) as { id: string };
    await first.app.request('/v1/campaigns-leads', { method: 'POST', headers: auth, body: JSON.stringify({ phoneNumber: '+14155550101', campaignId: created.id }) });
    first.close();

    const second = open(path);
    const res = await second.app.request(`/v1/campaigns/${created.id}`, { headers: auth });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ...created, total_leads: 1, pending_calls: 1 });
    second.close();
  });

  it('says which file it cannot open, and why', () => {
    const dir = mkdtempSync(join(tmpdir(), 'campaign-mock-'));
    dirs.push(dir);
    const notADirectory = join(dir, 'file');
    writeFileSync(notADirectory, '');
    expect(() => open(join(notADirectory, 'mock.sqlite'))).toThrow(`campaign-mock: cannot open the database at ${notADirectory}/mock.sqlite: EEXIST: file already exists`);
  });
});

describe('a file database, refused when it cannot serve', () => {
  const fresh = () => {
    const dir = mkdtempSync(join(tmpdir(), 'campaign-mock-'));
    dirs.push(dir);
    return join(dir, 'mock.sqlite');
  };

  it('is held by one mock at a time: a second one on the file is told which process has it', () => {
    const path = fresh();
    const first = open(path);
    expect(() => open(path)).toThrow(`campaign-mock: the database ${path} is already in use by pid ${process.pid} (lock file ${path}.lock); stop that mock, or pass another --db`);
    first.close();
    const second = open(path);
    second.close();
  });

  it('takes over the lock of a process that is gone', () => {
    const path = fresh();
    writeFileSync(`${path}.lock`, '2147483646\n');
    const mock = open(path);
    expect(readFileSync(`${path}.lock`, 'utf8')).toBe(`${process.pid}\n`);
    mock.close();
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('names a file that is not a database, and releases its lock', () => {
    const path = fresh();
    writeFileSync(path, 'name,phone\nAna,+14155550100\n'.repeat(200));
    expect(() => open(path)).toThrow(`campaign-mock: ${path} is not a campaign-mock database or it is damaged (file is not a database); move it aside, or pass another --db`);
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('names a damaged database instead of serving 500s from it', async () => {
    const path = fresh();
    const mock = open(path);
    for (let i = 0; i < 300; i++) {
      await mock.app.request('/v1/campaigns', { method: 'POST', headers: auth, body: JSON.stringify({ name: `Campaign ${i} ${'x'.repeat(200)}`, agent_id: 'agt_1' }) });
    }
    mock.close();
    const bytes = readFileSync(path);
    bytes.fill(0x41, 8192, 8192 * 6);
    writeFileSync(path, bytes);
    expect(() => open(path)).toThrow(new RegExp(`^campaign-mock: ${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is not a campaign-mock database or it is damaged \\(`));
  });
});
