import { describe, expect, it } from 'vitest';
import { createMockApp } from '../../../src/app.js';
import { createLogger } from '../../../src/logger.js';
import { MAX_FILE_ROWS } from '../../../src/formats/csv.js';

describe('DialNexa leads upload bounds', () => {
  it(`refuses a file of more than ${MAX_FILE_ROWS} rows with a 400 and stores nothing, and takes one of exactly that many`, async () => {
    const mock = createMockApp({ speed: 0, logger: createLogger('silent') });
    try {
      const headers = { authorization: 'Bearer dnx_limits' };
      const created = await mock.app.request('/v1/campaigns', {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Bounds', agent_id: 'agt_bounds', scheduled_at: '2099-01-01T00:00:00Z' }),
      });
      const { id } = (await created.json()) as { id: string };
      const upload = (rows: number) => {
        const form = new FormData();
        const lines = Array.from({ length: rows }, (_, i) => `+1${String(2000000000 + i)}`);
        form.append('file', new Blob([`phone_number\n${lines.join('\n')}\n`], { type: 'text/csv' }), 'leads.csv');
        return mock.app.request(`/v1/campaigns-leads/upload-file/${id}`, { method: 'POST', headers, body: form });
      };
      const over = await upload(MAX_FILE_ROWS + 1);
      expect([over.status, ((await over.json()) as { message: string }).message]).toEqual([
        400,
        `The uploaded file has ${MAX_FILE_ROWS + 1} data rows; campaign-mock reads at most ${MAX_FILE_ROWS} from one file`,
      ]);
      expect(mock.db.prepare('SELECT count(*) FROM dialnexa_leads').pluck().get()).toBe(0);
      const at = await upload(MAX_FILE_ROWS);
      expect(at.status).toBe(201);
      expect(mock.db.prepare('SELECT count(*) FROM dialnexa_leads').pluck().get()).toBe(MAX_FILE_ROWS);
    } finally {
      mock.close();
    }
  }, 60_000);
});
