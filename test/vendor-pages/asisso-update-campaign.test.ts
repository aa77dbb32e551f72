import { expect } from 'vitest';
import { describeVendorPage, expectSpecAllows } from '../helpers/vendor-page.js';
import { auth, createDraft, detail, getCampaign, patch, pauseCampaign, REQUIRED_RESPONSE_FIELDS, RESPONSE_EXAMPLE, startCampaign, UPDATE_CURL_BODY } from './asisso.js';

describeVendorPage(
  'asisso',
  'update-campaign',
  {
    'auth.x-api-key': async ({ call, direct, as }) => {
      const { id } = await createDraft(call, direct);
      expect((await patch(call, id, { name: 'By X-API-Key' })).status).toBe(200);
      for (const headers of [{}, { 'x-api-key': '' }] as Array<Record<string, string>>) {
        const res = await as(null)('PATCH', `/api/v1/campaign/${id}`, { body: { name: 'x' }, headers, invalid: true });
        expect([res.status, res.body]).toEqual([401, detail('Invalid or expired API key')]);
      }
    },

    'auth.authorization': async ({ key, call, direct, as }) => {
      const { id } = await createDraft(call, direct);
      for (const authorization of [key, `Bearer ${key}`]) {
        const res = await as(null)('PATCH', `/api/v1/campaign/${id}`, { body: { name: authorization }, headers: { authorization } });
        expect([res.status, res.body.name]).toEqual([200, authorization]);
      }
      // Both headers: X-API-Key names the sandbox, so another key's campaign is not found.
      const both = await as(`${key}_other`)('PATCH', `/api/v1/campaign/${id}`, { body: { name: 'x' }, headers: { authorization: `Bearer ${key}` } });
      expect([both.status, both.body]).toEqual([404, detail('Campaign not found')]);
    },

    'request.campaign_id': async ({ call, direct }) => {
      const { id } = await createDraft(call, direct);
      expect((await patch(call, id, { name: 'Found' })).body.id).toBe(id);
      const text = await patch(call, 'abc', { name: 'x' }, true);
      expect([text.status, text.body.detail[0].type, text.body.detail[0].loc]).toEqual([422, 'int_parsing', ['path', 'campaign_id']]);
      const unknown = await patch(call, id + 1000, { name: 'x' });
      expect([unknown.status, unknown.body]).toEqual([404, detail('Campaign not found')]);
    },

    'request.name': async ({ call, direct }) => {
      const { id } = await createDraft(call, direct);
      expect((await patch(call, id, { name: 'n'.repeat(255) })).status).toBe(200);
      expect((await getCampaign(call, id)).name).toBe('n'.repeat(255));
      const empty = await patch(call, id, { name: '' }, true);
      expect([empty.status, empty.body.detail[0].type]).toEqual([422, 'string_too_short']);
      const long = await patch(call, id, { name: 'n'.repeat(256) }, true);
      expect([long.status, long.body.detail[0].type]).toEqual([422, 'string_too_long']);
      expect((await patch(call, id, { name: null })).body.name).toBe('n'.repeat(255));
    },

    'request.retry_config': async ({ call, direct }) => {
      const { id } = await createDraft(call, direct);
      const sent = { enabled: true, max_retries: 4, retry_delay_seconds: 600, retry_on_busy: false, retry_on_no_answer: true, retry_on_voicemail: true };
      expect((await patch(call, id, { retry_config: sent })).status).toBe(200);
      expect((await getCampaign(call, id)).retry_config).toEqual(sent);
      // Keys left out take the request model's defaults, which are the page's example values.
      expect((await patch(call, id, { retry_config: { max_retries: 3 } })).body.retry_config).toEqual({ ...UPDATE_CURL_BODY.retry_config, max_retries: 3 });
      const over = await patch(call, id, { retry_config: { max_retries: 11 } }, true);
      expect([over.status, over.body.detail[0].loc]).toEqual([422, ['body', 'retry_config', 'max_retries']]);
    },

    'request.max_concurrency': async ({ call, direct }) => {
      const { id } = await createDraft(call, direct);
      for (const value of [1, 100]) expect((await patch(call, id, { max_concurrency: value })).body.max_concurrency).toBe(value);
      expect((await getCampaign(call, id)).max_concurrency).toBe(100);
      const low = await patch(call, id, { max_concurrency: 0 }, true);
      const high = await patch(call, id, { max_concurrency: 101 }, true);
      expect([low.status, low.body.detail[0].type, high.status, high.body.detail[0].type]).toEqual([422, 'greater_than_equal', 422, 'less_than_equal']);
      expect((await patch(call, id, { max_concurrency: null })).body.max_concurrency).toBe(100);
    },

    'request.schedule_config': async ({ call, direct }) => {
      const { id } = await createDraft(call, direct);
      const schedule = { slots: [{ day_of_week: 3, start_time: '09:00', end_time: '17:00' }], enabled: true, timezone: 'UTC' };
      expect((await patch(call, id, { schedule_config: schedule })).status).toBe(200);
      expect((await getCampaign(call, id)).schedule_config).toEqual({ enabled: true, timezone: 'UTC', slots: schedule.slots });
      const backwards = await patch(call, id, { schedule_config: { slots: [{ day_of_week: 3, start_time: '17:00', end_time: '09:00' }] } }, true);
      expect([backwards.status, backwards.body.detail[0].msg]).toEqual([422, 'Value error, start_time must be before end_time']);
    },

    'request.circuit_breaker': async ({ call, direct }) => {
      const { id } = await createDraft(call, direct);
      const breaker = { enabled: true, failure_threshold: 0.25, window_seconds: 300, min_calls_in_window: 3 };
      expect((await patch(call, id, { circuit_breaker: breaker })).status).toBe(200);
      expect((await getCampaign(call, id)).circuit_breaker).toEqual(breaker);
      const over = await patch(call, id, { circuit_breaker: { failure_threshold: 1.5 } }, true);
      expect([over.status, over.body.detail[0].loc]).toEqual([422, ['body', 'circuit_breaker', 'failure_threshold']]);
    },

    'request.all-optional': async ({ call, direct }) => {
      const created = await createDraft(call, direct);
      const res = await patch(call, created.id, {});
      expect([res.status, res.body]).toEqual([200, created]);
      // Straight to the server: Prism's proxy does not forward a PATCH with an empty JSON body.
      for (const body of ['null', '']) {
        const missing = await direct('PATCH', `/api/v1/campaign/${created.id}`, { body, headers: { 'content-type': 'application/json' }, invalid: true });
        expect([missing.status, missing.body]).toEqual([422, { detail: [{ type: 'missing', loc: ['body'], msg: 'Field required', input: null }] }]);
      }
    },

    'example.curl': async ({ call, direct }) => {
      const { id } = await createDraft(call, direct);
      const res = await patch(call, id, UPDATE_CURL_BODY);
      expect(res.status, res.text).toBe(200);
      const read = await getCampaign(call, id);
      expect({
        name: read.name,
        retry_config: read.retry_config,
        max_concurrency: read.max_concurrency,
        schedule_config: read.schedule_config,
        circuit_breaker: read.circuit_breaker,
      }).toEqual({ ...UPDATE_CURL_BODY, schedule_config: { enabled: true, timezone: 'UTC', slots: UPDATE_CURL_BODY.schedule_config.slots } });
    },

    'example.response': async () => {
      expectSpecAllows('asisso', 'updateCampaign', 200, RESPONSE_EXAMPLE);
    },

    'response.required': async ({ call, direct }) => {
      const only = Object.fromEntries(Object.entries(RESPONSE_EXAMPLE).filter(([name]) => REQUIRED_RESPONSE_FIELDS.includes(name)));
      expectSpecAllows('asisso', 'updateCampaign', 200, only);
      const { id } = await createDraft(call, direct);
      const res = await patch(call, id, { name: 'All fields' });
      expect(Object.keys(res.body)).toEqual(expect.arrayContaining(REQUIRED_RESPONSE_FIELDS));
    },

    'response.fields': async ({ call, direct }) => {
      const { id } = await createDraft(call, direct);
      const res = await patch(call, id, { name: 'Fields' });
      expect(Object.keys(res.body)).toEqual(Object.keys(RESPONSE_EXAMPLE));
      expect(res.body).toMatchObject({
        executed_count: 0,
        total_queued_count: 0,
        max_concurrency: null,
        schedule_config: null,
        parent_campaign_id: null,
        redialed_campaign_id: null,
        telephony_configuration_id: null,
        telephony_configuration_name: null,
        logs: [],
      });
    },

    'response.state': async ({ call, direct }) => {
      expectSpecAllows('asisso', 'updateCampaign', 200, { ...RESPONSE_EXAMPLE, state: 'syncing' });
      const { id } = await createDraft(call, direct);
      expect((await patch(call, id, { name: 'State' })).body.state).toBe('draft');
    },

    'response.circuit_breaker': async ({ call, direct }) => {
      const { id } = await createDraft(call, direct);
      expect((await patch(call, id, { name: 'No breaker' })).body.circuit_breaker).toEqual(RESPONSE_EXAMPLE.circuit_breaker);
    },

    'response.logs': async ({ call, direct, advance }) => {
      const phones = ['+14155550004', '+14155560004', '+14155570004', '+14155580004', '+14155590004', '+14155551000'];
      const { id } = await createDraft(call, direct, phones, { max_concurrency: 6, circuit_breaker: { enabled: true, failure_threshold: 0.5, window_seconds: 120, min_calls_in_window: 5 } });
      await startCampaign(call, id);
      await advance(600);
      const campaign = await getCampaign(call, id);
      expect(campaign.state).toBe('paused');
      expect(campaign.logs[0]).toMatchObject({ level: 'warning', event: 'circuit_breaker_tripped', message: expect.stringMatching(/^Paused: failure rate/), details: expect.any(Object) });
      expect(Object.keys(campaign.logs[0])).toEqual(['ts', 'level', 'event', 'message', 'details']);
    },

    'rule.draft-or-paused': async ({ call, direct, advance }) => {
      const { id } = await createDraft(call, direct);
      expect((await patch(call, id, { name: 'Draft' })).status).toBe(200);
      await startCampaign(call, id);
      const running = await patch(call, id, { name: 'Running' });
      expect([running.status, running.body]).toEqual([400, detail('Cannot update a running campaign')]);
      await pauseCampaign(call, id);
      expect((await patch(call, id, { name: 'Paused' })).body.name).toBe('Paused');
      expect((await call('POST', `/api/v1/campaign/${id}/resume`)).status).toBe(200);
      await advance(1200);
      expect((await getCampaign(call, id)).state).toBe('completed');
      const completed = await patch(call, id, { name: 'Completed' });
      expect([completed.status, completed.body]).toEqual([400, detail('Cannot update a completed campaign')]);
      expect((await getCampaign(call, id)).name).toBe('Paused');
    },

    'rule.paused-settings-govern': async ({ call, direct, advance }) => {
      const { id } = await createDraft(call, direct, ['+14155550111', '+14155550112', '+14155550113'], { max_concurrency: 3 });
      await pauseCampaign(call, (await startCampaign(call, id)).id as number);
      expect((await patch(call, id, { max_concurrency: 1 })).status).toBe(200);
      expect((await call('POST', `/api/v1/campaign/${id}/resume`)).status).toBe(200);
      await advance(10);
      const runs = await call('GET', `/api/v1/campaign/${id}/runs`);
      expect(runs.body.runs.filter((run: { is_completed: boolean }) => !run.is_completed)).toHaveLength(1);
    },
  },
  { auth },
);
