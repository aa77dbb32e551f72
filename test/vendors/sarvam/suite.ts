import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Caller, CallOptions } from '../../helpers/caller.js';
import { itIf } from '../../helpers/it-if.js';
import { freePort } from '../../helpers/prism.js';
import type { SarvamSeed } from './seed.js';

/** What the Sarvam suite runs against: callers per key, the store, and the sandbox clock. */
export interface SarvamSuiteContext {
  as(key: string | null): Caller;
  seed: SarvamSeed;
  /** Wipes every sandbox, so each case starts from nothing. */
  reset(): Promise<void>;
  /** Moves a sandbox's clock forward (POST /__admin/clock/advance). */
  advanceClock(key: string, seconds: number): Promise<void>;
}

export const KEYS_FILE = new URL('./keys.yaml', import.meta.url).pathname;

const A = 'sarvam_test_a';
const B = 'sarvam_test_b';
const ORG = 'org-acme';
const WORKSPACE = 'ws-main';
const BASE = `/api/scheduling/v1/orgs/${ORG}/workspaces/${WORKSPACE}`;
const OTHER_WORKSPACE = `/api/scheduling/v1/orgs/${ORG}/workspaces/ws-other`;
const OTHER_ORG = `/api/scheduling/v1/orgs/org-other/workspaces/${WORKSPACE}`;

const HOUR = 3600;
const PAST = '2020-01-01T00:00:00Z';
const FAR_START = '2098-01-01T00:00:00Z';
const FAR_END = '2099-01-01T00:00:00Z';
const inHours = (hours: number) => new Date(Date.now() + hours * HOUR * 1000).toISOString();

const SCHEDULE = { allowed_start_time: '09:00', allowed_end_time: '18:00', allowed_days: ['Monday', 'Tuesday', 'Wednesday'], timezone: 'Asia/Kolkata' };
const APP_CONFIG = { app_id: 'payment-reminder-agent', app_type: 'agent', app_version: 3 };
const validCampaign = { name: 'Spring renewals', app_config: APP_CONFIG, start_timestamp: PAST, end_timestamp: FAR_END, allowed_schedule: SCHEDULE };

const EMAIL = /^api-key-[0-9a-f]{8}@example\.com$/;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const detail = (text: string) => ({ detail: text });

/** A 422 of one pydantic value_error. */
const valueError = (loc: Array<string | number>, message: string, input: unknown) => ({
  detail: [{ type: 'value_error', loc, msg: `Value error, ${message}`, input, ctx: { error: {} } }],
});

interface Summary {
  campaign_id: string;
  status: string;
  [field: string]: unknown;
}

/**
 * Every Sarvam operation, its documented statuses and its lifecycle. Registered by the
 * in-process test (app.request) and by the Prism test (real HTTP behind `prism proxy --errors`),
 * so the same cases prove the behaviour and its conformance to the spec.
 */
