import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type Mock } from 'campaign-mock';

describe('a campaign client against campaign-mock', () => {
  let mock: Mock;
  beforeAll(async () => {
    mock = await startMock({ speed: 0 }); // time moves only when the test says so
  });
  afterAll(() => mock.close());

  it('runs a DialNexa campaign to completion', async () => {
    const key = 'dnx_test_example';
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    const created = await fetch(`${mock.baseUrls.dialnexa}/campaigns`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: 'Example', agent_id: 'agt_1', from_phone_number: '+14155550100' }),
    });
    const campaign = (await created.json()) as { id: string };
    await fetch(`${mock.baseUrls.dialnexa}/campaigns-leads`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ phoneNumber: '+14155551234', campaignId: campaign.id }),
    });

    await mock.advance(3600, key); // an hour of simulated calls

    const read = await fetch(`${mock.baseUrls.dialnexa}/campaigns/${campaign.id}`, { headers });
    expect(await read.json()).toMatchObject({ status: 'completed', completed_calls: 1 });
  });

  it('gives every mock its own state', async () => {
    const other = await startMock();
    try {
      const headers = { authorization: 'Bearer dnx_test_shared', 'content-type': 'application/json' };
      const body = JSON.stringify({ name: 'Mine', agent_id: 'agt_1', from_phone_number: '+14155550100' });
      const mine = (await (await fetch(`${mock.baseUrls.dialnexa}/campaigns`, { method: 'POST', headers, body })).json()) as { id: string };
      const elsewhere = await fetch(`${other.baseUrls.dialnexa}/campaigns/${mine.id}`, { headers });
      expect(elsewhere.status).toBe(404);
      expect(other.url).not.toBe(mock.url);
    } finally {
      await other.close();
    }
  });
});
