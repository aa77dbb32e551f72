import type { Database, Statement } from 'better-sqlite3';
import { breathe } from '../pacer.js';
import type { Migration } from './migrations.js';
import { SandboxResetError, type SandboxRegistry } from './sandboxes.js';
import { prepareLater } from './deferred.js';

/**
 * Big writes in slices: an upload of hundreds of thousands of rows is written as a run of short
 * transactions, with the event loop free between them, so other requests (every sandbox's) are
 * answered while it runs. All or nothing still holds, by an entry in `imports`: it is written
 * before the first slice and deleted in the same transaction as the last. An import that fails
 * half-way is undone before its request is answered; one a crash cut short is undone when the
 * mock next starts on the database file.
 */
export const importMigrations: Migration[] = [
  {
    id: 'core/003-imports',
    sql: `CREATE TABLE imports (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      sandbox_id INTEGER NOT NULL REFERENCES sandboxes(id) ON DELETE CASCADE,
      kind TEXT NOT NULL,
      ref TEXT NOT NULL,
      detail TEXT NOT NULL,
      started_at TEXT NOT NULL
    ) STRICT;`,
  },
];

/** An import under way: what its undo step is told. */
export interface ImportEntry {
  id: number;
  sandbox_id: number;
  /** Whose import it is (`dialnexa/leads`): names the undo step. */
  kind: string;
  /** What it writes into (a campaign id). */
  ref: string;
  /** What the undo step needs besides the rows (JSON, the kind's own). */
  detail: string;
}

/**
 * Removes at most `limit` rows an import wrote, in the caller's transaction; answers how many it
 * removed (fewer than `limit`: the import is undone).
 */
export type UndoStep = (entry: ImportEntry, limit: number) => number;

/**
 * Writes of more rows than this go in slices (a leads file, a cohort, a campaign's CSV source);
 * fewer are written by the handler proper, in the request's transaction.
 */
export const WRITTEN_AT_ONCE = 5_000;

/** How long one slice of an import may hold the event loop, in milliseconds. */
const SLICE_MS = 10;
/** Rows written between two looks at the time. */
const ROWS_PER_LOOK = 1000;

export class Imports {
  readonly #undoSteps = new Map<string, UndoStep>();
  readonly #insert: Statement<[number, string, string, string, string]>;
  readonly #open: Statement<[number], unknown>;
  readonly #delete: Statement<[number]>;
  readonly #unfinished: Statement<[], ImportEntry>;

  constructor(
    private readonly db: Database,
    /** Tells a request's sandbox from a later one given its id (see SandboxRegistry.holds). */
    private readonly sandboxes: Pick<SandboxRegistry, 'holds'>,
  ) {
    this.#insert = prepareLater(db, 'INSERT INTO imports (sandbox_id, kind, ref, detail, started_at) VALUES (?, ?, ?, ?, ?)');
    this.#delete = prepareLater(db, 'DELETE FROM imports WHERE id = ?');
    this.#unfinished = prepareLater(db, 'SELECT id, sandbox_id, kind, ref, detail FROM imports ORDER BY id');
    this.#open = prepareLater(db, 'SELECT count(*) FROM imports WHERE id = ?').pluck();
  }

  /** Says how imports of one kind are undone; done once, before `recover`. */
  define(kind: string, undo: UndoStep): void {
    this.#undoSteps.set(kind, undo);
  }

  /**
   * Writes `rows` with `write`, a slice at a time (see ImportWriter), and closes the import in
   * the last slice's transaction. On a throw the rows already written are undone (in slices too)
   * and the error is thrown on.
   */
  async run<T>(target: ImportTarget, rows: readonly T[], write: (rows: readonly T[], importId: number) => void): Promise<void> {
    const writer = this.open(target);
    try {
      await writer.write(rows, write, { last: true });
    } catch (error) {
      await writer.abort();
      throw error;
    }
  }

