import { expect } from 'vitest';
import { apiKeyHeaderAuth, type Caller } from '../helpers/caller.js';

/** What the Asisso page's checks share: the page's own examples, and small steps. */

export const auth = apiKeyHeaderAuth;

/** "Update Campaign", the curl example's body, its "<string>" placeholders filled in. */
export const UPDATE_CURL_BODY = {
  name: 'Spring renewals (wave 2)',
  retry_config: { enabled: true, max_retries: 2, retry_delay_seconds: 120, retry_on_busy: true, retry_on_no_answer: true, retry_on_voicemail: true },
  max_concurrency: 50,
  schedule_config: { slots: [{ day_of_week: 3, start_time: '09:00', end_time: '17:00' }], enabled: true, timezone: 'UTC' },
  circuit_breaker: { enabled: true, failure_threshold: 0.5, window_seconds: 120, min_calls_in_window: 5 },
};

/** "Update Campaign", the response example as the page writes it. */
export const RESPONSE_EXAMPLE = {
  id: 123,
  name: '<string>',
  workflow_id: 123,
  workflow_name: '<string>',
  state: '<string>',
  source_type: '<string>',
  source_id: '<string>',
  total_rows: 123,
  processed_rows: 123,
  failed_rows: 123,
  created_at: '2023-11-07T05:31:56Z',
  started_at: '2023-11-07T05:31:56Z',
  completed_at: '2023-11-07T05:31:56Z',
  retry_config: { enabled: true, max_retries: 123, retry_delay_seconds: 123, retry_on_busy: true, retry_on_no_answer: true, retry_on_voicemail: true },
  max_concurrency: 123,
  schedule_config: { enabled: true, timezone: '<string>', slots: [{ day_of_week: 123, start_time: '<string>', end_time: '<string>' }] },
  circuit_breaker: { enabled: false, failure_threshold: 0.5, window_seconds: 120, min_calls_in_window: 5 },
  executed_count: 0,
  total_queued_count: 0,
  parent_campaign_id: 123,
  redialed_campaign_id: 123,
  telephony_configuration_id: 123,
  telephony_configuration_name: '<string>',
  logs: [{ ts: '<string>', level: '<string>', event: '<string>', message: '<string>', details: {} }],
};

/** The fourteen fields the page marks required in the response. */
export const REQUIRED_RESPONSE_FIELDS = [
  'id', 'name', 'workflow_id', 'workflow_name', 'state', 'source_type', 'source_id', 'total_rows', 'processed_rows', 'failed_rows', 'created_at', 'started_at', 'completed_at', 'retry_config',
];

export const detail = (message: string) => ({ detail: message });

/**
 * A draft campaign with contacts, made as an integrator makes one: a presigned upload URL, the
 * CSV put there (straight to the server: it stands in for S3), then the campaign.
 */
export async function createDraft(call: Caller, direct: Caller, phones: string[] = ['+14155550101'], settings: Record<string, unknown> = {}) {
  const csv = `phone_number,first_name\n${phones.map((phone, i) => `${phone},Contact ${i + 1}`).join('\n')}\n`;
  const presigned = await call('POST', '/api/v1/s3/presigned-upload-url', { body: { file_name: 'contacts.csv', file_size: csv.length } });
  expect(presigned.status, presigned.text).toBe(200);
  const url = new URL(presigned.body.upload_url as string);
  const put = await direct('PUT', `${url.pathname}${url.search}`, { key: null, body: csv, headers: { 'content-type': 'text/csv' } });
  expect(put.status, put.text).toBe(200);
  const res = await call('POST', '/api/v1/campaign/create', {
    body: { name: 'Page check', workflow_id: 42, source_type: 'csv', source_id: presigned.body.file_key, ...settings },
  });
  expect(res.status, res.text).toBe(200);
  return res.body as Record<string, any> & { id: number; state: string };
}

/** A campaign started from draft: running. */
export async function startCampaign(call: Caller, id: number) {
  const res = await call('POST', `/api/v1/campaign/${id}/start`);
  expect(res.status, res.text).toBe(200);
  return res.body as Record<string, any>;
}

export async function pauseCampaign(call: Caller, id: number) {
  const res = await call('POST', `/api/v1/campaign/${id}/pause`);
  expect(res.status, res.text).toBe(200);
  return res.body as Record<string, any>;
}

export async function getCampaign(call: Caller, id: number) {
  const res = await call('GET', `/api/v1/campaign/${id}`);
  expect(res.status, res.text).toBe(200);
  return res.body as Record<string, any>;
}

export const patch = (call: Caller, id: number | string, body: unknown, invalid = false) =>
  call('PATCH', `/api/v1/campaign/${id}`, { body, ...(invalid ? { invalid } : {}) });
