import { expect } from 'vitest';
import { describeVendorPage, expectSpecAllows } from '../helpers/vendor-page.js';
import { auth, BASE, createCampaign, getCampaign, laterEnd, patch, REQUIRED_RESPONSE_FIELDS, RESPONSE_EXAMPLE, updateCurlBody } from './sarvam.js';

const appConfigOf = async (call: Parameters<typeof getCampaign>[0], id: string) => (await getCampaign(call, id)).app_config as Record<string, any>;

describeVendorPage(
  'sarvam',
  'update-campaign',
  {
    'auth.x-api-key': async ({ call, as }) => {
      const { campaign_id: id } = await createCampaign(call);
      expect((await patch(call, id, { name: 'By key' })).status).toBe(200);
      const res = await as(null)('PATCH', `${BASE}/campaigns/${id}`, { body: { name: 'x' }, invalid: true });
      expect([res.status, Object.keys(res.body)]).toEqual([401, ['detail']]);
    },

    'request.path': async ({ call }) => {
      const { campaign_id: id } = await createCampaign(call);
      expect((await patch(call, id, { name: 'Found' })).body.campaign_id).toBe(id);
      const elsewhere = await call('PATCH', `/api/scheduling/v1/orgs/org-acme/workspaces/ws-other/campaigns/${id}`, { body: { name: 'x' } });
      const unknown = await patch(call, 'camp-00000000', { name: 'x' });
      expect([elsewhere.status, elsewhere.body, unknown.status]).toEqual([404, { detail: 'Campaign not found' }, 404]);
    },

    'request.name': async ({ call }) => {
      const { campaign_id: id } = await createCampaign(call);
      const name = 'Spring-renewals_2026 batch '.padEnd(50, 'x');
      expect((await patch(call, id, { name })).body.name).toBe(name);
      expect((await getCampaign(call, id)).name).toBe(name);
      for (const bad of [`${name}x`, 'March #1', 'a/b']) {
        const res = await patch(call, id, { name: bad }, true);
        expect([res.status, res.body.detail[0].type]).toEqual([422, 'string_pattern_mismatch']);
      }
    },

    'request.description': async ({ call }) => {
      const { campaign_id: id } = await createCampaign(call);
      expect((await patch(call, id, { description: 'd'.repeat(150) })).body.description).toBe('d'.repeat(150));
      const long = await patch(call, id, { description: 'd'.repeat(151) }, true);
      expect([long.status, long.body.detail[0].type]).toEqual([422, 'string_too_long']);
      expect((await getCampaign(call, id)).description).toBe('d'.repeat(150));
    },

    'request.app_config': async ({ call }) => {
      const { campaign_id: id } = await createCampaign(call, { attempts_per_second: 5, webhook_config: { url: 'http://127.0.0.1:9/old' } });
      expect((await patch(call, id, { app_config: { app_id: 'other-agent', app_version: 4 } })).status).toBe(200);
      expect(await appConfigOf(call, id)).toEqual({
        app_id: 'other-agent',
        app_type: 'agent',
        app_version: 4,
        attempts_per_second: 2,
        connection_configs: null,
        retry_config: null,
        webhook_config: null,
      });
    },

    'request.app_type': async ({ call }) => {
      const { campaign_id: id } = await createCampaign(call);
      expect((await patch(call, id, { app_config: { app_id: 'flow', app_type: 'workflow' } })).body.app_type).toBe('workflow');
      expect((await patch(call, id, { app_config: { app_id: 'agent' } })).body.app_type).toBe('agent');
      const bad = await patch(call, id, { app_config: { app_id: 'x', app_type: 'bot' } }, true);
      expect([bad.status, bad.body.detail[0].msg]).toEqual([422, "Input should be 'agent' or 'workflow'"]);
    },

    'request.attempts_per_second': async ({ call }) => {
      const { campaign_id: id } = await createCampaign(call);
      expect((await patch(call, id, { app_config: { app_id: 'a', attempts_per_second: 250.05 } })).status).toBe(200);
      expect((await appConfigOf(call, id)).attempts_per_second).toBe(250.05);
    },

    'request.connection_configs': async ({ call }) => {
      const { campaign_id: id } = await createCampaign(call);
      const connection_configs = [{ connection_id: 'conn-exotel-001', phone_numbers: ['+918045678901'], weight: 1 }];
      expect((await patch(call, id, { app_config: { app_id: 'a', connection_configs } })).status).toBe(200);
      expect((await appConfigOf(call, id)).connection_configs).toEqual(connection_configs);
    },

    'request.retry_interval_minutes': async ({ call }) => {
      const { campaign_id: id } = await createCampaign(call);
      for (const minutes of [[30, 60], [], 45]) {
        const res = await patch(call, id, { app_config: { app_id: 'a', retry_config: { max_retries: 2, retry_interval_minutes: minutes } } });
        expect(res.status, res.text).toBe(200);
        expect((await appConfigOf(call, id)).retry_config.retry_interval_minutes).toEqual(minutes);
      }
      const bad = await patch(call, id, { app_config: { app_id: 'a', retry_config: { retry_interval_minutes: [30, 0] } } }, true);
      expect(bad.status).toBe(422);
    },

    'request.retry_on': async ({ call }) => {
      const { campaign_id: id } = await createCampaign(call);
      const retry_on = updateCurlBody('').app_config.retry_config.retry_on;
      expect((await patch(call, id, { app_config: { app_id: 'a', retry_config: { max_retries: 2, retry_on } } })).status).toBe(200);
      expect((await appConfigOf(call, id)).retry_config.retry_on).toEqual(retry_on);
      const bad = await patch(call, id, { app_config: { app_id: 'a', retry_config: { retry_on: { provider_error: { enabled: 'yes', max_retries: 'ten' } } } } }, true);
      expect([bad.status, bad.body.detail.map((e: { loc: string[] }) => e.loc.at(-1))]).toEqual([422, ['enabled', 'max_retries']]);
    },

    'rule.retry-kinds-dial': async ({ call, advance }) => {
      const { campaign_id: id } = await createCampaign(
        call,
        {
          retry_config: { max_retries: 0, retry_on: { provider_error: { enabled: true, max_retries: 2, retry_interval_minutes: 6 } } },
          webhook_config: { url: 'http://127.0.0.1:9/hooks/sarvam' },
        },
        60_000,
      );
      const cohort = await call('POST', `${BASE}/campaigns/${id}/cohorts/stream`, { body: { name: 'Errors', users: [{ user_phone_number: '+919800000006' }] } });
      expect(cohort.status, cohort.text).toBe(200);
      await advance(3600);
      const list = await call('GET', `${BASE}/campaigns/${id}/webhooks?limit=250`);
      const attempts = (list.body.items as Array<{ payload: { retry_attempt: number; next_action_status: string | null } }>).map((d) => d.payload).sort((a, b) => a.retry_attempt - b.retry_attempt);
      expect(attempts.map((p) => [p.retry_attempt, p.next_action_status])).toEqual([[0, 'provider_error_retry'], [1, 'provider_error_retry'], [2, null]]);
    },

    'request.webhook_config': async ({ call }) => {
      const { campaign_id: id } = await createCampaign(call);
      const webhook_config = { url: 'http://127.0.0.1:9/hooks/sarvam', metadata: { team: 'renewals' } };
      expect((await patch(call, id, { app_config: { app_id: 'a', webhook_config } })).status).toBe(200);
      expect((await appConfigOf(call, id)).webhook_config).toEqual(webhook_config);
    },

    'request.end_timestamp': async ({ call }) => {
      const campaign = await getCampaign(call, (await createCampaign(call)).campaign_id);
      const end = laterEnd(campaign);
      expect((await patch(call, campaign.campaign_id, { end_timestamp: end })).status).toBe(200);
      expect((await getCampaign(call, campaign.campaign_id)).end_timestamp).toBe(end);
      const early = await patch(call, campaign.campaign_id, { end_timestamp: '2020-01-01T00:00:00Z' }, true);
      expect([early.status, early.body.detail[0].type]).toEqual([422, 'value_error']);
    },

    'request.allowed_schedule': async ({ call }) => {
      const { campaign_id: id } = await createCampaign(call);
      const schedule = { allowed_start_time: '09:00', allowed_end_time: '18:00', allowed_days: ['Monday'], timezone: 'Asia/Kolkata' };
      expect((await patch(call, id, { allowed_schedule: schedule })).status).toBe(200);
      expect((await getCampaign(call, id)).allowed_schedule).toEqual(schedule);
      const bad = await patch(call, id, { allowed_schedule: { ...schedule, allowed_days: ['Funday'] } }, true);
      expect([bad.status, bad.body.detail[0].type]).toEqual([422, 'enum']);
    },

    'request.all-optional': async ({ call }) => {
      const created = await createCampaign(call);
      const before = await getCampaign(call, created.campaign_id);
      expect((await patch(call, created.campaign_id, {})).status).toBe(200);
      expect((await patch(call, created.campaign_id, { name: null, description: null, app_config: null, end_timestamp: null, allowed_schedule: null })).status).toBe(200);
      const after = await getCampaign(call, created.campaign_id);
      expect({ ...after, updated_at: before.updated_at }).toEqual(before);
    },

    'example.curl': async ({ call }) => {
      const campaign = await getCampaign(call, (await createCampaign(call)).campaign_id);
      const body = updateCurlBody(laterEnd(campaign));
      const res = await patch(call, campaign.campaign_id, body);
      expect(res.status, res.text).toBe(200);
      const read = await getCampaign(call, campaign.campaign_id);
      expect({ name: read.name, description: read.description, app_config: read.app_config, end_timestamp: read.end_timestamp, allowed_schedule: read.allowed_schedule }).toEqual(body);
    },

    'example.response': async () => {
      expectSpecAllows('sarvam', 'update-campaign', 200, RESPONSE_EXAMPLE);
      expectSpecAllows('sarvam', 'update-campaign', 200, { ...RESPONSE_EXAMPLE, app_version: null, description: null, updated_by: null });
    },

    'response.required': async ({ call }) => {
      expectSpecAllows('sarvam', 'update-campaign', 200, Object.fromEntries(Object.entries(RESPONSE_EXAMPLE).filter(([name]) => REQUIRED_RESPONSE_FIELDS.includes(name))));
      const { campaign_id: id } = await createCampaign(call);
      expect(Object.keys((await patch(call, id, { name: 'Order' })).body)).toEqual(Object.keys(RESPONSE_EXAMPLE));
    },

    'response.status': async ({ call }) => {
      for (const status of ['ended', 'active', 'paused', 'scheduled', 'cancelled']) expectSpecAllows('sarvam', 'update-campaign', 200, { ...RESPONSE_EXAMPLE, status });
      const { campaign_id: id } = await createCampaign(call);
      expect((await patch(call, id, { name: 'Later' })).body.status).toBe('scheduled');
    },

    'response.optional': async ({ call }) => {
      const { campaign_id: id } = await createCampaign(call);
      const res = await patch(call, id, { name: 'Optional fields' });
      expect(res.body).toMatchObject({ description: null, app_type: 'agent', app_version: null, updated_by: expect.any(String) });
    },

    'rule.paused-or-scheduled': async ({ call }) => {
      const { campaign_id: id } = await createCampaign(call, {}, 0);
      expect((await getCampaign(call, id)).status).toBe('active');
      const active = await patch(call, id, { name: 'While active' });
      expect([active.status, active.body.detail]).toEqual([409, "Cannot update a campaign in 'active' status; updates are allowed only in 'paused' or 'scheduled' status (pause it first)"]);
      expect((await call('PUT', `${BASE}/campaigns/${id}/status`, { body: { action: 'pause' } })).status).toBe(200);
      expect((await patch(call, id, { name: 'While paused' })).body.name).toBe('While paused');
      const scheduled = await createCampaign(call);
      expect((await patch(call, scheduled.campaign_id, { name: 'While scheduled' })).status).toBe(200);
    },
  },
  { auth },
);
