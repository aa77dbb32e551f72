import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
