import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createMockApp, type MockApp } from '../../src/app.js';
import { createLogger, type Logger } from '../../src/logger.js';

/**
 * A leads upload of many rows is written in slices, with other requests answered between them
 * (src/store/imports.ts); it stays all or nothing: refused half-way, or cut short by a crash, it
 * leaves no lead and no dialer contact behind.
 */
const ROWS = 40_000;
const csv = `phone_number,first_name\n${Array.from({ length: ROWS }, (_, i) => `+1415${String(i).padStart(7, '0')},Lead ${i}`).join('\n')}\n`;
const dir = mkdtempSync(join(tmpdir(), 'campaign-mock-sliced-upload-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let mock: MockApp | undefined;
afterEach(() => {
  mock?.close();
  mock = undefined;
});

const headers = { authorization: 'Bearer dnx_sliced', 'content-type': 'application/json' };

async function createCampaign(app: MockApp, status?: string): Promise<string> {
  const res = await app.app.request('/v1/campaigns', { method: 'POST', headers, body: JSON.stringify({ name: 'Sliced', agent_id: 'agt_1', ...(status ? {} : { scheduled_at: '2099-01-01T00:00:00Z' }) }) });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

function upload(app: MockApp, campaignId: string): Promise<Response> {
  const form = new FormData();
  form.append('file', new Blob([csv], { type: 'text/csv' }), 'leads.csv');
  return Promise.resolve(app.app.request(`/v1/campaigns-leads/upload-file/${campaignId}`, { method: 'POST', headers: { authorization: headers.authorization }, body: form }));
}

async function totalLeads(app: MockApp, campaignId: string): Promise<number> {
  const res = await app.app.request(`/v1/campaigns/${campaignId}`, { headers });
  return ((await res.json()) as { total_leads: number }).total_leads;
}

function rowsOf(app: MockApp, campaignId: string) {
  const leads = app.db.prepare('SELECT count(*) FROM dialnexa_leads WHERE campaign_id = ?').pluck().get(campaignId) as number;
  const contacts = app.db.prepare("SELECT count(*) FROM sim_contacts WHERE vendor = 'dialnexa' AND campaign_ref = ?").pluck().get(campaignId) as number;
  const imports = app.db.prepare('SELECT count(*) FROM imports').pluck().get() as number;
  return { leads, contacts, imports };
}

/**
 * Polls `count` (between turns of the event loop) until it shows some of the file's rows and not
 * all: the upload is half-way. `what` names it, for the error when it finished first.
 */
async function untilHalfWay(count: () => number | Promise<number>, what: string): Promise<number> {
  for (;;) {
    const seen = await count();
    if (seen > 0 && seen < ROWS) return seen;
    if (seen === ROWS) throw new Error(`${what} before it was seen half-way`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * What a process killed half-way through `request` leaves on disk: the file of `first` as it is at
 * this moment, copied at once (the request goes on in the original), then opened as the next
 * start would open it (it is closed after the test). Answers the mock and what its start warned.
 */
async function reopenAsCrashed(first: MockApp, request: Promise<Response>, name: string): Promise<{ reopened: MockApp; warnings: string[] }> {
  const copy = join(dir, name);
  first.db.prepare('VACUUM INTO ?').run(copy);
  first.close();
  await request.catch(() => undefined);
  const warnings: string[] = [];
  const logger: Logger = { ...createLogger('silent'), warn: (message: string) => void warnings.push(message) };
  mock = createMockApp({ db: copy, speed: 0, logger });
  return { reopened: mock, warnings };
}

/** Until the campaign counts some but not all of the file's leads (each poll a request of its own). */
const untilHalfWritten = (app: MockApp, campaignId: string) => untilHalfWay(() => totalLeads(app, campaignId), 'the upload finished');

describe('a leads upload of many rows', () => {
  it('lets other requests through while it is written, and ends with every lead and contact', async () => {
    mock = createMockApp({ speed: 0, logger: createLogger('silent') });
    const id = await createCampaign(mock);
    const uploading = upload(mock, id);
    // Requests answered while the upload is still being written: they saw part of it.
    const seen = await untilHalfWritten(mock, id);
    expect(seen).toBeGreaterThan(0);
    const res = await uploading;
    expect(res.status).toBe(201);
    expect(((await res.json()) as { leads_created: number }).leads_created).toBe(ROWS);
    expect(await totalLeads(mock, id)).toBe(ROWS);
    expect(rowsOf(mock, id)).toEqual({ leads: ROWS, contacts: ROWS, imports: 0 });
    const counters = mock.db.prepare('SELECT total_leads, pending_calls FROM dialnexa_campaigns WHERE id = ?').get(id);
    expect(counters).toEqual({ total_leads: ROWS, pending_calls: ROWS });
  });

  it('refused by a bad row near its end, is taken back whole: the 400 names the row, and nothing it wrote stays', async () => {
    mock = createMockApp({ speed: 0, logger: createLogger('silent') });
    const id = await createCampaign(mock);
    const lines = csv.trimEnd().split('\n');
    lines[ROWS - 10] = 'not a phone,Broken lead';
    const form = new FormData();
    form.append('file', new Blob([`${lines.join('\n')}\n`], { type: 'text/csv' }), 'leads.csv');
    const res = await mock.app.request(`/v1/campaigns-leads/upload-file/${id}`, { method: 'POST', headers: { authorization: headers.authorization }, body: form });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: unknown }).message).toBe(`Row ${ROWS - 9}: phone_number must be a valid E.164 phone number`);
    expect(rowsOf(mock, id)).toEqual({ leads: 0, contacts: 0, imports: 0 });
    expect(await totalLeads(mock, id)).toBe(0);
  });

  it('is taken back whole when the campaign is cancelled half-way, and answers 409 as if cancelled before', async () => {
    mock = createMockApp({ speed: 0, logger: createLogger('silent') });
    const id = await createCampaign(mock);
    const uploading = upload(mock, id);
    await untilHalfWritten(mock, id);
    const cancel = await mock.app.request(`/v1/campaigns/${id}`, { method: 'PATCH', headers, body: JSON.stringify({ status: 'cancelled' }) });
    expect(cancel.status).toBe(200);
    const res = await uploading;
    expect(res.status).toBe(409);
    expect(((await res.json()) as { message: string }).message).toBe('Cannot add leads to a cancelled campaign');
    expect(rowsOf(mock, id)).toEqual({ leads: 0, contacts: 0, imports: 0 });
    expect(await totalLeads(mock, id)).toBe(0);
  });

  it('stops at a reset of its sandbox and answers 404, leaving nothing', async () => {
    mock = createMockApp({ speed: 0, logger: createLogger('silent') });
    const id = await createCampaign(mock);
    const uploading = upload(mock, id);
    await untilHalfWritten(mock, id);
    mock.reset('dnx_sliced');
    const res = await uploading;
    expect(res.status).toBe(404);
    expect(rowsOf(mock, id)).toEqual({ leads: 0, contacts: 0, imports: 0 });
  });

  it('cut short by a crash, is undone when the mock next opens the database file', async () => {
    const db = join(dir, 'crashed.sqlite');
    const first = createMockApp({ db, speed: 0, logger: createLogger('silent') });
    const id = await createCampaign(first);
    // What a process killed half-way leaves on disk: an open import and the slices it wrote.
    const uploading = upload(first, id);
    await untilHalfWritten(first, id);
    const left = rowsOf(first, id);
    expect(left.leads).toBeLessThan(ROWS);
    expect(left.imports).toBe(1);
    expect(left.leads).toBeGreaterThan(0);
    expect(left.contacts).toBe(left.leads);
    const { reopened, warnings } = await reopenAsCrashed(first, uploading, 'crashed-copy.sqlite');
    expect(rowsOf(reopened, id)).toEqual({ leads: 0, contacts: 0, imports: 0 });
    expect(await totalLeads(reopened, id)).toBe(0);
    expect(warnings).toEqual(['undid 1 upload a stopped server left half-written']);
    expect(reopened.db.pragma('integrity_check', { simple: true })).toBe('ok');
  });
});

describe('a Sarvam cohort file of many rows', () => {
  const BASE = '/api/scheduling/v1/orgs/org-sliced/workspaces/ws-sliced';
  const sarvam = { 'x-api-key': 'sarvam_sliced' };
  const cohortCsv = `phone_number,name\n${Array.from({ length: ROWS }, (_, i) => `98${String(i).padStart(8, '0')},User ${i}`).join('\n')}\n`;

  async function createSarvamCampaign(app: MockApp): Promise<string> {
    const res = await app.app.request(`${BASE}/campaigns`, {
      method: 'POST',
      headers: { ...sarvam, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Sliced cohort',
        app_config: { app_id: 'payment-reminder-agent', app_type: 'agent', app_version: 3 },
        start_timestamp: '2098-01-01T00:00:00Z',
        end_timestamp: '2099-01-01T00:00:00Z',
        allowed_schedule: { allowed_start_time: '09:00', allowed_end_time: '18:00', allowed_days: ['Monday'], timezone: 'Asia/Kolkata' },
      }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { campaign_id: string }).campaign_id;
  }

  function uploadCohort(app: MockApp, campaignId: string): Promise<Response> {
    const form = new FormData();
    form.append('name', 'Big cohort');
    form.append('cohort_file', new Blob([cohortCsv], { type: 'text/csv' }), 'cohort.csv');
    return Promise.resolve(app.app.request(`${BASE}/campaigns/${campaignId}/cohorts/upload`, { method: 'POST', headers: sarvam, body: form }));
  }

  const stored = (app: MockApp, campaignId: string) => ({
    cohorts: app.db.prepare('SELECT count(*) FROM sarvam_cohorts WHERE campaign_id = ?').pluck().get(campaignId),
    users: app.db.prepare('SELECT count(*) FROM sarvam_cohort_users u JOIN sarvam_cohorts c ON c.sandbox_id = u.sandbox_id AND c.id = u.cohort_id WHERE c.campaign_id = ?').pluck().get(campaignId),
    contacts: app.db.prepare("SELECT count(*) FROM sim_contacts WHERE vendor = 'sarvam' AND campaign_ref = ?").pluck().get(campaignId),
    imports: app.db.prepare('SELECT count(*) FROM imports').pluck().get(),
  });

  /** Until some of the cohort's users are in and not all (the test reads the database beside the requests). */
  const untilHalfStored = (app: MockApp, campaignId: string) => untilHalfWay(() => stored(app, campaignId).contacts as number, 'the cohort was stored');

  it('is stored whole: the cohort, every user and every dialer contact', async () => {
    mock = createMockApp({ speed: 0, logger: createLogger('silent') });
    const id = await createSarvamCampaign(mock);
    const uploading = uploadCohort(mock, id);
    await untilHalfStored(mock, id);
    const res = await uploading;
    expect(res.status).toBe(200);
    expect(((await res.json()) as { result: unknown }).result).toEqual({ total_records: ROWS, valid_records: ROWS, rejected_records: 0 });
    expect(stored(mock, id)).toEqual({ cohorts: 1, users: ROWS, contacts: ROWS, imports: 0 });
  });

  it('is taken back whole when the campaign is cancelled half-way, and answers 409', async () => {
    mock = createMockApp({ speed: 0, logger: createLogger('silent') });
    const id = await createSarvamCampaign(mock);
    const uploading = uploadCohort(mock, id);
    await untilHalfStored(mock, id);
    const cancel = await mock.app.request(`${BASE}/campaigns/${id}/status`, { method: 'PUT', headers: { ...sarvam, 'content-type': 'application/json' }, body: JSON.stringify({ action: 'cancel' }) });
    expect(cancel.status).toBe(200);
    const res = await uploading;
    expect(res.status).toBe(409);
    expect(stored(mock, id)).toEqual({ cohorts: 0, users: 0, contacts: 0, imports: 0 });
  });
});

describe('an Asisso campaign started on a CSV of many rows', () => {
  const asisso = { 'x-api-key': 'asisso_sliced' };
  const contactsCsv = `phone_number,name\n${Array.from({ length: ROWS }, (_, i) => `+1415${String(i).padStart(7, '0')},Contact ${i}`).join('\n')}\n`;

  async function createAsissoCampaign(app: MockApp): Promise<number> {
    const presigned = await app.app.request('/api/v1/s3/presigned-upload-url', { method: 'POST', headers: { ...asisso, 'content-type': 'application/json' }, body: JSON.stringify({ file_name: 'contacts.csv', file_size: contactsCsv.length }) });
    const { upload_url, file_key } = (await presigned.json()) as { upload_url: string; file_key: string };
    const url = new URL(upload_url);
    expect((await app.app.request(`${url.pathname}${url.search}`, { method: 'PUT', headers: { 'content-type': 'text/csv' }, body: contactsCsv })).status).toBe(200);
    const res = await app.app.request('/api/v1/campaign/create', {
      method: 'POST',
      headers: { ...asisso, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Sliced start', workflow_id: 42, source_type: 'csv', source_id: file_key }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { id: number }).id;
  }

  const start = (app: MockApp, id: number) => Promise.resolve(app.app.request(`/api/v1/campaign/${id}/start`, { method: 'POST', headers: asisso }));
  const queued = (app: MockApp, id: number) => ({
    runs: app.db.prepare('SELECT count(*) FROM asisso_queued_runs WHERE campaign_id = ?').pluck().get(id),
    contacts: app.db.prepare("SELECT count(*) FROM sim_contacts WHERE vendor = 'asisso' AND campaign_ref = ?").pluck().get(String(id)),
    imports: app.db.prepare('SELECT count(*) FROM imports').pluck().get(),
  });
  const untilHalfQueued = (app: MockApp, id: number) => untilHalfWay(() => queued(app, id).runs as number, 'the contacts were queued');

  it('queues every contact, dials none before it has started, and refuses a second start meanwhile', async () => {
    mock = createMockApp({ speed: 0, logger: createLogger('silent') });
    const id = await createAsissoCampaign(mock);
    const starting = start(mock, id);
    await untilHalfQueued(mock, id);
    const draft = (await (await mock.app.request(`/api/v1/campaign/${id}`, { headers: asisso })).json()) as { state: string };
    expect(draft.state).toBe('draft');
    const again = await start(mock, id);
    expect(again.status).toBe(400);
    const res = await starting;
    expect(res.status).toBe(200);
    expect((await res.json()) as { state: string; total_rows: number }).toMatchObject({ state: 'running', total_rows: ROWS });
    expect(queued(mock, id)).toEqual({ runs: ROWS, contacts: ROWS, imports: 0 });
  });

  it('stops at a reset of its sandbox and answers 404, leaving nothing', async () => {
    mock = createMockApp({ speed: 0, logger: createLogger('silent') });
    const id = await createAsissoCampaign(mock);
    const starting = start(mock, id);
    await untilHalfQueued(mock, id);
    mock.reset('asisso_sliced');
    expect((await starting).status).toBe(404);
    expect(queued(mock, id)).toEqual({ runs: 0, contacts: 0, imports: 0 });
  });
});

describe('a DialNexa batch call of many recipients', () => {
  function createBatch(app: MockApp): Promise<Response> {
    const form = new FormData();
    form.append('file', new Blob([csv], { type: 'text/csv' }), 'leads.csv');
    form.append('title', 'Sliced batch');
    form.append('agent_id', 'agent_abc123');
    return Promise.resolve(app.app.request('/v1/batch-calls', { method: 'POST', headers: { authorization: headers.authorization }, body: form }));
  }

  const stored = (app: MockApp) => ({
    batches: app.db.prepare('SELECT count(*) FROM dialnexa_batches').pluck().get(),
    calls: app.db.prepare('SELECT count(*) FROM dialnexa_batch_calls').pluck().get(),
    campaigns: app.db.prepare("SELECT count(*) FROM sim_campaigns WHERE vendor = 'dialnexa'").pluck().get(),
    contacts: app.db.prepare("SELECT count(*) FROM sim_contacts WHERE vendor = 'dialnexa'").pluck().get(),
    imports: app.db.prepare('SELECT count(*) FROM imports').pluck().get(),
  });

  /** Until some of the batch's calls are in and not all (the test reads the database beside the requests). */
  const untilHalfStored = (app: MockApp) => untilHalfWay(() => stored(app).calls as number, 'the batch was stored');

  const listed = async (app: MockApp) => {
    const res = await app.app.request('/v1/batch-calls', { headers });
    expect(res.status).toBe(200);
    return ((await res.json()) as { total: number }).total;
  };

  it('is written whole while other requests are answered, and shown only once it is', async () => {
    mock = createMockApp({ speed: 0, logger: createLogger('silent') });
    const creating = createBatch(mock);
    await untilHalfStored(mock);
    // Half-written, the batch is nobody's yet: the list does not show it.
    expect(await listed(mock)).toBe(0);
    const res = await creating;
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: string; total_records: number; status: string };
    expect(created).toMatchObject({ total_records: ROWS, status: 'initiated' });
    expect(stored(mock)).toEqual({ batches: 1, calls: ROWS, campaigns: 1, contacts: ROWS, imports: 0 });
    expect(await listed(mock)).toBe(1);
    const batch = await mock.app.request(`/v1/batch-calls/${created.id}?limit=1`, { headers });
    expect(batch.status).toBe(200);
    expect(((await batch.json()) as { total: number }).total).toBe(ROWS);
    // Alone in its organization, it has the turn at once: the dialer places its calls.
    await mock.advanceClock(60, 'dnx_sliced');
    const summary = await mock.app.request('/v1/batch-calls', { headers });
    const [item] = ((await summary.json()) as { items: Array<{ status: string }> }).items;
    expect(item?.status).toBe('running');
    expect(mock.db.prepare("SELECT count(*) FROM dialnexa_batch_calls WHERE status <> 'created'").pluck().get()).toBeGreaterThan(0);
  });

  it('stops at a reset of its sandbox and answers 404, leaving nothing', async () => {
    mock = createMockApp({ speed: 0, logger: createLogger('silent') });
    const creating = createBatch(mock);
    await untilHalfStored(mock);
    mock.reset('dnx_sliced');
    const res = await creating;
    expect(res.status).toBe(404);
    expect(((await res.json()) as { message: string }).message).toMatch(/reset while the request was being served/);
    expect(stored(mock)).toEqual({ batches: 0, calls: 0, campaigns: 0, contacts: 0, imports: 0 });
  });

  it("never lands in another key's sandbox that took its sandbox's id after a reset", async () => {
    for (const turns of [1, 5, 20]) {
      mock?.close();
      mock = createMockApp({ speed: 0, logger: createLogger('silent') });
      const creating = createBatch(mock);
      for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
      mock.reset('dnx_sliced');
      // SQLite hands the freed id to the next sandbox made: another key's.
      const other = await mock.app.request('/v1/batch-calls', { headers: { authorization: 'Bearer dnx_someone_else' } });
      expect(((await other.json()) as { total: number }).total).toBe(0);
      const res = await creating;
      expect(res.status).toBe(404);
      const again = await mock.app.request('/v1/batch-calls', { headers: { authorization: 'Bearer dnx_someone_else' } });
      expect(((await again.json()) as { total: number }).total).toBe(0);
      expect(stored(mock)).toEqual({ batches: 0, calls: 0, campaigns: 0, contacts: 0, imports: 0 });
    }
  });

  it('cut short by a crash, is undone when the mock next opens the database file', async () => {
    const db = join(dir, 'crashed-batch.sqlite');
    const first = createMockApp({ db, speed: 0, logger: createLogger('silent') });
    const creating = createBatch(first);
    await untilHalfStored(first);
    const left = stored(first);
    expect(left).toMatchObject({ batches: 1, campaigns: 1, imports: 1 });
    expect(left.contacts).toBe(left.calls);
    const { reopened, warnings } = await reopenAsCrashed(first, creating, 'crashed-batch-copy.sqlite');
    expect(stored(reopened)).toEqual({ batches: 0, calls: 0, campaigns: 0, contacts: 0, imports: 0 });
    expect(await listed(reopened)).toBe(0);
    expect(warnings).toEqual(['undid 1 upload a stopped server left half-written']);
    expect(reopened.db.pragma('integrity_check', { simple: true })).toBe('ok');
  });
});

describe('a reset while a small upload is still being read', () => {
  it('answers the vendor 404 and writes nothing, never a 500', async () => {
    const statuses: number[] = [];
    // The reset lands at a different point of the request each time: before its sandbox is found
    // (the request then makes a fresh one and succeeds), while its file is read, or after.
    for (let turns = 0; turns < 6; turns++) {
      const app = createMockApp({ speed: 0, logger: createLogger('silent') });
      const form = new FormData();
      form.append('file', new Blob([csv.split('\n').slice(0, 3001).join('\n')], { type: 'text/csv' }), 'leads.csv');
      form.append('title', 'Small batch');
      form.append('agent_id', 'agent_abc123');
      const creating = Promise.resolve(app.app.request('/v1/batch-calls', { method: 'POST', headers: { authorization: headers.authorization }, body: form }));
      for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
      app.reset('dnx_sliced');
      const res = await creating;
      statuses.push(res.status);
      const batches = app.db.prepare('SELECT count(*) FROM dialnexa_batches').pluck().get();
      const calls = app.db.prepare('SELECT count(*) FROM dialnexa_batch_calls').pluck().get();
      if (res.status === 404) {
        expect(((await res.json()) as { message: string }).message).toMatch(/reset while the request was being served/);
        expect([batches, calls]).toEqual([0, 0]);
      } else {
        // Written whole into a fresh sandbox (reset first), or written and then reset away.
        expect(res.status).toBe(201);
        expect([[1, 3000], [0, 0]]).toContainEqual([batches, calls]);
      }
      app.close();
    }
    expect(statuses).toContain(404);
  });
});
