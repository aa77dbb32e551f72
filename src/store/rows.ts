import type { Database, Statement } from 'better-sqlite3';
import { deferPreparation } from './deferred.js';

/**
 * Rows (of a SELECT, or of a write with RETURNING) as plain objects of one shape, for the reads
 * every request makes.
 * better-sqlite3 builds each row object key by key in C++, which costs more than the query itself
 * for a page of wide rows (8 DialNexa call logs of 14 columns: 24 µs as objects, 9 µs this way).
 * The statement runs in raw mode, and one function made for its columns turns each array of
 * values into an object.
 *
 * @example
 * const byId = new RowReader<[number, string], CampaignRow>(db, 'SELECT * FROM dialnexa_campaigns WHERE sandbox_id = ? AND id = ?');
 * byId.get(sandboxId, id); // { sandbox_id: 1, id: 'cmp_…', … } or undefined
 */
export class RowReader<Params extends unknown[], Row> {
  #ready: Prepared<Params, Row> | undefined;

  /** Prepared when first read (see prepareLater in src/store/deferred.ts). */
  constructor(
    private readonly db: Database,
    private readonly sql: string,
  ) {
    deferPreparation(db, () => this.#prepared());
  }

  get(...params: Params): Row | undefined {
    const { statement, toRow } = this.#ready ?? this.#prepared();
    const values = statement.get(...params);
    return values === undefined ? undefined : toRow(values);
  }

  all(...params: Params): Row[] {
    const { statement, toRow } = this.#ready ?? this.#prepared();
    return statement.all(...params).map(toRow);
  }

  #prepared(): Prepared<Params, Row> {
    if (this.#ready) return this.#ready;
    const statement = (this.db.prepare(this.sql) as Statement<Params, unknown[]>).raw(true);
    const names = statement.columns().map((column) => column.name);
    const repeated = names.filter((name, i) => names.indexOf(name) !== i);
    if (repeated.length > 0) throw new Error(`campaign-mock: a row read names ${repeated.join(', ')} twice; alias the columns: ${this.sql}`);
    // The names are the query's own columns, never a request's input.
    const toRow = new Function('values', `return { ${names.map((name, i) => `${JSON.stringify(name)}: values[${i}]`).join(', ')} };`) as (values: unknown[]) => Row;
    return (this.#ready = { statement, toRow });
  }
}

/** A RowReader's statement, prepared, and the function that makes its rows. */
interface Prepared<Params extends unknown[], Row> {
  statement: Statement<Params, unknown[]>;
  toRow: (values: unknown[]) => Row;
}

/**
 * `LIMIT` with a bound value, as `LIMIT CAST(? AS INTEGER)`. SQLite plans with the value of a bare
 * parameter in LIMIT, so it prepares the statement again each time one is bound: 8 µs on every
 * run of a page query, even one that finds no rows. Through CAST the value is read when the
 * statement runs, as any other.
 *
 * @example
 * db.prepare(`SELECT * FROM t WHERE sandbox_id = @sandbox ORDER BY created_at ${sqlLimit('@limit')} OFFSET @offset`);
 */
export function sqlLimit(parameter: '?' | `@${string}`): string {
  return `LIMIT CAST(${parameter} AS INTEGER)`;
}
