import type { Database } from 'better-sqlite3';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Hono } from 'hono';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { docsRoutes } from './admin/docs.js';
import { adminGuard } from './admin/guard.js';
import { inspectorPageRoutes } from './admin/ui.js';
import { adminError, adminRoutes, HEALTHY } from './admin/routes.js';
import { Clocks } from './clock/clock.js';
import { loadKeysFile, type KeyList } from './config/keys-file.js';
import type { Pipeline } from './engine/pipeline/call.js';
import { fromNode, hasBody, toResponse, writeNode, type Outgoing } from './engine/pipeline/incoming.js';
import { mountVendor, serve as serveOperation } from './engine/pipeline/mount.js';
import { serialise } from './engine/pipeline/7-check-reply.js';
import { OperationRouter, routingPath } from './engine/spec/routes.js';
import { loadSpec, type Spec } from './engine/spec/load.js';
import { compileSpecs } from './engine/spec/compile.js';
import type { VendorModule } from './engine/vendor.js';
import { FixtureCatalog } from './fixtures/catalog.js';
import { CampaignInspector } from './inspector/campaigns.js';
import { statusHistoryMigrations } from './inspector/migrations.js';
import { Journal } from './journal/journal.js';
import { loadScenarios } from './scenarios/catalog.js';
import { ScenarioRuntime, unknownScenario } from './scenarios/runtime.js';
import { createLogger, type Logger } from './logger.js';
import { lockDatabaseFile, openDatabase } from './store/database.js';
import { migrate, type Migration } from './store/migrations.js';
import { openSchemaScript } from './store/schema-script.js';
import { Imports, importMigrations } from './store/imports.js';
import { SandboxRegistry, sandboxMigrations, type Sandbox } from './store/sandboxes.js';
import { simMigrations } from './sim/migrations.js';
import { Simulator } from './sim/simulator.js';
import { WebhookDispatcher } from './sim/webhooks.js';
import { VENDORS } from './vendors/registry.js';

/** The bundled specs, scenarios and fixtures, at the package root (one level above `src/`, `lib/` and `dist/`). */
export const SPECS_DIR = fileURLToPath(new URL('../specs/', import.meta.url));
/** The control plane's own OpenAPI document (`/__admin/specs/admin.json`). */
export const ADMIN_SPEC_FILE = fileURLToPath(new URL('../specs/admin.yaml', import.meta.url));
export const SCENARIOS_DIR = fileURLToPath(new URL('../scenarios/', import.meta.url));
export const FIXTURES_DIR = fileURLToPath(new URL('../fixtures/', import.meta.url));
/** The specs parsed by `npm run build` (see loadSpec). */
export const SPEC_CACHE_DIR = fileURLToPath(new URL('../dist/spec-cache/', import.meta.url));
/** The bundled scenario files, parsed by the build (see loadScenarios). */
export const SCENARIO_CACHE_FILE = fileURLToPath(new URL('../dist/scenario-cache.json', import.meta.url));
/** The SQL that makes the in-memory store with every shipped migration applied, written by `npm run build` (see openSchemaScript). */
export const SCHEMA_SCRIPT_FILE = fileURLToPath(new URL('../dist/schema-script', import.meta.url));
/** The API reference page's script, copied there by `npm run build`. */
export const DOCS_ASSETS_DIR = fileURLToPath(new URL('../dist/docs-assets/', import.meta.url));
/** The inspector page's files as written (`src/inspector/page/`), and where `npm run build` puts them with uPlot. */
export const INSPECTOR_PAGE_DIR = fileURLToPath(new URL('../src/inspector/page/', import.meta.url));
export const INSPECTOR_ASSETS_DIR = fileURLToPath(new URL('../dist/inspector-assets/', import.meta.url));

