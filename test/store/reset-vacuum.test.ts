import { describe, expect, it } from 'vitest';
import { createMockApp } from '../../src/app.js';
import { createLogger } from '../../src/logger.js';

describe('a reset of everything', () => {
  it("empties every table of sandbox data and gives the database's pages back", async () => {
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
      expect(pages()).toBeLessThan(full / 10);
      // Every table of sandbox data is empty, and the foreign keys are enforced again.
      const tables = mock.db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations'").pluck().all() as string[];
      expect(tables.length).toBeGreaterThan(15);
      for (const table of tables) expect([table, mock.db.prepare(`SELECT count(*) FROM "${table}"`).pluck().get()]).toEqual([table, 0]);
      expect(mock.db.pragma('foreign_keys', { simple: true })).toBe(1);
      // The mock goes on serving as before.
      const again = await mock.app.request('/v1/campaigns', {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'After', agent_id: 'agt_vacuum' }),
      });
      expect(again.status).toBe(201);
    } finally {
      mock.close();
    }
  });
});
