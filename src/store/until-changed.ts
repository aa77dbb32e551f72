import type { Database } from 'better-sqlite3';
import { prepareLater } from './deferred.js';

/** How many answers a cache keeps at most; the one kept first goes first. */
const DEFAULT_CAPACITY = 64;

/**
 * Answers worked out from what the database holds, kept until it changes: a list page polled
 * again and again (a test waiting for its calls to end) is read, shaped and serialised once for
 * each change rather than once for each request.
 *
 * SQLite counts every row inserted, updated or deleted on the connection since it was opened
 * (`total_changes()`, rows changed by triggers included). The count never goes back, not even
 * when a transaction is rolled back, so an answer made at one count is still true at the same
 * count. Nothing is kept while a transaction is open: what it wrote may yet be rolled back, and
 * the count would not say so. Answers are kept per sandbox, and one sandbox's never answer
 * another's.
 *
 * @example
 * const pages = new UntilChanged<Reply>(db);
 * const reply = pages.get(sandbox.id, `${page} ${limit}`, () => readPage(page, limit));
 */
export class UntilChanged<T> {
  readonly #changes;
  readonly #answers = new Map<string, { changes: number; value: T }>();

  constructor(
    private readonly db: Database,
    private readonly capacity = DEFAULT_CAPACITY,
  ) {
    this.#changes = prepareLater<[], number>(db, 'SELECT total_changes()').pluck();
  }

  /** The sandbox's answer for `key` if nothing has changed since it was made; else `make()`'s, kept. */
  get(sandboxId: number, key: string, make: () => T): T {
    if (this.db.inTransaction) return make();
    const changes = this.#changes.get() as number;
    const at = `${sandboxId} ${key}`;
    const kept = this.#answers.get(at);
    if (kept !== undefined && kept.changes === changes) return kept.value;
    const value = make();
    if (kept === undefined && this.#answers.size >= this.capacity) this.#answers.delete(this.#answers.keys().next().value as string);
    this.#answers.set(at, { changes, value });
    return value;
  }
}
