import { expectField, field, keepField, type ContractPlan, type ContractStep } from '../../contract/plan.js';

/**
 * DialNexa's contract plan (specs/dialnexa.yaml). Writes make campaigns scheduled far ahead
 * (`active`, so nothing dials), a webhook to example.com, and leads with fictional 555-01xx
 * numbers; every campaign made is cancelled before the end. The lifecycle walks each edge of
 * the PATCH `status` table: active → paused → active → cancelled, running → paused → cancelled,
 * running → cancelled, and the refused ones (already paused, resuming a cancelled campaign).
 * A batch call is made to start far ahead too (`scheduled`), and walks scheduled → paused →
 * scheduled → cancelled, with the actions its status refuses.
 */

const FUTURE = '2099-01-01T09:00:00.000Z';
const campaignBody = (name: string, scheduled: boolean) => ({
  name,
  agent_id: 'agt_contract',
  from_phone_number: '+14155550100',
  ...(scheduled ? { scheduled_at: FUTURE } : {}),
  max_concurrent_calls: 1,
  retry_config: { max_retries: 0, retry_interval_minutes: 30 },
});

/** A batch upload: one fictional recipient, starting far ahead. */
const batchForm = (title: string, csv: string) => () => {
  const form = new FormData();
  form.append('file', new Blob([csv], { type: 'text/csv' }), 'leads.csv');
  form.append('title', title);
  form.append('agent_id', 'agt_contract');
  form.append('starts_at', FUTURE);
  return form;
};

const batchAction = (action: string, expect: number, does: string, then?: string): ContractStep => ({
  operationId: 'updateBatchCallStatus',
  does,
  writes: true,
  expect,
  needs: ['ownBatch'],
  request: (v) => ({ params: { id: v.ownBatch as string }, json: { action } }),
  ...(then ? { check: (answer) => expectField('status', then)({ ...answer, body: field(answer, 'campaign') }) } : {}),
});

const setStatus = (value: string, status: string, expect: number, does: string, then?: string): ContractStep => ({
  operationId: 'updateCampaign',
  does,
  writes: true,
  expect,
  needs: [value],
  request: (v) => ({ params: { id: v[value] as string }, json: { status } }),
  ...(then ? { check: expectField('status', then) } : {}),
});

