import type { Database, Statement } from 'better-sqlite3';

/**
 * Statements prepared when first run rather than when a store is made. The stores hold some 140
 * statements, and preparing them all took 6 ms of every start, most of them for operations a
 * given test never calls. A mistake in one (a column a migration renamed) would then show only
 * when it runs, so `prepareDeferred` prepares every one made for a database at once: the test
 * suite calls it on a fresh mock (test/store/deferred.test.ts).
 */
const deferred = new WeakMap<Database, Array<() => unknown>>();

/** Registers the work that prepares one deferred statement of `db`. */
export function deferPreparation(db: Database, prepare: () => unknown): void {
  let all = deferred.get(db);
  if (!all) deferred.set(db, (all = []));
  all.push(prepare);
}

/** Prepares every deferred statement made for `db` so far; returns how many there are. */
export function prepareDeferred(db: Database): number {
  const all = deferred.get(db) ?? [];
  for (const prepare of all) prepare();
  return all.length;
}

/**
 * `db.prepare(sql)`, done when the statement first runs (or is asked what it reads). `pluck()`,
 * `raw()` and the other modes set before then are applied when it is prepared. After that, `run`,
 * `get`, `all` and `iterate` are the prepared statement's own methods, bound to it, so a call
 * costs what it did.
 *
 * @example
 * this.#getCampaign = prepareLater<[number, string], CampaignRow>(db, 'SELECT * FROM campaigns WHERE sandbox_id = ? AND id = ?');
 */
export function prepareLater<Params extends unknown[] | {} = unknown[], Row = unknown>(db: Database, sql: string): Statement<Params, Row> {
  const statement = new LaterStatement(db, sql);
  deferPreparation(db, () => statement.prepared());
  return statement as unknown as Statement<Params, Row>;
}

type Mode = (statement: Statement) => void;

class LaterStatement {
  #statement: Statement | undefined;
  readonly #modes: Mode[] = [];

  constructor(
    readonly database: Database,
    readonly source: string,
  ) {}

  prepared(): Statement {
    if (this.#statement) return this.#statement;
    const statement = this.database.prepare(this.source);
    for (const mode of this.#modes) mode(statement);
    this.#statement = statement;
    this.run = statement.run.bind(statement);
    this.get = statement.get.bind(statement);
    this.all = statement.all.bind(statement);
    this.iterate = statement.iterate.bind(statement);
    return statement;
  }

  pluck(toggle = true): this {
    return this.#mode((statement) => statement.pluck(toggle));
  }

  raw(toggle = true): this {
    return this.#mode((statement) => statement.raw(toggle));
  }

  expand(toggle = true): this {
    return this.#mode((statement) => statement.expand(toggle));
  }

  safeIntegers(toggle = true): this {
    return this.#mode((statement) => statement.safeIntegers(toggle));
  }

  bind(...params: unknown[]): this {
    return this.#mode((statement) => statement.bind(...params));
  }

  get reader(): boolean {
    return this.prepared().reader;
  }

  get readonly(): boolean {
    return this.prepared().readonly;
  }

  get busy(): boolean {
    return this.#statement?.busy ?? false;
  }

  columns(): ReturnType<Statement['columns']> {
    return this.prepared().columns();
  }

  run(...params: unknown[]): unknown {
    return this.prepared().run(...params);
  }

  get(...params: unknown[]): unknown {
    return this.prepared().get(...params);
  }

  all(...params: unknown[]): unknown[] {
    return this.prepared().all(...params);
  }

  iterate(...params: unknown[]): IterableIterator<unknown> {
    return this.prepared().iterate(...params);
  }

  #mode(mode: Mode): this {
    if (this.#statement) mode(this.#statement);
    else this.#modes.push(mode);
    return this;
  }
}
