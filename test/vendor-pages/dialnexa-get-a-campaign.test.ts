import { expect } from 'vitest';
import { describeVendorPage, expectSpecAllows, withKeysFile } from '../helpers/vendor-page.js';
import {
  addLead,
  auth,
  CREATE_CURL_BODY,
  createCampaign,
  errorBody,
  getCampaign,
  ISO_MS,
  KEYS_FILE,
  RESPONSE_EXAMPLE,
  RESPONSE_SCHEMA_EXAMPLE,
} from './dialnexa.js';

describeVendorPage(
  'dialnexa',
  'get-a-campaign',
  {
    'auth.bearer': async ({ call, as, key }) => {
      const { id } = await createCampaign(call);
      const none = await as(null)('GET', `/v1/campaigns/${id}`, { invalid: true });
      expect([none.status, none.body]).toEqual([401, errorBody(401, 'API key is missing or invalid', 'Unauthorized')]);
      const other = await as(`${key}_other`)('GET', `/v1/campaigns/${id}`);
      expect([other.status, other.body]).toEqual([404, errorBody(404, 'Campaign not found', 'Not Found')]);
    },

    'request.id': async ({ call }) => {
      const { id } = await createCampaign(call);
      const res = await call('GET', `/v1/campaigns/${id}`);
      expect([res.status, res.body.id]).toEqual([200, id]);
    },

    'response.200': async ({ call }) => {
      const created = await createCampaign(call, CREATE_CURL_BODY);
      const res = await call('GET', `/v1/campaigns/${created.id}`);
      expect([res.status, res.body]).toEqual([200, created]);
    },

    'response.fields': async ({ call }) => {
      const created = await createCampaign(call, CREATE_CURL_BODY);
      const read = await getCampaign(call, created.id);
      for (const field of Object.keys(RESPONSE_SCHEMA_EXAMPLE)) expect(read, field).toHaveProperty(field);
      expect(read).toMatchObject({
        name: CREATE_CURL_BODY.name,
        agent_id: CREATE_CURL_BODY.agent_id,
        from_phone_number: CREATE_CURL_BODY.from_phone_number,
        max_concurrent_calls: 5,
        scheduled_at: '2023-11-07T05:31:56.000Z',
        retry_config: CREATE_CURL_BODY.retry_config,
        created_at: expect.stringMatching(ISO_MS),
      });
    },

    'response.status': async ({ call, advance }) => {
      const { id } = await createCampaign(call);
      expect((await getCampaign(call, id)).status).toBe('running');
      await call('PATCH', `/v1/campaigns/${id}`, { body: { status: 'paused' } });
      expect((await getCampaign(call, id)).status).toBe('paused');
      await call('PATCH', `/v1/campaigns/${id}`, { body: { status: 'running' } });
      await addLead(call, id);
      await advance(600);
      expect((await getCampaign(call, id)).status).toBe('completed');
      const other = await createCampaign(call);
      await call('PATCH', `/v1/campaigns/${other.id}`, { body: { status: 'cancelled' } });
      expect((await getCampaign(call, other.id)).status).toBe('cancelled');
    },

    'rule.live-counters': async ({ call, advance }) => {
      const { id } = await createCampaign(call);
      const first = await addLead(call, id, '+14155550150');
      await addLead(call, id, '+14155550151');
      const removed = await addLead(call, id, '+14155550152');
      await call('PATCH', `/v1/campaigns/${id}`, { body: { status: 'paused' } });
      expect((await call('DELETE', `/v1/campaigns-leads/${removed.id}`)).status).toBe(200);
      const counters = (c: Record<string, any>) => [c.total_leads, c.completed_calls, c.pending_calls];
      expect(counters(await getCampaign(call, id))).toEqual([2, 0, 2]);
      await call('PATCH', `/v1/campaigns/${id}`, { body: { status: 'running' } });
      await advance(30);
      expect((await call('GET', `/v1/campaigns-leads/${first.id}`)).body.status).toBe('in_progress');
      expect(counters(await getCampaign(call, id))).toEqual([2, 0, 2]);
      await advance(600);
      expect(counters(await getCampaign(call, id))).toEqual([2, 2, 0]);
    },

    'example.response-schema': async () => {
      expectSpecAllows('dialnexa', 'getCampaign', 200, RESPONSE_SCHEMA_EXAMPLE);
    },

    'example.response': async () => {
      expectSpecAllows('dialnexa', 'getCampaign', 200, RESPONSE_EXAMPLE);
    },

    'error.404': async ({ call }) => {
      const res = await call('GET', '/v1/campaigns/cmp_5tw8vz2rnx1q');
      expect([res.status, res.body]).toEqual([404, errorBody(404, 'Campaign not found', 'Not Found')]);
    },

    'error.403': async () => {
      await withKeysFile(KEYS_FILE, auth, async (as) => {
        const { id } = await createCampaign(as('dnx_page_full'));
        const blind = await as('dnx_page_blind')('GET', `/v1/campaigns/${id}`);
        expect([blind.status, blind.body]).toEqual([403, errorBody(403, 'You do not have permission to access this resource', 'Forbidden')]);
      });
    },

    'rule.pre-update-check': async ({ call }) => {
      const { id } = await createCampaign(call);
      await call('PATCH', `/v1/campaigns/${id}`, { body: { status: 'paused' } });
      expect((await getCampaign(call, id)).status).toBe('paused');
      const changed = await call('PATCH', `/v1/campaigns/${id}`, { body: { max_concurrent_calls: 3, retry_config: { max_retries: 1 } } });
      expect([changed.status, changed.body.max_concurrent_calls, changed.body.retry_config, changed.body.status]).toEqual([
        200,
        3,
        { max_retries: 1, retry_interval_minutes: 30 },
        'paused',
      ]);
    },

    'rule.leads-and-logs': async ({ call, advance }) => {
      const { id } = await createCampaign(call, { name: 'Two lines', agent_id: 'agt_abc123', max_concurrent_calls: 2 });
      await addLead(call, id, '+14155550153');
      await addLead(call, id, '+14155550002');
      const elsewhere = await createCampaign(call);
      await addLead(call, elsewhere.id, '+14155550154');
      await advance(60);
      const res = await call('GET', `/v1/call-logs?campaign_id=${id}`);
      expect(res.status).toBe(200);
      expect(res.body.data).toHaveLength(2);
      expect(res.body.meta).toEqual({ page: 1, limit: 20, total: 2, totalPages: 1 });
    },
  },
  { auth },
);
