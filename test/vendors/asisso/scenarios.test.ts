import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { apiKeyHeaderAuth } from '../../helpers/caller.js';
import { testMock } from '../../helpers/mock.js';

const KEY = 'as_test_scenarios';

describe('the bundled Asisso scenarios', () => {
  const { mock, as } = testMock({ auth: apiKeyHeaderAuth });
  const call = as(KEY);
  afterAll(() => mock.close());
  beforeEach(async () => {
    await mock.app.request('/__admin/reset', { method: 'POST' });
  });

  const presign = async () => {
    const res = await call('POST', '/api/v1/s3/presigned-upload-url', { body: { file_name: 'contacts.csv', file_size: 64 } });
    expect(res.status, res.text).toBe(200);
    return res.body as { upload_url: string; file_key: string };
  };
  const upload = (uploadUrl: string) => {
    const url = new URL(uploadUrl);
    return as(null)('PUT', `${url.pathname}${url.search}`, { body: 'phone_number\n+14155550100\n', headers: { 'content-type': 'text/csv' } });
  };
  const create = (sourceId: string) => call('POST', '/api/v1/campaign/create', { body: { name: 'Spring', workflow_id: 42, source_type: 'csv', source_id: sourceId } });

  it('asisso-upload-url-expired: the first upload is refused as expired, storing nothing; a new URL works', async () => {
    const sticky = await mock.app.request(`/__admin/scenario?key=${KEY}`, { method: 'PUT', body: JSON.stringify({ name: 'asisso-upload-url-expired' }) });
    expect(await sticky.json()).toEqual({ key: KEY, scenario: 'asisso-upload-url-expired', fixtures: [] });

    const first = await presign();
    const refused = await upload(first.upload_url);
    expect([refused.status, refused.body]).toEqual([403, { Code: 'AccessDenied', Message: 'Request has expired' }]);
    expect((await create(first.file_key)).body).toEqual({ detail: `Failed to access CSV file: ${first.file_key}` });

    const second = await presign();
    expect((await upload(second.upload_url)).status).toBe(200);
    const created = await create(second.file_key);
    expect([created.status, created.body.state]).toEqual([200, 'draft']);

    const uploads = mock.journal.find({ key: KEY, operationId: 'uploadCampaignSource' });
    expect(uploads.map((entry) => [entry.status, entry.scenario])).toEqual([
      [403, 'asisso-upload-url-expired'],
      [200, null],
    ]);
  });
});
