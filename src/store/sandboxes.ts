import type { Database, Statement } from 'better-sqlite3';
import { FULL_ACCESS, type KeyAccess, type KeyList } from '../config/keys-file.js';
import type { Migration } from './migrations.js';

/**
 * A tenant: everything stored under one API key. Every vendor table carries `sandbox_id` with
 * `ON DELETE CASCADE`, so deleting the sandbox row wipes the tenant in one statement.
 */
export interface Sandbox {
  id: number;
  key: string;
  access: KeyAccess;
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
];

/**
 * Maps API keys to sandboxes, creating a sandbox the first time a key is seen.
 *
 * @example
 * const sandboxes = new SandboxRegistry(db);
 * sandboxes.resolve('dnx_test_a')?.id; // 1
 */
export class SandboxRegistry {
  readonly #cache = new Map<string, Sandbox>();
  readonly #insert: Statement<[string, string]>;
  readonly #select: Statement<[string], { id: number }>;
  readonly #deleteOne: Statement<[string]>;
  readonly #deleteAll: Statement<[]>;

  constructor(
    private readonly db: Database,
    /** When given, only these keys are accepted. */
    private readonly keys?: KeyList,
  ) {
    this.#insert = db.prepare('INSERT INTO sandboxes (api_key, created_at) VALUES (?, ?) ON CONFLICT (api_key) DO NOTHING');
    this.#select = db.prepare('SELECT id FROM sandboxes WHERE api_key = ?');
    this.#deleteOne = db.prepare('DELETE FROM sandboxes WHERE api_key = ?');
    this.#deleteAll = db.prepare('DELETE FROM sandboxes');
  }

  /** The sandbox of a key, or `undefined` when a keys file is in force and does not list it. */
  resolve(key: string): Sandbox | undefined {
    const cached = this.#cache.get(key);
    if (cached) return cached;
    const access = this.keys ? this.keys.get(key) : FULL_ACCESS;
    if (!access) return undefined;
    this.#insert.run(key, new Date().toISOString());
    const row = this.#select.get(key);
    if (!row) throw new Error(`campaign-mock: sandbox for a key vanished while it was being created`);
    const sandbox: Sandbox = { id: row.id, key, access };
    this.#cache.set(key, sandbox);
    return sandbox;
  }

  /** Wipes one sandbox, or every sandbox when no key is given. */
  reset(key?: string): void {
    if (key === undefined) {
      this.#deleteAll.run();
      this.#cache.clear();
    } else {
      this.#deleteOne.run(key);
      this.#cache.delete(key);
    }
  }
}
