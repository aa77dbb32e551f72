import BetterSqlite3, { type Database } from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Opens the store: in memory when `path` is absent or `:memory:`, otherwise a file that survives
 * restarts. File databases use WAL, so a crash loses no committed write and readers never wait
 * for the writer.
 *
 * @example
 * const db = openDatabase();                   // in memory
 * const db = openDatabase('./mock.sqlite');    // on disk
 */
export function openDatabase(path?: string): Database {
  const inMemory = !path || path === ':memory:';
  let db: Database;
  try {
    if (!inMemory) mkdirSync(dirname(resolve(path)), { recursive: true });
    db = new BetterSqlite3(inMemory ? ':memory:' : path);
  } catch (error) {
    throw new Error(`campaign-mock: cannot open the database at ${path}: ${(error as Error).message}`);
  }
  if (!inMemory) {
    db.pragma('journal_mode = WAL');
    // NORMAL is durable across process crashes in WAL mode; only a power loss can drop the last commits.
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}
