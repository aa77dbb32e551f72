import { Hono, type Context } from 'hono';
import type { Clocks } from '../clock/clock.js';
import { keyHash } from '../engine/credentials.js';
import { FixtureConflict, type FixtureCatalog } from '../fixtures/catalog.js';
import type { CampaignInspector } from '../inspector/campaigns.js';
import type { Journal, JournalQuery } from '../journal/journal.js';
import { unknownScenario, type ScenarioRuntime } from '../scenarios/runtime.js';
import type { WebhookDispatcher } from '../sim/webhooks.js';
import type { Sandbox, SandboxRegistry } from '../store/sandboxes.js';

export interface AdminOptions {
  sandboxes: SandboxRegistry;
  /** Moves a sandbox's clock and runs everything that falls due (see MockApp.advanceClock). */
  advanceClock(seconds: number, key: string): Promise<Date>;
  /** Wipes one sandbox, or all (see MockApp.reset). */
  reset(key?: string): void;
  webhooks: WebhookDispatcher;
  clocks: Clocks;
  journal: Journal;
  scenarios: ScenarioRuntime;
  fixtures: FixtureCatalog;
  /** What the inspector reads of a sandbox's campaigns (read-only); built when first asked for, so startup pays nothing for it. */
  campaigns: () => CampaignInspector;
}

const DEFAULT_JOURNAL_PAGE = 1000;
const MAX_JOURNAL_PAGE = 10_000;
const DEFAULT_SANDBOX_PAGE = 1000;
const MAX_SANDBOX_PAGE = 100_000;
const DEFAULT_LEADS_PAGE = 50;
const MAX_LEADS_PAGE = 1000;

/** The most one `POST /__admin/clock/advance` moves a clock: a year of 366 days. */
export const MAX_ADVANCE_SECONDS = 366 * 86_400;
/** No sandbox clock passes the last instant ISO 8601 writes with a four-digit year. */
const LATEST_TIME_MS = Date.parse('9999-12-31T23:59:59.999Z');

/** An error of the mock itself (not a vendor's): `campaign-mock:` and what to do next. */
export function adminError(message: string) {
  return { error: `campaign-mock: ${message}` };
}

class AdminError extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
  ) {
    super(message);
  }
}

/** What `GET /__admin/health` answers (also served straight from Node's request: see createMockApp). */
export const HEALTHY = { status: 'ok' } as const;

/**
 * The control plane, mounted at `/__admin` (docs/control-plane.md). Tests outside this repository rely on
 * these routes: change them only compatibly.
 */