export interface MockAppOptions {
  /**
   * The vendors to serve, each at its base path: every vendor campaign-mock ships (`VENDORS`, the
   * default), then any of your own (`[...VENDORS, mine]`). The bundled fixtures, scenarios and the
   * inspector read the shipped vendors' tables, so a list without one of them is refused.
   */
  vendors?: readonly VendorModule[];
  /** A database file that survives restarts; in memory when absent. */
  db?: string;
  /** A keys file: only its keys are accepted, each with its permissions. */
  keysFile?: string;
  /** Answer a reply that breaks its spec with a 500 instead of only logging it. For tests. */
  strict?: boolean;
  logger?: Logger;
  /** Folders of scenario files, read after the bundled `scenarios/`. */
  scenarioDirs?: string[];
  /** Folders of fixtures (`<vendor>/<name>.yaml`), read after the bundled `fixtures/`. */
  fixtureDirs?: string[];
  /** The scenario every new sandbox starts with. */
  scenario?: string;
  /** Sandbox clocks run at this many times real time; 0 freezes them (they move only when advanced). Default 1. */
  speed?: number;
  /** How many requests the journal keeps (oldest dropped first). Default 10,000. */
  journalLimit?: number;
  /** Hosts (or host:port) webhooks may go to besides loopback; `*` for any. */
  webhookAllow?: string[];
  /** When set, `/__admin` (but `/__admin/health`) needs this token. */
  adminToken?: string;
  /** Host names the control plane answers to besides loopback, IP addresses and single-label names. */
  allowedHosts?: string[];
}

/** A built mock: the Hono app and what it owns. */
export interface MockApp {
  app: Hono;
  db: Database;
  sandboxes: SandboxRegistry;
  clocks: Clocks;
  journal: Journal;
  simulator: Simulator;
  webhooks: WebhookDispatcher;
  vendors: ReadonlyArray<{ name: string; title: string; basePath: string }>;
  /**
   * Moves a sandbox's clock forward and runs everything that falls due, in time order (calls,
   * retries, status changes), then waits for the webhooks it sent. Resolves with the new time.
   * The same order as `startMock()`'s `advance(seconds, key)`.
   *
   * @example
   * await mock.advanceClock(3600, 'dnx_test_1'); // an hour of calls for that key
   */
  advanceClock(seconds: number, key: string): Promise<Date>;
  /** @deprecated The key first, as 0.1 took it: use `advanceClock(seconds, key)`. */
  advanceClock(key: string, seconds: number): Promise<Date>;
  /** Wipes one sandbox (data, clock, scenario, journal), or every sandbox. */
  reset(key?: string): void;
  /**
   * Serves a vendor operation straight from Node's request, without Hono's objects (the server's
   * fast path). Returns false, having done nothing, for anything else: the caller hands it to Hono.
   */
  serveNode(req: IncomingMessage, res: ServerResponse): boolean;
  /** Stops the clock's ticking and the webhook sending, and closes the database. */
  close(): void;
}

/** Every migration of the store for these vendors, in the order they are applied. */
export function storeMigrations(vendors: readonly VendorModule[]): Migration[] {
  return [...sandboxMigrations, ...importMigrations, ...simMigrations, ...statusHistoryMigrations, ...vendors.flatMap((vendor) => vendor.migrations)];
}

/**
 * Builds the whole mock — specs loaded and compiled, database migrated, vendors and admin routes
 * mounted — with no state shared with any other instance.
 *
 * @example
 * const mock = createMockApp({ strict: true });
 * const res = await mock.app.request('/__admin/health');
 * mock.close();
 */
