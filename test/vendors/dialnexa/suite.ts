import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Caller } from '../../helpers/caller.js';
import type { DialnexaSeed } from '../../helpers/dialnexa-seed.js';
import { itIf } from '../../helpers/it-if.js';
import { XLSX_TYPE, xlsxFile } from '../../helpers/xlsx.js';

/** What the DialNexa suite runs against: callers per key and a way to seed facts. */
export interface DialnexaSuiteContext {
  as(key: string | null): Caller;
  /** A caller for binary uploads (XLSX), which Prism's proxy cannot forward unchanged. */
  binary(key: string): Caller;
  seed: DialnexaSeed;
  /** Wipes every sandbox, so each case starts from nothing. */
  reset(): Promise<void>;
  /** Moves a sandbox's clock forward, running the dialer up to the new time. */
  advance(key: string, seconds: number): Promise<void>;
}

export const KEYS_FILE = new URL('./keys.yaml', import.meta.url).pathname;

const A = 'dnx_test_a';
const B = 'dnx_test_b';

const validCampaign = { name: 'Spring renewals', agent_id: 'agt_abc123', from_phone_number: '+14155550100' };

const errorBody = (statusCode: number, message: string | string[], error: string) => ({ statusCode, message, error });

/**
 * Every DialNexa operation, its documented statuses and its state rules. Registered by the
 * in-process test (app.request) and by the Prism test (real HTTP behind `prism proxy --errors`),
 * so the same cases prove the behaviour and its conformance to the spec.
 */
