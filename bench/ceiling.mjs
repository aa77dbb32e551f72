// The benchmark's ceiling: the same DialNexa GET, POST, PATCH and list page as campaign-mock, on
// the same stack (Hono, @hono/node-server, better-sqlite3), with the same table shape and JSON, and
// nothing else: no credentials, validation, sandboxes, journal, log line, reply check or dialer.
// `npm run bench` reports the mock as a fraction of what this answers in the same run.
//
//   node bench/ceiling.mjs <port>
import { serve } from '@hono/node-server';
import Database from 'better-sqlite3';
import { Hono } from 'hono';
import { randomBytes } from 'node:crypto';

const db = new Database(':memory:');
db.exec(`CREATE TABLE campaigns (id TEXT PRIMARY KEY, name TEXT, agent_id TEXT, from_phone_number TEXT, status TEXT,
  max_concurrent_calls INTEGER, scheduled_at TEXT, max_retries INTEGER, retry_interval_minutes INTEGER,
  total_leads INTEGER, completed_calls INTEGER, pending_calls INTEGER, created_at TEXT, updated_at TEXT)`);
db.exec(`CREATE TABLE call_logs (id TEXT PRIMARY KEY, campaign_id TEXT, status TEXT, duration INTEGER, created_at TEXT)`);
const insertLog = db.prepare('INSERT INTO call_logs VALUES (?, ?, ?, ?, ?)');
for (let i = 0; i < 50; i++) insertLog.run(`log_${i}`, 'cmp_seed', 'completed', 60 + i, new Date(Date.now() - i * 1000).toISOString());

const insert = db.prepare(`INSERT INTO campaigns VALUES (@id, @name, @agent_id, @from_phone_number, @status, @max_concurrent_calls,
  @scheduled_at, @max_retries, @retry_interval_minutes, 0, 0, 0, @created_at, @created_at)`);
const get = db.prepare('SELECT * FROM campaigns WHERE id = ?');
const rename = db.prepare('UPDATE campaigns SET name = coalesce(?, name), updated_at = ? WHERE id = ?');
const page = db.prepare('SELECT * FROM call_logs ORDER BY created_at DESC LIMIT ? OFFSET ?');
const count = db.prepare('SELECT count(*) FROM call_logs').pluck();

const present = (row) => ({
  id: row.id,
  name: row.name,
  agent_id: row.agent_id,
  from_phone_number: row.from_phone_number,
  status: row.status,
  max_concurrent_calls: row.max_concurrent_calls,
  scheduled_at: row.scheduled_at,
  retry_config: { max_retries: row.max_retries, retry_interval_minutes: row.retry_interval_minutes },
  total_leads: row.total_leads,
  completed_calls: row.completed_calls,
  pending_calls: row.pending_calls,
  created_at: row.created_at,
});

const app = new Hono();
app.post('/v1/campaigns', async (c) => {
  const body = await c.req.json();
  if (typeof body.name !== 'string' || typeof body.agent_id !== 'string') return c.json({ statusCode: 400, message: ['name must be a string'], error: 'Bad Request' }, 400);
  const id = `cmp_${randomBytes(6).toString('hex')}`;
  insert.run({
    id,
    name: body.name,
    agent_id: body.agent_id,
    from_phone_number: body.from_phone_number ?? '+14155552671',
    status: 'running',
    max_concurrent_calls: body.max_concurrent_calls ?? 1,
    scheduled_at: body.scheduled_at ?? null,
    max_retries: 2,
    retry_interval_minutes: 30,
    created_at: new Date().toISOString(),
  });
  return c.json(present(get.get(id)), 201);
});
app.get('/v1/campaigns/:id', (c) => {
  const row = get.get(c.req.param('id'));
  return row ? c.json(present(row)) : c.json({ statusCode: 404, message: 'Campaign not found', error: 'Not Found' }, 404);
});
app.patch('/v1/campaigns/:id', async (c) => {
  const body = await c.req.json();
  rename.run(body.name ?? null, new Date().toISOString(), c.req.param('id'));
  const row = get.get(c.req.param('id'));
  return row ? c.json(present(row)) : c.json({ statusCode: 404, message: 'Campaign not found', error: 'Not Found' }, 404);
});
app.get('/v1/call-logs', (c) => {
  const limit = Number(c.req.query('limit') ?? 20);
  const pageNumber = Number(c.req.query('page') ?? 1);
  const total = count.get();
  return c.json({ data: page.all(limit, (pageNumber - 1) * limit), meta: { total, page: pageNumber, limit, totalPages: Math.ceil(total / limit) } });
});

serve({ fetch: app.fetch, port: Number(process.argv[2] ?? 0), hostname: '127.0.0.1' }, (info) => console.log(`ceiling listening on http://127.0.0.1:${info.port}`));
