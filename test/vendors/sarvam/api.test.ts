import { afterAll, describe, expect, it } from 'vitest';
import type { MockApp } from '../../../src/app.js';
import { apiKeyHeaderAuth } from '../../helpers/caller.js';
import { testMock } from '../../helpers/mock.js';
import { sarvamSeed } from './seed.js';
import { describeSarvamApi, KEYS_FILE } from './suite.js';

/** Moves a sandbox's clock through the control plane, as a test outside this repository would. */
export async function advanceClock(mock: MockApp, key: string, seconds: number): Promise<void> {
  const res = await mock.app.request(`/__admin/clock/advance?key=${encodeURIComponent(key)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ seconds }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
}

describe('Sarvam API, in process', () => {
  const { mock, as } = testMock({ keysFile: KEYS_FILE, auth: apiKeyHeaderAuth });
  const seed = sarvamSeed(mock);
  afterAll(() => mock.close());
  describeSarvamApi(
    () => ({
      as,
      seed,
      reset: async () => {
        await mock.app.request('/__admin/reset', { method: 'POST' });
      },
      advanceClock: (key, seconds) => advanceClock(mock, key, seconds),
    }),
    { viaPrism: false },
  );

  it('wipes every Sarvam row of a sandbox on reset, and only that sandbox', async () => {
    const base = '/api/scheduling/v1/orgs/org-acme/workspaces/ws-main/campaigns';
    const campaign = {
      name: 'Reset me',
      app_config: { app_id: 'agent', app_type: 'agent', app_version: 1 },
      start_timestamp: '2020-01-01T00:00:00Z',
      end_timestamp: '2099-01-01T00:00:00Z',
      allowed_schedule: { allowed_start_time: '09:00', allowed_end_time: '18:00', allowed_days: ['Monday'], timezone: 'Asia/Kolkata' },
    };
    for (const key of ['sarvam_test_a', 'sarvam_test_b']) {
      const { campaign_id: id } = (await as(key)('POST', base, { body: campaign })).body;
      expect((await as(key)('POST', `${base}/${id}/cohorts/stream`, { body: { name: 'One', users: [{ user_phone_number: '9876543210' }] } })).status).toBe(200);
      seed.delivery(key, { orgId: 'org-acme', workspaceId: 'ws-main', campaignId: id });
    }
    const count = () =>
      ['sarvam_campaigns', 'sarvam_cohorts', 'sarvam_cohort_users', 'sarvam_webhook_deliveries'].map((table) => mock.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get());
    expect(count()).toEqual([2, 2, 2, 2]);
    await mock.app.request('/__admin/reset?key=sarvam_test_a', { method: 'POST' });
    expect(count()).toEqual([1, 1, 1, 1]);
    expect((await as('sarvam_test_b')('GET', base)).body.total).toBe(1);
  });

  it('answers a path under the base that no operation serves in the FastAPI envelope', async () => {
    const call = as('sarvam_test_a');
    expect(await call('GET', '/api/scheduling/v1/nothing')).toMatchObject({ status: 404, body: { detail: 'Not Found' } });
    expect(await call('DELETE', '/api/scheduling/v1/orgs/o/workspaces/w/campaigns/camp-00000000')).toMatchObject({ status: 405, body: { detail: 'Method Not Allowed' } });
  });
});
