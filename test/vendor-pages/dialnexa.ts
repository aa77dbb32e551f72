import { expect } from 'vitest';
import { bearerAuth, type Caller } from '../helpers/caller.js';
import type { PageCheck } from '../helpers/vendor-page.js';

/** What the DialNexa pages' checks share: the pages' own examples, and small steps. */

export const auth = bearerAuth;

/** A keys file with a key that may not read campaigns ("Get a campaign": 403). */
export const KEYS_FILE = new URL('./dialnexa-keys.yaml', import.meta.url).pathname;

export const errorBody = (statusCode: number, message: string | string[], error: string) => ({ statusCode, message, error });

/** "Create a campaign", the curl example's body, as the page writes it. */
export const CREATE_CURL_BODY = {
  name: 'Q2 Lead Re-engagement',
  agent_id: 'agt_abc123',
  from_phone_number: '+912234567890',
  scheduled_at: '2023-11-07T05:31:56Z',
  max_concurrent_calls: 5,
  retry_config: { max_retries: 3, retry_interval_minutes: 120 },
};

/** "Create a campaign", the "Request example". */
export const CREATE_REQUEST_EXAMPLE = {
  name: 'Q2 Lead Re-engagement',
  agent_id: 'agt_abc123',
  from_phone_number: '+912234567890',
  max_concurrent_calls: 5,
  retry_config: { max_retries: 2, retry_interval_minutes: 120 },
};

/** The response schema's example, the same on the three campaign pages. */
export const RESPONSE_SCHEMA_EXAMPLE = {
  id: 'cmp_xyz789',
  organization_id: 'org_xyz',
  name: 'Q2 Lead Re-engagement',
  agent_id: 'agt_abc123',
  from_phone_number: '+912234567890',
  status: 'running',
  max_concurrent_calls: 5,
  scheduled_at: null,
  retry_config: { max_retries: 3, retry_interval_minutes: 120 },
  created_at: '2024-03-01T09:00:00.000Z',
};

/** The "Response" example of "Create a campaign" and "Get a campaign" ("Update a campaign" has max_concurrent_calls 10). */
export const RESPONSE_EXAMPLE = {
  id: 'cmp_5tw8vz2rnx1q',
  name: 'Q2 Lead Re-engagement',
  status: 'active',
  agent_id: 'agt_k7m2nq9xw4p8',
  from_phone_number: '+912234567890',
  max_concurrent_calls: 5,
  total_leads: 1200,
  completed_calls: 438,
  pending_calls: 762,
  created_at: '2024-05-01T09:00:00.000Z',
};

/** ISO 8601 with milliseconds and Z, as DialNexa writes times. */
export const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A campaign created through the API; fails the check when the create does. */
export async function createCampaign(call: Caller, body: Record<string, unknown> = { name: 'Page check', agent_id: 'agt_abc123' }) {
  const res = await call('POST', '/v1/campaigns', { body });
  expect(res.status, res.text).toBe(201);
  return res.body as Record<string, any> & { id: string; status: string };
}

/** A lead added through the API. A number that ends in 0002 is never answered (a magic number). */
export async function addLead(call: Caller, campaignId: string, phoneNumber = '+14155550142') {
  const res = await call('POST', '/v1/campaigns-leads', { body: { phoneNumber, campaignId } });
  expect(res.status, res.text).toBe(201);
  return res.body as Record<string, any> & { id: string; status: string };
}

export async function getCampaign(call: Caller, id: string) {
  const res = await call('GET', `/v1/campaigns/${id}`);
  expect(res.status, res.text).toBe(200);
  return res.body as Record<string, any>;
}

/** A campaign of one lead, dialed to the end: it is completed. */
export async function completedCampaign(check: PageCheck) {
  const campaign = await createCampaign(check.call);
  await addLead(check.call, campaign.id, '+14155550143');
  await check.advance(600);
  expect((await getCampaign(check.call, campaign.id)).status).toBe('completed');
  return campaign;
}
