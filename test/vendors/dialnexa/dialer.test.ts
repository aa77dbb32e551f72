import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { testMock } from '../../helpers/mock.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../helpers/webhook-receiver.js';

/**
 * DialNexa campaigns running in simulated time: created, dialed at their concurrency, retried per
 * their retry_config, completed, with call logs, counters and signed webhooks to show for it.
 */
describe('DialNexa campaigns in the dialer simulation', () => {
  const { mock, call } = testMock({ speed: 0 });
  afterAll(() => mock.close());
  beforeEach(async () => {
    await mock.app.request('/__admin/reset', { method: 'POST' });
  });
  const KEY = 'dnx_test_a';
  const advance = async (seconds: number) => {
    const res = await mock.app.request(`/__admin/clock/advance?key=${KEY}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ seconds }) });
    return ((await res.json()) as { now: string }).now;
  };
  const createCampaign = async (body: Record<string, unknown> = {}) =>
    (await call('POST', '/v1/campaigns', { body: { name: 'Sim', agent_id: 'agt_sim', from_phone_number: '+14155550100', ...body } })).body as { id: string };
  const upload = async (campaignId: string, phones: string[]) => {
    const form = new FormData();
    form.append('file', new Blob([`phone_number,name\n${phones.map((p, i) => `${p},Lead ${i}`).join('\n')}\n`], { type: 'text/csv' }), 'leads.csv');
    const res = await call('POST', `/v1/campaigns-leads/upload-file/${campaignId}`, { body: form });
    expect(res.status, res.text).toBe(201);
  };
  const logsOf = async (campaignId: string) =>
    (await call('GET', `/v1/call-logs?campaign_id=${campaignId}&created_at=asc&limit=100`)).body.data as Array<{ status: string; created_at: string; duration_seconds: number | null; end_reason: string | null; id: string }>;
  const inProgress = () =>
    mock.db.prepare("SELECT count(*) FROM dialnexa_leads WHERE status = 'in_progress'").pluck().get() as number;

  it('leaves a draft campaign (from the bundled fixture) undialed until it is started', async () => {
    const loaded = await mock.app.request(`/__admin/fixtures?key=${KEY}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'dialnexa/campaigns' }) });
    expect(loaded.status, await loaded.text()).toBe(200);
    expect((await call('GET', '/v1/campaigns/cmp_fxdraft00001')).body).toMatchObject({ status: 'draft', total_leads: 1, pending_calls: 1 });
    await advance(3600);
    expect((await call('GET', '/v1/campaigns/cmp_fxdraft00001')).body).toMatchObject({ status: 'draft', completed_calls: 0 });
    const paused = await call('PATCH', '/v1/campaigns/cmp_fxdraft00001', { body: { status: 'paused' } });
    expect([paused.status, paused.body.message]).toEqual([409, 'Cannot pause a draft campaign']);
    const started = await call('PATCH', '/v1/campaigns/cmp_fxdraft00001', { body: { status: 'running' } });
    expect([started.status, started.body.status]).toEqual([200, 'running']);
    await advance(600);
    expect((await call('GET', '/v1/campaigns/cmp_fxdraft00001')).body).toMatchObject({ status: 'completed', completed_calls: 1, pending_calls: 0 });
  });

  it('runs a campaign to completion at its concurrency, retrying busy and no answer but not failed', async () => {
    const { id } = await createCampaign({ max_concurrent_calls: 2, retry_config: { max_retries: 2, retry_interval_minutes: 10 } });
    await upload(id, ['+14155551000', '+14155551001', '+14155550001', '+14155550002', '+14155550003', '+14155550004']);
    let most = 0;
    for (let step = 0; step < 240; step++) {
      await advance(15);
      most = Math.max(most, inProgress());
      expect(inProgress()).toBeLessThanOrEqual(2);
    }
    expect(most).toBe(2);

    const campaign = (await call('GET', `/v1/campaigns/${id}`)).body;
    expect(campaign).toMatchObject({ status: 'completed', total_leads: 6, completed_calls: 6, pending_calls: 0 });
    const logs = await logsOf(id);
    const byReason = (reason: string) => logs.filter((log) => log.end_reason === reason);
    expect(logs).toHaveLength(2 + 3 + 3 + 1 + 1);
    expect(byReason('user_disconnected')).toHaveLength(2);
    expect(byReason('user_busy').map((log) => log.status)).toEqual(['busy', 'busy', 'busy']);
    expect(byReason('user_did_not_pick_up')).toHaveLength(3);
    expect(byReason('voicemail_reached')).toHaveLength(1);
    expect(byReason('user_unreachable').map((log) => log.status)).toEqual(['failed']);
    const busy = byReason('user_busy').map((log) => Date.parse(log.created_at));
    expect((busy[1] as number) - (busy[0] as number)).toBeGreaterThanOrEqual(10 * 60_000);
    expect(byReason('user_disconnected').every((log) => (log.duration_seconds as number) >= 45)).toBe(true);

    const statuses = mock.db.prepare('SELECT phone_number, status FROM dialnexa_leads ORDER BY phone_number').all();
    expect(statuses).toEqual([
      { phone_number: '+14155550001', status: 'failed' },
      { phone_number: '+14155550002', status: 'failed' },
      { phone_number: '+14155550003', status: 'completed' },
      { phone_number: '+14155550004', status: 'failed' },
      { phone_number: '+14155551000', status: 'completed' },
      { phone_number: '+14155551001', status: 'completed' },
    ]);
  });

  it('locks agent_id as soon as the first call is placed (409)', async () => {
    const { id } = await createCampaign();
    await upload(id, ['+14155551000']);
    const res = await call('PATCH', `/v1/campaigns/${id}`, { body: { agent_id: 'agt_other' } });
    expect([res.status, res.body.message]).toEqual([409, 'agent_id cannot be changed once any calls have been placed']);
  });

  it('waits for scheduled_at: active until then, running once it dials', async () => {
    const start = Date.parse(await advance(0)) + 3600_000;
    const { id } = await createCampaign({ scheduled_at: new Date(start).toISOString() });
    await upload(id, ['+14155551000']);
    await advance(1800);
    expect((await call('GET', `/v1/campaigns/${id}`)).body.status).toBe('active');
    expect(await logsOf(id)).toEqual([]);
    await advance(1800);
    expect((await call('GET', `/v1/campaigns/${id}`)).body.status).toBe('running');
    const [first] = await logsOf(id);
    expect(Date.parse(first?.created_at as string)).toBe(start);
    await advance(600);
    expect((await call('GET', `/v1/campaigns/${id}`)).body.status).toBe('completed');
  });

  it('pauses (calls in progress finish, no new ones) and resumes; cancelling ends the dialing', async () => {
    const { id } = await createCampaign({ max_concurrent_calls: 1 });
    await upload(id, ['+14155551000', '+14155551001', '+14155551002']);
    await call('PATCH', `/v1/campaigns/${id}`, { body: { status: 'paused' } });
    await advance(3600);
    expect(await logsOf(id)).toHaveLength(1);
    expect((await call('GET', `/v1/campaigns/${id}`)).body).toMatchObject({ status: 'paused', completed_calls: 1, pending_calls: 2 });
    await call('PATCH', `/v1/campaigns/${id}`, { body: { status: 'running' } });
    await advance(1);
    expect(await logsOf(id)).toHaveLength(2);
    await call('PATCH', `/v1/campaigns/${id}`, { body: { status: 'cancelled' } });
    await advance(3600);
    expect(await logsOf(id)).toHaveLength(2);
    expect((await call('GET', `/v1/campaigns/${id}`)).body.status).toBe('cancelled');
  });

  it('never calls a removed lead', async () => {
    const { id } = await createCampaign({ scheduled_at: new Date(Date.parse(await advance(0)) + 60_000).toISOString() });
    await upload(id, ['+14155551000']);
    const lead = (await call('POST', '/v1/campaigns-leads', { body: { phoneNumber: '+14155551001', campaignId: id } })).body;
    await call('DELETE', `/v1/campaigns-leads/${lead.id}`);
    await advance(3600);
    expect(await logsOf(id)).toHaveLength(1);
    expect((await call('GET', `/v1/campaigns/${id}`)).body).toMatchObject({ status: 'completed', total_leads: 1 });
  });

  describe('webhooks', () => {
    let receiver: WebhookReceiver;
    let url = '';
    beforeAll(async () => {
      receiver = await startWebhookReceiver();
      url = `${receiver.url}/hooks`;
    });
    afterAll(() => receiver.close());
    beforeEach(() => receiver.clear());

    it('sends signed call and campaign events to the subscribed webhooks, in time order', async () => {
      const secret = 'whsec_sim';
      await call('POST', '/v1/user-webhooks', { body: { url, secret, events: ['call.completed', 'call.failed', 'campaign.completed', 'campaign.paused'] } });
      await call('POST', '/v1/user-webhooks', { body: { url: `${url}/unsigned`, events: ['campaign.completed'] } });
      const { id } = await createCampaign({ max_concurrent_calls: 1, retry_config: { max_retries: 0, retry_interval_minutes: 1 } });
      await upload(id, ['+14155551000', '+14155550004']);
      await call('PATCH', `/v1/campaigns/${id}`, { body: { status: 'paused' } });
      await call('PATCH', `/v1/campaigns/${id}`, { body: { status: 'running' } });
      await advance(3600);

      const events = receiver.received.map((hook) => JSON.parse(hook.body) as { event: string; created_at: string; data: Record<string, unknown> });
      expect(events.map((e) => e.event)).toEqual(['campaign.paused', 'call.completed', 'call.failed', 'campaign.completed', 'campaign.completed']);
      for (const hook of receiver.received.slice(0, 4)) {
        expect(hook.headers['x-dialnexa-signature']).toBe(`sha256=${createHmac('sha256', secret).update(hook.body).digest('hex')}`);
      }
      expect(receiver.received[4]?.headers['x-dialnexa-signature']).toBeUndefined();
      expect(events[1]?.data).toMatchObject({ status: 'completed', campaign_id: id, end_reason: 'user_disconnected' });
      expect(events[3]?.data).toMatchObject({ id, status: 'completed', completed_calls: 2 });
    });

    it('sends nothing to a host that was not allowed, and says why', async () => {
      await call('POST', '/v1/user-webhooks', { body: { url: 'https://hooks.example.com/x', events: ['call.completed'] } });
      const { id } = await createCampaign();
      await upload(id, ['+14155551000']);
      await advance(3600);
      const listed = (await (await mock.app.request(`/__admin/webhooks?key=${KEY}`)).json()) as { webhooks: Array<{ url: string; status: string; error: string }> };
      expect(listed.webhooks).toEqual([
        expect.objectContaining({
          url: 'https://hooks.example.com/x',
          status: 'refused',
          error: 'campaign-mock: webhooks may not go to https://hooks.example.com/x; start the mock with --webhook-allow hooks.example.com to allow that host',
        }),
      ]);
      expect(receiver.received).toEqual([]);
    });
  });
});
