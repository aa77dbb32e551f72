import { describe, expect, it } from 'vitest';
import { startMock } from '../../src/start-mock.js';

describe('a running clock', () => {
  it('moves campaigns on by itself: at 600 times real time, a call ends within a few seconds', async () => {
    const mock = await startMock({ speed: 600 });
    try {
      const headers = { authorization: 'Bearer ticking', 'content-type': 'application/json' };
      const { id } = (await (await fetch(`${mock.baseUrls.dialnexa}/campaigns`, { method: 'POST', headers, body: JSON.stringify({ name: 'Ticking', agent_id: 'agt_1', from_phone_number: '+14155550100' }) })).json()) as { id: string };
      await fetch(`${mock.baseUrls.dialnexa}/campaigns-leads`, { method: 'POST', headers, body: JSON.stringify({ phoneNumber: '+14155551234', campaignId: id }) });
      // Nobody advances the clock or asks for the campaign: the ticker dials and completes it.
      const store = mock.server.mock.db.prepare('SELECT status FROM dialnexa_campaigns WHERE id = ?').pluck();
      await expect.poll(() => store.get(id), { timeout: 15_000, interval: 100 }).toBe('completed');
      const journal = mock.server.mock.journal.find({ key: 'ticking' });
      expect(journal.map((entry) => entry.operationId)).toEqual(['createCampaign', 'createCampaignLead']);
    } finally {
      await mock.close();
    }
  });
});
