import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Caller, CallOptions } from '../../helpers/caller.js';
import { describeIf, itIf } from '../../helpers/it-if.js';
import type { AsissoSeed } from './seed.js';

/** What the Asisso suite runs against: callers per key, the storage the upload URLs point at, and a way to seed facts. */
export interface AsissoSuiteContext {
  as(key: string | null): Caller;
  /** Where a presigned upload URL is sent (S3's place in Dograh, the mock itself here). */
  storage: Caller;
  seed: AsissoSeed;
  /** Wipes every sandbox, so each case starts from nothing. */
  reset(): Promise<void>;
}

export interface AsissoSuiteOptions {
  /** Requests go through Prism, which answers malformed JSON and oversized bodies itself. */
  viaPrism: boolean;
  /**
   * The contract the responses are held to: the mock's `specs/asisso.yaml`, or Dograh's own
   * document, which lists only 200, 404 and 422 for each operation and knows nothing of the
   * upload URL (S3's, in Dograh). Under `dograh`, the cases whose answer is another status are
   * left out; see test/vendors/asisso/dograh-prism.test.ts.
   */
  contract: 'asisso' | 'dograh';
}

export const KEYS_FILE = new URL('./keys.yaml', import.meta.url).pathname;

const A = 'as_test_a';
const B = 'as_test_b';

const CONTACTS = 'phone_number,customer_name\n+14155550100,Jane Smith\n+14155550101,Bob Jones\n,No Number\n';

const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?Z$/;

const detail = (message: string) => ({ detail: message });

/**
 * A calling window that opens only in three days' time (UTC): a campaign started with it places
 * no call while a case runs, so the runs the case seeds are the campaign's only ones.
 */
function closedForDays() {
  const dayOfWeek = (new Date().getUTCDay() + 6 + 3) % 7; // Dograh counts from Monday, JavaScript from Sunday
  return { timezone: 'UTC', slots: [{ day_of_week: dayOfWeek, start_time: '09:00', end_time: '10:00' }] };
}

type Campaign = { id: number; state: string; [field: string]: unknown };

/**
 * Every Asisso operation, its documented statuses, its state rules and its validation.
 * Registered in process (app.request), over HTTP behind `prism proxy --errors` with the mock's
 * spec, and behind Prism with Dograh's own document, so the same cases prove the behaviour and
 * its conformance to both contracts.
 */
