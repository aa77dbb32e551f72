import { describe, expect, it } from 'vitest';
import { createMockApp } from '../../src/app.js';
import { createLogger } from '../../src/logger.js';

describe('a reset of everything', () => {
  it("gives the database's emptied pages back", async () => {
    const mock = createMockApp({ speed: 0, logger: createLogger('silent') });
    try {
      const headers = { authorization: 'Bearer dnx_vacuum' };
      const created = await mock.app.request('/v1/campaigns', {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Vacuum', agent_id: 'agt_vacuum', scheduled_at: '2099-01-01T00:00:00Z' }),
      });
      const { id } = (await created.json()) as { id: string };
      const form = new FormData();
      form.append('file', new Blob([`phone_number\n${Array.from({ length: 50_000 }, (_, i) => `+1${String(3000000000 + i)}`).join('\n')}\n`]), 'leads.csv');
      expect((await mock.app.request(`/v1/campaigns-leads/upload-file/${id}`, { method: 'POST', headers, body: form })).status).toBe(201);
      const pages = () => mock.db.pragma('page_count', { simple: true }) as number;
      const full = pages();
      const reset = await mock.app.request('/__admin/reset', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(reset.status).toBe(200);
      expect(mock.db.prepare('SELECT count(*) FROM dialnexa_leads').pluck().get()).toBe(0);
      expect(pages()).toBeLessThan(full / 10);
    } finally {
      mock.close();
    }
  });
});