export function createMockApp(options: MockAppOptions = {}): MockApp {
  const logger = options.logger ?? createLogger('info');
  const vendors = options.vendors ?? VENDORS;
  assertDistinct(vendors);
  const missing = VENDORS.filter((shipped) => !vendors.includes(shipped));
  if (missing.length > 0) {
    throw new Error(
      `campaign-mock: the vendors option leaves out ${missing.map((v) => v.name).join(', ')}; the bundled fixtures, scenarios and the inspector need every vendor campaign-mock ships, so list them first and add your own after: vendors: [...VENDORS, yours]`,
    );
  }
  const specs = new Map<VendorModule, Spec>(vendors.map((vendor) => [vendor, loadSpec(vendorSpecPath(vendor), SPEC_CACHE_DIR)]));
  const keys = options.keysFile ? loadKeys(options.keysFile, specs) : undefined;
  const compiled = compileSpecs([...specs.values()]);

  const onFile = options.db !== undefined && options.db !== ':memory:';
  const unlock = onFile ? lockDatabaseFile(options.db as string) : () => {};
  const migrations = storeMigrations(vendors);
  let db: Database;
  try {
    db = (!onFile && openSchemaScript(SCHEMA_SCRIPT_FILE, migrations)) || openDatabase(options.db);
  } catch (error) {
    unlock();
    throw error;
  }
  const closeDatabase = () => {
    db.close();
    unlock();
  };
  try {
    // Nothing to do on a database the schema script made, which holds every migration.
    migrate(db, migrations);
  } catch (error) {
    closeDatabase();
    throw error;
  }
  const simulator = new Simulator(db);
  const webhooks = new WebhookDispatcher(db, options.webhookAllow ?? [], logger);
  const sandboxes = new SandboxRegistry(db, keys, options.scenario ?? null);
  const imports = new Imports(db, sandboxes);
  const environment = { db, simulator, webhooks, imports };
  const instances = new Map(vendors.map((vendor) => [vendor, vendor.create(environment)]));
  for (const [vendor, { dialerEffects }] of instances) if (dialerEffects) simulator.registerEffects(vendor.name, dialerEffects);
  let fixtures: FixtureCatalog;
  let scenarioCatalog: ReturnType<typeof loadScenarios>;
  try {
    fixtures = new FixtureCatalog(
      [{ dir: FIXTURES_DIR, check: 'first-use' }, ...(options.fixtureDirs ?? []).map((dir) => ({ dir, check: 'startup' as const }))],
      vendors,
      environment,
    );
    scenarioCatalog = loadScenarios({
      dirs: [SCENARIOS_DIR, ...(options.scenarioDirs ?? [])],
      vendors: specs,
      fixtures: new Set(fixtures.names()),
      cache: readScenarioCache(),
    });
    if (options.scenario !== undefined && !scenarioCatalog.has(options.scenario)) throw new Error(unknownScenario(options.scenario, scenarioCatalog));
  } catch (error) {
    closeDatabase();
    throw error;
  }
  const clocks = new Clocks(sandboxes, options.speed ?? 1);
  const journal = new Journal(options.journalLimit ?? 10_000);
  const scenarios = new ScenarioRuntime(scenarioCatalog, (request) => clocks.now(request.sandbox));
  sandboxes.onReset((sandboxId) => {
    scenarios.forget(sandboxId);
    simulator.forget(sandboxId);
  });
  const settle = (sandbox: Sandbox) => simulator.settle(sandbox.id, clocks.now(sandbox).getTime());
  const hooks = { settle, intercept: scenarios.intercept.bind(scenarios), record: journal.record.bind(journal) };
  const ticker = clocks.speed > 0 ? startTicking(simulator, sandboxes, settle, logger) : undefined;

  const advance = async (seconds: number, key: string): Promise<Date> => {
    const sandbox = sandboxes.resolve(key);
    if (!sandbox) throw new Error(`campaign-mock: key "${key}" is not in the keys file, so it has no sandbox`);
    settle(sandbox);
    const now = clocks.advance(sandbox, seconds);
    settle(sandbox);
    await webhooks.flush(sandbox.id);
    return now;
  };
  // A key first is the deprecated order; the two cannot be confused, a key being a string.
  const advanceClock = ((first: number | string, second: number | string) =>
    typeof first === 'string' ? advance(Number(second), first) : advance(first, String(second))) as MockApp['advanceClock'];
  const reset = (key?: string): void => {
    sandboxes.reset(key);
    journal.clear(key);
  };

  const looselyRouted = [...specs].filter(([vendor]) => vendor.pathMatching === 'express');
  const app = new Hono({ getPath: routingPath(looselyRouted.map(([vendor, spec]) => ({ basePath: vendor.basePath, templates: spec.operations.map((op) => op.path) }))) });
  app.use('/__admin/*', ...adminGuard({ ...(options.adminToken ? { token: options.adminToken } : {}), allowedHosts: options.allowedHosts ?? [] }));
  let adminSpec: Spec | undefined;
  const readAdminSpec = () => (adminSpec ??= loadSpec(ADMIN_SPEC_FILE, SPEC_CACHE_DIR));
  app.route('/__admin', docsRoutes({ vendors: specs, assetsDir: DOCS_ASSETS_DIR, adminSpec: readAdminSpec }));
  app.route('/__admin', inspectorPageRoutes({ assetsDir: INSPECTOR_ASSETS_DIR }));
  let inspector: CampaignInspector | undefined;
  const campaigns = () => (inspector ??= new CampaignInspector(db));
  app.route('/__admin', adminRoutes({ sandboxes, clocks, journal, scenarios, fixtures, advanceClock: advance, reset, webhooks, campaigns }));
  // One transaction function for every write, made once: making one per request cost 7 µs.
  const inTransaction = db.transaction((write: () => unknown) => write());
  const pipeline: Pipeline = {
    sandboxes,
    logger,
    strict: options.strict ?? false,
    now: (sandbox) => clocks.now(sandbox),
    transaction: <T>(sandbox: Sandbox, write: () => T): T => {
      try {
        return inTransaction(write) as T;
      } catch (error) {
        // The rows are rolled back; what the simulation cached of them is dropped with them.
        simulator.forget(sandbox.id);
        throw error;
      }
    },
    hooks,
  };
  const routes = [...specs].flatMap(([vendor, spec]) =>
    mountVendor(app, { vendor, spec, operations: compiled.get(spec) ?? [], handlers: instances.get(vendor)?.handlers ?? {} }, pipeline).map((route) => ({
      method: route.operation.spec.method.toUpperCase(),
      template: route.operation.spec.path,
      loose: vendor.pathMatching === 'express',
      value: route,
    })),
  );
  // Every vendor has said how its imports are undone: undo what a crash left half-written.
  const recovered = imports.recover();
  if (recovered > 0) logger.warn(`undid ${recovered} ${recovered === 1 ? 'upload' : 'uploads'} a stopped server left half-written`);
  const router = new OperationRouter(routes);
  const healthy = JSON.stringify(HEALTHY);
  const healthyHeaders = { 'content-type': 'application/json', 'content-length': String(healthy.length) };
  const serveNode = (req: IncomingMessage, res: ServerResponse): boolean => {
    const url = req.url ?? '/';
    const queryStart = url.indexOf('?');
    const path = queryStart === -1 ? url : url.slice(0, queryStart);
    // Percent-encoded paths are decoded by Hono's rules; HEAD is answered by Hono as a GET.
    if (path.includes('%') || path.includes('\\')) return false;
    // The health route (no token, any host: see adminGuard), answered as Hono's route would; a
    // GET without a body, so the connection can serve the next request.
    if (path === '/__admin/health' && req.method === 'GET' && !hasBody(req)) {
      req.resume();
      res.writeHead(200, healthyHeaders).end(healthy);
      return true;
    }
    const match = router.match(req.method ?? 'GET', path);
    if (!match) return false;
    const failed = (error: Error) => {
      logger.error(`${req.method} ${path} failed: ${error.stack ?? error.message}`);
      writeNode(req, res, { status: 500, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(adminError(`internal error while serving ${req.method} ${path}: ${error.message}`)) });
    };
    let answered: Outgoing | Promise<Outgoing>;
    try {
      answered = serveOperation(match.value, fromNode(req, path, queryStart === -1 ? '' : url.slice(queryStart), match.params), pipeline);
    } catch (error) {
      failed(error as Error);
      return true;
    }
    // A request that waited for nothing is answered in the turn it arrived.
    if ('then' in answered) answered.then((outgoing) => writeNode(req, res, outgoing), failed);
    else writeNode(req, res, answered);
    return true;
  };

  app.notFound((c) => {
    const vendor = vendors.find((v) => c.req.path === v.basePath || c.req.path.startsWith(`${v.basePath}/`));
    if (vendor) {
      const spec = specs.get(vendor) as Spec;
      const allowed = spec.operations.filter((op) => templateMatches(op.path, c.req.path)).map((op) => op.method.toUpperCase());
      const response = toResponse(serialise(vendor.errors.routeNotFound(c.req.method, c.req.path, allowed)));
      const url = new URL(c.req.url);
      journal.record({
        time: new Date().toISOString(),
        key: null,
        vendor: vendor.name,
        operationId: null,
        method: c.req.method,
        path: url.pathname,
        query: url.search,
        status: response.status,
        durationMs: 0,
        scenario: null,
        violations: [`no ${vendor.title} operation is ${c.req.method} ${c.req.path}${allowed.length > 0 ? ` (that path takes ${allowed.join(', ')})` : ''}`],
        replyViolations: [],
      });
      return response;
    }
    const bases = vendors.map((v) => `${v.basePath} (${v.title})`).join(', ');
    return c.json(adminError(`no route for ${c.req.method} ${c.req.path}. Vendor routes live under ${bases}; the control plane under /__admin.`), 404);
  });
  app.onError((error, c) => {
    logger.error(`${c.req.method} ${c.req.path} failed: ${error.stack ?? error.message}`);
    return c.json(adminError(`internal error while serving ${c.req.method} ${c.req.path}: ${error.message}`), 500);
  });

  return {
    app,
    db,
    sandboxes,
    clocks,
    journal,
    simulator,
    webhooks,
    advanceClock,
    reset,
    serveNode,
    vendors: vendors.map(({ name, title, basePath }) => ({ name, title, basePath })),
    close: () => {
      clearInterval(ticker);
      void webhooks.close();
      closeDatabase();
    },
  };
}

