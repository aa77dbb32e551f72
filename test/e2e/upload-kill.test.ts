import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startMockProcess } from '../helpers/process.js';

const ROWS = 150_000;
const headers = { authorization: 'Bearer dnx_upload_kill' };

/**
 * An upload is one transaction: the leads and the dialer's contacts are written together, so a
 * server killed (kill -9) while it reads, parses or stores the file leaves all of them or none.
 */
describe('a leads upload killed mid-request', () => {
  const dir = mkdtempSync(join(tmpdir(), 'campaign-mock-upload-kill-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const csv = `phone_number,first_name\n${Array.from({ length: ROWS }, (_, i) => `+1415${String(i).padStart(7, '0')},Lead ${i}`).join('\n')}\n`;

  it.each([150, 600, 5000])('leaves all %s ms in, or nothing: never leads without their contacts', async (delayMs) => {
    const db = join(dir, `kill-${delayMs}.sqlite`);
    const mock = await startMockProcess(['--port', '0', '--db', db, '--speed', '0']);
    const created = await fetch(`${mock.url}/v1/campaigns`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Killed upload', agent_id: 'agt_kill', scheduled_at: '2099-01-01T00:00:00Z' }),
    });
    const { id } = (await created.json()) as { id: string };
    const form = new FormData();
    form.append('file', new Blob([csv], { type: 'text/csv' }), 'leads.csv');
    let answered: number | undefined;
    const upload = fetch(`${mock.url}/v1/campaigns-leads/upload-file/${id}`, { method: 'POST', headers, body: form }).then(
      (res) => (answered = res.status),
      () => undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    const answeredBeforeKill = answered;
    expect(await mock.stop('SIGKILL')).toBe('SIGKILL');
    await upload;

    const store = new BetterSqlite3(db);
    try {
      const leads = store.prepare('SELECT count(*) FROM dialnexa_leads WHERE campaign_id = ?').pluck().get(id) as number;
      const contacts = store.prepare("SELECT count(*) FROM sim_contacts WHERE vendor = 'dialnexa' AND campaign_ref = ?").pluck().get(id) as number;
      expect([leads, contacts]).toEqual(leads === 0 ? [0, 0] : [ROWS, ROWS]);
      // An upload the server had answered is all there.
      if (answeredBeforeKill === 201) expect(leads).toBe(ROWS);
    } finally {
      store.close();
    }
  });
});