export function describeDialnexaApi(context: () => DialnexaSuiteContext, { viaPrism }: { viaPrism: boolean }): void {
  beforeEach(() => context().reset());
  // Cases Prism answers itself: registered in process only.
  const inProcessOnly = itIf(!viaPrism);
  const call = (method: string, path: string, options?: Parameters<Caller>[2]) => context().as(A)(method, path, options);
  const createCampaign = async (overrides: Record<string, unknown> = {}, key = A) => {
    const res = await context().as(key)('POST', '/v1/campaigns', { body: { ...validCampaign, ...overrides } });
    expect(res.status, res.text).toBe(201);
    return res.body as { id: string; status: string } & Record<string, unknown>;
  };
  const createLead = async (campaignId: string, overrides: Record<string, unknown> = {}) => {
    const res = await call('POST', '/v1/campaigns-leads', { body: { phoneNumber: '+14155550111', campaignId, ...overrides } });
    expect(res.status, res.text).toBe(201);
    return res.body as { id: string; status: string } & Record<string, unknown>;
  };
  const csvForm = (csv: string, name = 'leads.csv', type = 'text/csv') => {
    const form = new FormData();
    form.append('file', new Blob([csv], { type }), name);
    return form;
  };

  describe('POST /v1/campaigns', () => {
    it('creates a running campaign with every documented field and the defaults', async () => {
      const res = await call('POST', '/v1/campaigns', { body: validCampaign });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^cmp_[a-z0-9]{12}$/),
        organization_id: expect.stringMatching(/^org_[a-z0-9]+$/),
        name: 'Spring renewals',
        agent_id: 'agt_abc123',
        from_phone_number: '+14155550100',
        status: 'running',
        max_concurrent_calls: 1,
        scheduled_at: null,
        retry_config: { max_retries: 2, retry_interval_minutes: 30 },
        total_leads: 0,
        completed_calls: 0,
        pending_calls: 0,
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      });
    });

    it('gives campaigns made one after another ids that sort in that order, so the table grows at its end', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 20; i++) ids.push((await createCampaign()).id as string);
      expect(ids.every((id) => /^cmp_[a-z0-9]{12}$/.test(id))).toBe(true);
      expect([...ids].sort()).toEqual(ids);
      expect(new Set(ids).size).toBe(ids.length);
    });

    it('is active while scheduled_at is ahead, and keeps the settings sent', async () => {
      const body = await createCampaign({
        scheduled_at: '2099-03-01T09:00:00+05:30',
        max_concurrent_calls: 5,
        retry_config: { max_retries: 4, retry_interval_minutes: 15 },
      });
      expect(body).toMatchObject({
        status: 'active',
        scheduled_at: '2099-03-01T03:30:00.000Z',
        max_concurrent_calls: 5,
        retry_config: { max_retries: 4, retry_interval_minutes: 15 },
      });
    });

    it('is running when scheduled_at has passed', async () => {
      expect((await createCampaign({ scheduled_at: '2020-01-01T00:00:00Z' })).status).toBe('running');
    });

    it('lists every failing field, in field order, as a message array', async () => {
      const res = await call('POST', '/v1/campaigns', {
        body: { name: '', agent_id: 5, max_concurrent_calls: 0, retry_config: { max_retries: -1 } },
        invalid: true,
      });
      expect(res.status).toBe(400);
      expect(res.body).toEqual(
        errorBody(
          400,
          [
            'name should not be empty',
            'agent_id must be a string',
            'max_concurrent_calls must not be less than 1',
            'retry_config.max_retries must not be less than 0',
          ],
          'Bad Request',
        ),
      );
    });

    it('gives a single failing field as a message string', async () => {
      const res = await call('POST', '/v1/campaigns', { body: { ...validCampaign, from_phone_number: '04155550100' }, invalid: true });
      expect(res.status).toBe(400);
      expect(res.body).toEqual(errorBody(400, 'from_phone_number must be a valid E.164 phone number', 'Bad Request'));
    });

    it('rejects wrong types and a bad date', async () => {
      const res = await call('POST', '/v1/campaigns', {
        body: { ...validCampaign, max_concurrent_calls: '3', scheduled_at: 'tomorrow', retry_config: 'often' },
        invalid: true,
      });
      expect(res.status).toBe(400);
      expect(res.body.message).toEqual([
        'scheduled_at must be a valid ISO 8601 date string',
        'max_concurrent_calls must be an integer number',
        'retry_config must be an object',
      ]);
    });

    // Prism parses a JSON body itself and answers malformed JSON on its own, so this case cannot pass through it.
    inProcessOnly('answers malformed JSON with a 400 in the envelope', async () => {
      const res = await call('POST', '/v1/campaigns', { body: '{"name": "x",', headers: { 'content-type': 'application/json' }, invalid: true });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(typeof res.body.message).toBe('string');
    });

    it('answers a JSON body that is not an object with a 400', async () => {
      const res = await call('POST', '/v1/campaigns', { body: '[1,2]', headers: { 'content-type': 'application/json' }, invalid: true });
      expect(res.status).toBe(400);
      expect(res.body).toEqual(errorBody(400, 'The request body must be a JSON object', 'Bad Request'));
    });

    it('refuses max_concurrent_calls above the workspace limit of the key', async () => {
      const res = await context().as('dnx_test_starter')('POST', '/v1/campaigns', { body: { ...validCampaign, max_concurrent_calls: 6 } });
      expect(res.status).toBe(400);
      expect(res.body).toEqual(errorBody(400, 'max_concurrent_calls (6) exceeds the workspace concurrency limit (5)', 'Bad Request'));
      expect((await createCampaign({ max_concurrent_calls: 5 }, 'dnx_test_starter')).max_concurrent_calls).toBe(5);
    });

    it('answers a missing or malformed credential with the 401 envelope', async () => {
      const expected = errorBody(401, 'API key is missing or invalid', 'Unauthorized');
      const none = await context().as(null)('POST', '/v1/campaigns', { body: validCampaign, invalid: true });
      expect([none.status, none.body]).toEqual([401, expected]);
      const basic = await context().as(null)('POST', '/v1/campaigns', { body: validCampaign, headers: { authorization: 'Basic dXNlcjpwYXNz' }, invalid: true });
      expect([basic.status, basic.body]).toEqual([401, expected]);
      const empty = await context().as(null)('POST', '/v1/campaigns', { body: validCampaign, headers: { authorization: 'Bearer ' }, invalid: true });
      expect([empty.status, empty.body]).toEqual([401, expected]);
    });

    it('answers a key the keys file does not list with a 401', async () => {
      const res = await context().as('dnx_test_stranger')('POST', '/v1/campaigns', { body: validCampaign });
      expect(res.status).toBe(401);
      expect(res.body).toEqual(errorBody(401, 'API key is missing or invalid', 'Unauthorized'));
    });

    it('refuses writes from a read-only key with a 403', async () => {
      const res = await context().as('dnx_test_readonly')('POST', '/v1/campaigns', { body: validCampaign });
      expect(res.status).toBe(403);
      expect(res.body).toEqual(errorBody(403, 'You do not have permission to access this resource', 'Forbidden'));
    });

    it('answers a body over 1 MB with a 413', async () => {
      const res = await call('POST', '/v1/campaigns', { body: { ...validCampaign, name: 'x'.repeat(1024 * 1024) } });
      expect(res.status).toBe(413);
      expect(res.body).toEqual(errorBody(413, 'request entity too large', 'Payload Too Large'));
    });
  });

  describe('paths, as NestJS on Express matches them', () => {
    it('ignores letter case and a trailing slash, and keeps the id as sent', async () => {
      const { id } = await createCampaign();
      const loose = await call('GET', `/V1/Campaigns/${id}/`, { invalid: true });
      expect([loose.status, loose.body.id]).toEqual([200, id]);
      const renamed = await call('PATCH', `/v1/CAMPAIGNS/${id}/`, { body: { name: 'Loose path' }, invalid: true });
      expect([renamed.status, renamed.body.name]).toEqual([200, 'Loose path']);
      const upper = await call('GET', `/v1/campaigns/${id.toUpperCase()}`);
      expect([upper.status, upper.body]).toEqual([404, errorBody(404, 'Campaign not found', 'Not Found')]);
      const created = await call('POST', '/v1/Campaigns/', { body: validCampaign, invalid: true });
      expect(created.status).toBe(201);
    });
  });

  describe('GET /v1/campaigns/{id}', () => {
    it('returns the campaign with its counters', async () => {
      const created = await createCampaign();
      await createLead(created.id);
      await createLead(created.id, { phoneNumber: '+14155550112' });
      const res = await call('GET', `/v1/campaigns/${created.id}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ...created, total_leads: 2, pending_calls: 2, completed_calls: 0 });
    });

    it('answers an unknown id with a 404', async () => {
      const res = await call('GET', '/v1/campaigns/cmp_000000000000');
      expect(res.status).toBe(404);
      expect(res.body).toEqual(errorBody(404, 'Campaign not found', 'Not Found'));
    });

    it("answers another key's campaign with a 404, as for another organization", async () => {
      const theirs = await createCampaign({}, B);
      const res = await call('GET', `/v1/campaigns/${theirs.id}`);
      expect(res.status).toBe(404);
      expect(res.body).toEqual(errorBody(404, 'Campaign not found', 'Not Found'));
    });

    it('answers a key that may not read campaigns with a 403', async () => {
      const res = await context().as('dnx_test_blind')('GET', '/v1/campaigns/cmp_000000000000');
      expect(res.status).toBe(403);
      expect(res.body).toEqual(errorBody(403, 'You do not have permission to access this resource', 'Forbidden'));
    });

    it('lets a read-only key read', async () => {
      const res = await context().as('dnx_test_readonly')('GET', '/v1/campaigns/cmp_000000000000');
      expect(res.status).toBe(404);
    });
  });

  describe('PATCH /v1/campaigns/{id}', () => {
    it('updates only the fields sent, and only the retry keys sent', async () => {
      const created = await createCampaign({ max_concurrent_calls: 2, retry_config: { max_retries: 1, retry_interval_minutes: 10 } });
      const res = await call('PATCH', `/v1/campaigns/${created.id}`, { body: { name: 'Renamed', retry_config: { max_retries: 3 } } });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ...created, name: 'Renamed', retry_config: { max_retries: 3, retry_interval_minutes: 10 } });
      const read = await call('GET', `/v1/campaigns/${created.id}`);
      expect(read.body).toEqual(res.body);
    });

    it('accepts an empty body and changes nothing', async () => {
      const created = await createCampaign();
      const res = await call('PATCH', `/v1/campaigns/${created.id}`, { body: {} });
      expect([res.status, res.body]).toEqual([200, created]);
    });

    it('pauses, resumes and cancels through status', async () => {
      const { id } = await createCampaign();
      const paused = await call('PATCH', `/v1/campaigns/${id}`, { body: { status: 'paused' } });
      expect([paused.status, paused.body.status]).toEqual([200, 'paused']);
      const resumed = await call('PATCH', `/v1/campaigns/${id}`, { body: { status: 'running' } });
      expect([resumed.status, resumed.body.status]).toEqual([200, 'running']);
      const cancelled = await call('PATCH', `/v1/campaigns/${id}`, { body: { status: 'cancelled' } });
      expect([cancelled.status, cancelled.body.status]).toEqual([200, 'cancelled']);
    });

    it('resumes a campaign scheduled ahead as active', async () => {
      const { id } = await createCampaign({ scheduled_at: '2099-01-01T00:00:00Z' });
      await call('PATCH', `/v1/campaigns/${id}`, { body: { status: 'paused' } });
      const resumed = await call('PATCH', `/v1/campaigns/${id}`, { body: { status: 'active' } });
      expect(resumed.body.status).toBe('active');
    });

    it('refuses to leave a terminal status with a 409', async () => {
      const { id } = await createCampaign();
      await call('PATCH', `/v1/campaigns/${id}`, { body: { status: 'cancelled' } });
      const resume = await call('PATCH', `/v1/campaigns/${id}`, { body: { status: 'running' } });
      expect([resume.status, resume.body]).toEqual([409, errorBody(409, 'Cannot resume a cancelled campaign', 'Conflict')]);

      const done = await createCampaign();
      context().seed.campaignStatus(A, done.id, 'completed');
      const pause = await call('PATCH', `/v1/campaigns/${done.id}`, { body: { status: 'paused' } });
      expect([pause.status, pause.body]).toEqual([409, errorBody(409, 'Cannot pause a completed campaign', 'Conflict')]);
      const read = await call('GET', `/v1/campaigns/${done.id}`);
      expect(read.body.status).toBe('completed');
    });

    it('refuses a status the campaign already has with a 409', async () => {
      const { id } = await createCampaign();
      await call('PATCH', `/v1/campaigns/${id}`, { body: { status: 'paused' } });
      const again = await call('PATCH', `/v1/campaigns/${id}`, { body: { status: 'paused' } });
      expect([again.status, again.body]).toEqual([409, errorBody(409, 'Campaign is already paused', 'Conflict')]);
    });

    it('refuses a status that is not an action with a 400', async () => {
      const { id } = await createCampaign();
      const res = await call('PATCH', `/v1/campaigns/${id}`, { body: { status: 'completed' }, invalid: true });
      expect(res.status).toBe(400);
      expect(res.body).toEqual(errorBody(400, 'status must be one of the following values: paused, running, active, cancelled', 'Bad Request'));
    });

    it('lets agent_id change until a call is placed, then answers 409 and changes nothing', async () => {
      const { id } = await createCampaign();
      const before = await call('PATCH', `/v1/campaigns/${id}`, { body: { agent_id: 'agt_second' } });
      expect([before.status, before.body.agent_id]).toEqual([200, 'agt_second']);

      context().seed.callLog(A, { campaign_id: id });
      const after = await call('PATCH', `/v1/campaigns/${id}`, { body: { agent_id: 'agt_third', name: 'Not applied' } });
      expect([after.status, after.body]).toEqual([409, errorBody(409, 'agent_id cannot be changed once any calls have been placed', 'Conflict')]);
      const read = await call('GET', `/v1/campaigns/${id}`);
      expect(read.body).toMatchObject({ agent_id: 'agt_second', name: 'Spring renewals' });

      const same = await call('PATCH', `/v1/campaigns/${id}`, { body: { agent_id: 'agt_second', name: 'Renamed' } });
      expect([same.status, same.body.name]).toEqual([200, 'Renamed']);
    });

    it('answers an unknown id with a 404 and bad fields with a 400', async () => {
      const missing = await call('PATCH', '/v1/campaigns/cmp_000000000000', { body: { name: 'x' } });
      expect([missing.status, missing.body]).toEqual([404, errorBody(404, 'Campaign not found', 'Not Found')]);
      const { id } = await createCampaign();
      const bad = await call('PATCH', `/v1/campaigns/${id}`, { body: { max_concurrent_calls: 1.5 }, invalid: true });
      expect([bad.status, bad.body]).toEqual([400, errorBody(400, 'max_concurrent_calls must be an integer number', 'Bad Request')]);
    });

    it("cannot touch another key's campaign", async () => {
      const theirs = await createCampaign({}, B);
      const res = await call('PATCH', `/v1/campaigns/${theirs.id}`, { body: { name: 'Hijacked' } });
      expect(res.status).toBe(404);
      const read = await context().as(B)('GET', `/v1/campaigns/${theirs.id}`);
      expect(read.body.name).toBe('Spring renewals');
    });
  });

  describe('POST /v1/campaigns-leads', () => {
    it('adds a pending lead with its phone number in E.164 and its notes', async () => {
      const { id } = await createCampaign();
      const res = await call('POST', '/v1/campaigns-leads', {
        body: { name: 'Asha Rao', phoneNumber: '09876543210', countryCode: '+91', campaignId: id, notes: { plan: 'gold', amount: 1200 } },
      });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^lead_[a-z0-9]{12}$/),
        campaign_id: id,
        name: 'Asha Rao',
        phone_number: '+919876543210',
        status: 'pending',
        notes: { plan: 'gold', amount: 1200 },
        metadata: { plan: 'gold', amount: 1200 },
        call_log_id: null,
        created_at: expect.any(String),
      });
    });

    it('needs a country code unless the number is in E.164', async () => {
      const { id } = await createCampaign();
      const res = await call('POST', '/v1/campaigns-leads', { body: { phoneNumber: '9876543210', campaignId: id } });
      expect([res.status, res.body]).toEqual([400, errorBody(400, 'countryCode should not be empty when phoneNumber has no country code', 'Bad Request')]);
      const bad = await call('POST', '/v1/campaigns-leads', { body: { phoneNumber: '+0123', campaignId: id } });
      expect([bad.status, bad.body]).toEqual([400, errorBody(400, 'phone_number must be a valid E.164 phone number', 'Bad Request')]);
    });

    it('refuses more than 15 notes and a missing campaign id', async () => {
      const notes = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`, 'v']));
      const res = await call('POST', '/v1/campaigns-leads', { body: { phoneNumber: '+14155550111', notes }, invalid: true });
      expect(res.status).toBe(400);
      expect(res.body.message).toEqual(['campaignId should not be empty', 'notes must contain no more than 15 keys']);
    });

    it('answers an unknown campaign with a 404 and a terminal one with a 409', async () => {
      const missing = await call('POST', '/v1/campaigns-leads', { body: { phoneNumber: '+14155550111', campaignId: 'cmp_000000000000' } });
      expect([missing.status, missing.body]).toEqual([404, errorBody(404, 'Campaign not found', 'Not Found')]);
      const { id } = await createCampaign();
      await call('PATCH', `/v1/campaigns/${id}`, { body: { status: 'cancelled' } });
      const closed = await call('POST', '/v1/campaigns-leads', { body: { phoneNumber: '+14155550111', campaignId: id } });
      expect([closed.status, closed.body]).toEqual([409, errorBody(409, 'Cannot add leads to a cancelled campaign', 'Conflict')]);
    });
  });

  describe('GET and DELETE /v1/campaigns-leads/{id}', () => {
    it('gets a lead, removes it, and then answers 404 for both', async () => {
      // Scheduled ahead, the campaign is not dialing yet: the lead stays as it was created.
      const { id: campaignId } = await createCampaign({ scheduled_at: '2099-01-01T00:00:00Z' });
      const lead = await createLead(campaignId);
      const read = await call('GET', `/v1/campaigns-leads/${lead.id}`);
      expect([read.status, read.body]).toEqual([200, lead]);

      const removed = await call('DELETE', `/v1/campaigns-leads/${lead.id}`);
      expect([removed.status, removed.body]).toEqual([200, { message: 'Lead removed from campaign.' }]);
      const campaign = await call('GET', `/v1/campaigns/${campaignId}`);
      expect(campaign.body).toMatchObject({ total_leads: 0, pending_calls: 0 });

      const gone = await call('GET', `/v1/campaigns-leads/${lead.id}`);
      expect([gone.status, gone.body]).toEqual([404, errorBody(404, 'Lead not found', 'Not Found')]);
      const again = await call('DELETE', `/v1/campaigns-leads/${lead.id}`);
      expect([again.status, again.body]).toEqual([404, errorBody(404, 'Lead not found', 'Not Found')]);
    });

    it('keeps the leads of a campaign the dialer completed (409)', async () => {
      const { id: campaignId } = await createCampaign();
      const lead = await createLead(campaignId);
      await context().advance(A, 3600);
      const campaign = await call('GET', `/v1/campaigns/${campaignId}`);
      expect(campaign.body).toMatchObject({ status: 'completed', total_leads: 1, completed_calls: 1, pending_calls: 0 });
      const res = await call('DELETE', `/v1/campaigns-leads/${lead.id}`);
      expect([res.status, res.body]).toEqual([409, errorBody(409, 'Cannot remove a lead from a completed campaign', 'Conflict')]);
      const read = await call('GET', `/v1/campaigns-leads/${lead.id}`);
      expect(read.body.status).toBe('completed');
    });

    it("answers another key's lead with a 404 and a key that may not read leads with a 403", async () => {
      const { id: campaignId } = await createCampaign();
      const lead = await createLead(campaignId);
      const other = await context().as(B)('GET', `/v1/campaigns-leads/${lead.id}`);
      expect(other.status).toBe(404);
      const blind = await context().as('dnx_test_blind')('GET', `/v1/campaigns-leads/${lead.id}`);
      expect([blind.status, blind.body]).toEqual([403, errorBody(403, 'You do not have permission to access this resource', 'Forbidden')]);
    });
  });

  describe('POST /v1/campaigns-leads/upload-file/{campaignId}', () => {
    it('creates a lead per row, skips rows without a phone number, and keeps other columns as variables', async () => {
      const { id } = await createCampaign();
      const csv = 'phone_number,name,plan\r\n+14155550101,Ana,gold\r\n,Nobody,silver\r\n"+1 (415) 555-0102","Rao, B",\r\n';
      const res = await call('POST', `/v1/campaigns-leads/upload-file/${id}`, { body: csvForm(csv) });
      expect(res.status, res.text).toBe(201);
      expect(res.body).toEqual({
        campaign_id: id,
        leads_created: 2,
        leads_skipped: 1,
        message: '2 leads queued successfully. 1 row skipped due to missing phone_number.',
      });
      const campaign = await call('GET', `/v1/campaigns/${id}`);
      expect(campaign.body).toMatchObject({ total_leads: 2, pending_calls: 2 });
    });

    it('names the bad rows, grouped by problem, and creates no lead at all', async () => {
      const { id } = await createCampaign();
      const csv = 'phone_number,plan\n+14155550101,gold\nabc,silver\n+14155550102,gold,extra\n12,bronze\n';
      const res = await call('POST', `/v1/campaigns-leads/upload-file/${id}`, { body: csvForm(csv) });
      expect(res.status).toBe(400);
      expect(res.body).toEqual(
        errorBody(400, ['Rows 3, 5: phone_number must be a valid E.164 phone number', "Row 4: has more fields than the header's 2 columns"], 'Bad Request'),
      );
      const campaign = await call('GET', `/v1/campaigns/${id}`);
      expect(campaign.body.total_leads).toBe(0);
    });

    it('needs a phone_number column and at most 15 other columns', async () => {
      const { id } = await createCampaign();
      const missing = await call('POST', `/v1/campaigns-leads/upload-file/${id}`, { body: csvForm('phone,name\n+14155550101,Ana\n') });
      expect([missing.status, missing.body]).toEqual([400, errorBody(400, 'The uploaded file must include a phone_number column', 'Bad Request')]);
      const wide = ['phone_number', ...Array.from({ length: 16 }, (_, i) => `c${i}`)].join(',');
      const tooWide = await call('POST', `/v1/campaigns-leads/upload-file/${id}`, { body: csvForm(`${wide}\n+14155550101${',x'.repeat(16)}\n`) });
      expect([tooWide.status, tooWide.body]).toEqual([
        400,
        errorBody(400, 'The uploaded file has 16 columns besides phone_number; at most 15 are allowed', 'Bad Request'),
      ]);
    });

    it('reads an XLSX sheet as it reads a CSV file, and dials its leads', async () => {
      const { id } = await createCampaign();
      const sheet = await xlsxFile([['phone_number', 'name', 'plan'], ['+14155550101', 'Ana', 'gold'], [14155550102, 'Ben', null], [null, 'Chen', 'silver']]);
      const form = new FormData();
      form.append('file', new Blob([sheet], { type: XLSX_TYPE }), 'leads.xlsx');
      const res = await context().binary(A)('POST', `/v1/campaigns-leads/upload-file/${id}`, { body: form });
      expect([res.status, res.body]).toEqual([
        201,
        { campaign_id: id, leads_created: 2, leads_skipped: 1, message: '2 leads queued successfully. 1 row skipped due to missing phone_number.' },
      ]);
      await context().advance(A, 600);
      const campaign = await call('GET', `/v1/campaigns/${id}`);
      expect([campaign.body.total_leads, campaign.body.completed_calls, campaign.body.pending_calls]).toEqual([2, 2, 0]);
      const logs = await call('GET', `/v1/call-logs/campaign/${id}`);
      expect(logs.body.data).toHaveLength(2);
    });

    it('names the sheet rows of an XLSX file that are wrong, and adds none of its leads', async () => {
      const { id } = await createCampaign();
      const sheet = await xlsxFile([['phone_number'], ['+14155550101'], ['not a number'], ['12']]);
      const form = new FormData();
      form.append('file', new Blob([sheet]), 'leads.xlsx');
      const res = await context().binary(A)('POST', `/v1/campaigns-leads/upload-file/${id}`, { body: form });
      expect([res.status, res.body]).toEqual([400, errorBody(400, 'Rows 3, 4: phone_number must be a valid E.164 phone number', 'Bad Request')]);
      expect((await call('GET', `/v1/campaigns/${id}`)).body.total_leads).toBe(0);
    });

    it('refuses an XLS workbook, a broken XLSX file and files that are not leads files, never with a 500', async () => {
      const { id } = await createCampaign();
      const xls = await call('POST', `/v1/campaigns-leads/upload-file/${id}`, { body: csvForm('\xd0\xcf\x11\xe0', 'leads.xls', 'application/vnd.ms-excel') });
      expect([xls.status, xls.body]).toEqual([
        400,
        errorBody(400, 'campaign-mock reads CSV and XLSX files; save the XLS (Excel 97-2003) workbook as XLSX or CSV and upload that', 'Bad Request'),
      ]);
      const broken = await call('POST', `/v1/campaigns-leads/upload-file/${id}`, { body: csvForm('PK', 'leads.xlsx', XLSX_TYPE) });
      expect([broken.status, broken.body]).toEqual([400, errorBody(400, "The file is not a valid XLSX file: Couldn't unzip `.xlsx` file contents", 'Bad Request')]);
      const truncated = (await xlsxFile([['phone_number'], ['+14155550101']])).subarray(0, 300);
      const form = new FormData();
      form.append('file', new Blob([truncated]), 'leads.xlsx');
      const cut = await context().binary(A)('POST', `/v1/campaigns-leads/upload-file/${id}`, { body: form });
      expect([cut.status, cut.body.message]).toEqual([400, expect.stringMatching(/^The file is not a valid XLSX file: /)]);
      const png = await call('POST', `/v1/campaigns-leads/upload-file/${id}`, { body: csvForm('\x89PNG', 'photo.png', 'image/png') });
      expect([png.status, png.body]).toEqual([400, errorBody(400, 'Only CSV, XLSX and XLS files are allowed', 'Bad Request')]);
      expect((await call('GET', `/v1/campaigns/${id}`)).body.total_leads).toBe(0);
    });

    it('needs the file field', async () => {
      const { id } = await createCampaign();
      const form = new FormData();
      form.append('document', new Blob(['phone_number\n+14155550101\n']), 'leads.csv');
      const res = await call('POST', `/v1/campaigns-leads/upload-file/${id}`, { body: form, invalid: true });
      expect([res.status, res.body]).toEqual([400, errorBody(400, 'file should not be empty', 'Bad Request')]);
    });

    it('answers an unknown campaign with a 404 and a terminal one with a 409', async () => {
      const csv = 'phone_number\n+14155550101\n';
      const missing = await call('POST', '/v1/campaigns-leads/upload-file/cmp_000000000000', { body: csvForm(csv) });
      expect([missing.status, missing.body]).toEqual([404, errorBody(404, 'Campaign not found', 'Not Found')]);
      const { id } = await createCampaign();
      await call('PATCH', `/v1/campaigns/${id}`, { body: { status: 'cancelled' } });
      const closed = await call('POST', `/v1/campaigns-leads/upload-file/${id}`, { body: csvForm(csv) });
      expect([closed.status, closed.body]).toEqual([409, errorBody(409, 'Cannot add leads to a cancelled campaign', 'Conflict')]);
    });

    // Prism reads at most 10 MB of a body itself, so this case cannot pass through it.
    inProcessOnly('refuses a file over 10 MB with a 413', async () => {
      const { id } = await createCampaign();
      const big = `phone_number,pad\n${`+14155550101,${'x'.repeat(1000)}\n`.repeat(10_600)}`;
      const res = await call('POST', `/v1/campaigns-leads/upload-file/${id}`, { body: csvForm(big) });
      expect([res.status, res.body]).toEqual([413, errorBody(413, 'request entity too large', 'Payload Too Large')]);
    });
  });

  describe('GET /v1/call-logs/campaign/{campaignId}', () => {
    it('pages through the campaign call logs, newest first, in the data/meta envelope', async () => {
      const { id } = await createCampaign();
      const other = await createCampaign();
      for (let i = 0; i < 5; i++) context().seed.callLog(A, { campaign_id: id, created_at: `2024-03-0${i + 1}T10:00:00.000Z` });
      context().seed.callLog(A, { campaign_id: other.id });
      const first = await call('GET', `/v1/call-logs/campaign/${id}?page=1&limit=2`);
      expect(first.status).toBe(200);
      expect(first.body.meta).toEqual({ page: 1, limit: 2, total: 5, totalPages: 3 });
      expect(first.body.data.map((log: { created_at: string }) => log.created_at)).toEqual(['2024-03-05T10:00:00.000Z', '2024-03-04T10:00:00.000Z']);
      expect(first.body.data[0]).toEqual({
        id: expect.stringMatching(/^log_/),
        call_id: expect.stringMatching(/^call_/),
        agent_id: 'agt_seed',
        status: 'completed',
        sentiment: 'positive',
        duration_seconds: 42,
        recording_url: null,
        analysis: null,
        created_at: '2024-03-05T10:00:00.000Z',
        end_reason: 'user_disconnected',
        fallback_stt_transcriber_id: null,
      });
      const last = await call('GET', `/v1/call-logs/campaign/${id}?page=3&limit=2`);
      expect(last.body.data).toHaveLength(1);
      const beyond = await call('GET', `/v1/call-logs/campaign/${id}?page=4&limit=2`);
      expect(beyond.body).toEqual({ data: [], meta: { page: 4, limit: 2, total: 5, totalPages: 3 } });
    });

    it('answers an unchanged list with a 304 to If-None-Match', async () => {
      const { id } = await createCampaign();
      context().seed.callLog(A, { campaign_id: id });
      const first = await call('GET', `/v1/call-logs/campaign/${id}`);
      const etag = first.headers.get('etag') as string;
      // The tag is the hash of the very text sent.
      expect(etag).toBe(`W/"${createHash('sha1').update(first.text).digest('base64url')}"`);
      const same = await call('GET', `/v1/call-logs/campaign/${id}`, { headers: { 'if-none-match': etag } });
      expect([same.status, same.text]).toEqual([304, '']);
      context().seed.callLog(A, { campaign_id: id });
      const changed = await call('GET', `/v1/call-logs/campaign/${id}`, { headers: { 'if-none-match': etag } });
      expect(changed.status).toBe(200);
      expect(changed.body.meta.total).toBe(2);
    });

    it('answers an unknown campaign with a 404 and a limit over 100 with a 400', async () => {
      const missing = await call('GET', '/v1/call-logs/campaign/cmp_000000000000');
      expect([missing.status, missing.body]).toEqual([404, errorBody(404, 'Campaign not found', 'Not Found')]);
      const { id } = await createCampaign();
      const tooMany = await call('GET', `/v1/call-logs/campaign/${id}?limit=101&page=0`, { invalid: true });
      expect([tooMany.status, tooMany.body]).toEqual([
        400,
        errorBody(400, ['page must not be less than 1', 'limit must not be greater than 100'], 'Bad Request'),
      ]);
    });
  });

  describe('GET /v1/call-logs', () => {
    it('filters by campaign, agent, status, sentiment, dates and duration, and sorts', async () => {
      const { id } = await createCampaign();
      const seed = context().seed;
      seed.callLog(A, { campaign_id: id, agent_id: 'agt_x', created_at: '2024-03-01T08:00:00.000Z', duration_seconds: 10, sentiment: 'negative' });
      seed.callLog(A, { campaign_id: id, agent_id: 'agt_x', created_at: '2024-03-02T23:59:59.999Z', duration_seconds: 60, status: 'busy' });
      seed.callLog(A, { agent_id: 'agt_y', created_at: '2024-03-03T00:00:00.000Z', duration_seconds: 120 });
      seed.callLog(B, { agent_id: 'agt_x', created_at: '2024-03-02T12:00:00.000Z' });
      const get = async (query: string) => (await call('GET', `/v1/call-logs?${query}`)).body;

      expect((await get('agent_id=agt_x')).meta.total).toBe(2);
      expect((await get(`campaign_id=${id}`)).meta.total).toBe(2);
      expect((await get('status=busy')).data.map((l: { duration_seconds: number }) => l.duration_seconds)).toEqual([60]);
      expect((await get('sentiment=negative')).meta.total).toBe(1);
      expect((await get('start_date=2024-03-02&end_date=2024-03-02')).meta.total).toBe(1);
      expect((await get('duration_min=30&duration_max=120')).meta.total).toBe(2);
      const ascending = await get('created_at=asc');
      expect(ascending.data.map((l: { created_at: string }) => l.created_at)).toEqual([
        '2024-03-01T08:00:00.000Z',
        '2024-03-02T23:59:59.999Z',
        '2024-03-03T00:00:00.000Z',
      ]);
    });

    it('refuses a bad filter with a 400', async () => {
      const res = await call('GET', '/v1/call-logs?sentiment=angry&start_date=03/01/2024&duration_min=-1', { invalid: true });
      expect(res.status).toBe(400);
      expect(res.body.message).toEqual([
        'sentiment must be one of the following values: positive, neutral, negative',
        'start_date must be a valid ISO 8601 date string',
        'duration_min must not be less than 0',
      ]);
    });
  });

  describe('POST /v1/user-webhooks', () => {
    it('registers a webhook without echoing its secret', async () => {
      const res = await call('POST', '/v1/user-webhooks', {
        body: { url: 'http://127.0.0.1:9999/hooks', events: ['campaign.completed', 'call.completed'], secret: 'whsec_1' },
      });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^wh_[a-z0-9]{12}$/),
        url: 'http://127.0.0.1:9999/hooks',
        events: ['campaign.completed', 'call.completed'],
        is_active: true,
        created_at: expect.any(String),
      });
    });

    it('refuses an unknown event, a non-URL and an empty event list', async () => {
      const res = await call('POST', '/v1/user-webhooks', { body: { url: 'not a url', events: ['campaign.exploded'] }, invalid: true });
      expect(res.status).toBe(400);
      expect(res.body.message).toEqual([
        'url must be a URL address',
        expect.stringMatching(/^each value in events must be one of the following values: call\.completed, /),
      ]);
      const empty = await call('POST', '/v1/user-webhooks', { body: { url: 'https://example.com/h', events: [] }, invalid: true });
      expect([empty.status, empty.body]).toEqual([400, errorBody(400, 'events must contain at least 1 elements', 'Bad Request')]);
    });
  });
}