export const dialnexaPlan: ContractPlan = {
  values: {
    campaign: { flag: '--campaign-id <id>', what: 'campaign id to read' },
    lead: { flag: '--set lead=<lead id>', what: 'lead id to read' },
    scheduled: { flag: '--write', what: 'campaign of this run' },
    running: { flag: '--write', what: 'running campaign of this run' },
    running2: { flag: '--write', what: 'second running campaign of this run' },
    ownLead: { flag: '--write', what: 'lead of this run' },
    etag: { flag: '--write', what: 'ETag from the call-log list' },
    batch: { flag: '--set batch=<batch call id>', what: 'batch call id to read' },
    ownBatch: { flag: '--write', what: 'batch call of this run' },
  },
  steps: [
    {
      operationId: 'listCallLogs',
      does: 'refuses a request without a credential',
      writes: false,
      breaksSpec: true,
      expect: 401,
      request: () => ({ anonymous: true }),
    },
    {
      operationId: 'listCallLogs',
      does: 'lists call logs, one page',
      writes: false,
      expect: 200,
      request: () => ({ query: { page: '1', limit: '5' } }),
      keep: (answer, values) => {
        const etag = answer.headers.get('etag');
        if (etag) values.etag = etag;
      },
    },
    {
      operationId: 'listCallLogs',
      does: 'answers 304 to the ETag of an unchanged list',
      writes: false,
      expect: 304,
      needs: ['etag'],
      request: (v) => ({ query: { page: '1', limit: '5' }, headers: { 'if-none-match': v.etag as string } }),
    },
    {
      operationId: 'listCallLogs',
      does: 'refuses a limit over 100',
      writes: false,
      breaksSpec: true,
      expect: 400,
      request: () => ({ query: { limit: '101' } }),
    },
    {
      operationId: 'getCampaign',
      does: 'answers 404 for an unknown campaign',
      writes: false,
      expect: 404,
      request: () => ({ params: { id: 'cmp_000000000000' } }),
    },
    {
      operationId: 'getCampaignLead',
      does: 'answers 404 for an unknown lead',
      writes: false,
      expect: 404,
      request: () => ({ params: { id: 'lead_000000000000' } }),
    },
    {
      operationId: 'createCampaign',
      does: 'refuses a campaign without its required fields',
      writes: true,
      breaksSpec: true,
      expect: 400,
      request: () => ({ json: { name: '' } }),
    },
    {
      operationId: 'createCampaign',
      does: 'creates a campaign scheduled ahead, active',
      writes: true,
      expect: 201,
      request: () => ({ json: campaignBody('campaign-mock contract (scheduled)', true) }),
      check: expectField('status', 'active'),
      keep: (answer, values) => {
        keepField('id', 'scheduled')(answer, values);
        keepField('id', 'campaign', { ifUnset: true })(answer, values);
      },
    },
    {
      operationId: 'createCampaign',
      does: 'creates a campaign that starts now, running',
      writes: true,
      expect: 201,
      request: () => ({ json: campaignBody('campaign-mock contract (running)', false) }),
      check: expectField('status', 'running'),
      keep: keepField('id', 'running'),
    },
    {
      operationId: 'createCampaign',
      does: 'creates a second running campaign',
      writes: true,
      expect: 201,
      request: () => ({ json: campaignBody('campaign-mock contract (running, cancelled)', false) }),
      keep: keepField('id', 'running2'),
    },
    {
      operationId: 'getCampaign',
      does: 'reads a campaign',
      writes: false,
      expect: 200,
      needs: ['campaign'],
      request: (v) => ({ params: { id: v.campaign as string } }),
    },
    {
      operationId: 'updateCampaign',
      does: 'renames a campaign',
      writes: true,
      expect: 200,
      needs: ['scheduled'],
      request: (v) => ({ params: { id: v.scheduled as string }, json: { name: 'campaign-mock contract (renamed)', retry_config: { max_retries: 1 } } }),
      check: expectField('name', 'campaign-mock contract (renamed)'),
    },
    {
      operationId: 'updateCampaign',
      does: 'answers 404 for an unknown campaign',
      writes: true,
      expect: 404,
      request: () => ({ params: { id: 'cmp_000000000000' }, json: { name: 'nobody' } }),
    },
    {
      operationId: 'createCampaignLead',
      does: 'adds a lead',
      writes: true,
      expect: 201,
      needs: ['scheduled'],
      request: (v) => ({ json: { name: 'Contract Lead', phoneNumber: '+14155550101', campaignId: v.scheduled, notes: { source: 'campaign-mock contract' } } }),
      check: expectField('status', 'pending'),
      keep: (answer, values) => {
        keepField('id', 'ownLead')(answer, values);
        keepField('id', 'lead', { ifUnset: true })(answer, values);
      },
    },
    {
      operationId: 'createCampaignLead',
      does: 'answers 404 for a lead of an unknown campaign',
      writes: true,
      expect: 404,
      request: () => ({ json: { phoneNumber: '+14155550102', campaignId: 'cmp_000000000000' } }),
    },
    {
      operationId: 'getCampaignLead',
      does: 'reads a lead',
      writes: false,
      expect: 200,
      needs: ['lead'],
      request: (v) => ({ params: { id: v.lead as string } }),
    },
    {
      operationId: 'uploadCampaignLeads',
      does: 'uploads leads from a CSV file',
      writes: true,
      expect: 201,
      needs: ['scheduled'],
      request: (v) => ({
        params: { campaignId: v.scheduled as string },
        form: () => {
          const form = new FormData();
          form.append('file', new Blob(['phone_number,name\n+14155550103,Upload One\n+14155550104,Upload Two\n'], { type: 'text/csv' }), 'leads.csv');
          return form;
        },
      }),
      check: expectField('leads_created', 2),
    },
    {
      operationId: 'uploadCampaignLeads',
      does: 'refuses a file without a phone_number column',
      writes: true,
      expect: 400,
      needs: ['scheduled'],
      request: (v) => ({
        params: { campaignId: v.scheduled as string },
        form: () => {
          const form = new FormData();
          form.append('file', new Blob(['name\nNobody\n'], { type: 'text/csv' }), 'leads.csv');
          return form;
        },
      }),
    },
    {
      operationId: 'listCampaignCallLogs',
      does: 'lists a campaign’s call logs',
      writes: false,
      expect: 200,
      needs: ['campaign'],
      request: (v) => ({ params: { campaignId: v.campaign as string } }),
    },
    {
      operationId: 'listCampaignCallLogs',
      does: 'answers 404 for an unknown campaign',
      writes: false,
      expect: 404,
      request: () => ({ params: { campaignId: 'cmp_000000000000' } }),
    },
    {
      operationId: 'createUserWebhook',
      does: 'registers a webhook',
      writes: true,
      expect: 201,
      request: () => ({ json: { url: 'https://example.com/campaign-mock-contract', events: ['campaign.completed', 'campaign.paused'], secret: 'whsec_contract', is_active: false } }),
    },
    {
      operationId: 'createUserWebhook',
      does: 'refuses an unknown event',
      writes: true,
      breaksSpec: true,
      expect: 400,
      request: () => ({ json: { url: 'https://example.com/campaign-mock-contract', events: ['no.such.event'] } }),
    },
    setStatus('scheduled', 'paused', 200, 'pauses an active campaign', 'paused'),
    setStatus('scheduled', 'paused', 409, 'refuses to pause a paused campaign'),
    setStatus('scheduled', 'running', 200, 'resumes a paused campaign (active again: its start is ahead)', 'active'),
    {
      operationId: 'deleteCampaignLead',
      does: 'removes a lead',
      writes: true,
      expect: 200,
      needs: ['ownLead'],
      request: (v) => ({ params: { id: v.ownLead as string } }),
    },
    {
      operationId: 'deleteCampaignLead',
      does: 'answers 404 for a lead already removed',
      writes: true,
      expect: 404,
      needs: ['ownLead'],
      request: (v) => ({ params: { id: v.ownLead as string } }),
    },
    setStatus('scheduled', 'cancelled', 200, 'cancels an active campaign', 'cancelled'),
    setStatus('scheduled', 'running', 409, 'refuses to resume a cancelled campaign'),
    {
      operationId: 'createCampaignLead',
      does: 'refuses a lead for a cancelled campaign',
      writes: true,
      expect: 409,
      needs: ['scheduled'],
      request: (v) => ({ json: { phoneNumber: '+14155550105', campaignId: v.scheduled } }),
    },
    setStatus('running', 'paused', 200, 'pauses a running campaign', 'paused'),
    setStatus('running', 'cancelled', 200, 'cancels a paused campaign', 'cancelled'),
    setStatus('running2', 'cancelled', 200, 'cancels a running campaign', 'cancelled'),
    {
      operationId: 'listBatchCalls',
      does: 'lists batch calls, one page',
      writes: false,
      expect: 200,
      request: () => ({ query: { page: '1', limit: '5' } }),
    },
    {
      operationId: 'listBatchCalls',
      does: 'refuses a limit that is not a number',
      writes: false,
      breaksSpec: true,
      expect: 400,
      request: () => ({ query: { limit: 'many' } }),
    },
    {
      operationId: 'getBatchCall',
      does: 'answers 404 for an unknown batch call',
      writes: false,
      expect: 404,
      request: () => ({ params: { id: 'batch_000000000000' } }),
    },
    {
      operationId: 'getBatchCall',
      does: 'answers 400 for an id that cannot be a batch call’s',
      writes: false,
      expect: 400,
      request: () => ({ params: { id: 'not-a-batch' } }),
    },
    {
      operationId: 'createBatchCall',
      does: 'refuses a title over 35 characters',
      writes: true,
      breaksSpec: true,
      expect: 400,
      request: () => ({ form: batchForm('campaign-mock contract, a title far too long', 'phone_number\n+14155550106\n') }),
    },
    {
      operationId: 'createBatchCall',
      does: 'refuses a file without a phone_number column',
      writes: true,
      expect: 400,
      request: () => ({ form: batchForm('campaign-mock contract', 'name\nNobody\n') }),
    },
    {
      operationId: 'createBatchCall',
      does: 'uploads a batch that starts far ahead',
      writes: true,
      expect: 201,
      request: () => ({ form: batchForm('campaign-mock contract', 'phone_number,name\n+14155550106,Batch One\n') }),
      check: expectField('status', 'initiated'),
      keep: (answer, values) => {
        keepField('id', 'ownBatch')(answer, values);
        keepField('id', 'batch', { ifUnset: true })(answer, values);
      },
    },
    {
      operationId: 'getBatchCall',
      does: 'reads a batch call’s call logs',
      writes: false,
      expect: 200,
      needs: ['batch'],
      request: (v) => ({ params: { id: v.batch as string }, query: { limit: '5' } }),
    },
    batchAction('resume', 400, 'refuses to resume a batch that is not paused'),
    batchAction('pause', 200, 'pauses a scheduled batch', 'paused'),
    batchAction('resume', 200, 'resumes it (scheduled again: its start is ahead)', 'scheduled'),
    batchAction('cancel', 200, 'cancels it', 'cancelled'),
    batchAction('pause', 400, 'refuses to pause a cancelled batch'),
  ],
};
