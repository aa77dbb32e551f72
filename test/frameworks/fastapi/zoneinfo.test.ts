import { afterAll, describe, expect, it } from 'vitest';
import { isZoneInfoKey } from '../../../src/frameworks/fastapi/index.js';
import { apiKeyHeaderAuth } from '../../helpers/caller.js';
import { testMock } from '../../helpers/mock.js';

/** Keys Python's `ZoneInfo(key)` loads from tzdata files: zones, backward links, the POSIX-style rules. */
const LOADED = ['UTC', 'Asia/Kolkata', 'Asia/Calcutta', 'America/Los_Angeles', 'US/Eastern', 'EST', 'GMT', 'PST8PDT', 'EST5EDT', 'Etc/GMT+5'];
/** Keys it refuses (ZoneInfoNotFoundError): ICU's legacy ids, zones tzdata removed, another letter case. */
const REFUSED = ['IST', 'PST', 'SystemV/AST4', 'US/Pacific-New', 'Asia/KOLKATA', 'asia/kolkata', 'utc', ''];

describe('isZoneInfoKey', () => {
  it("accepts exactly the keys Python's zoneinfo loads", () => {
    for (const key of LOADED) expect(isZoneInfoKey(key), key).toBe(true);
    for (const key of REFUSED) expect(isZoneInfoKey(key), key).toBe(false);
  });

  it('only accepts zones the dialer can schedule in', () => {
    // The simulator reads a campaign's window with Intl; a key it cannot read would fail a settle.
    for (const key of LOADED) expect(() => new Intl.DateTimeFormat('en-US', { timeZone: key })).not.toThrow();
  });
});

describe('a time zone sent to a FastAPI vendor', () => {
  const { mock, as } = testMock({ auth: apiKeyHeaderAuth });
  afterAll(() => mock.close());

  const valueError = (loc: string[], msg: string, input: string) => ({ detail: [{ type: 'value_error', loc, msg: `Value error, ${msg}`, input, ctx: { error: {} } }] });

  describe('Asisso (pydantic with zoneinfo, as Dograh checks schedule_config.timezone)', () => {
    const call = as('asisso_tz');
    const createWithZone = async (timezone: string) => {
      const presigned = await call('POST', '/api/v1/s3/presigned-upload-url', { body: { file_name: 'contacts.csv', file_size: 64 } });
      const url = new URL((presigned.body as { upload_url: string }).upload_url);
      const put = await as(null)('PUT', `${url.pathname}${url.search}`, { body: 'phone_number\n+14155550100\n', headers: { 'content-type': 'text/csv' } });
      expect(put.status).toBe(200);
      const body = {
        name: 'Zones',
        workflow_id: 1,
        source_type: 'csv',
        source_id: (presigned.body as { file_key: string }).file_key,
        schedule_config: { enabled: true, timezone, slots: [{ day_of_week: 0, start_time: '09:00', end_time: '17:00' }] },
      };
      return call('POST', '/api/v1/campaign/create', { body });
    };

    it.each(['IST', 'PST'])('refuses %s with the 422 pydantic writes', async (zone) => {
      const res = await createWithZone(zone);
      expect([res.status, res.body]).toEqual([422, valueError(['body', 'schedule_config', 'timezone'], `Invalid timezone: ${zone}`, zone)]);
    });

    it.each(['UTC', 'Asia/Kolkata', 'America/Los_Angeles', 'EST', 'PST8PDT'])('accepts %s', async (zone) => {
      const res = await createWithZone(zone);
      expect(res.status, res.text).toBe(200);
      expect((res.body as { schedule_config: { timezone: string } }).schedule_config.timezone).toBe(zone);
    });
  });

  describe("Sarvam (allowed_schedule.timezone, Sarvam's pydantic model)", () => {
    const call = as('sarvam_tz');
    const BASE = '/api/scheduling/v1/orgs/org-tz/workspaces/ws-tz';
    const campaign = (timezone: string) => ({
      name: 'Zones',
      app_config: { app_id: 'payment-reminder-agent', app_type: 'agent', app_version: 3 },
      start_timestamp: '2098-01-01T00:00:00Z',
      end_timestamp: '2099-01-01T00:00:00Z',
      allowed_schedule: { allowed_start_time: '09:00', allowed_end_time: '18:00', allowed_days: ['Monday'], timezone },
    });

    it.each(['IST', 'PST'])('refuses %s with its 422 on create and on update', async (zone) => {
      const created = await call('POST', `${BASE}/campaigns`, { body: campaign(zone) });
      expect([created.status, created.body]).toEqual([422, valueError(['body', 'allowed_schedule', 'timezone'], `${zone} is not an IANA time zone`, zone)]);
      const valid = await call('POST', `${BASE}/campaigns`, { body: campaign('UTC') });
      expect(valid.status, valid.text).toBe(200);
      const id = (valid.body as { campaign_id: string }).campaign_id;
      const updated = await call('PATCH', `${BASE}/campaigns/${id}`, { body: { allowed_schedule: campaign(zone).allowed_schedule } });
      expect([updated.status, updated.body]).toEqual([422, valueError(['body', 'allowed_schedule', 'timezone'], `${zone} is not an IANA time zone`, zone)]);
    });

    it.each(['Asia/Kolkata', 'America/Los_Angeles', 'GMT', 'EST5EDT'])('accepts %s', async (zone) => {
      const created = await call('POST', `${BASE}/campaigns`, { body: campaign(zone) });
      expect(created.status, created.text).toBe(200);
      const stored = await call('GET', `${BASE}/campaigns/${(created.body as { campaign_id: string }).campaign_id}`);
      expect((stored.body as { allowed_schedule: { timezone: string } }).allowed_schedule.timezone).toBe(zone);
    });
  });
});
