import { afterAll, describe, expect, it } from 'vitest';
import { apiKeyHeaderAuth } from '../../helpers/caller.js';
import { testMock } from '../../helpers/mock.js';
import { advanceClock, sarvamSeed } from './seed.js';
import { describeSarvamApi, KEYS_FILE } from './suite.js';


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

  it('keeps each list total equal to the campaigns there are, through status changes, a clock and a reset', async () => {
    const base = '/api/scheduling/v1/orgs/org-acme/workspaces/ws-count/campaigns';
    const campaign = (name: string, start: string) => ({
      name,
      app_config: { app_id: 'agent', app_type: 'agent', app_version: 1 },
      start_timestamp: start,
      end_timestamp: '2099-01-01T00:00:00Z',
      allowed_schedule: { allowed_start_time: '09:00', allowed_end_time: '18:00', allowed_days: ['Monday'], timezone: 'Asia/Kolkata' },
    });
    const key = 'sarvam_test_a';
    const call = as(key);
    const soon = new Date(Date.now() + 3_600_000).toISOString();
    const ids: string[] = [];
    for (const [name, start] of [['Now', '2020-01-01T00:00:00Z'], ['Soon', soon], ['Later', '2098-01-01T00:00:00Z'], ['Paused', '2020-01-01T00:00:00Z']] as const) {
      ids.push((await call('POST', base, { body: campaign(name, start) })).body.campaign_id);
    }
    expect((await call('PUT', `${base}/${ids[3]}/status`, { body: { action: 'pause' } })).status).toBe(200);
    expect((await call('PUT', `${base}/${ids[2]}/status`, { body: { action: 'cancel' } })).status).toBe(200);
    await advanceClock(mock, key, 7200); // "Soon" starts

    const listed = async () => {
      const totals: Record<string, number> = { all: (await call('GET', base)).body.total };
      for (const status of ['scheduled', 'active', 'paused', 'ended', 'cancelled']) totals[status] = (await call('GET', `${base}?campaign_status=${status}`)).body.total;
      return totals;
    };
    const counted = () => {
      const rows = mock.db.prepare("SELECT status, count(*) AS n FROM sarvam_campaigns WHERE workspace_id = 'ws-count' GROUP BY status").all() as Array<{ status: string; n: number }>;
      const totals: Record<string, number> = { all: rows.reduce((sum, row) => sum + row.n, 0) };
      for (const status of ['scheduled', 'active', 'paused', 'ended', 'cancelled']) totals[status] = rows.find((row) => row.status === status)?.n ?? 0;
      return totals;
    };
    expect(await listed()).toEqual({ all: 4, scheduled: 0, active: 2, paused: 1, ended: 0, cancelled: 1 });
    expect(await listed()).toEqual(counted());

    await mock.app.request(`/__admin/reset?key=${key}`, { method: 'POST' });
    expect((await call('GET', base)).body.total).toBe(0);
    await call('POST', base, { body: campaign('Again', '2020-01-01T00:00:00Z') });
    expect(await listed()).toEqual({ all: 1, scheduled: 0, active: 1, paused: 0, ended: 0, cancelled: 0 });
  });

  it('answers a path under the base that no operation serves in the FastAPI envelope', async () => {
    const call = as('sarvam_test_a');
    expect(await call('GET', '/api/scheduling/v1/nothing')).toMatchObject({ status: 404, body: { detail: 'Not Found' } });
    expect(await call('DELETE', '/api/scheduling/v1/orgs/o/workspaces/w/campaigns/camp-00000000')).toMatchObject({ status: 405, body: { detail: 'Method Not Allowed' } });
  });
});
