import type { Database, Statement } from 'better-sqlite3';
import { breathe } from '../pacer.js';
import type { Migration } from './migrations.js';

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

/** How long one slice of an import may hold the event loop, in milliseconds. */
const SLICE_MS = 10;
/** Rows written between two looks at the time. */
const ROWS_PER_LOOK = 1000;

export class Imports {
  readonly #undoSteps = new Map<string, UndoStep>();
  readonly #insert: Statement<[number, string, string, string, string]>;
  readonly #delete: Statement<[number]>;
  readonly #unfinished: Statement<[], ImportEntry>;

  constructor(private readonly db: Database) {
    this.#insert = db.prepare('INSERT INTO imports (sandbox_id, kind, ref, detail, started_at) VALUES (?, ?, ?, ?, ?)');
    this.#delete = db.prepare('DELETE FROM imports WHERE id = ?');
    this.#unfinished = db.prepare('SELECT id, sandbox_id, kind, ref, detail FROM imports ORDER BY id');
  }

  /** Says how imports of one kind are undone; done once, before `recover`. */
  define(kind: string, undo: UndoStep): void {
    this.#undoSteps.set(kind, undo);
  }

  /**
   * Writes `rows` with `write`, a slice at a time, each slice a transaction of about 10 ms and
   * the event loop free between slices. `write` is called with consecutive runs of rows; it reads
   * what it depends on again each time (the campaign may have been cancelled or reset meanwhile)
   * and throws to stop. On a throw the rows already written are undone (in slices too) and the
   * error is thrown on; on success the last slice's transaction also closes the import.
   */
  async run<T>(
    target: { sandboxId: number; kind: string; ref: string; detail?: unknown },
    rows: readonly T[],
    write: (rows: readonly T[], importId: number) => void,
  ): Promise<void> {
    if (!this.#undoSteps.has(target.kind)) throw new Error(`campaign-mock: no undo step defined for imports of kind "${target.kind}"`);
    const entry: ImportEntry = {
      id: 0,
      sandbox_id: target.sandboxId,
      kind: target.kind,
      ref: target.ref,
      detail: JSON.stringify(target.detail ?? null),
    };
    entry.id = Number(this.#insert.run(entry.sandbox_id, entry.kind, entry.ref, entry.detail, new Date().toISOString()).lastInsertRowid);
    let next = 0;
    try {
      const slice = this.db.transaction(() => {
        const started = performance.now();
        do {
          const end = Math.min(next + ROWS_PER_LOOK, rows.length);
          write(rows.slice(next, end), entry.id);
          next = end;
        } while (next < rows.length && performance.now() - started < SLICE_MS);
        if (next === rows.length) this.#delete.run(entry.id);
      });
      while (next < rows.length) {
        await breathe();
        slice();
      }
    } catch (error) {
      await this.#undo(entry);
      throw error;
    }
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
