import BetterSqlite3, { type Database } from 'better-sqlite3';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

/**
 * Opens the store: in memory when `path` is absent or `:memory:`, otherwise a file that survives
 * restarts. File databases use WAL, so a crash loses no committed write, and hold SQLite's
 * exclusive lock for as long as they are open: one mock per file. A file that cannot serve — read
 * only, not a database, damaged, or in use by another mock — is refused at once with a one-line
 * error that names it and says what to do, rather than half-working.
 *
 * @example
 * const db = openDatabase();                   // in memory
 * const db = openDatabase('./mock.sqlite');    // on disk
 */
export function openDatabase(path?: string): Database {
  if (!path || path === ':memory:') return openMemoryDatabase();
  let db: Database | undefined;
  try {
    mkdirSync(dirname(resolve(path)), { recursive: true });
    // SQLite opens a file it cannot write read-only, and then fails on the first write (a WAL
    // file says "disk I/O error"): ask the file system first, for a message that says why.
    assertWritable(path);
    db = new BetterSqlite3(path, { timeout: 0, ...addon() });
    // One mock per file: the lock is taken now and held until the database is closed, so a
    // second mock on the same file fails here instead of corrupting the first one's state.
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = WAL');
    // NORMAL is durable across process crashes in WAL mode; only a power loss can drop the last commits.
    db.pragma('synchronous = NORMAL');
    db.exec('BEGIN EXCLUSIVE; COMMIT');
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw Object.assign(new Error(String(check).split('\n')[0]), { code: 'SQLITE_CORRUPT' });
  } catch (error) {
    db?.close();
    throw new Error(databaseProblem(path, error as NodeJS.ErrnoException));
  }
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}

/** An empty database in memory. */
export function openMemoryDatabase(): Database {
  const db = new BetterSqlite3(':memory:', addon());
  db.pragma('foreign_keys = ON');
  return db;
}

/** The folders of better-sqlite3's package where the `bindings` package looks for its addon first, in its order. */
const ADDON_FOLDERS = ['build', 'build/Debug', 'build/Release'];
let addonOption: { nativeBinding: string } | undefined;

/**
 * better-sqlite3's addon, named to it. Left to find it, better-sqlite3 asks the `bindings` package,
 * which requires one candidate path after another and walks up from its caller's stack frame to
 * find the package (3 to 6 ms of a start) — and in the command's bundle (src/build/bundle.ts)
 * that caller is the bundle, in this package rather than better-sqlite3's. So the first places
 * `bindings` tries are looked at here, in its order; when none holds the addon (a layout of its
 * own), `bindings` is asked for the path from better-sqlite3's folder.
 */
export function addon(): { nativeBinding: string } {
  return (addonOption ??= locateAddon(dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json'))));
}

/** The addon in better-sqlite3's package folder `root`, where `bindings` would find it. */
export function locateAddon(root: string): { nativeBinding: string } {
  const found = ADDON_FOLDERS.map((folder) => join(root, folder, 'better_sqlite3.node')).find((file) => existsSync(file));
  if (found) return { nativeBinding: found };
  const bindings = createRequire(join(root, 'package.json'))('bindings') as (options: { bindings: string; module_root: string; path: true }) => string;
  return { nativeBinding: bindings({ bindings: 'better_sqlite3.node', module_root: root, path: true }) };
}

function assertWritable(path: string): void {
  for (const [target, what] of [[path, 'the file'], [dirname(resolve(path)), 'its folder']] as const) {
    if (!existsSync(target)) continue;
    try {
      accessSync(target, constants.W_OK);
    } catch (error) {
      throw Object.assign(new Error(`${what} is not writable`), { code: (error as NodeJS.ErrnoException).code });
    }
  }
}

/** What is wrong with a database file, in one line that names it and says what to do. */
function databaseProblem(path: string, error: NodeJS.ErrnoException): string {
  const code = String(error.code ?? '');
  const why = error.message.split('\n')[0];
  if (code.startsWith('SQLITE_READONLY') || code === 'EACCES' || code === 'EROFS') {
    return `campaign-mock: the database ${path} is read-only (${why}); make the file and its folder writable, or pass another --db`;
  }
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return `campaign-mock: ${path} is not a campaign-mock database or it is damaged (${why}); move it aside, or pass another --db`;
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return `campaign-mock: the database ${path} is in use by another process (${why}); stop that mock, or pass another --db`;
  }
  return `campaign-mock: cannot open the database at ${path}: ${why}`;
}

/**
 * Paths this process holds a lock file for. Kept process-wide on purpose: a lock belongs to the
 * process, and it tells a lock this process left behind in an earlier life (the same pid after a
 * container restart) from one an open mock of this process holds.
 */
const held = new Set<string>();

/**
 * Takes `<path>.lock`, holding this process's pid, so that a second mock on the same file is told
 * which process has it. A lock whose process is gone is taken over. Returns the release.
 */
export function lockDatabaseFile(path: string): () => void {
  const lock = `${resolve(path)}.lock`;
  try {
    mkdirSync(dirname(lock), { recursive: true });
  } catch (error) {
    throw new Error(`campaign-mock: cannot open the database at ${path}: ${(error as Error).message}`);
  }
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(lock, `${process.pid}\n`, { flag: 'wx' });
      held.add(lock);
      return () => {
        if (!held.delete(lock)) return;
        try {
          if (readFileSync(lock, 'utf8').trim() === String(process.pid)) unlinkSync(lock);
        } catch {
          // Already gone: nothing to release.
        }
      };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EROFS') throw new Error(databaseProblem(path, Object.assign(new Error('its folder is not writable'), { code })));
      if (code !== 'EEXIST' || attempt > 0) {
        throw new Error(`campaign-mock: cannot take the lock file ${lock} for the database ${path}: ${(error as Error).message}`);
      }
    }
    const owner = Number(readLockOwner(lock));
    if (Number.isInteger(owner) && owner > 0 && (held.has(lock) || (owner !== process.pid && isRunning(owner)))) {
      throw new Error(`campaign-mock: the database ${path} is already in use by pid ${owner} (lock file ${lock}); stop that mock, or pass another --db`);
    }
    try {
      unlinkSync(lock);
    } catch {
      // Removed meanwhile by its owner: the next attempt takes it.
    }
  }
}

function readLockOwner(lock: string): string {
  try {
    return readFileSync(lock, 'utf8').trim();
  } catch {
    return '';
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
