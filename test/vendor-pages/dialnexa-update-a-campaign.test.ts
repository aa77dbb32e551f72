import { expect } from 'vitest';
import { describeVendorPage, expectSpecAllows } from '../helpers/vendor-page.js';
import { addLead, auth, completedCampaign, createCampaign, errorBody, getCampaign, RESPONSE_EXAMPLE, RESPONSE_SCHEMA_EXAMPLE } from './dialnexa.js';

const patch = (call: Parameters<typeof createCampaign>[0], id: string, body: unknown, invalid = false) =>
  call('PATCH', `/v1/campaigns/${id}`, { body, ...(invalid ? { invalid } : {}) });

describeVendorPage(
  'dialnexa',
  'update-a-campaign',
  {
    'auth.bearer': async ({ call, as }) => {
      const { id } = await createCampaign(call);
      const res = await as(null)('PATCH', `/v1/campaigns/${id}`, { body: { name: 'x' }, invalid: true });
      expect([res.status, res.body]).toEqual([401, errorBody(401, 'API key is missing or invalid', 'Unauthorized')]);
    },

    'request.id': async ({ call }) => {
      const { id } = await createCampaign(call);
      const res = await patch(call, id, { name: 'By id' });
      expect([res.status, res.body.id, res.body.name]).toEqual([200, id, 'By id']);
    },

    'request.name': async ({ call }) => {
      const { id } = await createCampaign(call);
      expect((await patch(call, id, { name: 'Q2 Lead Re-engagement' })).status).toBe(200);
      expect((await getCampaign(call, id)).name).toBe('Q2 Lead Re-engagement');
    },

    'request.max_concurrent_calls': async ({ call, advance }) => {
      const { id } = await createCampaign(call);
      expect((await patch(call, id, { max_concurrent_calls: 3 })).status).toBe(200);
      expect((await getCampaign(call, id)).max_concurrent_calls).toBe(3);
      for (const n of [0, 1, 2, 3]) await addLead(call, id, `+1415555016${n}`);
      await advance(5);
      const logs = await call('GET', `/v1/call-logs?campaign_id=${id}`);
      expect(logs.body.data.filter((log: { status: string }) => log.status === 'initiated')).toHaveLength(3);
      const over = await patch(call, id, { max_concurrent_calls: 101 });
      expect([over.status, over.body]).toEqual([400, errorBody(400, 'max_concurrent_calls (101) exceeds the workspace concurrency limit (100)', 'Bad Request')]);
    },

    'request.retry_config': async ({ call }) => {
      const { id } = await createCampaign(call, { name: 'Retries', agent_id: 'agt_abc123', retry_config: { max_retries: 3, retry_interval_minutes: 120 } });
      expect((await patch(call, id, { retry_config: {} })).body.retry_config).toEqual({ max_retries: 3, retry_interval_minutes: 120 });
      expect((await patch(call, id, { retry_config: { retry_interval_minutes: 15 } })).body.retry_config).toEqual({ max_retries: 3, retry_interval_minutes: 15 });
      expect((await getCampaign(call, id)).retry_config).toEqual({ max_retries: 3, retry_interval_minutes: 15 });
    },

    'rule.retry-policy-name': async ({ call }) => {
      const { id } = await createCampaign(call);
      const res = await patch(call, id, { retry_policy: { max_retries: 5, retry_interval_minutes: 15 } });
      expect([res.status, res.body]).toEqual([
        400,
        errorBody(400, 'property retry_policy should not exist; send the retry settings as retry_config', 'Bad Request'),
      ]);
      expect((await getCampaign(call, id)).retry_config).toEqual({ max_retries: 2, retry_interval_minutes: 30 });
    },

    'example.curl': async ({ call }) => {
      const created = await createCampaign(call, { name: 'Before', agent_id: 'agt_abc123', retry_config: { max_retries: 3, retry_interval_minutes: 120 } });
      // The page's placeholders: "<string>" a name, 123 a cap within the workspace's limit of 100.
      const res = await patch(call, created.id, { name: 'Q2 Lead Re-engagement', max_concurrent_calls: 12, retry_config: {} });
      expect([res.status, res.body.name, res.body.max_concurrent_calls, res.body.retry_config]).toEqual([
        200,
        'Q2 Lead Re-engagement',
        12,
        { max_retries: 3, retry_interval_minutes: 120 },
      ]);
    },

    'example.request': async ({ call }) => {
      const created = await createCampaign(call);
      const res = await patch(call, created.id, { max_concurrent_calls: 10 });
      expect([res.status, res.body]).toEqual([200, { ...created, max_concurrent_calls: 10 }]);
    },

    'response.200': async ({ call }) => {
      const created = await createCampaign(call);
      const res = await patch(call, created.id, { name: 'Renamed' });
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(Object.keys(created).sort());
      expect(res.body).toEqual(await getCampaign(call, created.id));
    },

    'example.response-schema': async () => {
      expectSpecAllows('dialnexa', 'updateCampaign', 200, RESPONSE_SCHEMA_EXAMPLE);
    },

    'example.response': async () => {
      expectSpecAllows('dialnexa', 'updateCampaign', 200, { ...RESPONSE_EXAMPLE, max_concurrent_calls: 10 });
    },

    'rule.partial': async ({ call }) => {
      const created = await createCampaign(call, {
        name: 'Partial',
        agent_id: 'agt_abc123',
        from_phone_number: '+912234567890',
        max_concurrent_calls: 4,
        retry_config: { max_retries: 3, retry_interval_minutes: 120 },
      });
      const res = await patch(call, created.id, { retry_config: { max_retries: 1 } });
      expect(res.body).toEqual({ ...created, retry_config: { max_retries: 1, retry_interval_minutes: 120 } });
      expect((await patch(call, created.id, {})).body).toEqual(res.body);
    },

    'rule.any-time': async (check) => {
      const { call } = check;
      const running = await createCampaign(call);
      expect((await patch(call, running.id, { max_concurrent_calls: 2 })).status).toBe(200);
      await patch(call, running.id, { status: 'paused' });
      expect((await patch(call, running.id, { name: 'While paused' })).body).toMatchObject({ status: 'paused', name: 'While paused' });
      const completed = await completedCampaign(check);
      expect((await patch(call, completed.id, { name: 'After the end', retry_config: { max_retries: 0 } })).body).toMatchObject({
        status: 'completed',
        name: 'After the end',
      });
    },

    'rule.agent-locked': async ({ call, advance }) => {
      const { id } = await createCampaign(call);
      expect((await patch(call, id, { agent_id: 'agt_before_calls' })).body.agent_id).toBe('agt_before_calls');
      await addLead(call, id);
      await advance(10);
      const locked = await patch(call, id, { agent_id: 'agt_k7m2nq9xw4p8' });
      expect([locked.status, locked.body]).toEqual([409, errorBody(409, 'agent_id cannot be changed once any calls have been placed', 'Conflict')]);
      expect((await patch(call, id, { agent_id: 'agt_before_calls' })).status).toBe(200);
      expect((await getCampaign(call, id)).agent_id).toBe('agt_before_calls');
    },

    'rule.pausing': async ({ call, advance }) => {
      const created = await createCampaign(call, { name: 'Pausing', agent_id: 'agt_abc123', max_concurrent_calls: 3 });
      const paused = await patch(call, created.id, { status: 'paused' });
      expect(paused.body).toEqual({ ...created, status: 'paused' });
      await addLead(call, created.id);
      await advance(600);
      expect((await getCampaign(call, created.id)).completed_calls).toBe(0);
      expect((await patch(call, created.id, { status: 'running' })).body.status).toBe('running');
      await advance(600);
      expect((await getCampaign(call, created.id)).completed_calls).toBe(1);
    },

    'rule.swap-agent': async ({ call }) => {
      const old = await createCampaign(call, { name: 'Old agent', agent_id: 'agt_abc123' });
      const cancelled = await patch(call, old.id, { status: 'cancelled' });
      expect(cancelled.body.status).toBe('cancelled');
      const resumed = await patch(call, old.id, { status: 'running' });
      expect([resumed.status, resumed.body]).toEqual([409, errorBody(409, 'Cannot resume a cancelled campaign', 'Conflict')]);
      const fresh = await createCampaign(call, { name: 'New agent', agent_id: 'agt_k7m2nq9xw4p8' });
      expect(fresh.agent_id).toBe('agt_k7m2nq9xw4p8');
    },

    'error.404': async ({ call }) => {
      const res = await patch(call, 'cmp_5tw8vz2rnx1q', { max_concurrent_calls: 10 });
      expect([res.status, res.body]).toEqual([404, errorBody(404, 'Campaign not found', 'Not Found')]);
    },

    'error.400': async ({ call }) => {
      const { id } = await createCampaign(call);
      const one = await patch(call, id, { max_concurrent_calls: 'ten' }, true);
      expect([one.status, one.body]).toEqual([400, errorBody(400, 'max_concurrent_calls must be an integer number', 'Bad Request')]);
      const two = await patch(call, id, { name: '', max_concurrent_calls: 0 }, true);
      expect([two.status, two.body]).toEqual([
        400,
        errorBody(400, ['name should not be empty', 'max_concurrent_calls must not be less than 1'], 'Bad Request'),
      ]);
    },

    'error.409': async ({ call, advance }) => {
      const { id } = await createCampaign(call);
      await addLead(call, id);
      await advance(10);
      const res = await patch(call, id, { agent_id: 'agt_other' });
      expect([res.status, res.body]).toEqual([409, errorBody(409, 'agent_id cannot be changed once any calls have been placed', 'Conflict')]);
    },
  },
  { auth },
);
