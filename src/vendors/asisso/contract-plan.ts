import { expectField, field, keepField, type ContractPlan, type ContractStep } from '../../contract/plan.js';

/**
 * Asisso's contract plan (specs/asisso.yaml). Writes upload a CSV of one fictional 555-01xx
 * number, create a campaign from it and walk its lifecycle: draft → running → paused → running
 * → paused (it ends paused: Asisso has no cancel), with each refused action on the way (start,
 * pause, resume and update where the state does not allow them). `--set workflow=<id>` names the
 * workflow of the campaign (1 unless given).
 */

const UPLOAD_PATH = /^\/api\/v1\/s3\/campaigns\/([^/]+)\/([^/?]+)$/;
const CSV = 'phone_number,first_name\n+14155550106,Contract\n';

const action = (operationId: string, expect: number, does: string, then?: string): ContractStep => ({
  operationId,
  does,
  writes: true,
  expect,
  needs: ['own'],
  // Redial takes its options as a body (every one optional); the other actions take none.
  request: (v) => ({ params: { campaign_id: v.own as string }, ...(operationId === 'redialCampaign' ? { json: {} } : {}) }),
  ...(then ? { check: expectField('state', then) } : {}),
});

const update = (expect: number, does: string): ContractStep => ({
  operationId: 'updateCampaign',
  does,
  writes: true,
  expect,
  needs: ['own'],
  request: (v) => ({ params: { campaign_id: v.own as string }, json: { max_concurrency: 2 } }),
});