export function describeSarvamApi(context: () => SarvamSuiteContext, { viaPrism }: { viaPrism: boolean }): void {
  beforeEach(() => context().reset());
  // Cases Prism answers itself, or whose bytes its proxy changes: registered in process only.
  const inProcessOnly = itIf(!viaPrism);
  const call = (method: string, path: string, options?: CallOptions) => context().as(A)(method, path, options);
  const createCampaign = async (overrides: Record<string, unknown> = {}, key = A, base = BASE) => {
    const res = await context().as(key)('POST', `${base}/campaigns`, { body: { ...validCampaign, ...overrides } });
    expect(res.status, res.text).toBe(200);
    return res.body as Summary;
  };
  const act = (id: string, action: string, key = A) => context().as(key)('PUT', `${BASE}/campaigns/${id}/status`, { body: { action } });
  const stream = (campaignId: string, users: unknown[], name = 'Walk ins') => call('POST', `${BASE}/campaigns/${campaignId}/cohorts/stream`, { body: { name, users } });
  const uploadForm = (csv: string | Blob, transformation?: string, name = 'March defaulters') => {
    const form = new FormData();
    form.append('name', name);
    form.append('cohort_file', csv instanceof Blob ? csv : new Blob([csv], { type: 'text/csv' }), 'cohort.csv');
    if (transformation !== undefined) form.append('cohort_transformation_file', new Blob([transformation], { type: 'application/json' }), 'transformation.json');
    return form;
  };

  describe('POST …/campaigns', () => {
    it('creates a scheduled campaign while start_timestamp is ahead, answering the summary', async () => {
      const res = await call('POST', `${BASE}/campaigns`, { body: { ...validCampaign, description: 'March dues', start_timestamp: FAR_START } });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        name: 'Spring renewals',
        campaign_id: expect.stringMatching(/^camp-[a-z0-9]{8}$/),
        status: 'scheduled',
        app_id: 'payment-reminder-agent',
        created_by: expect.stringMatching(EMAIL),
        created_at: expect.stringMatching(ISO),
        updated_at: res.body.created_at,
        description: 'March dues',
        app_type: 'agent',
        app_version: 3,
        updated_by: res.body.created_by,
      });
      expect(Object.keys(res.body)).toEqual(['name', 'campaign_id', 'status', 'app_id', 'created_by', 'created_at', 'updated_at', 'description', 'app_type', 'app_version', 'updated_by']);
    });

    it('starts active when start_timestamp has passed', async () => {
      expect((await createCampaign({ start_timestamp: PAST })).status).toBe('active');
    });

    it('stores what pydantic keeps: declared fields, nulls for the rest, attempts_per_second 2, times in UTC', async () => {
      const { campaign_id: id } = await createCampaign({
        app_config: {
          ...APP_CONFIG,
          unknown_field: 'dropped',
          connection_configs: [{ connection_id: 'conn-exotel-001', phone_numbers: ['+918045678901'], weight: 1, region: 'dropped' }],
          retry_config: { max_retries: 2, retry_on: { busy: { enabled: true } } },
        },
        webhook_config: { url: 'https://example.com/hooks', metadata: { team: 'collections' } },
        start_timestamp: '2098-03-01T09:00:00+05:30',
        allowed_schedule: { ...SCHEDULE, extra: true },
      });
      const res = await call('GET', `${BASE}/campaigns/${id}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        campaign_id: id,
        status: 'scheduled',
        description: null,
        app_config: {
          app_id: 'payment-reminder-agent',
          app_type: 'agent',
          app_version: 3,
          attempts_per_second: 2,
          connection_configs: [{ connection_id: 'conn-exotel-001', phone_numbers: ['+918045678901'], weight: 1 }],
          retry_config: { max_retries: 2, retry_interval_minutes: null, retry_on: { busy: { enabled: true }, no_answer: null, short_duration: null } },
          webhook_config: null,
        },
        start_timestamp: '2098-03-01T03:30:00.000Z',
        end_timestamp: '2099-01-01T00:00:00.000Z',
        allowed_schedule: SCHEDULE,
        webhook_config: { url: 'https://example.com/hooks', metadata: { team: 'collections' } },
      });
      expect(Object.keys(res.body.app_config)).not.toContain('unknown_field');
    });

    it('lists every invalid field in pydantic v2 shape, in field order', async () => {
      const res = await call('POST', `${BASE}/campaigns`, {
        body: {
          name: 'March #1',
          description: 'x'.repeat(151),
          app_config: { app_type: 'bot', app_version: 3, attempts_per_second: 1000 },
          start_timestamp: 'tomorrow',
          end_timestamp: FAR_END,
          allowed_schedule: { allowed_start_time: '9am', allowed_end_time: '18:00', allowed_days: ['Funday'], timezone: 'Asia/Kolkata' },
        },
        invalid: true,
      });
      expect(res.status).toBe(422);
      expect(res.body.detail.map((e: { type: string; loc: unknown[] }) => [e.type, e.loc.join('.')])).toEqual([
        ['string_pattern_mismatch', 'body.name'],
        ['string_too_long', 'body.description'],
        ['missing', 'body.app_config.app_id'],
        ['enum', 'body.app_config.app_type'],
        ['less_than_equal', 'body.app_config.attempts_per_second'],
        ['datetime_from_date_parsing', 'body.start_timestamp'],
        ['string_pattern_mismatch', 'body.allowed_schedule.allowed_start_time'],
        ['enum', 'body.allowed_schedule.allowed_days.0'],
      ]);
      expect(res.body.detail[0]).toEqual({
        type: 'string_pattern_mismatch',
        loc: ['body', 'name'],
        msg: "String should match pattern '^[\\w\\- ]{1,50}$'",
        input: 'March #1',
        ctx: { pattern: '^[\\w\\- ]{1,50}$' },
      });
      expect(res.body.detail[3]).toEqual({ type: 'enum', loc: ['body', 'app_config', 'app_type'], msg: "Input should be 'agent' or 'workflow'", input: 'bot', ctx: { expected: "'agent' or 'workflow'" } });
    });

    it('reports the missing required fields with the body they are missing from', async () => {
      const res = await call('POST', `${BASE}/campaigns`, { body: { name: 'Only a name' }, invalid: true });
      expect(res.status).toBe(422);
      expect(res.body.detail).toEqual(
        ['app_config', 'start_timestamp', 'end_timestamp', 'allowed_schedule'].map((field) => ({ type: 'missing', loc: ['body', field], msg: 'Field required', input: { name: 'Only a name' } })),
      );
    });

    it('answers an empty body as the body missing, as FastAPI does', async () => {
      const res = await call('POST', `${BASE}/campaigns`, { body: '', headers: { 'content-type': 'application/json' }, invalid: true });
      expect([res.status, res.body]).toEqual([422, { detail: [{ type: 'missing', loc: ['body'], msg: 'Field required', input: null }] }]);
    });

    it('refuses a time zone that is not IANA with a value_error on the field', async () => {
      const body = { ...validCampaign, allowed_schedule: { ...SCHEDULE, timezone: 'Mars/Olympus_Mons' } };
      const res = await call('POST', `${BASE}/campaigns`, { body });
      expect([res.status, res.body]).toEqual([422, valueError(['body', 'allowed_schedule', 'timezone'], 'Mars/Olympus_Mons is not an IANA time zone', 'Mars/Olympus_Mons')]);
      const lowercase = await call('POST', `${BASE}/campaigns`, { body: { ...validCampaign, allowed_schedule: { ...SCHEDULE, timezone: 'asia/kolkata' } } });
      expect(lowercase.status).toBe(422);
      const offset = await call('POST', `${BASE}/campaigns`, { body: { ...validCampaign, allowed_schedule: { ...SCHEDULE, timezone: '+05:30' } } });
      expect(offset.status).toBe(422);
      expect((await createCampaign({ allowed_schedule: { ...SCHEDULE, timezone: 'America/Argentina/Buenos_Aires' } })).status).toBe('active');
    });

    it('refuses a calling window that closes before it opens', async () => {
      const schedule = { ...SCHEDULE, allowed_start_time: '18:00', allowed_end_time: '09:00' };
      const res = await call('POST', `${BASE}/campaigns`, { body: { ...validCampaign, allowed_schedule: schedule } });
      expect([res.status, res.body]).toEqual([422, valueError(['body', 'allowed_schedule'], 'allowed_start_time must be before allowed_end_time', schedule)]);
    });

    it('refuses an end before the start, or in the past', async () => {
      const backwards = { ...validCampaign, start_timestamp: FAR_END, end_timestamp: FAR_START };
      const res = await call('POST', `${BASE}/campaigns`, { body: backwards });
      expect([res.status, res.body]).toEqual([422, valueError(['body'], 'end_timestamp must be after start_timestamp', backwards)]);
      const over = { ...validCampaign, end_timestamp: '2021-01-01T00:00:00Z' };
      const past = await call('POST', `${BASE}/campaigns`, { body: over });
      expect([past.status, past.body]).toEqual([422, valueError(['body'], 'end_timestamp must be in the future', over)]);
    });

    it('refuses a campaign past the workspace limit of active or scheduled campaigns with a 409', async () => {
      const small = 'sarvam_test_small';
      const first = await createCampaign({}, small);
      await createCampaign({ start_timestamp: FAR_START }, small);
      const third = await context().as(small)('POST', `${BASE}/campaigns`, { body: validCampaign });
      expect([third.status, third.body]).toEqual([
        409,
        detail('Concurrent campaign limit reached: 2 campaigns are active or scheduled in this workspace; pause, cancel or wait for one to end first'),
      ]);
      expect((await context().as(small)('POST', `${OTHER_WORKSPACE}/campaigns`, { body: validCampaign })).status).toBe(200);
      expect((await act(first.campaign_id, 'pause', small)).body.status).toBe('paused');
      const replacement = await createCampaign({}, small);
      const resume = await act(first.campaign_id, 'resume', small);
      expect(resume.status).toBe(409);
      expect((await act(replacement.campaign_id, 'cancel', small)).body.status).toBe('cancelled');
      expect((await act(first.campaign_id, 'resume', small)).body.status).toBe('active');
    });

    it('answers a missing or unknown key with the 401 envelope', async () => {
      const none = await context().as(null)('POST', `${BASE}/campaigns`, { body: validCampaign, invalid: true });
      expect([none.status, none.body]).toEqual([401, detail('Invalid or missing API key')]);
      const stranger = await context().as('sarvam_test_stranger')('POST', `${BASE}/campaigns`, { body: validCampaign });
      expect([stranger.status, stranger.body]).toEqual([401, detail('Invalid or missing API key')]);
    });

    it('refuses writes from a read-only key with a 403', async () => {
      const res = await context().as('sarvam_test_readonly')('POST', `${BASE}/campaigns`, { body: validCampaign });
      expect([res.status, res.body]).toEqual([403, detail('Not enough permissions')]);
    });

    it('keeps a key bound to an org and workspace inside them (403 elsewhere)', async () => {
      const bound = context().as('sarvam_test_bound');
      expect((await bound('POST', `${BASE}/campaigns`, { body: validCampaign })).status).toBe(200);
      const otherWorkspace = await bound('POST', `${OTHER_WORKSPACE}/campaigns`, { body: validCampaign });
      expect([otherWorkspace.status, otherWorkspace.body]).toEqual([
        403,
        detail('This API key is bound to workspace ws-main of organization org-acme; it cannot be used under workspace ws-other'),
      ]);
      const otherOrg = await bound('GET', `${OTHER_ORG}/campaigns`);
      expect([otherOrg.status, otherOrg.body]).toEqual([
        403,
        detail('This API key is bound to workspace ws-main of organization org-acme; it cannot be used under organization org-other'),
      ]);
      const orgOnly = context().as('sarvam_test_org_bound');
      expect((await orgOnly('GET', `${OTHER_WORKSPACE}/campaigns`)).status).toBe(200);
      const elsewhere = await orgOnly('GET', `${OTHER_ORG}/campaigns`);
      expect([elsewhere.status, elsewhere.body]).toEqual([403, detail('This API key is bound to organization org-acme; it cannot be used under organization org-other')]);
    });

    it('refuses a bound key elsewhere before validating its body, as an auth dependency would', async () => {
      const res = await context().as('sarvam_test_bound')('POST', `${OTHER_WORKSPACE}/campaigns`, { body: { name: '' }, invalid: true });
      expect([res.status, res.body]).toEqual([
        403,
        detail('This API key is bound to workspace ws-main of organization org-acme; it cannot be used under workspace ws-other'),
      ]);
    });

    // Prism reads a JSON body of this size itself before forwarding; the limit is the mock's.
    inProcessOnly('answers a body over 5 MB with a 413', async () => {
      const res = await call('POST', `${BASE}/campaigns`, { body: { ...validCampaign, description: 'x'.repeat(5 * 1024 * 1024) } });
      expect([res.status, res.body]).toEqual([413, detail('Request Entity Too Large')]);
    });
  });

  describe('GET …/campaigns', () => {
    it('answers an empty page in the "List Campaigns" page envelope', async () => {
      const res = await call('GET', `${BASE}/campaigns`);
      expect([res.status, res.body]).toEqual([200, { items: [], total: 0, limit: 10, offset: 0, next_page_uri: null, prev_page_uri: null }]);
    });

    it('pages by 10 by default, newest first, with page URIs that work', async () => {
      const created: string[] = [];
      for (let i = 0; i < 11; i++) created.push((await createCampaign({ name: `Campaign ${i}` })).campaign_id);
      const first = await call('GET', `${BASE}/campaigns`);
      expect(first.body).toMatchObject({ total: 11, limit: 10, offset: 0, prev_page_uri: null, next_page_uri: `${BASE}/campaigns?offset=10` });
      expect(first.body.items).toHaveLength(10);
      const second = await call('GET', first.body.next_page_uri);
      expect(second.body).toMatchObject({ total: 11, limit: 10, offset: 10, next_page_uri: null, prev_page_uri: `${BASE}/campaigns?offset=0` });
      const everything = [...first.body.items, ...second.body.items].map((c: Summary) => c.campaign_id);
      expect(new Set(everything).size).toBe(11);
      expect([...everything].sort()).toEqual([...created].sort());
      const back = await call('GET', second.body.prev_page_uri);
      expect(back.body).toEqual(first.body);
    });

    it('ends on an exact multiple of the limit with no next page, and on a short last page', async () => {
      for (let i = 0; i < 5; i++) await createCampaign({ name: `Campaign ${i}` });
      const exact = await call('GET', `${BASE}/campaigns?limit=5`);
      expect(exact.body).toMatchObject({ total: 5, next_page_uri: null, prev_page_uri: null });
      expect(exact.body.items).toHaveLength(5);
      const page = await call('GET', `${BASE}/campaigns?limit=2&offset=4&sort_order=asc`);
      expect(page.body).toMatchObject({ total: 5, limit: 2, offset: 4, next_page_uri: null, prev_page_uri: `${BASE}/campaigns?limit=2&offset=2&sort_order=asc` });
      expect(page.body.items.map((c: Summary) => c.name)).toEqual(['Campaign 4']);
      const beyond = await call('GET', `${BASE}/campaigns?limit=2&offset=9`);
      expect(beyond.body).toMatchObject({ items: [], total: 5, next_page_uri: null, prev_page_uri: `${BASE}/campaigns?limit=2&offset=7` });
    });

    it('refuses a limit outside 1–100 and a negative offset with a 422', async () => {
      const low = await call('GET', `${BASE}/campaigns?limit=0&offset=-1`, { invalid: true });
      expect(low.status).toBe(422);
      expect(low.body.detail).toEqual([
        { type: 'greater_than_equal', loc: ['query', 'offset'], msg: 'Input should be greater than or equal to 0', input: -1, ctx: { ge: 0 } },
        { type: 'greater_than_equal', loc: ['query', 'limit'], msg: 'Input should be greater than or equal to 1', input: 0, ctx: { ge: 1 } },
      ]);
      const high = await call('GET', `${BASE}/campaigns?limit=101`, { invalid: true });
      expect(high.body.detail).toEqual([{ type: 'less_than_equal', loc: ['query', 'limit'], msg: 'Input should be less than or equal to 100', input: 101, ctx: { le: 100 } }]);
      expect((await call('GET', `${BASE}/campaigns?limit=100`)).status).toBe(200);
      const sort = await call('GET', `${BASE}/campaigns?sort_by=priority&campaign_status=running`, { invalid: true });
      expect(sort.body.detail.map((e: { type: string; loc: string[] }) => [e.type, e.loc[1]])).toEqual([
        ['enum', 'campaign_status'],
        ['enum', 'sort_by'],
      ]);
    });

    it('filters by status and name, and sorts by any documented column', async () => {
      const renewals = await createCampaign({ name: 'Renewals north' });
      await createCampaign({ name: 'renewals south', start_timestamp: FAR_START });
      await createCampaign({ name: 'Collections 100_percent' });
      // A minute later, so its updated_at is the latest without relying on the wall clock.
      await context().advanceClock(A, 60);
      await act(renewals.campaign_id, 'pause');
      const names = async (query: string) => (await call('GET', `${BASE}/campaigns?${query}`)).body.items.map((c: Summary) => c.name);
      expect(await names('campaign_status=paused')).toEqual(['Renewals north']);
      expect(await names('campaign_status=scheduled')).toEqual(['renewals south']);
      expect(await names('search=RENEWALS&sort_by=name&sort_order=asc')).toEqual(['Renewals north', 'renewals south']);
      expect(await names('search=0_p')).toEqual(['Collections 100_percent']);
      expect(await names('search=%25')).toEqual([]);
      expect(await names('sort_by=start_timestamp&sort_order=desc')).toEqual(['renewals south', 'Collections 100_percent', 'Renewals north']);
      expect(await names('sort_by=updated_at&sort_order=desc&limit=1')).toEqual(['Renewals north']);
    });

    it('lists only the campaigns of this key, org and workspace', async () => {
      await createCampaign();
      await createCampaign({}, B);
      await createCampaign({}, A, OTHER_WORKSPACE);
      await createCampaign({}, A, OTHER_ORG);
      expect((await call('GET', `${BASE}/campaigns`)).body.total).toBe(1);
      expect((await call('GET', `${OTHER_WORKSPACE}/campaigns`)).body.total).toBe(1);
    });

    it('answers a key that may not read campaigns with a 403', async () => {
      const res = await context().as('sarvam_test_blind')('GET', `${BASE}/campaigns`);
      expect([res.status, res.body]).toEqual([403, detail('Not enough permissions')]);
    });
  });

  describe('GET …/campaigns/{campaign_id}', () => {
    it('answers an unknown id, and a campaign of another org, workspace or key, with a 404', async () => {
      const { campaign_id: id } = await createCampaign();
      for (const path of [`${BASE}/campaigns/camp-00000000`, `${OTHER_WORKSPACE}/campaigns/${id}`, `${OTHER_ORG}/campaigns/${id}`]) {
        const res = await call('GET', path);
        expect([res.status, res.body], path).toEqual([404, detail('Campaign not found')]);
      }
      expect((await context().as(B)('GET', `${BASE}/campaigns/${id}`)).status).toBe(404);
      expect((await context().as('sarvam_test_readonly')('GET', `${BASE}/campaigns/${id}`)).status).toBe(404);
    });

    it('follows the schedule on the sandbox clock: scheduled, then active, then ended', async () => {
      const start = inHours(1);
      const end = inHours(3);
      const { campaign_id: id } = await createCampaign({ start_timestamp: start, end_timestamp: end });
      expect((await call('GET', `${BASE}/campaigns/${id}`)).body.status).toBe('scheduled');
      await context().advanceClock(A, 2 * HOUR);
      const active = await call('GET', `${BASE}/campaigns/${id}`);
      expect(active.body).toMatchObject({ status: 'active', updated_at: new Date(start).toISOString() });
      await context().advanceClock(A, 2 * HOUR);
      const list = await call('GET', `${BASE}/campaigns?campaign_status=ended`);
      expect(list.body.items.map((c: Summary) => [c.campaign_id, c.status, c.updated_at])).toEqual([[id, 'ended', new Date(end).toISOString()]]);
    });
  });

  describe('PATCH …/campaigns/{campaign_id}', () => {
    it('updates a scheduled campaign: only the fields sent, app_config and schedule whole', async () => {
      const created = await createCampaign({ start_timestamp: FAR_START, description: 'Old', app_config: { ...APP_CONFIG, attempts_per_second: 5 } });
      const schedule = { allowed_start_time: '10:00', allowed_end_time: '16:30', allowed_days: ['Saturday'], timezone: 'Asia/Dubai' };
      const res = await call('PATCH', `${BASE}/campaigns/${created.campaign_id}`, {
        body: { name: 'Renamed', description: null, app_config: { app_id: 'collections-agent', app_type: 'agent', app_version: 4 }, end_timestamp: '2099-06-01T00:00:00+05:30', allowed_schedule: schedule },
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        ...created,
        name: 'Renamed',
        app_id: 'collections-agent',
        app_version: 4,
        updated_at: expect.stringMatching(ISO),
      });
      const read = await call('GET', `${BASE}/campaigns/${created.campaign_id}`);
      expect(read.body).toMatchObject({
        description: 'Old',
        app_config: { app_id: 'collections-agent', app_version: 4, attempts_per_second: 2, retry_config: null },
        start_timestamp: '2098-01-01T00:00:00.000Z',
        end_timestamp: '2099-05-31T18:30:00.000Z',
        allowed_schedule: schedule,
      });
    });

    it('updates a paused campaign, and changes nothing for an empty body', async () => {
      const { campaign_id: id } = await createCampaign();
      const paused = (await act(id, 'pause')).body;
      const empty = await call('PATCH', `${BASE}/campaigns/${id}`, { body: {} });
      expect([empty.status, { ...empty.body, updated_at: paused.updated_at }]).toEqual([200, paused]);
      const renamed = await call('PATCH', `${BASE}/campaigns/${id}`, { body: { name: 'Paused and renamed' } });
      expect([renamed.status, renamed.body.name, renamed.body.status]).toEqual([200, 'Paused and renamed', 'paused']);
    });

    it('refuses an update while active (pause first), ended or cancelled, with a 409', async () => {
      const active = await createCampaign();
      const res = await call('PATCH', `${BASE}/campaigns/${active.campaign_id}`, { body: { name: 'Nope' } });
      expect([res.status, res.body]).toEqual([409, detail("Cannot update a campaign in 'active' status; updates are allowed only in 'paused' or 'scheduled' status (pause it first)")]);
      await act(active.campaign_id, 'cancel');
      const cancelled = await call('PATCH', `${BASE}/campaigns/${active.campaign_id}`, { body: { name: 'Nope' } });
      expect([cancelled.status, cancelled.body]).toEqual([409, detail("Cannot update a campaign in 'cancelled' status; updates are allowed only in 'paused' or 'scheduled' status")]);
      expect((await call('GET', `${BASE}/campaigns/${active.campaign_id}`)).body.name).toBe('Spring renewals');
    });

    it('refuses start_timestamp, which is not updatable, and a bad end or schedule, with a 422', async () => {
      const { campaign_id: id } = await createCampaign({ start_timestamp: FAR_START });
      const start = { start_timestamp: '2098-02-01T00:00:00Z' };
      const moved = await call('PATCH', `${BASE}/campaigns/${id}`, { body: start });
      expect([moved.status, moved.body]).toEqual([422, valueError(['body'], 'start_timestamp cannot be updated', start)]);
      const early = { end_timestamp: '2097-01-01T00:00:00Z' };
      const res = await call('PATCH', `${BASE}/campaigns/${id}`, { body: early });
      expect([res.status, res.body]).toEqual([422, valueError(['body'], 'end_timestamp must be after start_timestamp', early)]);
      const zone = await call('PATCH', `${BASE}/campaigns/${id}`, { body: { allowed_schedule: { ...SCHEDULE, timezone: 'IST' } } });
      expect([zone.status, zone.body]).toEqual([422, valueError(['body', 'allowed_schedule', 'timezone'], 'IST is not an IANA time zone', 'IST')]);
    });

    it("reports an invalid app_config with the model's errors only", async () => {
      const { campaign_id: id } = await createCampaign({ start_timestamp: FAR_START });
      const res = await call('PATCH', `${BASE}/campaigns/${id}`, { body: { app_config: { app_type: 'workflow' } }, invalid: true });
      expect([res.status, res.body]).toEqual([422, { detail: [{ type: 'missing', loc: ['body', 'app_config', 'app_id'], msg: 'Field required', input: { app_type: 'workflow' } }] }]);
      const text = await call('PATCH', `${BASE}/campaigns/${id}`, { body: { app_config: 'agent' }, invalid: true });
      expect(text.body.detail).toEqual([
        { type: 'model_attributes_type', loc: ['body', 'app_config'], msg: 'Input should be a valid dictionary or object to extract fields from', input: 'agent' },
      ]);
    });

    it('answers an unknown campaign with a 404', async () => {
      const res = await call('PATCH', `${BASE}/campaigns/camp-00000000`, { body: { name: 'Ghost' } });
      expect([res.status, res.body]).toEqual([404, detail('Campaign not found')]);
    });
  });

  describe('PUT …/campaigns/{campaign_id}/status', () => {
    /** A campaign of A brought into a state through the API and the sandbox clock. */
    const campaignIn = async (state: string): Promise<string> => {
      const soonOver = { start_timestamp: PAST, end_timestamp: inHours(1) };
      switch (state) {
        case 'scheduled':
          return (await createCampaign({ start_timestamp: FAR_START })).campaign_id;
        case 'active':
          return (await createCampaign()).campaign_id;
        case 'paused in its window': {
          const { campaign_id: id } = await createCampaign();
          await act(id, 'pause');
          return id;
        }
        case 'paused before its start': {
          const { campaign_id: id } = await createCampaign({ start_timestamp: FAR_START });
          await act(id, 'pause');
          return id;
        }
        case 'paused past its end': {
          const { campaign_id: id } = await createCampaign(soonOver);
          await act(id, 'pause');
          await context().advanceClock(A, 2 * HOUR);
          return id;
        }
        case 'ended': {
          const { campaign_id: id } = await createCampaign(soonOver);
          await context().advanceClock(A, 2 * HOUR);
          return id;
        }
        default: {
          const { campaign_id: id } = await createCampaign();
          await act(id, 'cancel');
          return id;
        }
      }
    };
    const refusal = (action: string, status: string, allowed: string) => `Cannot ${action} a campaign in '${status}' status; allowed actions from '${status}': ${allowed}`;
    const terminal = (action: string, status: string) => `Cannot ${action} a campaign in '${status}' status: '${status}' is terminal and allows no action`;
    const lifecycle: Array<[string, string, string | { refused: string }]> = [
      ['scheduled', 'pause', 'paused'],
      ['scheduled', 'resume', { refused: refusal('resume', 'scheduled', 'pause, cancel') }],
      ['scheduled', 'cancel', 'cancelled'],
      ['active', 'pause', 'paused'],
      ['active', 'resume', { refused: refusal('resume', 'active', 'pause, cancel') }],
      ['active', 'cancel', 'cancelled'],
      ['paused in its window', 'resume', 'active'],
      ['paused before its start', 'resume', 'scheduled'],
      ['paused past its end', 'resume', 'ended'],
      ['paused in its window', 'pause', { refused: refusal('pause', 'paused', 'resume, cancel') }],
      ['paused in its window', 'cancel', 'cancelled'],
      ['ended', 'pause', { refused: terminal('pause', 'ended') }],
      ['ended', 'resume', { refused: terminal('resume', 'ended') }],
      ['ended', 'cancel', { refused: terminal('cancel', 'ended') }],
      ['cancelled', 'pause', { refused: terminal('pause', 'cancelled') }],
      ['cancelled', 'resume', { refused: terminal('resume', 'cancelled') }],
      ['cancelled', 'cancel', { refused: terminal('cancel', 'cancelled') }],
    ];
    it.each(lifecycle)('%s, %s → %j', async (state, action, outcome) => {
      const id = await campaignIn(state);
      const before = (await call('GET', `${BASE}/campaigns/${id}`)).body;
      const res = await act(id, action);
      if (typeof outcome === 'string') {
        expect(res.status, res.text).toBe(200);
        expect(res.body).toMatchObject({ campaign_id: id, status: outcome, updated_by: expect.stringMatching(EMAIL) });
        expect(Object.keys(res.body)).toHaveLength(11);
        expect((await call('GET', `${BASE}/campaigns/${id}`)).body.status).toBe(outcome);
      } else {
        expect([res.status, res.body]).toEqual([409, detail(outcome.refused)]);
        expect((await call('GET', `${BASE}/campaigns/${id}`)).body).toEqual(before);
      }
    });

    it('keeps a paused campaign paused past its end, so its end can move before it resumes', async () => {
      const { campaign_id: id } = await createCampaign({ end_timestamp: inHours(1) });
      await act(id, 'pause');
      await context().advanceClock(A, 2 * HOUR);
      expect((await call('GET', `${BASE}/campaigns/${id}`)).body.status).toBe('paused');
      const later = await call('PATCH', `${BASE}/campaigns/${id}`, { body: { end_timestamp: inHours(10) } });
      expect(later.status).toBe(200);
      expect((await act(id, 'resume')).body.status).toBe('active');
    });

    it('refuses an unknown action with a 422 and an unknown campaign with a 404', async () => {
      const { campaign_id: id } = await createCampaign();
      const stop = await call('PUT', `${BASE}/campaigns/${id}/status`, { body: { action: 'stop' }, invalid: true });
      expect([stop.status, stop.body]).toEqual([
        422,
        { detail: [{ type: 'enum', loc: ['body', 'action'], msg: "Input should be 'pause', 'resume' or 'cancel'", input: 'stop', ctx: { expected: "'pause', 'resume' or 'cancel'" } }] },
      ]);
      const missing = await act('camp-00000000', 'pause');
      expect([missing.status, missing.body]).toEqual([404, detail('Campaign not found')]);
    });
  });

  describe('POST …/cohorts/stream', () => {
    it('stores the valid users, normalising 10-digit Indian numbers, and counts the rejected', async () => {
      const { campaign_id: id } = await createCampaign();
      const res = await stream(id, [
        { user_phone_number: '98765 43210', app_variables: { customer_name: 'Asha', due: 4500 } },
        { user_phone_number: '+14155550100', user_identifier: 'cust-1', app_overrides: { initial_language_name: 'Hindi' } },
        { user_phone_number: '12345' },
      ]);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        name: 'Walk ins',
        cohort_id: expect.stringMatching(/^coh-[a-z0-9]{8}$/),
        status: 'completed',
        source_type: 'stream',
        failure_reason: null,
        created_by: expect.stringMatching(EMAIL),
        created_at: expect.stringMatching(ISO),
        updated_at: res.body.created_at,
        result: { total_records: 3, valid_records: 2, rejected_records: 1 },
        updated_by: res.body.created_by,
      });
      const users = context().seed.cohortUsers(A, res.body.cohort_id);
      expect(users.map((u) => [u.position, u.phone_number, u.user_identifier, JSON.parse(u.app_variables), u.app_overrides && JSON.parse(u.app_overrides)])).toEqual([
        [0, '+919876543210', null, { customer_name: 'Asha', due: 4500 }, null],
        [1, '+14155550100', 'cust-1', {}, { initial_language_name: 'Hindi' }],
      ]);
    });

    it('takes 1 to 1000 users, each with a user_phone_number, and only the three app_overrides', async () => {
      const { campaign_id: id } = await createCampaign();
      const none = await call('POST', `${BASE}/campaigns/${id}/cohorts/stream`, { body: { name: 'Empty', users: [] }, invalid: true });
      expect(none.body.detail).toEqual([
        { type: 'too_short', loc: ['body', 'users'], msg: 'List should have at least 1 item after validation, not 0', input: [], ctx: { field_type: 'List', min_length: 1, actual_length: 0 } },
      ]);
      const many = Array.from({ length: 1001 }, (_, i) => ({ user_phone_number: `98765${String(i).padStart(5, '0')}` }));
      const tooMany = await call('POST', `${BASE}/campaigns/${id}/cohorts/stream`, { body: { name: 'Many', users: many }, invalid: true });
      expect(tooMany.body.detail.map((e: { type: string }) => e.type)).toEqual(['too_long']);
      expect((await stream(id, many.slice(0, 1000))).body.result).toEqual({ total_records: 1000, valid_records: 1000, rejected_records: 0 });
      const bad = await call('POST', `${BASE}/campaigns/${id}/cohorts/stream`, {
        body: { name: 'Bad/name', users: [{ app_variables: {} }, { user_phone_number: '9876543210', app_overrides: { voice: 'x' } }] },
        invalid: true,
      });
      expect(bad.body.detail).toEqual([
        { type: 'string_pattern_mismatch', loc: ['body', 'name'], msg: "String should match pattern '^[\\w\\- ]{1,50}$'", input: 'Bad/name', ctx: { pattern: '^[\\w\\- ]{1,50}$' } },
        { type: 'missing', loc: ['body', 'users', 0, 'user_phone_number'], msg: 'Field required', input: { app_variables: {} } },
        { type: 'extra_forbidden', loc: ['body', 'users', 1, 'app_overrides', 'voice'], msg: 'Extra inputs are not permitted', input: 'x' },
      ]);
    });

    it('takes cohorts for active, scheduled and paused campaigns; 409 for ended and cancelled', async () => {
      const user = [{ user_phone_number: '9876543210' }];
      const scheduled = await createCampaign({ start_timestamp: FAR_START });
      expect((await stream(scheduled.campaign_id, user)).status).toBe(200);
      await act(scheduled.campaign_id, 'pause');
      expect((await stream(scheduled.campaign_id, user)).status).toBe(200);
      await act(scheduled.campaign_id, 'cancel');
      const cancelled = await stream(scheduled.campaign_id, user);
      expect([cancelled.status, cancelled.body]).toEqual([409, detail("Cannot add a cohort to a campaign in 'cancelled' status; the campaign must be active, scheduled, or paused")]);
      const ending = await createCampaign({ end_timestamp: inHours(1) });
      await context().advanceClock(A, 2 * HOUR);
      const ended = await stream(ending.campaign_id, user);
      expect([ended.status, ended.body]).toEqual([409, detail("Cannot add a cohort to a campaign in 'ended' status; the campaign must be active, scheduled, or paused")]);
      const missing = await stream('camp-00000000', user);
      expect([missing.status, missing.body]).toEqual([404, detail('Campaign not found')]);
    });
  });

  describe('POST …/cohorts/upload', () => {
    it('reads the CSV through the transformation file, keeping other columns as app variables', async () => {
      const { campaign_id: id } = await createCampaign();
      const csv = 'mobile,customer_id,customer_name,due\r\n98765 43210,c-1,Asha,4500\r\n,c-2,Nobody,0\r\nnot a number,c-3,Ravi,100\r\n+919812345678,,"Rao, B",\r\n';
      const transformation = JSON.stringify({ phone_number: { column_name: 'mobile' }, user_identifier: { column_name: 'customer_id' }, amount_due: { column_name: 'due' } });
      const res = await call('POST', `${BASE}/campaigns/${id}/cohorts/upload`, { body: uploadForm(csv, transformation) });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({ name: 'March defaulters', status: 'completed', source_type: 'file_upload', result: { total_records: 4, valid_records: 2, rejected_records: 2 } });
      const users = context().seed.cohortUsers(A, res.body.cohort_id);
      expect(users.map((u) => [u.phone_number, u.user_identifier, JSON.parse(u.app_variables)])).toEqual([
        ['+919876543210', 'c-1', { customer_name: 'Asha', amount_due: '4500' }],
        ['+919812345678', null, { customer_name: 'Rao, B' }],
      ]);
    });

    it('reads a phone_number column when no transformation is sent', async () => {
      const { campaign_id: id } = await createCampaign();
      const res = await call('POST', `${BASE}/campaigns/${id}/cohorts/upload`, { body: uploadForm('phone_number,plan\n9876543210,gold\n') });
      expect([res.status, res.body.result]).toEqual([200, { total_records: 1, valid_records: 1, rejected_records: 0 }]);
    });

    it('refuses a file without data rows or without the phone column with a 422 on cohort_file', async () => {
      const { campaign_id: id } = await createCampaign();
      const upload = (csv: string | Blob, transformation?: string) => call('POST', `${BASE}/campaigns/${id}/cohorts/upload`, { body: uploadForm(csv, transformation) });
      expect((await upload('phone_number\n')).body).toEqual(valueError(['body', 'cohort_file'], 'cohort_file has a header row but no data rows', 'cohort.csv'));
      expect((await upload('')).body).toEqual(valueError(['body', 'cohort_file'], 'cohort_file has no header row', 'cohort.csv'));
      expect((await upload('mobile\n9876543210\n')).body).toEqual(valueError(['body', 'cohort_file'], 'cohort_file has no column phone_number', 'cohort.csv'));
      expect((await upload('phone_number\n"9876543210\n')).body).toEqual(
        valueError(['body', 'cohort_file'], 'cohort_file is not valid CSV: a quoted field opened on line 2 is never closed', 'cohort.csv'),
      );
      const campaign = await call('GET', `${BASE}/campaigns/${id}/cohorts`);
      expect(campaign.body.total).toBe(0);
    });

    // Prism re-encodes a multipart body as text before forwarding it, so the bytes arrive as UTF-8.
    inProcessOnly('refuses a file that is not UTF-8 with a 422 on cohort_file', async () => {
      const { campaign_id: id } = await createCampaign();
      const latin1 = new Blob([new Uint8Array([0x70, 0x68, 0x6f, 0x6e, 0x65, 0x5f, 0x6e, 0x75, 0x6d, 0x62, 0x65, 0x72, 0x0a, 0xe9, 0x0a])], { type: 'text/csv' });
      const res = await call('POST', `${BASE}/campaigns/${id}/cohorts/upload`, { body: uploadForm(latin1) });
      expect([res.status, res.body]).toEqual([422, valueError(['body', 'cohort_file'], 'cohort_file is not UTF-8 text', 'cohort.csv')]);
    });

    it('refuses a transformation file that is not the documented mapping', async () => {
      const { campaign_id: id } = await createCampaign();
      const upload = (transformation: string) => call('POST', `${BASE}/campaigns/${id}/cohorts/upload`, { body: uploadForm('phone_number\n9876543210\n', transformation) });
      expect((await upload('{"phone_number":')).body.detail[0]).toMatchObject({ type: 'value_error', loc: ['body', 'cohort_transformation_file'], msg: expect.stringMatching(/^Value error, cohort_transformation_file is not valid JSON: /) });
      expect((await upload('{"user_identifier":{"column_name":"id"}}')).body).toEqual(
        valueError(['body', 'cohort_transformation_file'], 'cohort_transformation_file must map phone_number to a column', 'transformation.json'),
      );
      expect((await upload('{"phone_number":"mobile"}')).body).toEqual(
        valueError(['body', 'cohort_transformation_file'], 'cohort_transformation_file phone_number must be {"column_name": "<a column of the file>"}', 'transformation.json'),
      );
    });

    it('needs name and cohort_file, and cohort_file as a file', async () => {
      const { campaign_id: id } = await createCampaign();
      const noFile = new FormData();
      noFile.append('name', 'x'.repeat(51));
      const res = await call('POST', `${BASE}/campaigns/${id}/cohorts/upload`, { body: noFile, invalid: true });
      expect(res.status).toBe(422);
      expect(res.body.detail.map((e: { type: string; loc: string[] }) => [e.type, e.loc.join('.')])).toEqual([
        ['string_too_long', 'body.name'],
        ['missing', 'body.cohort_file'],
      ]);
      const asText = new FormData();
      asText.append('name', 'Text');
      asText.append('cohort_file', 'phone_number');
      const text = await call('POST', `${BASE}/campaigns/${id}/cohorts/upload`, { body: asText, invalid: true });
      expect([text.status, text.body]).toEqual([422, valueError(['body', 'cohort_file'], "Expected UploadFile, received: <class 'str'>", 'phone_number')]);
    });

    it('answers an unknown campaign with a 404 and a cancelled one with a 409', async () => {
      const missing = await call('POST', `${BASE}/campaigns/camp-00000000/cohorts/upload`, { body: uploadForm('phone_number\n9876543210\n') });
      expect([missing.status, missing.body]).toEqual([404, detail('Campaign not found')]);
      const { campaign_id: id } = await createCampaign();
      await act(id, 'cancel');
      const closed = await call('POST', `${BASE}/campaigns/${id}/cohorts/upload`, { body: uploadForm('phone_number\n9876543210\n') });
      expect(closed.status).toBe(409);
    });
  });

  describe('POST …/cohorts (from a source URL)', () => {
    let source: Server;
    let origin = '';
    const requests: string[] = [];
    /** Answers of /held.csv waiting for the test to release them. */
    const held: Array<() => void> = [];
    beforeAll(async () => {
      source = createServer((req, res) => {
        requests.push(req.url ?? '');
        if (req.url === '/held.csv') {
          held.push(() => res.writeHead(200, { 'content-type': 'text/csv' }).end('mobile\n9876543210\n'));
        } else if (req.url === '/march.csv') {
          res.writeHead(200, { 'content-type': 'text/csv' }).end('mobile,name\n9876543210,Asha\n+919812345678,Ravi\nbad,Nobody\n');
        } else if (req.url === '/moved.csv') {
          res.writeHead(302, { location: '/march.csv' }).end();
        } else if (req.url === '/elsewhere.csv') {
          res.writeHead(302, { location: 'http://localhost:1/march.csv' }).end();
        } else if (req.url === '/huge.csv') {
          res.writeHead(200, { 'content-type': 'text/csv' });
          const row = `9876543210,${'x'.repeat(1000)}\n`;
          for (let i = 0; i < 11_000; i++) res.write(row);
          res.end();
        } else if (req.url === '/header-only.csv') {
          res.writeHead(200, { 'content-type': 'text/csv' }).end('mobile,name\n');
        } else if (req.url === '/silent.csv') {
          // Never answers: the mock's own timeout must end the read.
        } else {
          res.writeHead(404).end();
        }
      });
      await new Promise<void>((resolve) => source.listen(0, '127.0.0.1', resolve));
      origin = `http://127.0.0.1:${(source.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      source.closeAllConnections();
      await new Promise((resolve) => source.close(resolve));
    });
    const fromUrl = async (url: string, extra: Record<string, unknown> = { cohort_transformation: { phone_number: { column_name: 'mobile' } } }) => {
      const { campaign_id: id } = await createCampaign();
      const res = await call('POST', `${BASE}/campaigns/${id}/cohorts`, { body: { name: 'March defaulters', source: { url }, ...extra } });
      expect(res.status, res.text).toBe(200);
      return { id, cohort: res.body };
    };

    it('answers 409 and stores nothing when the campaign is cancelled while its source is read', async () => {
      const { campaign_id: id } = await createCampaign();
      const pending = call('POST', `${BASE}/campaigns/${id}/cohorts`, { body: { name: 'Raced', source: { url: `${origin}/held.csv` }, cohort_transformation: { phone_number: { column_name: 'mobile' } } } });
      while (held.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      expect((await call('PUT', `${BASE}/campaigns/${id}/status`, { body: { action: 'cancel' } })).status).toBe(200);
      (held.shift() as () => void)();
      const res = await pending;
      expect([res.status, res.body]).toEqual([409, { detail: "Cannot add a cohort to a campaign in 'cancelled' status; the campaign must be active, scheduled, or paused" }]);
      expect((await call('GET', `${BASE}/campaigns/${id}/cohorts`)).body.total).toBe(0);
    });

    it("answers 404, not a 500, when the sandbox is reset while a cohort's source is read", async () => {
      const { campaign_id: id } = await createCampaign();
      const pending = call('POST', `${BASE}/campaigns/${id}/cohorts`, { body: { name: 'Reset', source: { url: `${origin}/held.csv` }, cohort_transformation: { phone_number: { column_name: 'mobile' } } } });
      while (held.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      await context().reset();
      (held.shift() as () => void)();
      const res = await pending;
      expect([res.status, res.body]).toEqual([404, { detail: 'The sandbox of this API key was reset while the request was being served; nothing of it was kept' }]);
    });

    it('reads a CSV served on 127.0.0.1 into a completed cohort, and lists and gets it', async () => {
      const { id, cohort } = await fromUrl(`${origin}/march.csv`);
      expect(cohort).toMatchObject({ status: 'completed', source_type: 'url', failure_reason: null, result: { total_records: 3, valid_records: 2, rejected_records: 1 } });
      expect(context().seed.cohortUsers(A, cohort.cohort_id).map((u) => [u.phone_number, JSON.parse(u.app_variables)])).toEqual([
        ['+919876543210', { name: 'Asha' }],
        ['+919812345678', { name: 'Ravi' }],
      ]);
      const read = await call('GET', `${BASE}/campaigns/${id}/cohorts/${cohort.cohort_id}`);
      expect([read.status, read.body]).toEqual([200, cohort]);
    });

    it('follows a redirect within the same origin only', async () => {
      expect((await fromUrl(`${origin}/moved.csv`)).cohort.status).toBe('completed');
      const { cohort } = await fromUrl(`${origin}/elsewhere.csv`);
      expect(cohort).toMatchObject({ status: 'failed', failure_reason: 'the source URL redirects to http://localhost:1; redirects to another host are not followed' });
    });

    it('fails the cohort, with a reason, for a source it cannot read', async () => {
      expect((await fromUrl(`${origin}/missing.csv`)).cohort).toMatchObject({ status: 'failed', failure_reason: 'the source URL answered 404', result: { total_records: 0, valid_records: 0, rejected_records: 0 } });
      expect((await fromUrl(`${origin}/header-only.csv`)).cohort.failure_reason).toBe('the source file has a header row but no data rows');
      expect((await fromUrl(`${origin}/march.csv`, {})).cohort.failure_reason).toBe('the source file has no column phone_number');
      expect((await fromUrl(`${origin}/huge.csv`)).cohort.failure_reason).toBe('the source file is larger than 10 MB');
      expect((await fromUrl(`http://127.0.0.1:${await freePort()}/march.csv`)).cohort.failure_reason).toBe('the source URL could not be read (ECONNREFUSED)');
      expect((await fromUrl('http://127.0.0.1:1/march.csv')).cohort.failure_reason).toBe('the source URL could not be read (bad port)');
      expect((await fromUrl('ftp://127.0.0.1/march.csv')).cohort.failure_reason).toBe('the source URL must be http or https, not ftp');
    });

    it('never fetches a URL that is not loopback', async () => {
      const before = requests.length;
      for (const host of ['example.com', '10.0.0.1', '[2001:db8::1]', '169.254.169.254']) {
        const { cohort } = await fromUrl(`http://${host}/march.csv`);
        const shown = host.replace(/^\[(.*)\]$/, '$1');
        expect(cohort).toMatchObject({
          status: 'failed',
          failure_reason: `campaign-mock: only loopback source URLs (127.0.0.0/8, ::1, localhost) are fetched, and ${shown} is not one; serve the CSV from this machine or use the upload endpoint`,
        });
      }
      expect(requests.length).toBe(before);
      expect((await fromUrl(`${origin.replace('127.0.0.1', 'localhost')}/march.csv`)).cohort.status).toBe('completed');
    });

    // Waits out the mock's 5-second read timeout; once is enough.
    inProcessOnly('gives up on a source that never answers', async () => {
      expect((await fromUrl(`${origin}/silent.csv`)).cohort.failure_reason).toBe('the source URL did not answer within 5 seconds');
    });

    it('refuses a source URL that is not a URL with a 422', async () => {
      const { campaign_id: id } = await createCampaign();
      const res = await call('POST', `${BASE}/campaigns/${id}/cohorts`, { body: { name: 'x', source: { url: 'cohort.csv' } }, invalid: true });
      expect(res.body.detail).toEqual([
        { type: 'url_parsing', loc: ['body', 'source', 'url'], msg: 'Input should be a valid URL, relative URL without a base', input: 'cohort.csv', ctx: { error: 'relative URL without a base' } },
      ]);
    });
  });

  describe('GET …/cohorts and …/cohorts/{cohort_id}', () => {
    it('pages through the cohorts of one campaign, newest first', async () => {
      const { campaign_id: id } = await createCampaign();
      const other = await createCampaign();
      const empty = await call('GET', `${BASE}/campaigns/${id}/cohorts`);
      expect(empty.body).toEqual({ items: [], total: 0, limit: 10, offset: 0, next_page_uri: null, prev_page_uri: null });
      for (let i = 0; i < 4; i++) await stream(id, [{ user_phone_number: '9876543210' }], `Cohort ${i}`);
      await stream(other.campaign_id, [{ user_phone_number: '9876543210' }]);
      const first = await call('GET', `${BASE}/campaigns/${id}/cohorts?limit=2`);
      expect(first.body).toMatchObject({ total: 4, limit: 2, offset: 0, prev_page_uri: null, next_page_uri: `${BASE}/campaigns/${id}/cohorts?limit=2&offset=2` });
      const last = await call('GET', first.body.next_page_uri);
      expect(last.body).toMatchObject({ total: 4, offset: 2, next_page_uri: null });
      expect([...first.body.items, ...last.body.items].map((c: { name: string }) => c.name)).toEqual(['Cohort 3', 'Cohort 2', 'Cohort 1', 'Cohort 0']);
      const tooMany = await call('GET', `${BASE}/campaigns/${id}/cohorts?limit=101`, { invalid: true });
      expect(tooMany.status).toBe(422);
    });

    it("answers an unknown cohort, or another campaign's, with a 404", async () => {
      const { campaign_id: id } = await createCampaign();
      const other = await createCampaign();
      const cohort = (await stream(other.campaign_id, [{ user_phone_number: '9876543210' }])).body;
      const wrongCampaign = await call('GET', `${BASE}/campaigns/${id}/cohorts/${cohort.cohort_id}`);
      expect([wrongCampaign.status, wrongCampaign.body]).toEqual([404, detail('Cohort not found')]);
      expect((await call('GET', `${BASE}/campaigns/camp-00000000/cohorts/${cohort.cohort_id}`)).body).toEqual(detail('Campaign not found'));
      expect((await call('GET', `${BASE}/campaigns/camp-00000000/cohorts`)).status).toBe(404);
      const blind = await context().as('sarvam_test_blind')('GET', `${BASE}/campaigns/${id}/cohorts`);
      expect(blind.status).toBe(403);
    });
  });

  describe('GET …/webhooks', () => {
    const seedDeliveries = async (count: number) => {
      const { campaign_id: id } = await createCampaign();
      const rows = Array.from({ length: count }, (_, i) =>
        context().seed.delivery(A, { orgId: ORG, workspaceId: WORKSPACE, campaignId: id }, { attempt_id: `attempt-${i}`, created_at: `2026-03-0${i + 1}T09:00:00.000Z` }),
      );
      return { id, rows };
    };
    const attempts = (body: { items: Array<{ attempt_id: string }> }) => body.items.map((d) => d.attempt_id);

    it('answers an empty list with null cursors', async () => {
      const { campaign_id: id } = await createCampaign();
      const res = await call('GET', `${BASE}/campaigns/${id}/webhooks`);
      expect([res.status, res.body]).toEqual([200, { items: [], cursors: { after: null, before: null } }]);
    });

    it('pages newest first with after, and back with before, to the edges', async () => {
      const { id } = await seedDeliveries(5);
      const first = await call('GET', `${BASE}/campaigns/${id}/webhooks?limit=2`);
      expect(attempts(first.body)).toEqual(['attempt-4', 'attempt-3']);
      expect(first.body.cursors.before).toBeNull();
      expect(first.body.items[0]).toEqual({
        attempt_id: 'attempt-4',
        campaign_id: id,
        url: 'https://example.com/hooks/sarvam',
        status: 'delivered',
        response_status_code: 200,
        error: null,
        delivery_attempts: 1,
        payload: { attempt_id: 'attempt-4', campaign_id: id, completion_status: 'completed' },
        created_at: '2026-03-05T09:00:00.000Z',
        last_attempted_at: '2026-03-01T09:00:00.000Z',
      });
      const second = await call('GET', `${BASE}/campaigns/${id}/webhooks?limit=2&after=${first.body.cursors.after}`);
      expect(attempts(second.body)).toEqual(['attempt-2', 'attempt-1']);
      const last = await call('GET', `${BASE}/campaigns/${id}/webhooks?limit=2&after=${second.body.cursors.after}`);
      expect(attempts(last.body)).toEqual(['attempt-0']);
      expect(last.body.cursors.after).toBeNull();
      const back = await call('GET', `${BASE}/campaigns/${id}/webhooks?limit=2&before=${last.body.cursors.before}`);
      expect(attempts(back.body)).toEqual(['attempt-2', 'attempt-1']);
      const top = await call('GET', `${BASE}/campaigns/${id}/webhooks?limit=2&before=${back.body.cursors.before}`);
      expect(attempts(top.body)).toEqual(['attempt-4', 'attempt-3']);
      expect(top.body.cursors).toEqual({ after: first.body.cursors.after, before: null });
    });

    it('ends on an exact multiple of the limit with no after cursor, and defaults to 50', async () => {
      const { id } = await seedDeliveries(4);
      const exact = await call('GET', `${BASE}/campaigns/${id}/webhooks?limit=4`);
      expect(attempts(exact.body)).toHaveLength(4);
      expect(exact.body.cursors).toEqual({ after: null, before: null });
      const all = await call('GET', `${BASE}/campaigns/${id}/webhooks`);
      expect(attempts(all.body)).toEqual(['attempt-3', 'attempt-2', 'attempt-1', 'attempt-0']);
    });

    it('filters by created_at, and lists only the campaign’s deliveries', async () => {
      const { id } = await seedDeliveries(5);
      const other = await createCampaign();
      context().seed.delivery(A, { orgId: ORG, workspaceId: WORKSPACE, campaignId: other.campaign_id }, { attempt_id: 'elsewhere' });
      const window = await call('GET', `${BASE}/campaigns/${id}/webhooks?start_datetime=2026-03-02T09:00:00Z&end_datetime=2026-03-04T09:00:00%2B00:00`);
      expect(attempts(window.body)).toEqual(['attempt-3', 'attempt-2', 'attempt-1']);
    });

    it('refuses a limit over 250, a foreign cursor, and both cursors at once with a 422', async () => {
      const { id } = await seedDeliveries(1);
      const tooMany = await call('GET', `${BASE}/campaigns/${id}/webhooks?limit=251`, { invalid: true });
      expect(tooMany.body.detail).toEqual([{ type: 'less_than_equal', loc: ['query', 'limit'], msg: 'Input should be less than or equal to 250', input: 251, ctx: { le: 250 } }]);
      expect((await call('GET', `${BASE}/campaigns/${id}/webhooks?limit=250`)).status).toBe(200);
      const foreign = await call('GET', `${BASE}/campaigns/${id}/webhooks?after=page-2`);
      expect([foreign.status, foreign.body]).toEqual([
        422,
        valueError(['query', 'after'], 'invalid cursor; pass a cursor from cursors.after or cursors.before of a previous page', 'page-2'),
      ]);
      const cursor = Buffer.from('seq:1').toString('base64url');
      const both = await call('GET', `${BASE}/campaigns/${id}/webhooks?after=${cursor}&before=${cursor}`);
      expect([both.status, both.body]).toEqual([422, valueError(['query', 'before'], 'send either after or before, not both', cursor)]);
      const missing = await call('GET', `${BASE}/campaigns/camp-00000000/webhooks`);
      expect([missing.status, missing.body]).toEqual([404, detail('Campaign not found')]);
    });
  });

  describe('POST …/webhooks/retry', () => {
    it('sends finished deliveries again, skips pending ones and unknown ids, and answers 202 {}', async () => {
      const { campaign_id: id } = await createCampaign();
      const where = { orgId: ORG, workspaceId: WORKSPACE, campaignId: id };
      context().seed.delivery(A, where, { attempt_id: 'failed-1', status: 'failed', response_status_code: 500, error: 'HTTP 500' });
      context().seed.delivery(A, where, { attempt_id: 'pending-1', status: 'pending', delivery_attempts: 0, last_attempted_at: null });
      context().seed.delivery(A, where, { attempt_id: 'kept-1' });
      const res = await call('POST', `${BASE}/campaigns/${id}/webhooks/retry`, { body: { attempt_ids: ['failed-1', 'pending-1', 'failed-1', 'nobody'] } });
      expect([res.status, res.body]).toEqual([202, {}]);
      // clock/advance answers once the sandbox's queued webhooks are out. example.com is not an
      // allowed host, so the resent delivery fails again, one attempt later, and says why.
      await context().advanceClock(A, 0);
      const list = await call('GET', `${BASE}/campaigns/${id}/webhooks`);
      expect(list.body.items.map((d: { attempt_id: string; status: string; delivery_attempts: number }) => [d.attempt_id, d.status, d.delivery_attempts])).toEqual([
        ['kept-1', 'delivered', 1],
        ['pending-1', 'pending', 0],
        ['failed-1', 'failed', 2],
      ]);
      expect(list.body.items[2]).toMatchObject({ response_status_code: null, error: expect.stringMatching(/^campaign-mock: webhooks may not go to https:\/\/example\.com\/hooks\/sarvam;/) });
    });

    it('takes 1 to 200 attempt ids, and answers an unknown campaign with a 404', async () => {
      const { campaign_id: id } = await createCampaign();
      const none = await call('POST', `${BASE}/campaigns/${id}/webhooks/retry`, { body: { attempt_ids: [] }, invalid: true });
      expect(none.body.detail.map((e: { type: string }) => e.type)).toEqual(['too_short']);
      const ids = Array.from({ length: 201 }, (_, i) => `attempt-${i}`);
      const tooMany = await call('POST', `${BASE}/campaigns/${id}/webhooks/retry`, { body: { attempt_ids: ids }, invalid: true });
      expect(tooMany.body.detail).toEqual([
        { type: 'too_long', loc: ['body', 'attempt_ids'], msg: 'List should have at most 200 items after validation, not 201', input: ids, ctx: { field_type: 'List', max_length: 200, actual_length: 201 } },
      ]);
      expect((await call('POST', `${BASE}/campaigns/${id}/webhooks/retry`, { body: { attempt_ids: ids.slice(0, 200) } })).status).toBe(202);
      const missing = await call('POST', `${BASE}/campaigns/camp-00000000/webhooks/retry`, { body: { attempt_ids: ['a'] } });
      expect([missing.status, missing.body]).toEqual([404, detail('Campaign not found')]);
      const readonly = await context().as('sarvam_test_readonly')('POST', `${BASE}/campaigns/${id}/webhooks/retry`, { body: { attempt_ids: ['a'] } });
      expect(readonly.status).toBe(403);
    });
  });
}
