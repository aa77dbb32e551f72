import type { Database, Statement } from 'better-sqlite3';
import { FULL_ACCESS, type KeyAccess, type KeyList } from '../config/keys-file.js';
import type { Migration } from './migrations.js';
import { prepareLater } from './deferred.js';

/**
 * A tenant: everything stored under one API key. Every vendor table carries `sandbox_id` with
 * `ON DELETE CASCADE`, so deleting the sandbox row wipes the tenant in one statement.
 */
export interface Sandbox {
  id: number;
  key: string;
  access: KeyAccess;
  /** The sandbox clock's anchor: at wall time `wallMs` it read `virtualMs` (see src/clock). */
  clock: { virtualMs: number; wallMs: number };
  /** The scenario made sticky for this sandbox, if any. */
  scenario: string | null;
}

export const sandboxMigrations: Migration[] = [
  {
    id: 'core/001-sandboxes',
    sql: `CREATE TABLE sandboxes (
      id INTEGER PRIMARY KEY,
      api_key TEXT NOT NULL UNIQUE,
      created_at TEXT NOT NULL
    ) STRICT;`,
  },
  {
    id: 'core/002-sandbox-clock-and-scenario',
    sql: `ALTER TABLE sandboxes ADD COLUMN clock_virtual_ms INTEGER;
      ALTER TABLE sandboxes ADD COLUMN clock_wall_ms INTEGER;
      ALTER TABLE sandboxes ADD COLUMN scenario TEXT;`,
  },
];

interface SandboxRow {
  id: number;
  created_at: string;
  clock_virtual_ms: number | null;
  clock_wall_ms: number | null;
  scenario: string | null;
}

/**
 * A write's sandbox was reset while its request waited (a prepare step, or between two slices of
 * an import): what it wrote went with the sandbox. The engine answers it with the vendor's 404
 * (see src/engine/pipeline/6-dispatch.ts).
 */
export class SandboxResetError extends Error {
  constructor(sandboxId: number) {
    super(`sandbox ${sandboxId} was reset while a write into it waited`);
  }
}

/**
 * Maps API keys to sandboxes, creating a sandbox the first time a key is seen.
 *
 * @example
 * const sandboxes = new SandboxRegistry(db);
 * sandboxes.resolve('dnx_test_a')?.id; // 1
 */
export class SandboxRegistry {
  readonly #cache = new Map<string, Sandbox>();
  readonly #insert: Statement<[string, string, number, number, string | null]>;
  readonly #select: Statement<[string], SandboxRow>;
  readonly #keyOf: Statement<[number], { api_key: string }>;
  readonly #all: Statement<[], { id: number; api_key: string; created_at: string; scenario: string | null }>;
  readonly #deleteOne: Statement<[string]>;
  readonly #vacuum: () => void;
  readonly #deleteAll: () => void;
  readonly #saveClock: Statement<[number, number, number]>;
  readonly #saveScenario: Statement<[string | null, number]>;
  readonly #resetListeners: Array<(sandboxId?: number) => void> = [];

