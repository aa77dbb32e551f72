import { beforeEach, describe, expect, it } from 'vitest';
import type { CallOptions, Caller } from '../../helpers/caller.js';
import { itIf } from '../../helpers/it-if.js';
import { XLSX_TYPE, xlsxFile } from '../../helpers/xlsx.js';

/** What the DialNexa batch-calls suite runs against. */
export interface BatchSuiteContext {
  as(key: string | null): Caller;
  /** A caller for binary uploads (XLSX), which Prism's proxy cannot forward unchanged. */
  binary(key: string): Caller;
  /** Wipes every sandbox, so each case starts from nothing. */
  reset(): Promise<void>;
  /** Moves a sandbox's clock forward, running the dialer up to the new time. */
  advance(key: string, seconds: number): Promise<void>;
  /** A sandbox's current time, in ms. */
  now(key: string): number;
}

export interface BatchSuiteOptions {
  /** Requests go through Prism (which reads at most 10 MB of a body itself). */
  viaPrism: boolean;
  /**
   * Which contract checks the answers: our spec, or DialNexa's own file, which documents neither
   * 413 nor 429.
   */
  contract: 'ours' | 'vendor';
}

export const BATCH_KEYS_FILE = new URL('./batch-keys.yaml', import.meta.url).pathname;

const A = 'dnx_batch_a';
const B = 'dnx_batch_b';
const SINGLE = 'dnx_batch_single';
const AGENTS = 'dnx_batch_agents';

const errorBody = (statusCode: number, message: string | string[], error: string) => ({ statusCode, message, error });
const FORBIDDEN = errorBody(403, 'You do not have permission to access this resource', 'Forbidden');
const NOT_FOUND = errorBody(404, 'Batch call not found', 'Not Found');
const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** A leads file with a `phone_number` column and the numbers given. */
export const leadsCsv = (numbers: readonly string[], extra = '') => `phone_number${extra ? `,${extra}` : ''}\n${numbers.join('\n')}\n`;

export function batchForm(csv: string, fields: Record<string, string> = {}, file: { name?: string; type?: string } = {}): FormData {
  const form = new FormData();
  form.append('file', new Blob([csv], { type: file.type ?? 'text/csv' }), file.name ?? 'leads.csv');
  for (const [name, value] of Object.entries({ title: 'Q3 Follow-up Batch', agent_id: 'agent_abc123', ...fields })) form.append(name, value);
  return form;
}

interface Summary {
  id: string;
  title: string;
  status: string;
  total_records: number;
  sent_lead_count: number;
  picked_up_calls: number;
  last_call_sent_at: string | null;
  [field: string]: unknown;
}

interface CallLog {
  id: string;
  status: string;
  to_number: string;
  duration: number;
  sentiment: string;
  end_reason: string | null;
  createdAt: string;
  [field: string]: unknown;
}

/**
 * Every DialNexa batch-calls operation (the batch-calls OpenAPI), its documented statuses and messages, and how
 * batches take turns and dial. Registered in process, behind `prism proxy --errors` with our
 * spec, and behind it with DialNexa's own published file.
 */