/** How often a running clock moves the campaigns of every sandbox on (wall time). */
const TICK_MS = 250;

/**
 * While clocks run by themselves, campaigns must progress with nobody asking: every tick settles
 * each sandbox that has anything simulated, so a dashboard watching the mock sees calls happen.
 */
function startTicking(simulator: Simulator, sandboxes: SandboxRegistry, settle: (sandbox: Sandbox) => void, logger: Logger): NodeJS.Timeout {
  const timer = setInterval(() => {
    try {
      for (const id of simulator.activeSandboxes()) {
        const sandbox = sandboxes.byId(id);
        if (sandbox) settle(sandbox);
      }
    } catch (error) {
      logger.error(`campaign-mock: the dialer simulation failed: ${(error as Error).stack ?? String(error)}`);
    }
  }, TICK_MS);
  timer.unref();
  return timer;
}

/** The build's parsed bundled scenarios by their files' text; empty when there is none (a run from source). */
function readScenarioCache(): Map<string, unknown> {
  if (!existsSync(SCENARIO_CACHE_FILE)) return new Map();
  return new Map(Object.entries(JSON.parse(readFileSync(SCENARIO_CACHE_FILE, 'utf8')) as Record<string, unknown>));
}

function loadKeys(path: string, specs: Map<VendorModule, Spec>): KeyList {
  const permissions = new Set<string>();
  for (const spec of specs.values()) for (const op of spec.operations) if (op.permission) permissions.add(op.permission);
  return loadKeysFile(path, {
    permissions: [...permissions].sort(),
    vendorSettings: Object.fromEntries([...specs.keys()].map((vendor) => [vendor.name, vendor.keySettings])),
  });
}

/**
 * Where a vendor's spec is: `specs/<specFile>` in this package, or `specDir` for a vendor kept outside it.
 *
 * @example
 * loadSpec(vendorSpecPath(sarvam)); // …/specs/sarvam.yaml
 */
export function vendorSpecPath(vendor: Pick<VendorModule, 'specFile' | 'specDir'>): string {
  return vendor.specDir === undefined ? `${SPECS_DIR}${vendor.specFile}` : join(vendor.specDir, vendor.specFile);
}

/** Two vendors on one name or one base path would answer for each other: fail at startup instead. */
function assertDistinct(vendors: readonly VendorModule[]): void {
  for (const [index, vendor] of vendors.entries()) {
    const other = vendors.slice(0, index).find((v) => v.name === vendor.name || v.basePath === vendor.basePath);
    if (other) {
      const clash = other.name === vendor.name ? `the name "${vendor.name}"` : `the base path ${vendor.basePath}`;
      throw new Error(`campaign-mock: vendors ${other.title} and ${vendor.title} share ${clash}; give each vendor its own name and base path`);
    }
  }
}

function templateMatches(template: string, path: string): boolean {
  const pattern = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+');
  return new RegExp(`^${pattern}$`).test(path);
}
