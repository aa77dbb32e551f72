import { expectField, field, keepField, type ContractPlan, type ContractStep, type Values } from '../../contract/plan.js';

/**
 * Sarvam's contract plan (specs/sarvam.yaml). Paths name an org and a workspace: `--set org=…`
 * and `--set workspace=…` (the mock accepts any; `org-contract` and `ws-contract` unless given).
 * Writes make campaigns with no webhook, whose users are fictional 555-01xx numbers: one
 * scheduled far ahead, two whose window is open now, and walk every edge of Sarvam's "Update Campaign Status" page's table: pause
 * from scheduled and active, resume to scheduled, cancel from scheduled, active and paused,
 * with the refused ones (pause a paused campaign, resume or update a cancelled one, update an
 * active one, add a cohort to a cancelled one). Every campaign made is cancelled by the end.
 */

const START_AHEAD = '2098-01-01T00:00:00Z';
const START_PAST = '2020-01-01T00:00:00Z';
const END = '2099-01-01T00:00:00Z';
const SCHEDULE = { allowed_start_time: '09:00', allowed_end_time: '18:00', allowed_days: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'], timezone: 'Asia/Kolkata' };
const APP_CONFIG = { app_id: 'campaign-mock-contract', app_type: 'agent', app_version: 1 };
const UNKNOWN_CAMPAIGN = 'camp-00000000';

const under = (v: Values, campaign?: string) => ({ org_id: v.org as string, workspace_id: v.workspace as string, ...(campaign === undefined ? {} : { campaign_id: v[campaign] as string }) });

const create = (name: string, start: string, keep: string, then: string): ContractStep => ({
  operationId: 'create-campaign',
  does: `creates a campaign, ${then}`,
  writes: true,
  expect: 200,
  needs: ['org', 'workspace'],
  request: (v) => ({ params: under(v), json: { name, description: 'campaign-mock contract', app_config: APP_CONFIG, start_timestamp: start, end_timestamp: END, allowed_schedule: SCHEDULE } }),
  check: expectField('status', then),
  keep: (answer, values) => {
    keepField('campaign_id', keep)(answer, values);
    keepField('campaign_id', 'campaign', { ifUnset: true })(answer, values);
  },
});

const act = (campaign: string, action: string, expect: number, does: string, then?: string): ContractStep => ({
  operationId: 'update-campaign-status',
  does,
  writes: true,
  expect,
  needs: ['org', 'workspace', campaign],
  request: (v) => ({ params: under(v, campaign), json: { action } }),
  ...(then ? { check: expectField('status', then) } : {}),
});

const update = (campaign: string, expect: number, does: string): ContractStep => ({
  operationId: 'update-campaign',
  does,
  writes: true,
  expect,
  needs: ['org', 'workspace', campaign],
  request: (v) => ({ params: under(v, campaign), json: { description: 'campaign-mock contract, updated' } }),
});

const stream = (campaign: string, expect: number, does: string): ContractStep => ({
  operationId: 'stream-cohort',
  does,
  writes: true,
  expect,
  needs: ['org', 'workspace', campaign],
  request: (v) => ({ params: under(v, campaign), json: { name: 'Contract stream', users: [{ user_phone_number: '+14155550107', user_identifier: 'contract-1' }] } }),
  ...(expect === 200 ? { keep: keepField('cohort_id', 'cohort', { ifUnset: true }) } : {}),
});

export const sarvamPlan: ContractPlan = {
  values: {
    org: { flag: '--set org=<org id>', what: 'org id' },
    workspace: { flag: '--set workspace=<workspace id>', what: 'workspace id' },
    campaign: { flag: '--campaign-id <id>', what: 'campaign id to read' },
    cohort: { flag: '--set cohort=<cohort id>', what: 'cohort id to read' },
    scheduled: { flag: '--write', what: 'scheduled campaign of this run' },
    active: { flag: '--write', what: 'active campaign of this run' },
    active2: { flag: '--write', what: 'second active campaign of this run' },
  },
  defaults: { org: 'org-contract', workspace: 'ws-contract' },
  steps: [
    {
      operationId: 'list-campaigns',
      does: 'refuses a request without a credential',
      writes: false,
      breaksSpec: true,
      expect: 401,
      needs: ['org', 'workspace'],
      request: (v) => ({ params: under(v), anonymous: true }),
    },
    {
      operationId: 'list-campaigns',
      does: 'refuses a limit of 0',
      writes: false,
      breaksSpec: true,
      expect: 422,
      needs: ['org', 'workspace'],
      request: (v) => ({ params: under(v), query: { limit: '0' } }),
    },
    {
      operationId: 'list-campaigns',
      does: 'lists campaigns, one page',
      writes: false,
      expect: 200,
      needs: ['org', 'workspace'],
      request: (v) => ({ params: under(v), query: { limit: '10', offset: '0' } }),
      keep: (answer, values) => {
        const first = (field(answer, 'items') as Array<{ campaign_id?: unknown }> | undefined)?.[0];
        if (values.campaign === undefined && typeof first?.campaign_id === 'string') values.campaign = first.campaign_id;
      },
    },
    {
      operationId: 'get-campaign',
      does: 'answers 404 for an unknown campaign',
      writes: false,
      expect: 404,
      needs: ['org', 'workspace'],
      request: (v) => ({ params: { ...under(v), campaign_id: UNKNOWN_CAMPAIGN } }),
    },
    {
      operationId: 'create-campaign',
      does: 'refuses a campaign that ends before it starts',
      writes: true,
      breaksSpec: true,
      expect: 422,
      needs: ['org', 'workspace'],
      request: (v) => ({ params: under(v), json: { name: 'contract', app_config: APP_CONFIG, start_timestamp: END, end_timestamp: START_AHEAD, allowed_schedule: SCHEDULE } }),
    },
    create('campaign-mock contract scheduled', START_AHEAD, 'scheduled', 'scheduled'),
    create('campaign-mock contract active', START_PAST, 'active', 'active'),
    create('campaign-mock contract active 2', START_PAST, 'active2', 'active'),
    {
      operationId: 'get-campaign',
      does: 'reads a campaign',
      writes: false,
      expect: 200,
      needs: ['org', 'workspace', 'campaign'],
      request: (v) => ({ params: under(v, 'campaign') }),
    },
    update('scheduled', 200, 'updates a scheduled campaign'),
    update('active', 409, 'refuses to update an active campaign'),
    stream('scheduled', 200, 'streams users into a scheduled campaign'),
    {
      operationId: 'upload-cohort',
      does: 'uploads a cohort file',
      writes: true,
      expect: 200,
      needs: ['org', 'workspace', 'scheduled'],
      request: (v) => ({
        params: under(v, 'scheduled'),
        form: () => {
          const form = new FormData();
          form.append('name', 'Contract upload');
          form.append('cohort_file', new Blob(['phone_number,customer_name\n+14155550108,Contract\n'], { type: 'text/csv' }), 'cohort.csv');
          return form;
        },
      }),
      check: expectField('status', 'completed'),
    },
    {
      operationId: 'create-cohort',
      does: 'creates a cohort from a source URL (completed, or failed when the URL cannot be read)',
      writes: true,
      expect: 200,
      needs: ['org', 'workspace', 'scheduled'],
      request: (v) => ({ params: under(v, 'scheduled'), json: { name: 'Contract source', source: { url: 'http://127.0.0.1:9/campaign-mock-contract.csv' } } }),
    },
    {
      operationId: 'list-cohorts',
      does: 'lists a campaign’s cohorts',
      writes: false,
      expect: 200,
      needs: ['org', 'workspace', 'campaign'],
      request: (v) => ({ params: under(v, 'campaign') }),
      keep: (answer, values) => {
        const first = (field(answer, 'items') as Array<{ cohort_id?: unknown }> | undefined)?.[0];
        if (values.cohort === undefined && typeof first?.cohort_id === 'string') values.cohort = first.cohort_id;
      },
    },
    {
      operationId: 'get-cohort',
      does: 'reads a cohort',
      writes: false,
      expect: 200,
      needs: ['org', 'workspace', 'campaign', 'cohort'],
      request: (v) => ({ params: { ...under(v, 'campaign'), cohort_id: v.cohort as string } }),
    },
    {
      operationId: 'get-cohort',
      does: 'answers 404 for an unknown cohort',
      writes: false,
      expect: 404,
      needs: ['org', 'workspace', 'campaign'],
      request: (v) => ({ params: { ...under(v, 'campaign'), cohort_id: 'coh-00000000' } }),
    },
    {
      operationId: 'list-webhook-deliveries',
      does: 'lists a campaign’s webhook deliveries',
      writes: false,
      expect: 200,
      needs: ['org', 'workspace', 'campaign'],
      request: (v) => ({ params: under(v, 'campaign'), query: { limit: '10' } }),
    },
    {
      operationId: 'list-webhook-deliveries',
      does: 'answers 404 for an unknown campaign',
      writes: false,
      expect: 404,
      needs: ['org', 'workspace'],
      request: (v) => ({ params: { ...under(v), campaign_id: UNKNOWN_CAMPAIGN } }),
    },
    {
      operationId: 'retry-webhook-deliveries',
      does: 'accepts a retry of deliveries (unknown ones are ignored)',
      writes: true,
      expect: 202,
      needs: ['org', 'workspace', 'scheduled'],
      request: (v) => ({ params: under(v, 'scheduled'), json: { attempt_ids: ['00000000-0000-7000-8000-000000000000'] } }),
    },
    act('scheduled', 'pause', 200, 'pauses a scheduled campaign', 'paused'),
    act('scheduled', 'pause', 409, 'refuses to pause a paused campaign'),
    update('scheduled', 200, 'updates a paused campaign'),
    act('scheduled', 'resume', 200, 'resumes a paused campaign (scheduled again: its start is ahead)', 'scheduled'),
    act('scheduled', 'cancel', 200, 'cancels a scheduled campaign', 'cancelled'),
    act('scheduled', 'resume', 409, 'refuses to resume a cancelled campaign'),
    update('scheduled', 409, 'refuses to update a cancelled campaign'),
    stream('scheduled', 409, 'refuses a cohort for a cancelled campaign'),
    act('active', 'pause', 200, 'pauses an active campaign', 'paused'),
    act('active', 'cancel', 200, 'cancels a paused campaign', 'cancelled'),
    act('active2', 'cancel', 200, 'cancels an active campaign', 'cancelled'),
  ],
};