  constructor(
    db: Database,
    /** When given, only these keys are accepted. */
    private readonly keys?: KeyList,
    /** The scenario a new sandbox starts with. */
    private readonly defaultScenario: string | null = null,
  ) {
    this.#insert = prepareLater(
      db,
      'INSERT INTO sandboxes (api_key, created_at, clock_virtual_ms, clock_wall_ms, scenario) VALUES (?, ?, ?, ?, ?) ON CONFLICT (api_key) DO NOTHING',
    );
    this.#select = prepareLater(db, 'SELECT id, created_at, clock_virtual_ms, clock_wall_ms, scenario FROM sandboxes WHERE api_key = ?');
    this.#keyOf = prepareLater(db, 'SELECT api_key FROM sandboxes WHERE id = ?');
    this.#all = prepareLater(db, 'SELECT id, api_key, created_at, scenario FROM sandboxes ORDER BY id');
    this.#deleteOne = prepareLater(db, 'DELETE FROM sandboxes WHERE api_key = ?');
    const cascade = db.prepare('DELETE FROM sandboxes');
    this.#deleteAll = () => {
      // Inside a transaction, the foreign keys cascade from the sandboxes, row by row.
      if (db.inTransaction) return void cascade.run();
      // Otherwise every table of sandbox data is emptied whole, with the foreign keys off, which
      // lets SQLite drop a table's pages at once instead of visiting each row: at 100,000
      // sandboxes, milliseconds instead of most of a second.
      const tables = db.prepare("SELECT m.name FROM sqlite_schema m WHERE m.type = 'table' AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) WHERE name = 'sandbox_id')").pluck().all() as string[];
      db.pragma('foreign_keys = OFF');
      try {
        db.transaction(() => {
          for (const table of tables) db.prepare(`DELETE FROM "${table.replace(/"/g, '""')}"`).run();
          cascade.run();
        })();
      } finally {
        db.pragma('foreign_keys = ON');
      }
    };
    this.#vacuum = () => {
      // Gives the emptied pages back (memory for an in-memory database, disk for a file); it
      // cannot run inside a transaction, where a reset never is.
      if (!db.inTransaction) db.exec('VACUUM');
    };
    this.#saveClock = prepareLater(db, 'UPDATE sandboxes SET clock_virtual_ms = ?, clock_wall_ms = ? WHERE id = ?');
    this.#saveScenario = prepareLater(db, 'UPDATE sandboxes SET scenario = ? WHERE id = ?');
  }

  /** Whether a key may have a sandbox at all (false only for keys a keys file does not list). */
  accepts(key: string): boolean {
    return !this.keys || this.keys.has(key);
  }

  /** The sandbox of a key, or `undefined` when a keys file is in force and does not list it. */
  resolve(key: string): Sandbox | undefined {
    const cached = this.#cache.get(key);
    if (cached) return cached;
    const access = this.keys ? this.keys.get(key) : FULL_ACCESS;
    if (!access) return undefined;
    const wallMs = Date.now();
    this.#insert.run(key, new Date(wallMs).toISOString(), wallMs, wallMs, this.defaultScenario);
    const row = this.#select.get(key);
    if (!row) throw new Error(`campaign-mock: sandbox for a key vanished while it was being created`);
    const created = Date.parse(row.created_at);
    const sandbox: Sandbox = {
      id: row.id,
      key,
      access,
      clock: { virtualMs: row.clock_virtual_ms ?? created, wallMs: row.clock_wall_ms ?? created },
      scenario: row.scenario,
    };
    this.#cache.set(key, sandbox);
    return sandbox;
  }

  /**
   * Every sandbox that exists, oldest first, without creating any. With a keys file, only the
   * listed keys' (a file database may hold sandboxes of keys a former keys file listed).
   */
  list(): Array<{ id: number; key: string; createdAt: string; scenario: string | null }> {
    return this.#all
      .all()
      .filter((row) => this.accepts(row.api_key))
      .map((row) => ({ id: row.id, key: row.api_key, createdAt: row.created_at, scenario: row.scenario }));
  }

  /**
   * Whether a sandbox is still there: a reset takes it away, and SQLite may hand its id to the next
   * sandbox made, another key's, so the key is compared too.
   */
  holds(sandbox: Pick<Sandbox, 'id' | 'key'>): boolean {
    return this.#keyOf.get(sandbox.id)?.api_key === sandbox.key;
  }

  /** The sandbox with this id, if it exists. */
  byId(id: number): Sandbox | undefined {
    for (const sandbox of this.#cache.values()) if (sandbox.id === id) return sandbox;
    const row = this.#keyOf.get(id);
    return row ? this.resolve(row.api_key) : undefined;
  }

  saveClock(sandbox: Sandbox, clock: Sandbox['clock']): void {
    sandbox.clock = clock;
    this.#saveClock.run(clock.virtualMs, clock.wallMs, sandbox.id);
  }

  saveScenario(sandbox: Sandbox, scenario: string | null): void {
    sandbox.scenario = scenario;
    this.#saveScenario.run(scenario, sandbox.id);
  }

  /** Calls `listener` after every reset, with the wiped sandbox's id (none: every sandbox). */
  onReset(listener: (sandboxId?: number) => void): void {
    this.#resetListeners.push(listener);
  }

  /** Wipes one sandbox, or every sandbox when no key is given. */
  reset(key?: string): void {
    if (key === undefined) {
      this.#deleteAll();
      this.#cache.clear();
      for (const listener of this.#resetListeners) listener();
      this.#vacuum();
      return;
    }
    const id = this.#cache.get(key)?.id ?? this.#select.get(key)?.id;
    this.#deleteOne.run(key);
    this.#cache.delete(key);
    if (id !== undefined) for (const listener of this.#resetListeners) listener(id);
  }
}
