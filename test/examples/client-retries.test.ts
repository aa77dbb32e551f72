import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer, type RunningServer } from 'campaign-mock';

// The client under test: creates a DialNexa campaign, retrying on 429 and 5xx.
async function createCampaign(baseUrl: string, key: string, body: object): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(`${baseUrl}/v1/campaigns`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if ((res.status !== 429 && res.status < 500) || attempt === 5) return res;
  }
}

let mock: RunningServer;
beforeAll(async () => {
  mock = await startServer({ port: 0, logger: { debug() {}, info() {}, warn() {}, error() {} } });
});
afterAll(() => mock.close());

it('retries through two 500s and succeeds', async () => {
  const key = 'dnx_test_retries'; // a sandbox of its own: parallel tests never interfere
  await fetch(`${mock.url}/__admin/scenario?key=${key}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'dialnexa-retry-then-succeed' }),
  });

  const res = await createCampaign(mock.url, key, { name: 'Spring', agent_id: 'agt_1', from_phone_number: '+14155550100' });
  expect(res.status).toBe(201);

  const journal = (await (await fetch(`${mock.url}/__admin/requests?key=${key}`)).json()) as { requests: Array<{ status: number }> };
  expect(journal.requests.map((r) => r.status)).toEqual([500, 500, 201]);
});
