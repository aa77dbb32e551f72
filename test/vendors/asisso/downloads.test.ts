import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logger.js';
import { startServer, type RunningServer } from '../../../src/server.js';
import { apiKeyHeaderAuth, makeCaller, type Caller } from '../../helpers/caller.js';
import { createDraft, startCampaign } from '../../vendor-pages/asisso.js';

/** The source download URL, the run report and the campaign defaults (Dograh's OpenAPI document). */
describe('Asisso source download, report and campaign defaults over HTTP', () => {
  let server: RunningServer;
  let as: (key: string | null) => Caller;
  beforeAll(async () => {
    server = await startServer({ port: 0, strict: true, speed: 0, logger: createLogger('silent') });
    as = (key) => makeCaller((path, init) => fetch(`${server.url}${path}`, init), key, apiKeyHeaderAuth);
  });
  afterAll(() => server?.close());
  const pathOf = (url: string) => `${new URL(url).pathname}${new URL(url).search}`;

  it('signs a download URL for an hour that returns the CSV as uploaded, and only by GET', async () => {
    const call = as('as_download');
    const { id, source_id } = await createDraft(call, call, ['+14155550101', '+14155550102']);
    const res = await call('GET', `/api/v1/campaign/${id}/source-download-url`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ download_url: expect.stringContaining(`${server.url}/api/v1/s3/${source_id}?`), expires_in: 3600 });
    const file = await as(null)('GET', pathOf(res.body.download_url));
    expect([file.status, file.headers.get('content-type'), file.text]).toEqual([200, 'text/csv', 'phone_number,first_name\n+14155550101,Contact 1\n+14155550102,Contact 2\n']);
    // A download URL does not upload, and a URL an hour old no longer downloads.
    const put = await as(null)('PUT', pathOf(res.body.download_url), { body: 'phone_number\n+1\n', headers: { 'content-type': 'text/csv' } });
    expect([put.status, put.body.Code]).toEqual([403, 'SignatureDoesNotMatch']);
    await server.mock.advanceClock(3601, 'as_download');
    const late = await as(null)('GET', pathOf(res.body.download_url));
    expect([late.status, late.body]).toEqual([403, { Code: 'AccessDenied', Message: 'Request has expired' }]);
  });

  it('refuses a download URL for another organization\'s campaign, or none', async () => {
    const call = as('as_download_404');
    expect((await call('GET', '/api/v1/campaign/999/source-download-url')).body).toEqual({ detail: 'Campaign not found' });
    const { id } = await createDraft(call, call);
    const other = await as('as_download_other')('GET', `/api/v1/campaign/${id}/source-download-url`);
    expect(other.status).toBe(404);
  });

  it('does not download by an upload URL', async () => {
    const call = as('as_nokey');
    const presigned = await call('POST', '/api/v1/s3/presigned-upload-url', { body: { file_name: 'c.csv', file_size: 10 } });
    const res = await as(null)('GET', pathOf(presigned.body.upload_url));
    expect([res.status, res.body.Code]).toEqual([403, 'SignatureDoesNotMatch']);
  });

  it("reports a campaign's completed runs as Dograh's CSV, newest first, within the dates asked", async () => {
    const key = 'as_report';
    const call = as(key);
    const { id, workflow_id } = await createDraft(call, call, ['+14155550101', '+14155550002']);
    const empty = await call('GET', `/api/v1/campaign/${id}/report`);
    expect([empty.status, empty.headers.get('content-type'), empty.headers.get('content-disposition'), empty.text]).toEqual([
      200,
      'text/csv; charset=utf-8',
      `attachment; filename="campaign_${id}_report.csv"`,
      'Run ID,Campaign ID,Agent ID,Agent Definition ID,Created At,Phone Number,Call Disposition,Call Duration (s),Call Tags,Transcript URL,Recording URL\r\n',
    ]);
    await startCampaign(call, id);
    await server.mock.advanceClock(3600, key);
    const runs = (await call('GET', `/api/v1/campaign/${id}/runs?limit=100`)).body.runs as Array<Record<string, any>>;
    const reported = runs.filter((run) => run.is_completed && run.usage_info.call_duration_seconds !== null);
    expect(reported.length).toBeGreaterThan(0);
    const report = await call('GET', `/api/v1/campaign/${id}/report`);
    const lines = report.text.split('\r\n');
    expect(lines).toHaveLength(reported.length + 2);
    const first = reported[0] as Record<string, any>;
    const [runId, campaignId, agentId, definition, createdAt, phone, disposition, duration, tags, transcript, recording] = (lines[1] as string).replace(/"([^"]*)"/g, (_, inner: string) => inner.replace(/,/g, ';')).split(',');
    expect([Number(runId), Number(campaignId), Number(agentId), definition, phone, disposition, Number(duration), transcript, recording]).toEqual([
      first.id,
      id,
      workflow_id,
      '',
      first.initial_context.phone_number,
      first.gathered_context.mapped_call_disposition,
      first.usage_info.call_duration_seconds,
      '',
      '',
    ]);
    expect(createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?\+00:00$/);
    expect((tags as string).split('; ')).toEqual(first.gathered_context.call_tags);
    const after = await call('GET', `/api/v1/campaign/${id}/report?start_date=${encodeURIComponent('2999-01-01T00:00:00+05:30')}`);
    expect(after.text.split('\r\n')).toHaveLength(2);
    const bad = await call('GET', `/api/v1/campaign/${id}/report?end_date=yesterday`, { invalid: true });
    expect(bad.status).toBe(422);
  });

  it("gives the organization's limits, the default retry settings and its newest campaign's settings", async () => {
    const call = as('as_defaults');
    const none = await call('GET', '/api/v1/organizations/campaign-defaults');
    expect([none.status, none.body]).toEqual([
      200,
      {
        concurrent_call_limit: 10,
        from_numbers_count: 0,
        default_retry_config: { enabled: true, max_retries: 1, retry_delay_seconds: 120, retry_on_busy: true, retry_on_no_answer: true, retry_on_voicemail: false },
        last_campaign_settings: null,
      },
    ]);
    const schedule = { enabled: true, timezone: 'Asia/Kolkata', slots: [{ day_of_week: 0, start_time: '09:00', end_time: '17:00' }] };
    await createDraft(call, call, undefined, { max_concurrency: 7, schedule_config: schedule });
    const latest = await call('GET', '/api/v1/organizations/campaign-defaults');
    expect(latest.body.last_campaign_settings).toEqual({
      retry_config: none.body.default_retry_config,
      max_concurrency: 7,
      schedule_config: schedule,
      circuit_breaker: { enabled: false, failure_threshold: 0.5, window_seconds: 120, min_calls_in_window: 5 },
    });
  });
});