  /**
   * Starts an import whose rows come in batches (a file read as it streams): its entry is written
   * now; the caller writes with `write`, the last batch with `last`, or `abort`s it to undo what
   * it wrote. Throws SandboxResetError when the request's sandbox is gone (reset while the request
   * waited): its id may already be another key's, since SQLite hands a freed id out again.
   */
  open(target: ImportTarget): ImportWriter {
    if (!this.#undoSteps.has(target.kind)) throw new Error(`campaign-mock: no undo step defined for imports of kind "${target.kind}"`);
    const sandboxId = target.sandbox.id;
    if (!this.sandboxes.holds(target.sandbox)) throw new SandboxResetError(sandboxId);
    const detail = JSON.stringify(target.detail ?? null);
    const id = Number(this.#insert.run(sandboxId, target.kind, target.ref, detail, new Date().toISOString()).lastInsertRowid);
    const entry: ImportEntry = { id, sandbox_id: sandboxId, kind: target.kind, ref: target.ref, detail };
    // A reset of the sandbox deletes its imports: each slice looks for its own entry first.
    const stillOpen = () => this.#open.get(id) === 1;
    return new ImportWriter(this.db, entry, stillOpen, () => this.#delete.run(id), () => this.#undo(entry));
  }

  /**
   * Undoes what imports cut short by a crash wrote (the mock starting on a database file a killed
   * process left). Answers how many imports it undid.
   */
  recover(): number {
    const entries = this.#unfinished.all();
    for (const entry of entries) {
      const undo = this.#undoSteps.get(entry.kind);
      if (!undo) throw new Error(`campaign-mock: the database holds an unfinished import of kind "${entry.kind}", which this version cannot undo`);
      this.db.transaction(() => {
        while (undo(entry, 10_000) === 10_000);
        this.#delete.run(entry.id);
      })();
    }
    return entries.length;
  }

  async #undo(entry: ImportEntry): Promise<void> {
    const undo = this.#undoSteps.get(entry.kind) as UndoStep;
    const step = this.db.transaction(() => {
      const removed = undo(entry, 2_000);
      if (removed < 2_000) this.#delete.run(entry.id);
      return removed;
    });
    while (step() === 2_000) await breathe();
  }
}

/** What an import writes into, and what its undo step needs (see ImportEntry). */
export interface ImportTarget {
  /** The request's sandbox: its id, and its key, which tells it from a later sandbox given the same id. */
  sandbox: { id: number; key: string };
  kind: string;
  ref: string;
  detail?: unknown;
}

/** An import under way (see Imports.open). */
export class ImportWriter {
  constructor(
    private readonly db: Database,
    private readonly entry: ImportEntry,
    private readonly stillOpen: () => boolean,
    private readonly close: () => void,
    private readonly undo: () => Promise<void>,
  ) {}

  /**
   * Writes `rows` with `write`, a slice at a time: each slice a transaction of about 10 ms, the
   * event loop free before each. `write` is called with consecutive runs of rows; it reads what it
   * depends on again each time (the campaign may have been cancelled or reset meanwhile) and
   * throws to stop, leaving the slice unwritten. With `last`, the last slice's transaction also
   * closes the import, so that what it writes and the closing are one.
   */
  async write<T>(rows: readonly T[], write: (rows: readonly T[], importId: number) => void, { last = false } = {}): Promise<void> {
    if (rows.length === 0) return void (last && this.db.transaction(this.close)());
    let next = 0;
    const slice = this.db.transaction(() => {
      // Gone with its sandbox (a reset while the loop was free): nothing more may be written.
      if (!this.stillOpen()) throw new SandboxResetError(this.entry.sandbox_id);
      const started = performance.now();
      do {
        const end = Math.min(next + ROWS_PER_LOOK, rows.length);
        write(rows.slice(next, end), this.entry.id);
        next = end;
      } while (next < rows.length && performance.now() - started < SLICE_MS);
      if (last && next === rows.length) this.close();
    });
    while (next < rows.length) {
      await breathe();
      slice();
    }
  }

  /** Undoes what the import wrote, a slice at a time, and closes it. */
  abort(): Promise<void> {
    return this.undo();
  }
}