export const asissoPlan: ContractPlan = {
  values: {
    campaign: { flag: '--campaign-id <id>', what: 'campaign id to read' },
    own: { flag: '--write', what: 'campaign of this run' },
    uploadUrl: { flag: '--write', what: 'presigned upload URL' },
    fileKey: { flag: '--write', what: 'uploaded CSV' },
  },
  defaults: { workflow: '1' },
  steps: [
    {
      operationId: 'listCampaigns',
      does: 'refuses a request without a credential',
      writes: false,
      breaksSpec: true,
      expect: 401,
      request: () => ({ anonymous: true }),
    },
    {
      operationId: 'listCampaigns',
      does: 'lists the campaigns',
      writes: false,
      expect: 200,
      request: () => ({}),
      keep: (answer, values) => {
        const first = (field(answer, 'campaigns') as Array<{ id?: unknown }> | undefined)?.[0];
        if (values.campaign === undefined && first?.id !== undefined) values.campaign = String(first.id);
      },
    },
    {
      operationId: 'getCampaign',
      does: 'answers 404 for an unknown campaign',
      writes: false,
      expect: 404,
      request: () => ({ params: { campaign_id: 999999999 } }),
    },
    {
      operationId: 'getCampaign',
      does: 'refuses a campaign id that is not a number',
      writes: false,
      breaksSpec: true,
      expect: 422,
      request: () => ({ params: { campaign_id: 'abc' } }),
    },
    {
      operationId: 'createPresignedUploadUrl',
      does: 'hands out an upload URL for a CSV',
      writes: true,
      expect: 200,
      request: () => ({ json: { file_name: 'campaign-mock-contract.csv', file_size: CSV.length, content_type: 'text/csv' } }),
      keep: (answer, values) => {
        keepField('upload_url', 'uploadUrl')(answer, values);
        keepField('file_key', 'fileKey')(answer, values);
      },
    },
    {
      operationId: 'createPresignedUploadUrl',
      does: 'refuses a file that is not CSV',
      writes: true,
      breaksSpec: true,
      expect: 422,
      request: () => ({ json: { file_name: 'contacts.xlsx', file_size: 10 } }),
    },
    {
      operationId: 'uploadCampaignSource',
      does: 'takes the CSV at the upload URL',
      writes: true,
      expect: 200,
      needs: ['uploadUrl'],
      request: (v) => {
        const url = new URL(v.uploadUrl as string);
        const match = UPLOAD_PATH.exec(url.pathname);
        const text = { body: CSV, contentType: 'text/csv' };
        // An upload URL pointing at S3 (the live vendor) is not part of the API's contract.
        if (!match) return { outsideUrl: url.href, text };
        return { params: { organization_id: decodeURIComponent(match[1] as string), object_name: decodeURIComponent(match[2] as string) }, query: Object.fromEntries(url.searchParams), text, anonymous: true };
      },
    },
    {
      operationId: 'createCampaign',
      does: 'refuses a CSV that was never uploaded',
      writes: true,
      expect: 400,
      request: (v) => ({ json: { name: 'campaign-mock contract', workflow_id: Number(v.workflow), source_type: 'csv', source_id: 'campaigns/0/missing.csv' } }),
    },
    {
      operationId: 'createCampaign',
      does: 'creates a campaign from the uploaded CSV, in draft',
      writes: true,
      expect: 200,
      needs: ['fileKey'],
      request: (v) => ({
        json: {
          name: 'campaign-mock contract',
          workflow_id: Number(v.workflow),
          source_type: 'csv',
          source_id: v.fileKey,
          max_concurrency: 1,
          retry_config: { enabled: false },
        },
      }),
      check: expectField('state', 'draft'),
      keep: (answer, values) => {
        keepField('id', 'own')(answer, values);
        keepField('id', 'campaign', { ifUnset: true })(answer, values);
      },
    },
    {
      operationId: 'getCampaign',
      does: 'reads a campaign',
      writes: false,
      expect: 200,
      needs: ['campaign'],
      request: (v) => ({ params: { campaign_id: v.campaign as string } }),
    },
    update(200, 'updates a draft campaign'),
    action('pauseCampaign', 400, 'refuses to pause a draft campaign'),
    action('resumeCampaign', 400, 'refuses to resume a draft campaign'),
    action('redialCampaign', 400, 'refuses to redial a campaign that is not completed'),
    action('startCampaign', 200, 'starts a draft campaign', 'running'),
    action('startCampaign', 400, 'refuses to start a running campaign'),
    action('resumeCampaign', 400, 'refuses to resume a running campaign'),
    update(400, 'refuses to update a running campaign'),
    action('pauseCampaign', 200, 'pauses a running campaign', 'paused'),
    update(200, 'updates a paused campaign'),
    action('resumeCampaign', 200, 'resumes a paused campaign', 'running'),
    action('pauseCampaign', 200, 'pauses it again, so the run leaves nothing dialing', 'paused'),
    {
      operationId: 'redialCampaign',
      does: 'answers 404 for an unknown campaign',
      writes: true,
      expect: 404,
      request: () => ({ params: { campaign_id: 999999999 }, json: {} }),
    },
    {
      operationId: 'getCampaignProgress',
      does: 'reads a campaign’s progress',
      writes: false,
      expect: 200,
      needs: ['campaign'],
      request: (v) => ({ params: { campaign_id: v.campaign as string } }),
    },
    {
      operationId: 'getCampaignProgress',
      does: 'answers 404 for an unknown campaign',
      writes: false,
      expect: 404,
      request: () => ({ params: { campaign_id: 999999999 } }),
    },
    {
      operationId: 'listCampaignRuns',
      does: 'lists a campaign’s runs',
      writes: false,
      expect: 200,
      needs: ['campaign'],
      request: (v) => ({ params: { campaign_id: v.campaign as string }, query: { page: '1', limit: '10' } }),
    },
    {
      operationId: 'listCampaignRuns',
      does: 'refuses filters that are not JSON',
      writes: false,
      expect: 400,
      needs: ['campaign'],
      request: (v) => ({ params: { campaign_id: v.campaign as string }, query: { filters: 'not json' } }),
    },
    {
      operationId: 'listCampaignRuns',
      does: 'refuses a filter on an attribute that may not be filtered',
      writes: false,
      expect: 403,
      needs: ['campaign'],
      request: (v) => ({ params: { campaign_id: v.campaign as string }, query: { filters: '[{"attribute":"callerNumber","type":"text","value":{"value":"1"}}]' } }),
    },
  ],
};