export function describeDialnexaBatchCalls(context: () => BatchSuiteContext, { viaPrism, contract }: BatchSuiteOptions): void {
  beforeEach(() => context().reset());
  // Statuses DialNexa's file does not document (413, 429): registered only under our spec.
  const ourContractOnly = itIf(contract === 'ours');
  // Prism reads at most 10 MB of a body itself: registered in process only.
  const inProcessOnly = itIf(!viaPrism);
  const as = (key: string) => (method: string, path: string, options?: CallOptions) => context().as(key)(method, path, options);
  const call = as(A);
  const createBatch = async (numbers: readonly string[], fields: Record<string, string> = {}, key = A) => {
    const res = await as(key)('POST', '/v1/batch-calls', { body: batchForm(leadsCsv(numbers), fields) });
    expect(res.status, res.text).toBe(201);
    return res.body as { id: string; title: string; total_records: number; status: string; from_number: string; warning?: unknown };
  };
  const summaries = async (key = A, query = ''): Promise<Summary[]> => {
    const res = await as(key)('GET', `/v1/batch-calls?limit=100${query}`);
    expect(res.status, res.text).toBe(200);
    return res.body.items as Summary[];
  };
  const summaryOf = async (id: string, key = A) => (await summaries(key)).find((batch) => batch.id === id) as Summary;
  const callsOf = async (id: string, query = '', key = A): Promise<CallLog[]> => {
    const res = await as(key)('GET', `/v1/batch-calls/${id}?limit=200&created_at=asc${query}`);
    expect(res.status, res.text).toBe(200);
    return res.body.callLogs as CallLog[];
  };
  const setStatus = (id: string, action: string, key = A) => as(key)('PATCH', `/v1/batch-calls/${id}/status`, { body: { action } });
  const iso = (ms: number) => new Date(ms).toISOString();

  describe('POST /v1/batch-calls', () => {
    it('creates a batch from a CSV: initiated, one call log per recipient, running as the only batch', async () => {
      const created = await createBatch(['+14155551000', '+1 (415) 555-1001']);
      expect(created).toEqual({
        id: expect.stringMatching(/^batch_[a-z0-9]{12}$/),
        title: 'Q3 Follow-up Batch',
        total_records: 2,
        status: 'initiated',
        from_number: '+14155552671',
      });
      const [listed] = await summaries();
      expect(listed).toEqual({
        id: created.id,
        title: 'Q3 Follow-up Batch',
        status: 'running',
        total_records: 2,
        createdAt: expect.stringMatching(ISO_MS),
        total_lead_count: 2,
        sent_lead_count: 2,
        picked_up_lead_count: 0,
        picked_up_calls: 0,
        last_call_sent_at: expect.stringMatching(ISO_MS),
        number_of_retries: 2,
        first_retry_count: 0,
        second_retry_count: 0,
        third_retry_count: 0,
        fourth_retry_count: 0,
        attempt_stages: [
          { depth: 0, attempted: 2, total: 2 },
          { depth: 1, attempted: 0, total: 0 },
          { depth: 2, attempted: 0, total: 0 },
        ],
      });
      const calls = await callsOf(created.id);
      expect(calls.map((log) => log.to_number).sort()).toEqual(['+14155551000', '+14155551001']);
      expect(calls[0]).toEqual({
        id: expect.stringMatching(/^call_[a-z0-9]{12}$/),
        batch_id: created.id,
        agent_id: 'agent_abc123',
        from_number: '+14155552671',
        to_number: expect.any(String),
        status: 'initiated',
        call_direction: 'outbound',
        type: 'phone',
        duration: 0,
        sentiment: 'unknown',
        end_reason: null,
        createdAt: listed?.createdAt,
      });
    });

    it('skips rows without a phone number, and refuses a file with none at all', async () => {
      const res = await call('POST', '/v1/batch-calls', { body: batchForm('phone_number,name\n+14155551000,Ana\n,Nobody\n') });
      expect([res.status, res.body.total_records]).toEqual([201, 1]);
      const none = await call('POST', '/v1/batch-calls', { body: batchForm('phone_number,name\n,Nobody\n') });
      expect([none.status, none.body]).toEqual([400, errorBody(400, 'The uploaded file has no row with a phone_number', 'Bad Request')]);
    });

    it('warns of the batches ahead: running, waiting, and scheduled ones that start first', async () => {
      const running = await createBatch(['+14155551000'], { title: 'July renewals' });
      expect(running.warning).toBeUndefined();
      const second = await createBatch(['+14155551001'], { title: 'Second' });
      expect(second.warning).toEqual({
        message:
          'This batch was created, but your organization already has 1 running batch ahead of it. Batches run one at a time per organization, so this batch may be delayed.',
        conflicts: [{ kind: 'running', batch_name: 'July renewals', processed_leads: 1, total_leads: 1 }],
      });
      const soon = iso(context().now(A) + 3600_000);
      await createBatch(['+14155551002'], { title: 'Soon', starts_at: soon });
      const later = await createBatch(['+14155551003'], { title: 'Later', starts_at: iso(context().now(A) + 7200_000) });
      expect(later.warning).toEqual({
        message:
          'This batch was created, but your organization already has 1 running batch, 1 waiting batch and 1 scheduled batch ahead of it. Batches run one at a time per organization, so this batch may be delayed.',
        conflicts: [
          { kind: 'running', batch_name: 'July renewals', processed_leads: 1, total_leads: 1 },
          { kind: 'waiting', batch_name: 'Second', processed_leads: 0, total_leads: 1 },
          { kind: 'scheduled', batch_name: 'Soon', processed_leads: 0, total_leads: 1, starts_at: soon },
        ],
      });
      const statuses = Object.fromEntries((await summaries()).map((batch) => [batch.title, batch.status]));
      expect(statuses).toEqual({ 'July renewals': 'running', Second: 'waiting', Soon: 'scheduled', Later: 'scheduled' });
    });

    it('answers a title over 35 characters with the documented message, alone or with others', async () => {
      const title = 'x'.repeat(42);
      const res = await call('POST', '/v1/batch-calls', { body: batchForm(leadsCsv(['+14155551000']), { title }), invalid: true });
      expect([res.status, res.body]).toEqual([400, errorBody(400, 'title must be 35 characters or fewer (received 42).', 'Bad Request')]);
      const form = batchForm(leadsCsv(['+14155551000']), { title: 'é'.repeat(36) });
      form.delete('agent_id');
      const two = await call('POST', '/v1/batch-calls', { body: form, invalid: true });
      expect([two.status, two.body]).toEqual([
        400,
        errorBody(400, ['title must be 35 characters or fewer (received 36).', 'agent_id should not be empty'], 'Bad Request'),
      ]);
      expect(await summaries()).toEqual([]);
    });

    it('answers a file without a phone_number column, or with bad rows, with a 400 and creates nothing', async () => {
      const missing = await call('POST', '/v1/batch-calls', { body: batchForm('phone,name\n+14155551000,Ana\n') });
      expect([missing.status, missing.body]).toEqual([400, errorBody(400, 'The uploaded file must include a phone_number column', 'Bad Request')]);
      const bad = await call('POST', '/v1/batch-calls', { body: batchForm('phone_number\n+14155551000\nabc\n12\n') });
      expect([bad.status, bad.body]).toEqual([400, errorBody(400, 'Rows 3, 4: phone_number must be a valid E.164 phone number', 'Bad Request')]);
      expect(await summaries()).toEqual([]);
    });

    it('needs a file, a title and an agent_id, and refuses workbooks it cannot read', async () => {
      const form = new FormData();
      form.append('title', '');
      const res = await call('POST', '/v1/batch-calls', { body: form, invalid: true });
      expect([res.status, res.body]).toEqual([
        400,
        errorBody(400, ['file should not be empty', 'title should not be empty', 'agent_id should not be empty'], 'Bad Request'),
      ]);
      const broken = await call('POST', '/v1/batch-calls', { body: batchForm('PK', {}, { name: 'leads.xlsx', type: XLSX_TYPE }) });
      expect([broken.status, broken.body]).toEqual([400, errorBody(400, "The file is not a valid XLSX file: Couldn't unzip `.xlsx` file contents", 'Bad Request')]);
      const xls = await call('POST', '/v1/batch-calls', { body: batchForm('\xd0\xcf\x11\xe0', {}, { name: 'leads.xls', type: 'application/vnd.ms-excel' }) });
      expect([xls.status, xls.body]).toEqual([
        400,
        errorBody(400, 'campaign-mock reads CSV and XLSX files; save the XLS (Excel 97-2003) workbook as XLSX or CSV and upload that', 'Bad Request'),
      ]);
      expect(await summaries()).toEqual([]);
    });

    it('takes an Excel (XLSX) leads file, as the OpenAPI and the official SDK send it, and dials it', async () => {
      const sheet = await xlsxFile([['phone_number', 'name'], ['+14155551000', 'Ana'], [14155551001, 'Ben']]);
      const form = new FormData();
      form.append('file', new Blob([sheet], { type: XLSX_TYPE }), 'leads.xlsx');
      form.append('title', 'Excel batch');
      form.append('agent_id', 'agent_abc123');
      const res = await context().binary(A)('POST', '/v1/batch-calls', { body: form });
      expect([res.status, res.body.total_records, res.body.status]).toEqual([201, 2, 'initiated']);
      await context().advance(A, 3600);
      const calls = await call('GET', `/v1/batch-calls/${res.body.id}?status=completed`);
      expect(calls.body.callLogs.map((log: { to_number: string }) => log.to_number).sort()).toEqual(['+14155551000', '+14155551001']);
    });

    it('checks the scheduling fields, every problem at once; empty ones start at once', async () => {
      const res = await call('POST', '/v1/batch-calls', {
        body: batchForm(leadsCsv(['+14155551000']), { starts_at: 'tomorrow', ends_at: '2020-01-01T00:00:00Z', calling_hours_start: '9am', calling_hours_end: '18:00' }),
      });
      expect([res.status, res.body]).toEqual([
        400,
        errorBody(
          400,
          ['starts_at must be a valid ISO 8601 date string', 'calling_hours_start must be a time of day as HH:MM', 'ends_at must be after starts_at and in the future'],
          'Bad Request',
        ),
      ]);
      const same = await call('POST', '/v1/batch-calls', { body: batchForm(leadsCsv(['+14155551000']), { calling_hours_start: '09:00', calling_hours_end: '09:00' }) });
      expect([same.status, same.body]).toEqual([400, errorBody(400, 'calling_hours_end must differ from calling_hours_start', 'Bad Request')]);
      const version = await call('POST', '/v1/batch-calls', { body: batchForm(leadsCsv(['+14155551000']), { agent_version_number: '0' }), invalid: true });
      expect([version.status, version.body]).toEqual([400, errorBody(400, 'agent_version_number must not be less than 1', 'Bad Request')]);
      const now = await createBatch(['+14155551000'], { starts_at: '', ends_at: '' });
      expect((await summaryOf(now.id)).status).toBe('running');
    });

    it("uses the workspace's agents: the latest published version and its number, 400 for a draft, 404 for no such version or agent", async () => {
      const agents = as(AGENTS);
      const latest = await createBatch(['+14155551000'], { agent_id: 'agent_live' }, AGENTS);
      expect(latest.from_number).toBe('+14155550142');
      expect((await callsOf(latest.id, '&agent_version_id=3', AGENTS)).map((log) => log.agent_id)).toEqual(['agent_live']);
      expect(await callsOf(latest.id, '&agent_version_id=1,2', AGENTS)).toEqual([]);
      const form = (fields: Record<string, string>) => ({ body: batchForm(leadsCsv(['+14155551000']), fields) });
      const draft = await agents('POST', '/v1/batch-calls', form({ agent_id: 'agent_live', agent_version_number: '2' }));
      expect([draft.status, draft.body]).toEqual([
        400,
        errorBody(400, 'Version 2 of agent agent_live is a draft. Publish it before starting a batch call.', 'Bad Request'),
      ]);
      const missing = await agents('POST', '/v1/batch-calls', form({ agent_id: 'agent_live', agent_version_number: '9' }));
      expect([missing.status, missing.body]).toEqual([404, errorBody(404, 'Agent agent_live has no version 9. Published versions: 1, 3.', 'Not Found')]);
      const unknown = await agents('POST', '/v1/batch-calls', form({ agent_id: 'agent_abc123' }));
      expect([unknown.status, unknown.body]).toEqual([404, errorBody(404, 'Agent agent_abc123 not found', 'Not Found')]);
      const numberless = await agents('POST', '/v1/batch-calls', form({ agent_id: 'agent_numberless' }));
      expect([numberless.status, numberless.body]).toEqual([
        400,
        errorBody(400, 'Version 1 of agent agent_numberless has no outbound phone number. Attach one before starting a batch call.', 'Bad Request'),
      ]);
    });

    it('refuses a destination the workspace may not call with the documented 403', async () => {
      const res = await as(AGENTS)('POST', '/v1/batch-calls', { body: batchForm(leadsCsv(['+14155551000', '+447700900123']), { agent_id: 'agent_live' }) });
      expect([res.status, res.body]).toEqual([403, errorBody(403, 'Destination country or network prefix is not enabled for this workspace', 'Forbidden')]);
      expect(await summaries(AGENTS)).toEqual([]);
    });

    it('answers no credential with a 401 and a read-only key with a 403', async () => {
      const none = await context().as(null)('POST', '/v1/batch-calls', { body: batchForm(leadsCsv(['+14155551000'])), invalid: true });
      expect([none.status, none.body]).toEqual([401, errorBody(401, 'API key is missing or invalid', 'Unauthorized')]);
      const readOnly = await as('dnx_batch_readonly')('POST', '/v1/batch-calls', { body: batchForm(leadsCsv(['+14155551000'])) });
      expect([readOnly.status, readOnly.body]).toEqual([403, FORBIDDEN]);
    });

    // Prism reads at most 10 MB of a body itself, and DialNexa's file documents no 413.
    inProcessOnly('refuses a file over 10 MB with a 413', async () => {
      const big = `phone_number,pad\n${`+14155550101,${'x'.repeat(1000)}\n`.repeat(10_600)}`;
      const res = await call('POST', '/v1/batch-calls', { body: batchForm(big) });
      expect([res.status, res.body]).toEqual([413, errorBody(413, 'request entity too large', 'Payload Too Large')]);
    });
  });

  describe('GET /v1/batch-calls', () => {
    it('pages the batches newest first and filters by status lists and the legacy active', async () => {
      const first = await createBatch(['+14155551000'], { title: 'First' });
      const second = await createBatch(['+14155551001'], { title: 'Second' });
      const third = await createBatch(['+14155551002'], { title: 'Third', starts_at: iso(context().now(A) + 3600_000) });
      await setStatus(second.id, 'pause');
      await context().advance(A, 60);
      const page = await call('GET', '/v1/batch-calls?page=1&limit=2');
      expect(page.status).toBe(200);
      expect({ ...page.body, items: page.body.items.map((b: Summary) => b.title) }).toEqual({ items: ['Third', 'Second'], total: 3, page: 1, limit: 2 });
      const last = await call('GET', '/v1/batch-calls?page=2&limit=2');
      expect(last.body.items.map((b: Summary) => b.id)).toEqual([first.id]);
      const titles = async (status: string) => (await summaries(A, `&status=${status}`)).map((b) => b.title);
      expect(await titles('running')).toEqual(['First']);
      expect(await titles('paused,scheduled')).toEqual(['Third', 'Second']);
      expect(await titles('active')).toEqual(['Third']);
      expect(await titles('draft,deleted')).toEqual([]);
      expect(third.status).toBe('initiated');
    });

    it('answers invalid query parameters with the documented 400', async () => {
      for (const query of ['status=running,sleeping', 'limit=0', 'page=first']) {
        const res = await call('GET', `/v1/batch-calls?${query}`, { invalid: true });
        expect([res.status, res.body], query).toEqual([400, errorBody(400, 'Invalid query parameters', 'Bad Request')]);
      }
    });

    it("lists only the key's own batches, and needs the permission to read them", async () => {
      await createBatch(['+14155551000'], {}, B);
      expect(await summaries(A)).toEqual([]);
      const blind = await as('dnx_batch_blind')('GET', '/v1/batch-calls');
      expect([blind.status, blind.body]).toEqual([403, FORBIDDEN]);
      const none = await context().as(null)('GET', '/v1/batch-calls', { invalid: true });
      expect(none.status).toBe(401);
    });
  });

  describe('GET /v1/batch-calls/{id}', () => {
    it('reads the outcomes, counters and retries the dialer wrote, by magic number', async () => {
      const batch = await createBatch(['+14155551000', '+14155550001', '+14155550002', '+14155550003']);
      await context().advance(A, 3 * 3600);
      const summary = await summaryOf(batch.id);
      expect(summary).toMatchObject({
        status: 'completed',
        total_lead_count: 4,
        sent_lead_count: 4,
        picked_up_lead_count: 2,
        picked_up_calls: 2,
        first_retry_count: 2,
        second_retry_count: 2,
        third_retry_count: 0,
        fourth_retry_count: 0,
        attempt_stages: [
          { depth: 0, attempted: 4, total: 4 },
          { depth: 1, attempted: 2, total: 2 },
          { depth: 2, attempted: 2, total: 2 },
        ],
      });
      const calls = await callsOf(batch.id);
      const byNumber = (number: string) => calls.filter((log) => log.to_number === number);
      expect(calls).toHaveLength(8);
      expect(byNumber('+14155551000')).toEqual([
        expect.objectContaining({ status: 'completed', end_reason: 'user_disconnected', sentiment: expect.stringMatching(/^(positive|neutral|negative)$/) }),
      ]);
      expect(byNumber('+14155551000')[0]?.duration).toBeGreaterThanOrEqual(45);
      expect(byNumber('+14155550001').map((log) => [log.status, log.end_reason, log.duration, log.sentiment])).toEqual([
        ['busy', 'user_busy', 0, 'unknown'],
        ['busy', 'user_busy', 0, 'unknown'],
        ['busy', 'user_busy', 0, 'unknown'],
      ]);
      expect(byNumber('+14155550002').map((log) => log.status)).toEqual(['no_answer', 'no_answer', 'no_answer']);
      expect(byNumber('+14155550003').map((log) => log.end_reason)).toEqual(['voicemail_reached']);
      // A retry's call log is created when it is scheduled, as the call before it ends (30 s of ringing).
      const [firstTry, retry] = byNumber('+14155550002');
      expect(Date.parse(retry?.createdAt as string) - Date.parse(firstTry?.createdAt as string)).toBe(30_000);
      expect(Date.parse(summary.last_call_sent_at as string)).toBeGreaterThan(Date.parse(retry?.createdAt as string));
    });

    it('filters, sorts and pages the call logs', async () => {
      const batch = await createBatch(['+14155551000', '+14155551001', '+14155550001', '+14155550002']);
      await context().advance(A, 3 * 3600);
      const count = async (query: string) => {
        const res = await call('GET', `/v1/batch-calls/${batch.id}?${query}`);
        expect(res.status, `${query}: ${res.text}`).toBe(200);
        return res.body.total as number;
      };
      expect(await count('')).toBe(8);
      expect(await count('status=busy,no_answer')).toBe(6);
      expect(await count('status=completed&end_reason=user_disconnected')).toBe(2);
      expect(await count('end_reason=user_busy,user_did_not_pick_up')).toBe(6);
      expect(await count('to=%2B14155550001')).toBe(3);
      expect(await count('to=+14155550001')).toBe(3);
      expect(await count('from=%2B14155552671&agent_id=agent_abc123,agent_other')).toBe(8);
      expect(await count('agent_id=agent_other')).toBe(0);
      expect(await count('sentiment=unknown')).toBe(6);
      expect(await count('duration_greater_than=44999')).toBe(2);
      expect(await count('duration_min=0&duration_max=0')).toBe(6);
      expect(await count('duration_less_than=1')).toBe(6);
      expect(await count('type=phone&call_direction=outbound')).toBe(8);
      expect(await count('call_direction=inbound')).toBe(0);
      expect(await count(`batch_call_id=${batch.id},batch_other`)).toBe(8);
      expect(await count('batch_call_id=batch_other')).toBe(0);
      const today = iso(context().now(A)).slice(0, 10);
      expect(await count(`start_date=2000-01-01&end_date=${today}`)).toBe(8);
      expect(await count('end_date=2000-01-01')).toBe(0);

      const longest = await call('GET', `/v1/batch-calls/${batch.id}?duration=desc&limit=1&page=1`);
      expect(longest.body).toMatchObject({ total: 8, page: 1, limit: 1, totalPages: 8 });
      const durations = (await callsOf(batch.id)).map((log) => log.duration);
      expect(longest.body.callLogs[0].duration).toBe(Math.max(...durations));
      const byId = await call('GET', `/v1/batch-calls/${batch.id}?call_id=${longest.body.callLogs[0].id}`);
      expect(byId.body.callLogs.map((log: CallLog) => log.id)).toEqual([longest.body.callLogs[0].id]);
      const beyond = await call('GET', `/v1/batch-calls/${batch.id}?page=5&limit=2`);
      expect(beyond.body).toEqual({ callLogs: [], total: 8, page: 5, limit: 2, totalPages: 4 });
    });

    it('exports every call log on one page, with only the columns asked for', async () => {
      const batch = await createBatch(Array.from({ length: 25 }, (_, i) => `+1415555${String(1100 + i)}`));
      const all = await call('GET', `/v1/batch-calls/${batch.id}?export=true`);
      expect(all.body).toMatchObject({ total: 25, page: 1, limit: 25, totalPages: 1 });
      expect(all.body.callLogs).toHaveLength(25);
      const columns = await call('GET', `/v1/batch-calls/${batch.id}?export=true&columns=to_number,status,agent_name`);
      expect(columns.body.callLogs).toHaveLength(25);
      expect(columns.body.callLogs[0]).toEqual({ to_number: expect.stringMatching(/^\+1415555/), status: 'initiated' });
    });

    it('answers an id of the wrong format with a 400, an unknown one with a 404, and another key’s with a 403', async () => {
      const invalid = await call('GET', '/v1/batch-calls/not-a-batch');
      expect([invalid.status, invalid.body]).toEqual([400, errorBody(400, 'Invalid batch call ID format', 'Bad Request')]);
      const missing = await call('GET', '/v1/batch-calls/batch_abc123');
      expect([missing.status, missing.body]).toEqual([404, NOT_FOUND]);
      const theirs = await createBatch(['+14155551000'], {}, B);
      const other = await call('GET', `/v1/batch-calls/${theirs.id}`);
      expect([other.status, other.body]).toEqual([403, FORBIDDEN]);
      const blind = await as('dnx_batch_blind')('GET', '/v1/batch-calls/batch_abc123');
      expect([blind.status, blind.body]).toEqual([403, FORBIDDEN]);
    });

    it('takes a comma-separated list in every filter the OpenAPI describes as one', async () => {
      const { id } = await createBatch(['+14155551000', '+14155550001']);
      await context().advance(A, 600);
      // The OpenAPI's schemas make type, call_direction and sentiment single values; its prose allows lists.
      const listed = await call('GET', `/v1/batch-calls/${id}?type=phone,web&call_direction=inbound,outbound&sentiment=unknown,positive,neutral,negative&status=busy,completed`, {
        invalid: contract === 'vendor',
      });
      expect(listed.status, listed.text).toBe(200);
      expect(listed.body.callLogs.map((log: CallLog) => log.status).sort()).toEqual(['busy', 'completed']);
      const none = await call('GET', `/v1/batch-calls/${id}?call_direction=inbound,inbound`, { invalid: contract === 'vendor' });
      expect([none.status, none.body.total]).toEqual([200, 0]);
    });

    it('lists batches with no upper bound on limit, as the OpenAPI states none', async () => {
      await createBatch(['+14155551000']);
      const res = await call('GET', '/v1/batch-calls?limit=500');
      expect([res.status, res.body.limit, res.body.items.length]).toEqual([200, 500, 1]);
    });

    it('refuses a limit over 200 and a bad date', async () => {
      const { id } = await createBatch(['+14155551000']);
      const res = await call('GET', `/v1/batch-calls/${id}?limit=201&sentiment=angry`, { invalid: true });
      expect([res.status, res.body]).toEqual([
        400,
        errorBody(
          400,
          ['sentiment must match ^(positive|neutral|negative|unknown)(,(positive|neutral|negative|unknown))*$ regular expression', 'limit must not be greater than 200'],
          'Bad Request',
        ),
      ]);
      const date = await call('GET', `/v1/batch-calls/${id}?start_date=01/07/2026`);
      expect([date.status, date.body]).toEqual([400, errorBody(400, 'start_date must be a valid ISO 8601 date string', 'Bad Request')]);
    });
  });

  describe('PATCH /v1/batch-calls/{id}/status', () => {
    const affected = (counts: Partial<Record<'initiated' | 'queued' | 'removedFromQueue' | 'cancelledCallLogs' | 'resumedCallLogs', number>>) => ({
      initiated: 0,
      queued: 0,
      removedFromQueue: 0,
      cancelledCallLogs: 0,
      resumedCallLogs: 0,
      ...counts,
    });

    it('pauses (the call in progress finishes, the queue is held) and resumes, counting the calls touched', async () => {
      const batch = await createBatch(['+14155551000', '+14155551001', '+14155551002'], {}, SINGLE);
      const paused = await setStatus(batch.id, 'pause', SINGLE);
      expect([paused.status, paused.body]).toEqual([
        200,
        { success: true, message: 'Campaign paused successfully', campaign: { id: batch.id, status: 'paused', title: 'Q3 Follow-up Batch' }, affectedCalls: affected({ initiated: 1, removedFromQueue: 2 }) },
      ]);
      await context().advance(SINGLE, 3600);
      expect((await callsOf(batch.id, '', SINGLE)).map((log) => log.status)).toEqual(['completed', 'created', 'created']);
      const resumed = await setStatus(batch.id, 'resume', SINGLE);
      expect(resumed.body).toEqual({
        success: true,
        message: 'Campaign resumed successfully',
        campaign: { id: batch.id, status: 'running', title: 'Q3 Follow-up Batch' },
        affectedCalls: affected({ queued: 2, resumedCallLogs: 2 }),
      });
      await context().advance(SINGLE, 3600);
      expect(await summaryOf(batch.id, SINGLE)).toMatchObject({ status: 'completed', sent_lead_count: 3, picked_up_calls: 3 });
    });

    it('hands the turn on: a paused batch lets the next one run, and waits when resumed behind it', async () => {
      const first = await createBatch(['+14155551000', '+14155551001'], { title: 'First' }, SINGLE);
      const second = await createBatch(['+14155552000'], { title: 'Second' }, SINGLE);
      expect((await summaryOf(second.id, SINGLE)).status).toBe('waiting');
      await setStatus(first.id, 'pause', SINGLE);
      expect((await summaryOf(second.id, SINGLE)).status).toBe('running');
      const resumed = await setStatus(first.id, 'resume', SINGLE);
      expect(resumed.body).toMatchObject({ campaign: { status: 'waiting' }, affectedCalls: affected({ initiated: 1, resumedCallLogs: 1 }) });
      await context().advance(SINGLE, 3600);
      const [secondDone, firstDone] = [await summaryOf(second.id, SINGLE), await summaryOf(first.id, SINGLE)];
      expect([firstDone.status, secondDone.status]).toEqual(['completed', 'completed']);
      expect(Date.parse(firstDone.last_call_sent_at as string)).toBeGreaterThan(Date.parse(secondDone.last_call_sent_at as string));
    });

    it('cancels for good: waiting call logs are cancelled, and no action is allowed afterwards', async () => {
      const running = await createBatch(['+14155551000', '+14155551001', '+14155551002'], { title: 'Running' }, SINGLE);
      const waiting = await createBatch(['+14155552000', '+14155552001'], { title: 'Waiting' }, SINGLE);
      const cancelWaiting = await setStatus(waiting.id, 'cancel', SINGLE);
      expect(cancelWaiting.body).toEqual({
        success: true,
        message: 'Campaign cancelled successfully',
        campaign: { id: waiting.id, status: 'cancelled', title: 'Waiting' },
        affectedCalls: affected({ cancelledCallLogs: 2 }),
      });
      const cancelRunning = await setStatus(running.id, 'cancel', SINGLE);
      expect(cancelRunning.body.affectedCalls).toEqual(affected({ initiated: 1, removedFromQueue: 2, cancelledCallLogs: 2 }));
      await context().advance(SINGLE, 3600);
      expect((await callsOf(running.id, '', SINGLE)).map((log) => log.status)).toEqual(['completed', 'cancelled', 'cancelled']);
      expect((await summaryOf(running.id, SINGLE)).status).toBe('cancelled');
      for (const action of ['resume', 'pause', 'cancel']) {
        const res = await setStatus(running.id, action, SINGLE);
        expect([res.status, res.body]).toEqual([400, errorBody(400, `Cannot ${action} a cancelled batch call`, 'Bad Request')]);
      }
    });

    it('refuses an action the status does not allow, and an action that is not one', async () => {
      const batch = await createBatch(['+14155551000']);
      const resume = await setStatus(batch.id, 'resume');
      expect([resume.status, resume.body]).toEqual([400, errorBody(400, 'Cannot resume a running batch call', 'Bad Request')]);
      await context().advance(A, 3600);
      const done = await setStatus(batch.id, 'pause');
      expect([done.status, done.body]).toEqual([400, errorBody(400, 'Cannot pause a completed batch call', 'Bad Request')]);
      const invalid = errorBody(400, 'Invalid action. Must be one of: pause, resume, cancel', 'Bad Request');
      const stop = await call('PATCH', `/v1/batch-calls/${batch.id}/status`, { body: { action: 'stop' }, invalid: true });
      expect([stop.status, stop.body]).toEqual([400, invalid]);
      const none = await call('PATCH', `/v1/batch-calls/${batch.id}/status`, { body: {}, invalid: true });
      expect([none.status, none.body]).toEqual([400, invalid]);
    });

    it("answers a malformed id with a 400, an unknown one with a 404, another organization's with a 403", async () => {
      const invalid = await setStatus('batch-1', 'pause');
      expect([invalid.status, invalid.body]).toEqual([400, errorBody(400, 'Invalid batch call ID format', 'Bad Request')]);
      const missing = await setStatus('batch_abc123', 'pause');
      expect([missing.status, missing.body]).toEqual([404, NOT_FOUND]);
      const theirs = await createBatch(['+14155551000'], {}, B);
      const other = await setStatus(theirs.id, 'cancel');
      expect([other.status, other.body]).toEqual([403, FORBIDDEN]);
      expect((await summaryOf(theirs.id, B)).status).toBe('running');
      const readOnly = await as('dnx_batch_readonly')('PATCH', `/v1/batch-calls/${theirs.id}/status`, { body: { action: 'pause' } });
      expect([readOnly.status, readOnly.body]).toEqual([403, FORBIDDEN]);
    });
  });

  describe('batches in the dialer', () => {
    it('run one at a time: the next starts the moment the one before it finishes, a chain of them in one advance', async () => {
      const first = await createBatch(['+14155550002'], { title: 'First' });
      const second = await createBatch(['+14155550002'], { title: 'Second' });
      const third = await createBatch(['+14155551000'], { title: 'Third' });
      await context().advance(A, 60);
      expect((await summaries()).map((b) => [b.title, b.status, b.sent_lead_count])).toEqual([
        ['Third', 'waiting', 0],
        ['Second', 'waiting', 0],
        ['First', 'running', 1],
      ]);
      await context().advance(A, 4 * 3600);
      const done = await summaries();
      expect(done.map((b) => b.status)).toEqual(['completed', 'completed', 'completed']);
      const sentAt = Object.fromEntries(done.map((b) => [b.title, Date.parse(b.last_call_sent_at as string)]));
      // An unanswered call rings 30 s: a batch ends 30 s after its last call, and the next one dials
      // then. Second's own last call is its second retry: two more 30 s rings and 30 min waits on.
      const ring = 30_000;
      expect(sentAt.Second).toBe((sentAt.First as number) + ring + 2 * (ring + 30 * 60_000));
      expect(sentAt.Third).toBe((sentAt.Second as number) + ring);
      expect((await summaryOf(first.id)).first_retry_count).toBe(1);
      expect([second.warning, third.warning]).toEqual([expect.anything(), expect.anything()]);
    });

    it('waits for starts_at, and a scheduled batch whose time comes while another runs waits its turn', async () => {
      const start = Math.floor(context().now(A) / 1000) * 1000 + 600_000;
      const long = await createBatch(['+14155550002'], { title: 'Long' });
      const scheduled = await createBatch(['+14155551000'], { title: 'Scheduled', starts_at: iso(start) });
      await context().advance(A, 300);
      expect((await summaryOf(scheduled.id)).status).toBe('scheduled');
      await context().advance(A, 600);
      expect((await summaryOf(scheduled.id)).status).toBe('waiting');
      await context().advance(A, 4 * 3600);
      const [done, before] = [await summaryOf(scheduled.id), await summaryOf(long.id)];
      expect(done.status).toBe('completed');
      expect(Date.parse(done.last_call_sent_at as string)).toBe(Date.parse(before.last_call_sent_at as string) + 30_000);

      const alone = await createBatch(['+14155551000'], { title: 'Alone', starts_at: iso(start + 6 * 3600_000) });
      expect((await summaryOf(alone.id)).status).toBe('scheduled');
      await context().advance(A, 6 * 3600);
      expect((await summaryOf(alone.id)).last_call_sent_at).toBe(iso(start + 6 * 3600_000));
    });

    it('dials inside the calling hours (UTC) and stops at ends_at', async () => {
      const opens = Math.floor((context().now(SINGLE) + 2 * 3600_000) / 60_000) * 60_000;
      const hhmm = (ms: number) => iso(ms).slice(11, 16);
      const windowed = await createBatch(['+14155551000'], { calling_hours_start: hhmm(opens), calling_hours_end: hhmm(opens + 3600_000) }, SINGLE);
      await context().advance(SINGLE, 3600);
      expect(await summaryOf(windowed.id, SINGLE)).toMatchObject({ status: 'running', sent_lead_count: 0 });
      await context().advance(SINGLE, 2 * 3600);
      expect(await summaryOf(windowed.id, SINGLE)).toMatchObject({ status: 'completed', last_call_sent_at: iso(opens) });

      const ending = await createBatch(['+14155551000', '+14155551001'], { ends_at: iso(context().now(SINGLE) + 20_000) }, SINGLE);
      await context().advance(SINGLE, 3600);
      expect(await summaryOf(ending.id, SINGLE)).toMatchObject({ status: 'completed', sent_lead_count: 1 });
      expect((await callsOf(ending.id, '', SINGLE)).map((log) => log.status).sort()).toEqual(['cancelled', 'completed']);
    });

    ourContractOnly('shares the scenarios with campaigns: a sticky rate limit answers batch calls too', async () => {
      const res = await call('GET', '/v1/batch-calls', { headers: { 'x-mock-scenario': 'dialnexa-rate-limited' } });
      expect([res.status, res.body.statusCode, res.headers.get('retry-after')]).toEqual([429, 429, '2']);
      const forced = await call('GET', '/v1/batch-calls/batch_abc123', { headers: { 'x-mock-scenario': 'dialnexa.getBatchCall.404' } });
      expect([forced.status, forced.body]).toEqual([404, NOT_FOUND]);
    });
  });
}

