import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMockApp } from '../../../src/app.js';
import { createLogger } from '../../../src/logger.js';
import { makeCaller } from '../../helpers/caller.js';
import { testMock } from '../../helpers/mock.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../helpers/webhook-receiver.js';
import { batchForm, leadsCsv } from './batch-suite.js';

/**
 * DialNexa batches beside campaigns in the dialer: the two share the simulation without mixing
 * their calls, batch events reach the user webhooks, and a batch's turn survives a restart.
 */
describe('DialNexa batch calls in the dialer simulation', () => {
  const { mock, call } = testMock({ speed: 0 });
  afterAll(() => mock.close());
  beforeEach(async () => {
    await mock.app.request('/__admin/reset', { method: 'POST' });
  });
  const KEY = 'dnx_test_a';
  const advance = async (seconds: number) => {
    await mock.app.request(`/__admin/clock/advance?key=${KEY}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ seconds }) });
  };
  const createBatch = async (numbers: string[], fields: Record<string, string> = {}) => {
    const res = await call('POST', '/v1/batch-calls', { body: batchForm(leadsCsv(numbers), fields) });
    expect(res.status, res.text).toBe(201);
    return res.body as { id: string };
  };

  it('dials campaigns and batches side by side, each with its own calls and counters', async () => {
    const campaign = (await call('POST', '/v1/campaigns', { body: { name: 'Beside', agent_id: 'agt_x', from_phone_number: '+14155550100' } })).body as { id: string };
    await call('POST', '/v1/campaigns-leads', { body: { phoneNumber: '+14155553000', campaignId: campaign.id } });
    const batch = await createBatch(['+14155554000', '+14155554001']);
    await advance(3600);
    expect((await call('GET', `/v1/campaigns/${campaign.id}`)).body).toMatchObject({ status: 'completed', completed_calls: 1 });
    const campaignLogs = (await call('GET', '/v1/call-logs?limit=100')).body;
    expect(campaignLogs.meta.total).toBe(1);
    const batchLogs = (await call('GET', `/v1/batch-calls/${batch.id}`)).body;
    expect(batchLogs.callLogs.map((log: { to_number: string }) => log.to_number).sort()).toEqual(['+14155554000', '+14155554001']);
    const listed = (await call('GET', '/v1/batch-calls')).body.items[0];
    expect(listed).toMatchObject({ status: 'completed', sent_lead_count: 2, picked_up_calls: 2 });
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

    it('sends signed call events and campaign.paused / campaign.completed for a batch, in time order', async () => {
      const secret = 'whsec_batch';
      await call('POST', '/v1/user-webhooks', { body: { url, secret, events: ['call.completed', 'call.failed', 'campaign.completed', 'campaign.paused'] } });
      const batch = await createBatch(['+14155551000', '+14155550004'], { title: 'Hooked' });
      await call('PATCH', `/v1/batch-calls/${batch.id}/status`, { body: { action: 'pause' } });
      await call('PATCH', `/v1/batch-calls/${batch.id}/status`, { body: { action: 'resume' } });
      await advance(3600);

      const events = receiver.received.map((hook) => JSON.parse(hook.body) as { event: string; data: Record<string, unknown> });
      expect(events.map((e) => e.event)).toEqual(['campaign.paused', 'call.failed', 'call.completed', 'campaign.completed']);
      for (const hook of receiver.received) expect(hook.headers['x-dialnexa-signature']).toBe(`sha256=${createHmac('sha256', secret).update(hook.body).digest('hex')}`);
      expect(events[0]?.data).toMatchObject({ id: batch.id, title: 'Hooked', status: 'paused' });
      expect(events[1]?.data).toMatchObject({ batch_id: batch.id, to_number: '+14155550004', status: 'failed', end_reason: 'user_unreachable' });
      expect(events[3]?.data).toMatchObject({ id: batch.id, status: 'completed', sent_lead_count: 2, picked_up_calls: 1 });
    });
  });

  it('keeps the turn across a restart: batches mid-flight on a file database carry on in order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'campaign-mock-batches-'));
    const db = join(dir, 'mock.sqlite');
    const open = () => createMockApp({ db, strict: true, speed: 0, logger: createLogger('silent') });
    try {
      let app = open();
      const as = makeCaller((path, init) => Promise.resolve(app.app.request(path, init)), 'dnx_restart');
      const first = (await as('POST', '/v1/batch-calls', { body: batchForm(leadsCsv(['+14155550002']), { title: 'First' }) })).body as { id: string };
      const second = (await as('POST', '/v1/batch-calls', { body: batchForm(leadsCsv(['+14155551000']), { title: 'Second' }) })).body as { id: string };
      await app.advanceClock(600, 'dnx_restart');
      app.close();

      app = open();
      await app.advanceClock(3 * 3600, 'dnx_restart');
      const items = (await as('GET', '/v1/batch-calls')).body.items as Array<{ id: string; status: string; last_call_sent_at: string }>;
      app.close();
      const byId = new Map(items.map((item) => [item.id, item]));
      expect([byId.get(first.id)?.status, byId.get(second.id)?.status]).toEqual(['completed', 'completed']);
      expect(Date.parse(byId.get(second.id)?.last_call_sent_at as string)).toBe(Date.parse(byId.get(first.id)?.last_call_sent_at as string) + 30_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
