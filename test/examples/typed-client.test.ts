import createClient from 'openapi-fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type Mock } from 'campaign-mock';
import type { paths as AdminPaths } from './types/admin.js';
import type { paths as AsissoPaths } from './types/asisso.js';
import type { paths as DialnexaPaths } from './types/dialnexa.js';
import type { paths as SarvamPaths } from './types/sarvam.js';

// Types generated from the bundled specs by `npm run types` (openapi-typescript); openapi-fetch
// turns them into clients whose paths, parameters, bodies and answers are all checked by tsc.
describe('typed clients generated from the bundled specs, against campaign-mock', () => {
  let mock: Mock;
  beforeAll(async () => {
    mock = await startMock({ speed: 0 });
  });
  afterAll(() => mock.close());

  it('DialNexa: a campaign and its lead, dialed to completion', async () => {
    const key = 'dnx_test_typed';
    const dialnexa = createClient<DialnexaPaths>({ baseUrl: mock.url, headers: { Authorization: `Bearer ${key}` } });
    const { data: campaign } = await dialnexa.POST('/v1/campaigns', {
      body: { name: 'Typed', agent_id: 'agt_1', from_phone_number: '+14155550100' },
    });
    if (!campaign) throw new Error('the campaign was not created');
    await dialnexa.POST('/v1/campaigns-leads', { body: { phoneNumber: '+14155551234', campaignId: campaign.id } });

    await mock.advance(3600, key);

    const { data: read } = await dialnexa.GET('/v1/campaigns/{id}', { params: { path: { id: campaign.id } } });
    expect(read).toMatchObject({ status: 'completed', completed_calls: 1, pending_calls: 0 });
  });

  it('DialNexa: an error comes back typed as its envelope', async () => {
    const dialnexa = createClient<DialnexaPaths>({ baseUrl: mock.url, headers: { Authorization: 'Bearer dnx_test_typed' } });
    const { data, error, response } = await dialnexa.GET('/v1/campaigns/{id}', { params: { path: { id: 'cmp_000000000000' } } });
    expect(data).toBeUndefined();
    expect(response.status).toBe(404);
    expect(error?.message).toBe('Campaign not found');
  });

  it('Asisso: an uploaded CSV becomes a campaign that starts', async () => {
    const asisso = createClient<AsissoPaths>({ baseUrl: mock.url, headers: { 'X-API-Key': 'as_test_typed' } });
    const csv = 'phone_number,name\n+14155551000,Ana\n';
    const { data: upload } = await asisso.POST('/api/v1/s3/presigned-upload-url', { body: { file_name: 'contacts.csv', file_size: csv.length } });
    if (!upload) throw new Error('no upload URL');
    const put = await fetch(upload.upload_url, { method: 'PUT', headers: { 'content-type': 'text/csv' }, body: csv });
    expect(put.ok).toBe(true);
    const { data: campaign } = await asisso.POST('/api/v1/campaign/create', {
      body: { name: 'Typed', workflow_id: 42, source_type: 'csv', source_id: upload.file_key },
    });
    if (!campaign) throw new Error('the campaign was not created');
    const { data: started } = await asisso.POST('/api/v1/campaign/{campaign_id}/start', { params: { path: { campaign_id: campaign.id } } });
    expect(started).toMatchObject({ state: 'running', total_rows: 1 });
  });

  it('Sarvam: a campaign with a cohort, paused through its status', async () => {
    const sarvam = createClient<SarvamPaths>({ baseUrl: mock.url, headers: { 'X-API-Key': 'sarvam_test_typed' } });
    const workspace = { org_id: 'org-demo', workspace_id: 'ws-demo' };
    const { data: campaign } = await sarvam.POST('/api/scheduling/v1/orgs/{org_id}/workspaces/{workspace_id}/campaigns', {
      params: { path: workspace },
      body: {
        name: 'Typed',
        app_config: { app_id: 'payment-reminder-agent', app_type: 'agent', app_version: 3 },
        start_timestamp: '2025-01-01T03:30:00Z',
        end_timestamp: '2099-12-31T12:30:00Z',
        allowed_schedule: { allowed_start_time: '09:00', allowed_end_time: '18:00', allowed_days: ['Monday', 'Friday'], timezone: 'Asia/Kolkata' },
      },
    });
    if (!campaign) throw new Error('the campaign was not created');
    const path = { ...workspace, campaign_id: campaign.campaign_id };
    const { data: cohort } = await sarvam.POST('/api/scheduling/v1/orgs/{org_id}/workspaces/{workspace_id}/campaigns/{campaign_id}/cohorts/stream', {
      params: { path },
      body: { name: 'Typed cohort', users: [{ user_phone_number: '+919812345678' }] },
    });
    expect(cohort).toBeDefined();
    const { data: paused } = await sarvam.PUT('/api/scheduling/v1/orgs/{org_id}/workspaces/{workspace_id}/campaigns/{campaign_id}/status', {
      params: { path },
      body: { action: 'pause' },
    });
    expect(paused).toMatchObject({ campaign_id: campaign.campaign_id, status: 'paused' });
  });

  it('the control plane: advance a sandbox, then read its campaigns, timeline and place among the sandboxes', async () => {
    const key = 'dnx_test_typed_admin';
    const dialnexa = createClient<DialnexaPaths>({ baseUrl: mock.url, headers: { Authorization: `Bearer ${key}` } });
    const { data: campaign } = await dialnexa.POST('/v1/campaigns', { body: { name: 'Typed admin', agent_id: 'agt_1', from_phone_number: '+14155550100' } });
    if (!campaign) throw new Error('the campaign was not created');
    await dialnexa.POST('/v1/campaigns-leads', { body: { phoneNumber: '+14155551234', campaignId: campaign.id } });

    const admin = createClient<AdminPaths>({ baseUrl: mock.url });
    const { data: advanced } = await admin.POST('/__admin/clock/advance', { params: { query: { key } }, body: { seconds: 3600 } });
    expect(advanced?.now).toBeDefined();
    const { data: listed } = await admin.GET('/__admin/campaigns', { params: { query: { key } } });
    expect(listed?.campaigns).toMatchObject([{ vendor: 'dialnexa', id: campaign.id, status: 'completed', progress: { done: 1, total: 1 } }]);
    const { data: timeline } = await admin.GET('/__admin/timeline', { params: { query: { key } } });
    expect(timeline?.totals).toEqual({ placed: 1, answered: 1, failed: 0, retried: 0 });
    const { data: sandboxes } = await admin.GET('/__admin/sandboxes');
    expect(sandboxes?.sandboxes.find((sandbox) => sandbox.key === key)).toMatchObject({ vendors: ['dialnexa'], requests: 2 });
  });
});
