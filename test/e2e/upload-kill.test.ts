import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { startMockProcess } from '../helpers/process.js';

const ROWS = 150_000;
const headers = { authorization: 'Bearer dnx_upload_kill' };

/**
 * An upload is all or nothing: a server killed (kill -9) while it reads, parses or writes the file
 * leaves, once restarted on the file, all of the leads with their dialer contacts or none. A big
 * file is written in slices (src/store/imports.ts), so a kill can land half-way through; the
 * restart undoes that.
 */
describe('a leads upload killed mid-request', () => {
  const dir = mkdtempSync(join(tmpdir(), 'campaign-mock-upload-kill-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const csv = `phone_number,first_name\n${Array.from({ length: ROWS }, (_, i) => `+1415${String(i).padStart(7, '0')},Lead ${i}`).join('\n')}\n`;

  const counts = (db: string, id: string) => {
    const store = new BetterSqlite3(db, { readonly: true });
    try {
      const leads = store.prepare('SELECT count(*) FROM dialnexa_leads WHERE campaign_id = ?').pluck().get(id) as number;
      const contacts = store.prepare("SELECT count(*) FROM sim_contacts WHERE vendor = 'dialnexa' AND campaign_ref = ?").pluck().get(id) as number;
      return { leads, contacts };
    } finally {
      store.close();
    }
  };

  it.each([
    ['150 ms in', 150],
    ['600 ms in', 600],
    ['half-way through writing', 'half-way'],
    ['5000 ms in', 5000],
  ] as const)('killed %s, it leaves all of them or nothing once restarted', async (_, when) => {
    const db = join(dir, `kill-${when}.sqlite`);
    const mock = await startMockProcess(['--port', '0', '--db', db, '--speed', '0']);
    onTestFinished(() => void mock.stop('SIGKILL').catch(() => undefined));
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
    if (when === 'half-way') {
      // Until the campaign counts some of the leads and not all (each slice is committed).
      const totalLeads = async () => ((await (await fetch(`${mock.url}/v1/campaigns/${id}`, { headers })).json()) as { total_leads: number }).total_leads;
      for (let seen = await totalLeads(); seen === 0 || seen === ROWS; seen = await totalLeads()) {
        if (seen === ROWS) throw new Error('the upload finished before it was seen half-way');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    } else {
      await new Promise((resolve) => setTimeout(resolve, when));
    }
    const answeredBeforeKill = answered;
    expect(await mock.stop('SIGKILL')).toBe('SIGKILL');
    await upload;

    // The restart undoes a half-written upload; the file is read once it has stopped again.
    const restarted = await startMockProcess(['--port', '0', '--db', db, '--speed', '0']);
    let campaign: { total_leads: number };
    try {
      campaign = (await (await fetch(`${restarted.url}/v1/campaigns/${id}`, { headers })).json()) as { total_leads: number };
    } finally {
      await restarted.stop();
    }
    const { leads, contacts } = counts(db, id);
    expect([leads, contacts, campaign.total_leads]).toEqual(leads === 0 ? [0, 0, 0] : [ROWS, ROWS, ROWS]);
    // An upload the server had answered is all there.
    if (answeredBeforeKill === 201) expect(leads).toBe(ROWS);
  });
});
