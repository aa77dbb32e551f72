import { expect } from 'vitest';
import { apiKeyHeaderAuth, type Caller } from '../helpers/caller.js';

/** What the Sarvam page's checks share: the page's own examples, and small steps. */

export const auth = apiKeyHeaderAuth;

export const BASE = '/api/scheduling/v1/orgs/org-acme/workspaces/ws-main';

const DAY = 24 * 3600 * 1000;

/** Every day, all day, in UTC: a campaign that may call at any time. */
export const ANY_TIME = {
  allowed_start_time: '00:00',
  allowed_end_time: '23:59',
  allowed_days: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
  timezone: 'UTC',
};

/** "Update Campaign", the curl example's body, its "<string>" placeholders filled in. */
export function updateCurlBody(endTimestamp: string) {
  return {
    name: 'Spring renewals wave 2',
    description: 'Renewal reminders, second wave',
    app_config: {
      app_id: 'renewal-agent',
      app_version: 2,
      attempts_per_second: 250.05,
      connection_configs: [{ connection_id: 'conn-exotel-001', phone_numbers: ['+918045678901'], weight: 1 }],
      retry_config: {
        max_retries: 10,
        retry_on: {
          busy: { enabled: true },
          failed: { enabled: true },
          no_answer: { enabled: true },
          short_duration: { enabled: true, threshold_seconds: 123 },
          provider_error: { enabled: true, max_retries: 10, retry_interval_minutes: 6 },
          internal_error: { enabled: true, max_retries: 3, retry_interval_minutes: 5 },
        },
        retry_interval_minutes: [],
      },
      app_type: 'agent',
      webhook_config: { url: 'http://127.0.0.1:9/hooks/sarvam', metadata: {} },
    },
    end_timestamp: endTimestamp,
    allowed_schedule: { allowed_start_time: '09:00', allowed_end_time: '18:00', allowed_days: ['Monday'], timezone: 'Asia/Kolkata' },
  };
}

/** "Update Campaign", the response example as the page writes it. */
export const RESPONSE_EXAMPLE = {
  name: '<string>',
  campaign_id: '<string>',
  status: 'ended',
  app_id: '<string>',
  created_by: '<string>',
  created_at: '2023-11-07T05:31:56Z',
  updated_at: '2023-11-07T05:31:56Z',
  description: '<string>',
  app_type: 'agent',
  app_version: 123,
  updated_by: '<string>',
};

export const REQUIRED_RESPONSE_FIELDS = ['name', 'campaign_id', 'status', 'app_id', 'created_by', 'created_at', 'updated_at'];

/** A campaign created through the API, scheduled a year ahead unless `startsIn` says sooner (ms). */
export async function createCampaign(call: Caller, app: Record<string, unknown> = {}, startsIn = 365 * DAY, schedule = ANY_TIME) {
  const start = Date.now() + startsIn;
  const res = await call('POST', `${BASE}/campaigns`, {
    body: {
      name: 'Page check',
      app_config: { app_id: 'renewal-agent', ...app },
      start_timestamp: new Date(start).toISOString(),
      end_timestamp: new Date(start + 30 * DAY).toISOString(),
      allowed_schedule: schedule,
    },
  });
  expect(res.status, res.text).toBe(200);
  return res.body as Record<string, any> & { campaign_id: string; status: string };
}

export async function getCampaign(call: Caller, id: string) {
  const res = await call('GET', `${BASE}/campaigns/${id}`);
  expect(res.status, res.text).toBe(200);
  return res.body as Record<string, any>;
}

export const patch = (call: Caller, id: string, body: unknown, invalid = false) => call('PATCH', `${BASE}/campaigns/${id}`, { body, ...(invalid ? { invalid } : {}) });

/** An end time inside the campaign's 30 days, as the API writes times. */
export const laterEnd = (campaign: { start_timestamp?: string }, days = 20) => new Date(Date.parse(campaign.start_timestamp as string) + days * DAY).toISOString();
