import { expect } from 'vitest';
import { describeVendorPage, expectSpecAllows } from '../helpers/vendor-page.js';
import { XLSX_TYPE, xlsxFile } from '../helpers/xlsx.js';
import {
  addLead,
  auth,
  completedCampaign,
  CREATE_CURL_BODY,
  CREATE_REQUEST_EXAMPLE,
  createCampaign,
  errorBody,
  getCampaign,
  ISO_MS,
  RESPONSE_EXAMPLE,
  RESPONSE_SCHEMA_EXAMPLE,
} from './dialnexa.js';

describeVendorPage(
  'dialnexa',
  'create-a-campaign',
  {
    'auth.bearer': async ({ as }) => {
      const res = await as(null)('POST', '/v1/campaigns', { body: { name: 'No key', agent_id: 'agt_abc123' }, invalid: true });
      expect([res.status, res.body]).toEqual([401, errorBody(401, 'API key is missing or invalid', 'Unauthorized')]);
    },

    'request.name': async ({ call }) => {
      const created = await createCampaign(call, { name: 'Q2 Lead Re-engagement', agent_id: 'agt_abc123' });
      expect((await getCampaign(call, created.id)).name).toBe('Q2 Lead Re-engagement');
      const missing = await call('POST', '/v1/campaigns', { body: { agent_id: 'agt_abc123' }, invalid: true });
      expect([missing.status, missing.body]).toEqual([400, errorBody(400, 'name should not be empty', 'Bad Request')]);
      const empty = await call('POST', '/v1/campaigns', { body: { name: '', agent_id: 'agt_abc123' }, invalid: true });
      expect([empty.status, empty.body]).toEqual([400, errorBody(400, 'name should not be empty', 'Bad Request')]);
    },

    'request.agent_id': async ({ call }) => {
      const created = await createCampaign(call, { name: 'Agent', agent_id: 'agt_k7m2nq9xw4p8' });
      expect((await getCampaign(call, created.id)).agent_id).toBe('agt_k7m2nq9xw4p8');
      const missing = await call('POST', '/v1/campaigns', { body: { name: 'No agent' }, invalid: true });
      expect([missing.status, missing.body]).toEqual([400, errorBody(400, 'agent_id should not be empty', 'Bad Request')]);
    },

    'request.required-only': async ({ call }) => {
      const res = await call('POST', '/v1/campaigns', { body: { name: 'Only the required', agent_id: 'agt_abc123' } });
      expect([res.status, res.body]).toEqual([
        201,
        {
          id: expect.stringMatching(/^cmp_[a-z0-9]{12}$/),
          organization_id: expect.stringMatching(/^org_[a-z0-9]{12}$/),
          name: 'Only the required',
          agent_id: 'agt_abc123',
          from_phone_number: '+14155552671',
          status: 'running',
          max_concurrent_calls: 1,
          scheduled_at: null,
          retry_config: { max_retries: 2, retry_interval_minutes: 30 },
          total_leads: 0,
          completed_calls: 0,
          pending_calls: 0,
          created_at: expect.stringMatching(ISO_MS),
        },
      ]);
    },

    'request.from_phone_number': async ({ call }) => {
      const created = await createCampaign(call, { name: 'From', agent_id: 'agt_abc123', from_phone_number: '+912234567890' });
      expect((await getCampaign(call, created.id)).from_phone_number).toBe('+912234567890');
      const without = await createCampaign(call, { name: 'From the agent', agent_id: 'agt_abc123' });
      expect(without.from_phone_number).toBe('+14155552671');
    },

    'request.scheduled_at': async ({ call, advance }) => {
      const ahead = new Date(Date.now() + 3_600_000).toISOString();
      const created = await createCampaign(call, { name: 'Later', agent_id: 'agt_abc123', scheduled_at: ahead });
      expect([created.status, created.scheduled_at]).toEqual(['active', ahead]);
      await addLead(call, created.id);
      await advance(600);
      expect((await getCampaign(call, created.id)).completed_calls).toBe(0);
      await advance(3600);
      const started = await getCampaign(call, created.id);
      expect([started.status, started.completed_calls]).toEqual(['completed', 1]);
    },

    'request.max_concurrent_calls': async ({ call, advance }) => {
      const created = await createCampaign(call, { name: 'Two at once', agent_id: 'agt_abc123', max_concurrent_calls: 2 });
      expect((await getCampaign(call, created.id)).max_concurrent_calls).toBe(2);
      for (const n of [0, 1, 2, 3]) await addLead(call, created.id, `+1415555017${n}`);
      await advance(5);
      const logs = await call('GET', `/v1/call-logs?campaign_id=${created.id}`);
      expect(logs.body.data.filter((log: { status: string }) => log.status === 'initiated')).toHaveLength(2);
    },

    'request.retry_config': async ({ call, advance }) => {
      const created = await createCampaign(call, { name: 'Retries', agent_id: 'agt_abc123', retry_config: { max_retries: 3, retry_interval_minutes: 120 } });
      expect((await getCampaign(call, created.id)).retry_config).toEqual({ max_retries: 3, retry_interval_minutes: 120 });
      // A busy number (magic ending 0001) is called once, then three more times, 120 minutes apart.
      await addLead(call, created.id, '+14155550001');
      await advance(3 * 120 * 60 + 600);
      const logs = await call('GET', `/v1/call-logs/campaign/${created.id}?limit=100`);
      expect(logs.body.data.map((log: { status: string }) => log.status)).toEqual(['busy', 'busy', 'busy', 'busy']);
    },

    'example.curl': async ({ call }) => {
      const res = await call('POST', '/v1/campaigns', { body: CREATE_CURL_BODY });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ ...CREATE_CURL_BODY, scheduled_at: '2023-11-07T05:31:56.000Z', status: 'running' });
    },

    'example.request': async ({ call }) => {
      const res = await call('POST', '/v1/campaigns', { body: CREATE_REQUEST_EXAMPLE });
      expect([res.status, res.body]).toEqual([201, expect.objectContaining({ ...CREATE_REQUEST_EXAMPLE, status: 'running', scheduled_at: null })]);
    },

    'response.201': async ({ call }) => {
      const res = await call('POST', '/v1/campaigns', { body: { name: 'Created', agent_id: 'agt_abc123' } });
      expect([res.status, res.headers.get('content-type')]).toEqual([201, 'application/json; charset=utf-8']);
    },

    'response.fields': async ({ call }) => {
      const created = await createCampaign(call, CREATE_CURL_BODY);
      expect(Object.keys(created).sort()).toEqual(
        [...Object.keys(RESPONSE_SCHEMA_EXAMPLE), 'total_leads', 'completed_calls', 'pending_calls'].sort(),
      );
      expect(created).toEqual({
        id: expect.any(String),
        organization_id: expect.any(String),
        name: expect.any(String),
        agent_id: expect.any(String),
        from_phone_number: expect.any(String),
        status: expect.any(String),
        max_concurrent_calls: expect.any(Number),
        scheduled_at: expect.stringMatching(ISO_MS),
        retry_config: { max_retries: expect.any(Number), retry_interval_minutes: expect.any(Number) },
        created_at: expect.stringMatching(ISO_MS),
        total_leads: 0,
        completed_calls: 0,
        pending_calls: 0,
      });
    },

    'response.id': async ({ call }) => {
      const created = await createCampaign(call);
      expect(created.id).toMatch(/^cmp_[a-z0-9]{12}$/);
      expectSpecAllows('dialnexa', 'createCampaign', 201, { ...created, id: 'cmp_xyz789' });
      expectSpecAllows('dialnexa', 'createCampaign', 201, { ...created, id: 'cmp_5tw8vz2rnx1q' });
    },

    'response.status': async ({ call }) => {
      expect((await createCampaign(call)).status).toBe('running');
      expect((await createCampaign(call, { name: 'Ahead', agent_id: 'agt_abc123', scheduled_at: '2999-01-01T00:00:00Z' })).status).toBe('active');
      for (const status of ['draft', 'active', 'running', 'paused', 'completed', 'cancelled']) {
        expectSpecAllows('dialnexa', 'createCampaign', 201, { ...RESPONSE_SCHEMA_EXAMPLE, status });
      }
    },

    'example.response-schema': async () => {
      expectSpecAllows('dialnexa', 'createCampaign', 201, RESPONSE_SCHEMA_EXAMPLE);
    },

    'example.response': async () => {
      expectSpecAllows('dialnexa', 'createCampaign', 201, RESPONSE_EXAMPLE);
    },

    'rule.incremental-leads': async (check) => {
      const { call, advance } = check;
      const campaign = await completedCampaign(check);
      const later = await addLead(call, campaign.id, '+14155550144');
      expect(later.status).toBe('pending');
      const reopened = await getCampaign(call, campaign.id);
      expect([reopened.status, reopened.total_leads, reopened.pending_calls]).toEqual(['running', 2, 1]);
      await advance(600);
      const done = await getCampaign(call, campaign.id);
      expect([done.status, done.completed_calls, done.pending_calls]).toEqual(['completed', 2, 0]);
      expect((await call('GET', `/v1/campaigns-leads/${later.id}`)).body.status).toBe('completed');
      // Cancelled is the one status that takes no lead.
      const other = await createCampaign(call);
      expect((await call('PATCH', `/v1/campaigns/${other.id}`, { body: { status: 'cancelled' } })).status).toBe(200);
      const refused = await call('POST', '/v1/campaigns-leads', { body: { phoneNumber: '+14155550145', campaignId: other.id } });
      expect([refused.status, refused.body]).toEqual([409, errorBody(409, 'Cannot add leads to a cancelled campaign', 'Conflict')]);
    },

    'rule.file-upload': async (check) => {
      const campaign = await completedCampaign(check);
      const csv = new FormData();
      csv.append('file', new Blob(['phone_number,name\n+14155550146,Ana\n'], { type: 'text/csv' }), 'leads.csv');
      const fromCsv = await check.call('POST', `/v1/campaigns-leads/upload-file/${campaign.id}`, { body: csv });
      expect([fromCsv.status, fromCsv.body.leads_created]).toEqual([201, 1]);
      const sheet = new FormData();
      sheet.append('file', new Blob([await xlsxFile([['phone_number', 'name'], [14155550147, 'Ben']])], { type: XLSX_TYPE }), 'leads.xlsx');
      const fromXlsx = await check.direct('POST', `/v1/campaigns-leads/upload-file/${campaign.id}`, { body: sheet });
      expect([fromXlsx.status, fromXlsx.body.leads_created]).toEqual([201, 1]);
      await check.advance(600);
      const done = await getCampaign(check.call, campaign.id);
      expect([done.status, done.total_leads, done.completed_calls]).toEqual(['completed', 3, 3]);
    },

    'rule.lifecycle': async ({ call }) => {
      const { id } = await createCampaign(call);
      const steps: Array<[string, number, string | undefined]> = [];
      for (const status of ['paused', 'running', 'paused', 'cancelled']) {
        const res = await call('PATCH', `/v1/campaigns/${id}`, { body: { status } });
        steps.push([status, res.status, res.body.status]);
      }
      expect(steps).toEqual([
        ['paused', 200, 'paused'],
        ['running', 200, 'running'],
        ['paused', 200, 'paused'],
        ['cancelled', 200, 'cancelled'],
      ]);
    },

    'rule.workflow': async ({ call, advance }) => {
      const campaign = await createCampaign(call, CREATE_REQUEST_EXAMPLE);
      const answered = await addLead(call, campaign.id, '+14155550148');
      const unanswered = await addLead(call, campaign.id, '+14155550002');
      await advance(60);
      expect((await call('GET', `/v1/campaigns-leads/${answered.id}`)).body.status).toBe('in_progress');
      const renamed = await call('PATCH', `/v1/campaigns/${campaign.id}`, { body: { name: 'Q2 wave 2' } });
      expect(renamed.body.name).toBe('Q2 wave 2');
      await advance(3 * 120 * 60);
      const lead = (await call('GET', `/v1/campaigns-leads/${answered.id}`)).body;
      expect([lead.status, lead.call_log_id]).toEqual(['completed', expect.stringMatching(/^log_/)]);
      expect((await call('GET', `/v1/campaigns-leads/${unanswered.id}`)).body.status).toBe('failed');
      const logs = await call('GET', `/v1/call-logs/campaign/${campaign.id}`);
      expect(logs.body.data.map((log: { status: string }) => log.status).sort()).toEqual(['completed', 'no_answer', 'no_answer', 'no_answer']);
    },
  },
  { auth },
);