export function describeAsissoApi(context: () => AsissoSuiteContext, { viaPrism, contract }: AsissoSuiteOptions): void {
  beforeEach(() => context().reset());
  // Statuses Dograh's document does not list (400, 401, 403, 307, 405, 413) and the upload URL
  // it does not describe: these cases hold only the mock's own contract, and are registered only there.
  const itAsisso = itIf(contract !== 'dograh');
  const describeAsisso = describeIf(contract !== 'dograh');
  // Cases Prism answers itself: registered in process only.
  const inProcessOnly = itIf(!viaPrism);
  const call = (method: string, path: string, options?: CallOptions) => context().as(A)(method, path, options);

  const presign = async (key = A, body: Record<string, unknown> = { file_name: 'contacts.csv', file_size: 4096 }) => {
    const res = await context().as(key)('POST', '/api/v1/s3/presigned-upload-url', { body });
    expect(res.status, res.text).toBe(200);
    return res.body as { upload_url: string; file_key: string; expires_in: number };
  };
  /** The path and query of an upload URL, for the storage caller. */
  const target = (uploadUrl: string) => {
    const url = new URL(uploadUrl);
    return `${url.pathname}${url.search}`;
  };
  const put = (path: string, body: string, contentType = 'text/csv', options: CallOptions = {}) =>
    context().storage('PUT', path, { key: null, body, headers: { 'content-type': contentType }, ...options });
  const upload = async (csv = CONTACTS, key = A) => {
    const { upload_url, file_key } = await presign(key);
    const res = await put(target(upload_url), csv);
    expect(res.status, res.text).toBe(200);
    return file_key;
  };
  const campaignBody = async (overrides: Record<string, unknown> = {}, key = A) => ({
    name: 'Spring renewals',
    workflow_id: 42,
    source_type: 'csv',
    source_id: 'source_id' in overrides ? overrides.source_id : await upload(CONTACTS, key),
    ...overrides,
  });
  const createCampaign = async (overrides: Record<string, unknown> = {}, key = A): Promise<Campaign> => {
    const res = await context().as(key)('POST', '/api/v1/campaign/create', { body: await campaignBody(overrides, key) });
    expect(res.status, res.text).toBe(200);
    return res.body as Campaign;
  };
  const action = async (id: number, verb: 'start' | 'pause' | 'resume', expected = 200): Promise<Campaign> => {
    const res = await call('POST', `/api/v1/campaign/${id}/${verb}`);
    expect(res.status, res.text).toBe(expected);
    return res.body as Campaign;
  };
  /** A campaign marked completed before it dialed anyone, for the runs a case seeds. */
  const completedCampaign = async (overrides: Record<string, unknown> = {}): Promise<Campaign> => {
    const campaign = await createCampaign({ schedule_config: closedForDays(), ...overrides });
    await action(campaign.id, 'start');
    context().seed.campaignState(A, campaign.id, 'completed');
    return campaign;
  };

  describe('POST /api/v1/s3/presigned-upload-url', () => {
    it('signs an upload URL on the mock itself, for a key named after the file', async () => {
      const res = await call('POST', '/api/v1/s3/presigned-upload-url', { body: { file_name: 'May contacts (v2).csv', file_size: 2048 } });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        upload_url: expect.stringMatching(/^http:\/\/[^/]+\/api\/v1\/s3\/campaigns\/\d+\/[0-9a-f-]{36}_May_contacts__v2_\.csv\?X-Amz-Algorithm=AWS4-HMAC-SHA256&/),
        file_key: expect.stringMatching(/^campaigns\/\d+\/[0-9a-f-]{36}_May_contacts__v2_\.csv$/),
        expires_in: 900,
      });
      const url = new URL(res.body.upload_url);
      expect(url.pathname).toBe(`/api/v1/s3/${res.body.file_key}`);
      expect(url.searchParams.get('X-Amz-Credential')).toBe(A);
      expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
      expect(url.searchParams.get('X-Amz-Date')).toMatch(/^\d{8}T\d{6}Z$/);
      expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    });

    it('refuses a name that is not .csv, an empty file and one over 10 MB', async () => {
      const res = await call('POST', '/api/v1/s3/presigned-upload-url', { body: { file_size: 0, file_name: 'contacts.xlsx' }, invalid: true });
      expect(res.status).toBe(422);
      expect(res.body.detail).toEqual([
        { type: 'string_pattern_mismatch', loc: ['body', 'file_name'], msg: "String should match pattern '.*\\.csv$'", input: 'contacts.xlsx', ctx: { pattern: '.*\\.csv$' } },
        { type: 'greater_than', loc: ['body', 'file_size'], msg: 'Input should be greater than 0', input: 0, ctx: { gt: 0 } },
      ]);
      const big = await call('POST', '/api/v1/s3/presigned-upload-url', { body: { file_name: 'a.csv', file_size: 10_485_761 }, invalid: true });
      expect(big.body.detail).toEqual([
        { type: 'less_than_equal', loc: ['body', 'file_size'], msg: 'Input should be less than or equal to 10485760', input: 10_485_761, ctx: { le: 10_485_760 } },
      ]);
    });

    itAsisso('needs an API key (401) that may upload (403)', async () => {
      const none = await context().as(null)('POST', '/api/v1/s3/presigned-upload-url', { body: { file_name: 'a.csv', file_size: 1 }, invalid: true });
      expect([none.status, none.body]).toEqual([401, detail('Invalid or expired API key')]);
      const readOnly = await context().as('as_test_readonly')('POST', '/api/v1/s3/presigned-upload-url', { body: { file_name: 'a.csv', file_size: 1 } });
      expect([readOnly.status, readOnly.body]).toEqual([403, detail('Insufficient permissions')]);
    });
  });

  describeAsisso('PUT to a presigned upload URL', () => {
    it('stores the CSV and answers with its MD5 as the ETag', async () => {
      const { upload_url } = await presign();
      const res = await put(target(upload_url), CONTACTS);
      expect([res.status, res.text]).toEqual([200, '']);
      expect(res.headers.get('etag')).toBe(`"${createHash('md5').update(CONTACTS).digest('hex')}"`);
    });

    it('refuses a URL whose signature does not match its path, key, signature or Content-Type (403)', async () => {
      const { upload_url } = await presign();
      const url = new URL(upload_url);
      const mismatch = {
        Code: 'SignatureDoesNotMatch',
        Message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      };
      const wrongType = await put(target(upload_url), CONTACTS, 'text/plain');
      expect([wrongType.status, wrongType.body]).toEqual([403, mismatch]);

      const forged = new URL(url);
      forged.searchParams.set('X-Amz-Signature', '0'.repeat(64));
      expect((await put(target(forged.href), CONTACTS)).body).toEqual(mismatch);

      const otherKey = new URL(url);
      otherKey.searchParams.set('X-Amz-Credential', B);
      expect((await put(target(otherKey.href), CONTACTS)).body).toEqual(mismatch);

      const otherFile = new URL(url);
      otherFile.pathname = otherFile.pathname.replace(/_contacts\.csv$/, '_other.csv');
      expect((await put(target(otherFile.href), CONTACTS)).body).toEqual(mismatch);
    });

    it('refuses an expired URL (403) and one without its signing parameters (400)', async () => {
      const { upload_url } = await presign();
      const expired = new URL(upload_url);
      expired.searchParams.set('X-Amz-Date', '20200101T000000Z');
      const late = await put(target(expired.href), CONTACTS);
      expect([late.status, late.body]).toEqual([403, { Code: 'AccessDenied', Message: 'Request has expired' }]);

      const unsigned = new URL(upload_url);
      unsigned.searchParams.delete('X-Amz-Signature');
      const res = await put(target(unsigned.href), CONTACTS);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        Code: 'AuthorizationQueryParametersError',
        Message: 'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
      });
    });

    it('refuses a body larger than the file_size it was signed for (400)', async () => {
      const { upload_url } = await presign(A, { file_name: 'small.csv', file_size: 10 });
      const res = await put(target(upload_url), CONTACTS);
      expect([res.status, res.body]).toEqual([400, { Code: 'EntityTooLarge', Message: 'Your proposed upload exceeds the maximum allowed size' }]);
    });

    it('answers a URL without its credential with the API 401', async () => {
      const { upload_url } = await presign();
      const anonymous = new URL(upload_url);
      anonymous.searchParams.delete('X-Amz-Credential');
      const res = await put(target(anonymous.href), CONTACTS, 'text/csv', { invalid: true });
      expect([res.status, res.body]).toEqual([401, detail('Invalid or expired API key')]);
    });
  });

  describe('POST /api/v1/campaign/create', () => {
    it('creates a draft campaign with every documented field and Dograh defaults', async () => {
      const source = await upload();
      const res = await call('POST', '/api/v1/campaign/create', { body: { name: 'Spring renewals', workflow_id: 42, source_type: 'csv', source_id: source } });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        id: 1,
        name: 'Spring renewals',
        workflow_id: 42,
        workflow_name: 'Workflow 42',
        state: 'draft',
        source_type: 'csv',
        source_id: source,
        total_rows: null,
        processed_rows: 0,
        failed_rows: 0,
        created_at: expect.stringMatching(TIME),
        started_at: null,
        completed_at: null,
        retry_config: { enabled: true, max_retries: 1, retry_delay_seconds: 120, retry_on_busy: true, retry_on_no_answer: true, retry_on_voicemail: false },
        max_concurrency: null,
        schedule_config: null,
        circuit_breaker: { enabled: false, failure_threshold: 0.5, window_seconds: 120, min_calls_in_window: 5 },
        executed_count: 0,
        total_queued_count: 0,
        parent_campaign_id: null,
        redialed_campaign_id: null,
        telephony_configuration_id: null,
        telephony_configuration_name: null,
        logs: [],
      });
    });

    it('numbers campaigns per API key, from 1', async () => {
      expect((await createCampaign()).id).toBe(1);
      expect((await createCampaign()).id).toBe(2);
      expect((await createCampaign({}, B)).id).toBe(1);
    });

    it('keeps the settings sent, filling each model with its defaults', async () => {
      const created = await createCampaign({
        max_concurrency: 50,
        telephony_configuration_id: 3,
        retry_config: { max_retries: 4 },
        schedule_config: { timezone: 'Asia/Kolkata', slots: [{ day_of_week: 0, start_time: '09:00', end_time: '17:30' }] },
        circuit_breaker: { failure_threshold: 0.25 },
      });
      expect(created).toMatchObject({
        max_concurrency: 50,
        telephony_configuration_id: 3,
        telephony_configuration_name: 'Telephony configuration 3',
        retry_config: { enabled: true, max_retries: 4, retry_delay_seconds: 120, retry_on_busy: true, retry_on_no_answer: true, retry_on_voicemail: true },
        schedule_config: { enabled: true, timezone: 'Asia/Kolkata', slots: [{ day_of_week: 0, start_time: '09:00', end_time: '17:30' }] },
        circuit_breaker: { enabled: true, failure_threshold: 0.25, window_seconds: 120, min_calls_in_window: 5 },
      });
    });

    it('reports three invalid fields together, each at its loc, in the order pydantic checks them', async () => {
      const body = { ...(await campaignBody()), max_concurrency: 0, retry_config: { retry_delay_seconds: 10 }, name: '' };
      const res = await call('POST', '/api/v1/campaign/create', { body, invalid: true });
      expect(res.status).toBe(422);
      expect(res.body).toEqual({
        detail: [
          { type: 'string_too_short', loc: ['body', 'name'], msg: 'String should have at least 1 character', input: '', ctx: { min_length: 1 } },
          {
            type: 'greater_than_equal',
            loc: ['body', 'retry_config', 'retry_delay_seconds'],
            msg: 'Input should be greater than or equal to 30',
            input: 10,
            ctx: { ge: 30 },
          },
          { type: 'greater_than_equal', loc: ['body', 'max_concurrency'], msg: 'Input should be greater than or equal to 1', input: 0, ctx: { ge: 1 } },
        ],
      });
    });

    it('reports missing fields with the body they are missing from', async () => {
      const body = { name: 'x', source_type: 'xlsx' };
      const res = await call('POST', '/api/v1/campaign/create', { body, invalid: true });
      expect(res.body.detail).toEqual([
        { type: 'missing', loc: ['body', 'workflow_id'], msg: 'Field required', input: body },
        { type: 'string_pattern_mismatch', loc: ['body', 'source_type'], msg: "String should match pattern '^csv$'", input: 'xlsx', ctx: { pattern: '^csv$' } },
        { type: 'missing', loc: ['body', 'source_id'], msg: 'Field required', input: body },
      ]);
    });

    it('checks every documented range of the nested settings', async () => {
      const body = {
        ...(await campaignBody()),
        name: 'x'.repeat(256),
        retry_config: { max_retries: 11, retry_delay_seconds: 3601 },
        max_concurrency: 101,
        schedule_config: { slots: [{ day_of_week: 0, start_time: '9am', end_time: '17:00' }, { day_of_week: 7, start_time: '09:00' }] },
        circuit_breaker: { failure_threshold: 1.5, window_seconds: 601, min_calls_in_window: 0 },
      };
      const res = await call('POST', '/api/v1/campaign/create', { body, invalid: true });
      expect(res.status).toBe(422);
      expect(res.body.detail.map((error: { loc: unknown[]; type: string }) => [error.loc.slice(1).join('.'), error.type])).toEqual([
        ['name', 'string_too_long'],
        ['retry_config.max_retries', 'less_than_equal'],
        ['retry_config.retry_delay_seconds', 'less_than_equal'],
        ['max_concurrency', 'less_than_equal'],
        ['schedule_config.slots.0.start_time', 'string_pattern_mismatch'],
        ['schedule_config.slots.1.day_of_week', 'less_than_equal'],
        ['schedule_config.slots.1.end_time', 'missing'],
        ['circuit_breaker.failure_threshold', 'less_than_equal'],
        ['circuit_breaker.window_seconds', 'less_than_equal'],
        ['circuit_breaker.min_calls_in_window', 'greater_than_equal'],
      ]);
      expect(res.body.detail[7]).toEqual({
        type: 'less_than_equal',
        loc: ['body', 'circuit_breaker', 'failure_threshold'],
        msg: 'Input should be less than or equal to 1.0',
        input: 1.5,
        ctx: { le: 1 },
      });
    });

    it('needs between 1 and 50 slots, and objects where models are expected', async () => {
      const base = await campaignBody();
      const none = await call('POST', '/api/v1/campaign/create', { body: { ...base, schedule_config: { slots: [] } }, invalid: true });
      expect(none.body.detail).toEqual([
        {
          type: 'too_short',
          loc: ['body', 'schedule_config', 'slots'],
          msg: 'List should have at least 1 item after validation, not 0',
          input: [],
          ctx: { field_type: 'List', min_length: 1, actual_length: 0 },
        },
      ]);
      const slots = Array.from({ length: 51 }, () => ({ day_of_week: 1, start_time: '09:00', end_time: '10:00' }));
      const many = await call('POST', '/api/v1/campaign/create', { body: { ...base, schedule_config: { slots } }, invalid: true });
      expect(many.body.detail[0]).toMatchObject({ type: 'too_long', msg: 'List should have at most 50 items after validation, not 51' });
      const text = await call('POST', '/api/v1/campaign/create', { body: { ...base, retry_config: 'often', workflow_id: 'seven' }, invalid: true });
      expect(text.body.detail).toEqual([
        { type: 'int_parsing', loc: ['body', 'workflow_id'], msg: 'Input should be a valid integer, unable to parse string as an integer', input: 'seven' },
        { type: 'model_attributes_type', loc: ['body', 'retry_config'], msg: 'Input should be a valid dictionary or object to extract fields from', input: 'often' },
      ]);
    });

    it('checks the time zone and each slot as pydantic validators do (value_error)', async () => {
      const slots = [
        { day_of_week: 0, start_time: '09:00', end_time: '17:00' },
        { day_of_week: 1, start_time: '18:00', end_time: '09:00' },
        { day_of_week: 2, start_time: '10:00', end_time: '10:00' },
      ];
      const res = await call('POST', '/api/v1/campaign/create', { body: await campaignBody({ schedule_config: { timezone: 'Mars/Olympus_Mons', slots } }) });
      expect(res.status).toBe(422);
      expect(res.body.detail).toEqual([
        { type: 'value_error', loc: ['body', 'schedule_config', 'timezone'], msg: 'Value error, Invalid timezone: Mars/Olympus_Mons', input: 'Mars/Olympus_Mons', ctx: { error: {} } },
        { type: 'value_error', loc: ['body', 'schedule_config', 'slots', 1], msg: 'Value error, start_time must be before end_time', input: slots[1], ctx: { error: {} } },
        { type: 'value_error', loc: ['body', 'schedule_config', 'slots', 2], msg: 'Value error, start_time must be before end_time', input: slots[2], ctx: { error: {} } },
      ]);
      const lowercase = await call('POST', '/api/v1/campaign/create', { body: await campaignBody({ schedule_config: { timezone: 'utc', slots: [slots[0]] } }) });
      expect(lowercase.body.detail[0].msg).toBe('Value error, Invalid timezone: utc');
      // ICU's legacy three-letter ids are not IANA names: zoneinfo, and so Dograh, refuses them.
      for (const legacy of ['IST', 'PST', 'SystemV/AST4']) {
        const refused = await call('POST', '/api/v1/campaign/create', { body: await campaignBody({ schedule_config: { timezone: legacy, slots: [slots[0]] } }) });
        expect([refused.status, refused.body.detail[0].msg]).toEqual([422, `Value error, Invalid timezone: ${legacy}`]);
      }
      const alias = await createCampaign({ schedule_config: { timezone: 'US/Eastern', slots: [slots[0]] } });
      expect(alias.schedule_config).toMatchObject({ timezone: 'US/Eastern' });
    });

    it('answers a missing body as FastAPI does', async () => {
      const res = await call('POST', '/api/v1/campaign/create', { invalid: true });
      expect([res.status, res.body]).toEqual([422, { detail: [{ type: 'missing', loc: ['body'], msg: 'Field required', input: null }] }]);
    });

    // Prism parses a JSON body itself and answers malformed JSON on its own.
    inProcessOnly('answers malformed JSON with json_invalid at the character it stopped at', async () => {
      const res = await call('POST', '/api/v1/campaign/create', { body: '{"name": "x",}', headers: { 'content-type': 'application/json' }, invalid: true });
      expect(res.body).toEqual({
        detail: [{ type: 'json_invalid', loc: ['body', 13], msg: 'JSON decode error', input: {}, ctx: { error: 'Expecting property name enclosed in double quotes' } }],
      });
    });

    itAsisso('needs a source_id that names an uploaded file (400)', async () => {
      const unknown = await call('POST', '/api/v1/campaign/create', { body: await campaignBody({ source_id: 'campaigns/1/nothing.csv' }) });
      expect([unknown.status, unknown.body]).toEqual([400, detail('Failed to access CSV file: campaigns/1/nothing.csv')]);
      const { file_key } = await presign();
      const notUploaded = await call('POST', '/api/v1/campaign/create', { body: await campaignBody({ source_id: file_key }) });
      expect([notUploaded.status, notUploaded.body]).toEqual([400, detail(`Failed to access CSV file: ${file_key}`)]);
      const theirs = await upload(CONTACTS, B);
      const notMine = await call('POST', '/api/v1/campaign/create', { body: await campaignBody({ source_id: theirs }) });
      expect([notMine.status, notMine.body]).toEqual([400, detail(`Failed to access CSV file: ${theirs}`)]);
    });

    itAsisso('refuses a CSV without a phone_number column, with bad or repeated numbers, or without rows (400)', async () => {
      const attempt = async (csv: string) => (await call('POST', '/api/v1/campaign/create', { body: await campaignBody({ source_id: await upload(csv) }) })).body;
      expect(await attempt('phone,name\n+14155550100,Ana\n')).toEqual(detail("Source must contain a 'phone_number' column"));
      expect(await attempt('phone_number\n')).toEqual(detail('CSV file must have a header row and at least one data row'));
      const bad = ['Phone_Number', '+14155550100', '4155550101', '+14155550102', 'call me', ...Array.from({ length: 5 }, (_, i) => `0${i}`)].join('\n');
      expect(await attempt(bad)).toEqual(detail("Invalid phone numbers in rows: 3, 5, 6, 7, 8 and 2 more. All phone numbers must include country code (start with '+')"));
      expect(await attempt('phone_number\n+14155550100\n+1 (415) 555-0100\n+14155550101\n')).toEqual(
        detail('Duplicate phone numbers found in rows: 3. Phone numbers in a campaign must be unique.'),
      );
      expect(await attempt('phone_number\n"+14155550100\n')).toEqual(detail('Invalid CSV format: a quoted field opened on line 2 is never closed'));
    });

    it('accepts any positive workflow unless the sandbox lists its workflows', async () => {
      const zero = await call('POST', '/api/v1/campaign/create', { body: await campaignBody({ workflow_id: 0 }) });
      expect([zero.status, zero.body]).toEqual([404, detail('Workflow not found')]);
      context().seed.workflow(A, 7, 'Renewal reminder');
      const listed = await createCampaign({ workflow_id: 7 });
      expect(listed).toMatchObject({ workflow_id: 7, workflow_name: 'Renewal reminder' });
      const unlisted = await call('POST', '/api/v1/campaign/create', { body: await campaignBody({ workflow_id: 42 }) });
      expect([unlisted.status, unlisted.body]).toEqual([404, detail('Workflow not found')]);
      expect((await createCampaign({ workflow_id: 42 }, B)).workflow_name).toBe('Workflow 42');
    });

    itAsisso("refuses max_concurrency over the organization's limit and an unknown telephony configuration (400)", async () => {
      const limited = context().as('as_test_org10');
      const over = await limited('POST', '/api/v1/campaign/create', { body: await campaignBody({ max_concurrency: 11 }, 'as_test_org10') });
      expect([over.status, over.body]).toEqual([400, detail('max_concurrency (11) cannot exceed organization limit (10)')]);
      const within = await limited('POST', '/api/v1/campaign/create', { body: await campaignBody({ max_concurrency: 10 }, 'as_test_org10') });
      expect([within.status, within.body.max_concurrency]).toEqual([200, 10]);
      const telephony = await call('POST', '/api/v1/campaign/create', { body: await campaignBody({ telephony_configuration_id: -1 }) });
      expect([telephony.status, telephony.body]).toEqual([400, detail('telephony_configuration_not_found')]);
    });

    itAsisso('accepts the key as X-API-Key or authorization, with or without Bearer, and 401 otherwise', async () => {
      const body = await campaignBody();
      const anonymous = context().as(null);
      const bearer = await anonymous('POST', '/api/v1/campaign/create', { body, headers: { authorization: `Bearer ${A}` } });
      expect([bearer.status, bearer.body.id]).toEqual([200, 1]);
      const bare = await anonymous('POST', '/api/v1/campaign/create', { body, headers: { authorization: A } });
      expect([bare.status, bare.body.id]).toEqual([200, 2]);
      const none = await anonymous('POST', '/api/v1/campaign/create', { body, invalid: true });
      expect([none.status, none.body]).toEqual([401, detail('Invalid or expired API key')]);
      const unknown = await context().as('as_test_stranger')('POST', '/api/v1/campaign/create', { body });
      expect([unknown.status, unknown.body]).toEqual([401, detail('Invalid or expired API key')]);
      const readOnly = await context().as('as_test_readonly')('POST', '/api/v1/campaign/create', { body });
      expect([readOnly.status, readOnly.body]).toEqual([403, detail('Insufficient permissions')]);
    });

    // Prism reads at most 10 MB of a body itself.
    inProcessOnly('answers a body over 10 MB with a 413', async () => {
      const res = await call('POST', '/api/v1/campaign/create', { body: { name: 'x'.repeat(10 * 1024 * 1024) } });
      expect([res.status, res.body]).toEqual([413, detail('Request Entity Too Large')]);
    });
  });

  describe('GET /api/v1/campaign/', () => {
    it("lists the key's campaigns, newest first, without paging", async () => {
      const first = await createCampaign({ name: 'First' });
      const second = await createCampaign({ name: 'Second' });
      await createCampaign({ name: 'Not mine' }, B);
      const res = await call('GET', '/api/v1/campaign/');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ campaigns: [second, first] });
      expect((await context().as('as_test_readonly')('GET', '/api/v1/campaign/')).body).toEqual({ campaigns: [] });
    });

    // A path the spec does not have: Prism answers it itself.
    inProcessOnly('redirects the path without its trailing slash, as FastAPI does (307)', async () => {
      const res = await call('GET', '/api/v1/campaign');
      expect([res.status, res.headers.get('location'), res.text]).toEqual([307, '/api/v1/campaign/', '']);
      const back = await call('GET', '/api/v1/campaign/3/');
      expect([back.status, back.headers.get('location')]).toEqual([307, '/api/v1/campaign/3']);
      const method = await call('DELETE', '/api/v1/campaign/3');
      expect([method.status, method.body, method.headers.get('allow')]).toEqual([405, detail('Method Not Allowed'), 'GET, PATCH']);
      const nothing = await call('GET', '/api/v1/campaigns');
      expect([nothing.status, nothing.body]).toEqual([404, detail('Not Found')]);
    });

    itAsisso('answers a key that may not read campaigns with a 403', async () => {
      const res = await context().as('as_test_blind')('GET', '/api/v1/campaign/');
      expect([res.status, res.body]).toEqual([403, detail('Insufficient permissions')]);
    });
  });

  describe('GET /api/v1/campaign/{campaign_id}', () => {
    it('returns the campaign', async () => {
      const created = await createCampaign();
      const res = await call('GET', `/api/v1/campaign/${created.id}`);
      expect([res.status, res.body]).toEqual([200, created]);
    });

    it("answers an unknown id, and another key's campaign, with a 404", async () => {
      const missing = await call('GET', '/api/v1/campaign/99');
      expect([missing.status, missing.body]).toEqual([404, detail('Campaign not found')]);
      const theirs = await createCampaign({}, B);
      const other = await context().as('as_test_readonly')('GET', `/api/v1/campaign/${theirs.id}`);
      expect([other.status, other.body]).toEqual([404, detail('Campaign not found')]);
    });

    it('answers an id that is not an integer with a 422', async () => {
      const res = await call('GET', '/api/v1/campaign/first', { invalid: true });
      expect([res.status, res.body]).toEqual([
        422,
        { detail: [{ type: 'int_parsing', loc: ['path', 'campaign_id'], msg: 'Input should be a valid integer, unable to parse string as an integer', input: 'first' }] },
      ]);
    });
  });

  describe('PATCH /api/v1/campaign/{campaign_id}', () => {
    it('updates a draft: the fields sent, each setting replaced whole with its defaults, null ignored', async () => {
      const created = await createCampaign({ max_concurrency: 5, retry_config: { max_retries: 4, retry_on_busy: false } });
      const res = await call('PATCH', `/api/v1/campaign/${created.id}`, {
        body: { name: 'Renamed', max_concurrency: null, retry_config: { retry_delay_seconds: 300 }, circuit_breaker: { window_seconds: 60 } },
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        ...created,
        name: 'Renamed',
        retry_config: { enabled: true, max_retries: 2, retry_delay_seconds: 300, retry_on_busy: true, retry_on_no_answer: true, retry_on_voicemail: true },
        circuit_breaker: { enabled: true, failure_threshold: 0.5, window_seconds: 60, min_calls_in_window: 5 },
      });
      expect((await call('GET', `/api/v1/campaign/${created.id}`)).body).toEqual(res.body);
      const empty = await call('PATCH', `/api/v1/campaign/${created.id}`, { body: {} });
      expect([empty.status, empty.body]).toEqual([200, res.body]);
    });

    it('updates a paused campaign', async () => {
      const { id } = await createCampaign();
      await action(id, 'start');
      await action(id, 'pause');
      const res = await call('PATCH', `/api/v1/campaign/${id}`, { body: { schedule_config: { slots: [{ day_of_week: 4, start_time: '10:00', end_time: '12:00' }] } } });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ state: 'paused', schedule_config: { enabled: true, timezone: 'UTC', slots: [{ day_of_week: 4, start_time: '10:00', end_time: '12:00' }] } });
    });

    itAsisso('refuses a running or completed campaign (400, as the "Update Campaign" page says) and changes nothing', async () => {
      const { id } = await createCampaign();
      await action(id, 'start');
      const running = await call('PATCH', `/api/v1/campaign/${id}`, { body: { name: 'Not applied' } });
      expect([running.status, running.body]).toEqual([400, detail('Cannot update a running campaign')]);
      expect((await call('GET', `/api/v1/campaign/${id}`)).body.name).toBe('Spring renewals');
      context().seed.campaignState(A, id, 'completed');
      const completed = await call('PATCH', `/api/v1/campaign/${id}`, { body: { max_concurrency: 3 } });
      expect([completed.status, completed.body]).toEqual([400, detail('Cannot update a completed campaign')]);
      context().seed.campaignState(A, id, 'failed');
      expect((await call('PATCH', `/api/v1/campaign/${id}`, { body: {} })).body).toEqual(detail('Cannot update a failed campaign'));
    });

    itAsisso("refuses max_concurrency over the organization's limit (400)", async () => {
      const limited = context().as('as_test_org10');
      const created = await limited('POST', '/api/v1/campaign/create', { body: await campaignBody({}, 'as_test_org10') });
      const res = await limited('PATCH', `/api/v1/campaign/${created.body.id}`, { body: { max_concurrency: 50 } });
      expect([res.status, res.body]).toEqual([400, detail('max_concurrency (50) cannot exceed organization limit (10)')]);
    });

    it('validates before it looks the campaign up (422, then 404)', async () => {
      const invalid = await call('PATCH', '/api/v1/campaign/99', { body: { name: '', max_concurrency: 101 }, invalid: true });
      expect(invalid.status).toBe(422);
      expect(invalid.body.detail.map((error: { loc: unknown[] }) => error.loc)).toEqual([
        ['body', 'name'],
        ['body', 'max_concurrency'],
      ]);
      const zone = await call('PATCH', '/api/v1/campaign/99', { body: { schedule_config: { timezone: 'Nowhere', slots: [{ day_of_week: 1, start_time: '09:00', end_time: '10:00' }] } } });
      expect(zone.status).toBe(422);
      const missing = await call('PATCH', '/api/v1/campaign/99', { body: { name: 'x' } });
      expect([missing.status, missing.body]).toEqual([404, detail('Campaign not found')]);
    });
  });

  describe('POST /api/v1/campaign/{campaign_id}/start, /pause, /resume', () => {
    it('starts a draft: its CSV rows with a number are queued and counted', async () => {
      const created = await createCampaign();
      const started = await action(created.id, 'start');
      expect(started).toEqual({
        ...created,
        state: 'running',
        total_rows: 2,
        total_queued_count: 2,
        executed_count: 0,
        started_at: expect.stringMatching(TIME),
      });
    });

    it('pauses a running campaign and resumes a paused one', async () => {
      const { id } = await createCampaign();
      await action(id, 'start');
      expect((await action(id, 'pause')).state).toBe('paused');
      const resumed = await action(id, 'resume');
      expect(resumed).toMatchObject({ state: 'running', total_rows: 2 });
      expect((await call('GET', `/api/v1/campaign/${id}`)).body.state).toBe('running');
    });

    itAsisso('refuses a transition the state does not allow (400), in Dograh words', async () => {
      const { id } = await createCampaign();
      expect(await action(id, 'pause', 400)).toEqual(detail("Campaign must be in 'running' or 'syncing' state to pause, current state: draft"));
      expect(await action(id, 'resume', 400)).toEqual(detail("Campaign must be in 'paused' state to resume, current state: draft"));
      await action(id, 'start');
      expect(await action(id, 'start', 400)).toEqual(detail("Campaign must be in 'draft' state to start, current state: running"));
      expect(await action(id, 'resume', 400)).toEqual(detail("Campaign must be in 'paused' state to resume, current state: running"));
      await action(id, 'pause');
      expect(await action(id, 'pause', 400)).toEqual(detail("Campaign must be in 'running' or 'syncing' state to pause, current state: paused"));
      expect(await action(id, 'start', 400)).toEqual(detail("Campaign must be in 'draft' state to start, current state: paused"));
      context().seed.campaignState(A, id, 'completed');
      expect(await action(id, 'resume', 400)).toEqual(detail("Campaign must be in 'paused' state to resume, current state: completed"));
    });

    it('answers an unknown campaign with a 404', async () => {
      for (const verb of ['start', 'pause', 'resume'] as const) expect(await action(99, verb, 404)).toEqual(detail('Campaign not found'));
    });

    itAsisso('refuses a key that may not write (403)', async () => {
      const { id } = await createCampaign();
      const res = await context().as('as_test_readonly')('POST', `/api/v1/campaign/${id}/start`);
      expect([res.status, res.body]).toEqual([403, detail('Insufficient permissions')]);
    });
  });

  describe('GET /api/v1/campaign/{campaign_id}/progress', () => {
    it('reports a draft as not synced, and a started campaign with its failed calls', async () => {
      const { id } = await createCampaign({ schedule_config: closedForDays() });
      const draft = await call('GET', `/api/v1/campaign/${id}/progress`);
      expect([draft.status, draft.body]).toEqual([
        200,
        {
          campaign_id: id,
          state: 'draft',
          total_rows: 0,
          processed_rows: 0,
          failed_calls: 0,
          progress_percentage: 0,
          source_sync: { status: 'pending', last_synced_at: null, error: null },
          rate_limit: 1,
          started_at: null,
          completed_at: null,
        },
      ]);
      const started = await action(id, 'start');
      context().seed.run(A, id, '+14155550100', { call_status: 'busy', call_tags: ['telephony_busy'] });
      context().seed.run(A, id, '+14155550101', { call_status: 'completed' });
      const running = await call('GET', `/api/v1/campaign/${id}/progress`);
      expect(running.body).toEqual({
        ...draft.body,
        state: 'running',
        total_rows: 2,
        failed_calls: 1,
        source_sync: { status: 'completed', last_synced_at: started.started_at, error: null },
        started_at: started.started_at,
      });
    });

    it('answers an unknown campaign with a 404', async () => {
      const res = await call('GET', '/api/v1/campaign/99/progress');
      expect([res.status, res.body]).toEqual([404, detail('Campaign not found')]);
    });
  });

  describe('GET /api/v1/campaign/{campaign_id}/runs', () => {
    const seedRuns = async () => {
      const { id } = await createCampaign({ schedule_config: closedForDays() });
      await action(id, 'start');
      const seed = context().seed;
      seed.run(A, id, '+14155550100', { created_at: '2026-03-01T09:00:00.000Z', duration_seconds: 30, disposition: 'interested', call_tags: ['user_qualified'] });
      seed.run(A, id, '+14155550101', { created_at: '2026-03-02T09:00:00.000Z', duration_seconds: 5, call_status: 'no-answer', call_tags: ['telephony_no-answer'] });
      seed.run(A, id, '+14155550101', { created_at: '2026-03-03T09:00:00.000Z', duration_seconds: null, is_completed: false });
      return id;
    };
    const runsOf = async (id: number, query: string) => {
      const res = await call('GET', `/api/v1/campaign/${id}/runs${query}`);
      expect(res.status, res.text).toBe(200);
      return res.body as { runs: Array<{ id: number; created_at: string }>; total_count: number; page: number; limit: number; total_pages: number };
    };

    it('pages through the runs, newest first, each in the shape of a Dograh workflow run', async () => {
      const id = await seedRuns();
      const first = await runsOf(id, '?page=1&limit=2');
      expect({ ...first, runs: first.runs.map((run) => run.id) }).toEqual({ runs: [3, 2], total_count: 3, page: 1, limit: 2, total_pages: 2 });
      const last = await runsOf(id, '?page=2&limit=2');
      expect(last.runs).toEqual([
        {
          id: 1,
          workflow_id: 42,
          name: 'WR-1',
          mode: 'twilio',
          created_at: '2026-03-01T09:00:00Z',
          is_completed: true,
          transcript_url: null,
          recording_url: null,
          cost_info: { call_duration_seconds: 30 },
          usage_info: { call_duration_seconds: 30 },
          definition_id: null,
          initial_context: { phone_number: '+14155550100', customer_name: 'Jane Smith' },
          gathered_context: { call_tags: ['user_qualified'], mapped_call_disposition: 'interested' },
          call_type: 'outbound',
        },
      ]);
      expect(await runsOf(id, '')).toMatchObject({ page: 1, limit: 50, total_pages: 1 });
    });

    it('sorts by duration or creation time, either way', async () => {
      const id = await seedRuns();
      expect((await runsOf(id, '?sort_by=duration&sort_order=asc')).runs.map((run) => run.id)).toEqual([2, 1, 3]);
      expect((await runsOf(id, '?sort_by=duration')).runs.map((run) => run.id)).toEqual([1, 2, 3]);
      expect((await runsOf(id, '?sort_order=asc')).runs.map((run) => run.id)).toEqual([1, 2, 3]);
    });

    it("applies Dograh's filters", async () => {
      const id = await seedRuns();
      const ids = async (filters: unknown[]) => (await runsOf(id, `?filters=${encodeURIComponent(JSON.stringify(filters))}`)).runs.map((run) => run.id);
      expect(await ids([{ attribute: 'status', type: 'radio', value: { status: 'completed' } }])).toEqual([2, 1]);
      expect(await ids([{ attribute: 'status', type: 'radio', value: { status: 'in_progress' } }])).toEqual([3]);
      expect(await ids([{ attribute: 'dateRange', type: 'dateRange', value: { from: '2026-03-01T12:00:00', to: '2026-03-03' } }])).toEqual([2]);
      expect(await ids([{ attribute: 'duration', type: 'numberRange', value: { min: 10 } }])).toEqual([1]);
      expect(await ids([{ attribute: 'dispositionCode', type: 'multiSelect', value: { codes: ['interested', 'callback'] } }])).toEqual([1]);
      expect(await ids([{ attribute: 'tokenUsage', type: 'numberRange', value: { max: 1 } }])).toEqual([]);
      expect(await ids([{ attribute: 'sentiment', type: 'multiSelect', value: { codes: [] } }, { attribute: 'duration', type: 'text' }])).toEqual([3, 2, 1]);
      expect((await runsOf(id, '?filters=')).total_count).toBe(3);
    });

    itAsisso('refuses filters that are not JSON (400) or name an attribute that may not be filtered (403), before it looks the campaign up', async () => {
      const id = await seedRuns();
      const garbled = await call('GET', `/api/v1/campaign/${id}/runs?filters=${encodeURIComponent('[{"attribute":')}`);
      expect([garbled.status, garbled.body]).toEqual([400, detail('Invalid filter format')]);
      const notList = await call('GET', `/api/v1/campaign/${id}/runs?filters=${encodeURIComponent('{"attribute":"status"}')}`);
      expect([notList.status, notList.body]).toEqual([400, detail('Invalid filter format')]);
      const badDate = await call('GET', `/api/v1/campaign/${id}/runs?filters=${encodeURIComponent('[{"attribute":"dateRange","type":"dateRange","value":{"from":"yesterday"}}]')}`);
      expect([badDate.status, badDate.body]).toEqual([400, detail('Invalid filter format')]);
      const forbidden = await call('GET', `/api/v1/campaign/99/runs?filters=${encodeURIComponent('[{"attribute":"callerNumber","type":"text","value":{"value":"+1"}}]')}`);
      expect([forbidden.status, forbidden.body]).toEqual([403, detail("Invalid attribute 'callerNumber'")]);
    });

    it('answers an unknown campaign with a 404 and a page size over 100 with a 422', async () => {
      const missing = await call('GET', '/api/v1/campaign/99/runs');
      expect([missing.status, missing.body]).toEqual([404, detail('Campaign not found')]);
      const big = await call('GET', '/api/v1/campaign/99/runs?limit=101&page=0', { invalid: true });
      expect(big.body.detail).toEqual([
        { type: 'greater_than_equal', loc: ['query', 'page'], msg: 'Input should be greater than or equal to 1', input: 0, ctx: { ge: 1 } },
        { type: 'less_than_equal', loc: ['query', 'limit'], msg: 'Input should be less than or equal to 100', input: 101, ctx: { le: 100 } },
      ]);
    });
  });

  describe('POST /api/v1/campaign/{campaign_id}/redial', () => {
    it('creates a draft child with the unreached contacts of a completed campaign, and links the two', async () => {
      const parent = await completedCampaign({ max_concurrency: 7, circuit_breaker: { failure_threshold: 0.3 } });
      context().seed.run(A, parent.id, '+14155550100', { call_status: 'no-answer', call_tags: ['telephony_no-answer'] });
      context().seed.run(A, parent.id, '+14155550101', { call_status: 'completed', call_tags: ['voicemail_detected'] });
      const res = await call('POST', `/api/v1/campaign/${parent.id}/redial`, { body: {} });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        ...parent,
        id: 2,
        name: 'Spring renewals (Redial)',
        state: 'draft',
        total_rows: 2,
        total_queued_count: 2,
        created_at: expect.stringMatching(TIME),
        parent_campaign_id: parent.id,
      });
      const reread = await call('GET', `/api/v1/campaign/${parent.id}`);
      expect(reread.body).toMatchObject({ state: 'completed', redialed_campaign_id: 2 });

      const started = await action(2, 'start');
      expect(started).toMatchObject({ state: 'running', total_rows: 2, total_queued_count: 2, started_at: expect.stringMatching(TIME) });
    });

    it('redials only the contacts whose latest call ended for a selected reason, under the name and retries sent', async () => {
      const parent = await completedCampaign();
      const seed = context().seed;
      seed.run(A, parent.id, '+14155550100', { call_status: 'busy', call_tags: ['telephony_busy'], created_at: '2026-03-01T09:00:00.000Z' });
      seed.run(A, parent.id, '+14155550100', { call_status: 'completed', call_tags: [], created_at: '2026-03-01T10:00:00.000Z' });
      seed.run(A, parent.id, '+14155550101', { call_status: 'busy', call_tags: ['telephony_busy'] });
      const res = await call('POST', `/api/v1/campaign/${parent.id}/redial`, { body: { name: 'Busy ones', retry_config: { max_retries: 0 }, retry_on_voicemail: false } });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        name: 'Busy ones',
        total_rows: 1,
        retry_config: { enabled: true, max_retries: 0, retry_delay_seconds: 120, retry_on_busy: true, retry_on_no_answer: true, retry_on_voicemail: true },
      });
    });

    itAsisso('refuses a campaign that is not completed, or was redialed already, or has nobody to redial (400)', async () => {
      const { id } = await createCampaign({ schedule_config: closedForDays() });
      const draft = await call('POST', `/api/v1/campaign/${id}/redial`, { body: {} });
      expect([draft.status, draft.body]).toEqual([400, detail('Only completed campaigns can be redialed (current state: draft)')]);
      await action(id, 'start');
      context().seed.campaignState(A, id, 'completed');
      const nobody = await call('POST', `/api/v1/campaign/${id}/redial`, { body: {} });
      expect([nobody.status, nobody.body]).toEqual([400, detail('No subscribers match the selected redial criteria')]);
      context().seed.run(A, id, '+14155550100', { call_status: 'busy', call_tags: ['telephony_busy'] });
      const busyOff = await call('POST', `/api/v1/campaign/${id}/redial`, { body: { retry_on_busy: false } });
      expect([busyOff.status, busyOff.body]).toEqual([400, detail('No subscribers match the selected redial criteria')]);
      expect((await call('POST', `/api/v1/campaign/${id}/redial`, { body: {} })).status).toBe(200);
      const again = await call('POST', `/api/v1/campaign/${id}/redial`, { body: {} });
      expect([again.status, again.body]).toEqual([400, detail('This campaign has already been redialed')]);
    });

    it('needs at least one reason to redial (value_error), and a body', async () => {
      const body = { retry_on_voicemail: false, retry_on_no_answer: false, retry_on_busy: false };
      const res = await call('POST', '/api/v1/campaign/99/redial', { body });
      expect([res.status, res.body]).toEqual([
        422,
        {
          detail: [
            {
              type: 'value_error',
              loc: ['body'],
              msg: 'Value error, At least one of retry_on_voicemail, retry_on_no_answer, retry_on_busy must be true',
              input: body,
              ctx: { error: {} },
            },
          ],
        },
      ]);
      const none = await call('POST', '/api/v1/campaign/99/redial', { invalid: true });
      expect(none.body).toEqual({ detail: [{ type: 'missing', loc: ['body'], msg: 'Field required', input: null }] });
      const missing = await call('POST', '/api/v1/campaign/99/redial', { body: {} });
      expect([missing.status, missing.body]).toEqual([404, detail('Campaign not found')]);
    });
  });

  describe('sandboxes', () => {
    it('keep each key to its own campaigns, uploads and ids, and a reset starts a key over', async () => {
      const mine = await createCampaign();
      await createCampaign({}, B);
      expect((await context().as(B)('GET', '/api/v1/campaign/')).body.campaigns.map((c: Campaign) => c.name)).toEqual(['Spring renewals']);
      await context().reset();
      expect((await call('GET', `/api/v1/campaign/${mine.id}`)).status).toBe(404);
      expect((await createCampaign()).id).toBe(1);
    });
  });
}