export function adminRoutes({ sandboxes, advanceClock, reset, webhooks, clocks, journal, scenarios, fixtures, campaigns }: AdminOptions): Hono {
  const admin = new Hono();
  admin.onError((error, c) => {
    if (error instanceof AdminError) return c.json(adminError(error.message), error.status);
    throw error;
  });

  /** The sandbox named by `?key=`, created if need be. */
  const sandboxOf = (c: Context): Sandbox => {
    const key = c.req.query('key');
    if (!key) throw new AdminError(400, `${c.req.method} ${c.req.path} needs ?key=<the API key of the sandbox>`);
    const sandbox = sandboxes.resolve(key);
    if (!sandbox) throw new AdminError(404, `key "${key}" is not in the keys file, so it has no sandbox`);
    return sandbox;
  };

  const jsonBody = async <T>(c: Context, describe: string, check: (body: Record<string, unknown>) => T | undefined): Promise<T> => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw new AdminError(400, `${c.req.method} ${c.req.path} needs a JSON body ${describe}`);
    }
    const value = typeof body === 'object' && body !== null ? check(body as Record<string, unknown>) : undefined;
    if (value === undefined) throw new AdminError(400, `${c.req.method} ${c.req.path} needs a JSON body ${describe}, got ${excerpt(JSON.stringify(body))}`);
    return value;
  };

  // The app is fully built (specs compiled, vendors mounted) before the server listens, so
  // answering at all means every vendor route can be served.
  admin.get('/health', (c) => c.json(HEALTHY));

  admin.post('/reset', (c) => {
    const key = c.req.query('key');
    if (key === undefined) {
      reset();
      return c.json({ status: 'ok', reset: 'all' });
    }
    if (key === '') throw new AdminError(400, '?key= is empty; give the API key of the sandbox to wipe, or omit ?key to wipe everything');
    reset(key);
    return c.json({ status: 'ok', reset: 'sandbox', key });
  });

  admin.get('/clock', (c) => c.json({ now: clocks.now(sandboxOf(c)).toISOString() }));

  admin.post('/clock/advance', async (c) => {
    const sandbox = sandboxOf(c);
    const seconds = await jsonBody(c, `{"seconds": N} with 0 ≤ N ≤ ${MAX_ADVANCE_SECONDS}`, (body) =>
      typeof body.seconds === 'number' && Number.isFinite(body.seconds) && body.seconds >= 0 && body.seconds <= MAX_ADVANCE_SECONDS ? body.seconds : undefined,
    );
    if (clocks.now(sandbox).getTime() + seconds * 1000 > LATEST_TIME_MS) {
      throw new AdminError(400, `the clock of "${sandbox.key}" cannot pass ${new Date(LATEST_TIME_MS).toISOString()}; reset the sandbox to start its clock again from now`);
    }
    return c.json({ now: (await advanceClock(seconds, sandbox.key)).toISOString() });
  });

  admin.get('/webhooks', (c) => c.json({ webhooks: webhooks.list(sandboxOf(c).id) }));

  admin.get('/scenarios', (c) =>
    c.json({
      scenarios: [...scenarios.scenarios.values()].map(({ name, description, source, fixtures: loads }) => ({ name, description, source, fixtures: loads })),
    }),
  );

  admin.get('/scenario', (c) => {
    const sandbox = sandboxOf(c);
    return c.json({ key: sandbox.key, scenario: sandbox.scenario });
  });

  admin.put('/scenario', async (c) => {
    const sandbox = sandboxOf(c);
    const name = await jsonBody(c, '{"name": "<scenario>"}', (body) => (typeof body.name === 'string' && body.name ? body.name : undefined));
    const scenario = scenarios.scenarios.get(name);
    if (!scenario) throw new AdminError(404, unknownScenario(name, scenarios.scenarios).replace(/^campaign-mock: /, ''));
    for (const fixture of scenario.fixtures) loadFixture(fixture, sandbox);
    sandboxes.saveScenario(sandbox, name);
    scenarios.forget(sandbox.id);
    return c.json({ key: sandbox.key, scenario: name, fixtures: scenario.fixtures });
  });

  admin.delete('/scenario', (c) => {
    const sandbox = sandboxOf(c);
    sandboxes.saveScenario(sandbox, null);
    scenarios.forget(sandbox.id);
    return c.json({ key: sandbox.key, scenario: null });
  });

  admin.get('/fixtures', (c) =>
    c.json({ fixtures: fixtures.list().map(({ name, vendor, description }) => ({ name, vendor: vendor.name, description })) }),
  );

  admin.post('/fixtures', async (c) => {
    const sandbox = sandboxOf(c);
    const name = await jsonBody(c, '{"name": "<vendor>/<fixture>"}', (body) => (typeof body.name === 'string' && body.name ? body.name : undefined));
    loadFixture(name, sandbox);
    return c.json({ key: sandbox.key, fixture: name });
  });

  const loadFixture = (name: string, sandbox: Sandbox) => {
    if (!fixtures.has(name)) throw new AdminError(404, `unknown fixture "${name}"; GET /__admin/fixtures lists them`);
    try {
      fixtures.load(name, sandbox, clocks.now(sandbox));
    } catch (error) {
      if (error instanceof FixtureConflict) throw new AdminError(409, error.message.replace(/^campaign-mock: /, ''));
      throw error;
    }
  };

  const journalQuery = (c: Context): JournalQuery => {
    const query: JournalQuery = {};
    const key = c.req.query('key');
    const operationId = c.req.query('operation');
    if (key !== undefined) query.key = key;
    if (operationId !== undefined) query.operationId = operationId;
    for (const name of ['since', 'until'] as const) {
      const value = c.req.query(name);
      if (value === undefined) continue;
      const ms = Date.parse(value);
      if (Number.isNaN(ms)) throw new AdminError(400, `?${name}= must be an ISO 8601 time, got "${excerpt(value)}"`);
      query[name] = ms;
    }
    return query;
  };

  /**
   * A page of journal entries, oldest first: `?limit=` (default 1,000, at most 10,000) from the
   * entry after `?after=<id>`; `next` is the `after` of the next page, or null. Without `?key=`,
   * entries name their sandbox by a hash of its key (`keyHash`), never by the key: the journal
   * of every tenant must not hand out the others' keys.
   */
  const journalPage = (c: Context, query: JournalQuery) => {
    const limit = wholeNumber(c, 'limit', 1, MAX_JOURNAL_PAGE) ?? DEFAULT_JOURNAL_PAGE;
    const after = wholeNumber(c, 'after', 0, Number.MAX_SAFE_INTEGER) ?? 0;
    const { entries: page, next } = journal.page(query, after, limit);
    const withKeys = c.req.query('key') !== undefined;
    return { entries: withKeys ? page : page.map(({ key, ...entry }) => ({ ...entry, key: null, keyHash: key === null ? null : keyHash(key) })), next };
  };

  const wholeNumber = (c: Context, name: string, min: number, max: number): number | undefined => {
    const text = c.req.query(name);
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!/^\d+$/.test(text) || value < min || value > max) throw new AdminError(400, `?${name}= must be a whole number from ${min} to ${max}, got "${excerpt(text)}"`);
    return value;
  };

  admin.get('/requests', (c) => {
    const { entries, next } = journalPage(c, journalQuery(c));
    return c.json({ requests: entries, capacity: journal.capacity, next });
  });

  admin.get('/violations', (c) => {
    const { entries, next } = journalPage(c, { ...journalQuery(c), violationsOnly: true });
    return c.json({ violations: entries, next });
  });

  /**
   * The sandboxes that exist (with a keys file, only listed keys'), with what the journal holds of
   * each: the vendors it called, how many requests, and when the last came. The most recently
   * active first, `?limit=` of them (default 1,000); `total` counts them all. Listing creates no
   * sandbox and loads none.
   */
  admin.get('/sandboxes', (c) => {
    const limit = wholeNumber(c, 'limit', 1, MAX_SANDBOX_PAGE) ?? DEFAULT_SANDBOX_PAGE;
    const activity = journal.activity();
    const all = sandboxes.list().map(({ key, createdAt, scenario }) => {
      const seen = activity.get(key);
      return { key, vendors: seen ? [...seen.vendors].sort() : [], requests: seen?.requests ?? 0, lastActivity: seen ? new Date(seen.last).toISOString() : createdAt, createdAt, scenario };
    });
    // ISO times of one format sort as text; the newest sandbox first among equals.
    all.reverse().sort((a, b) => (a.lastActivity < b.lastActivity ? 1 : a.lastActivity > b.lastActivity ? -1 : 0));
    return c.json({ sandboxes: all.slice(0, limit), total: all.length });
  });

  admin.get('/campaigns', (c) => c.json({ campaigns: campaigns().campaigns(sandboxOf(c)) }));

  admin.get('/campaigns/:vendor/:id', (c) => {
    const sandbox = sandboxOf(c);
    const limit = wholeNumber(c, 'limit', 1, MAX_LEADS_PAGE) ?? DEFAULT_LEADS_PAGE;
    const offset = wholeNumber(c, 'offset', 0, Number.MAX_SAFE_INTEGER) ?? 0;
    const detail = campaigns().campaign(sandbox, c.req.param('vendor'), c.req.param('id'), { offset, limit });
    if (!detail) throw new AdminError(404, `the sandbox of "${sandbox.key}" has no ${c.req.param('vendor')} campaign "${c.req.param('id')}"; GET /__admin/campaigns?key=… lists them`);
    return c.json(detail);
  });

  admin.get('/timeline', (c) => {
    const sandbox = sandboxOf(c);
    const interval = wholeNumber(c, 'interval', 1, MAX_ADVANCE_SECONDS);
    return c.json(campaigns().timeline(sandbox, clocks.now(sandbox), interval));
  });

  return admin;
}

/** A value as an error quotes it: whole when short, else its start and its length. */
function excerpt(text: string): string {
  return text.length <= 120 ? text : `${text.slice(0, 100)}… (${text.length} characters)`;
}
