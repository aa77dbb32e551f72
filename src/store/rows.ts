import type { Database, Statement } from 'better-sqlite3';

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
  readonly #statement: Statement<Params, unknown[]>;
  readonly #toRow: (values: unknown[]) => Row;

  constructor(db: Database, sql: string) {
    this.#statement = (db.prepare(sql) as Statement<Params, unknown[]>).raw(true);
    const names = this.#statement.columns().map((column) => column.name);
    const repeated = names.filter((name, i) => names.indexOf(name) !== i);
    if (repeated.length > 0) throw new Error(`campaign-mock: a row read names ${repeated.join(', ')} twice; alias the columns: ${sql}`);
    // The names are the query's own columns, never a request's input.
    this.#toRow = new Function('values', `return { ${names.map((name, i) => `${JSON.stringify(name)}: values[${i}]`).join(', ')} };`) as (values: unknown[]) => Row;
  }

  get(...params: Params): Row | undefined {
    const values = this.#statement.get(...params);
    return values === undefined ? undefined : this.#toRow(values);
  }

  all(...params: Params): Row[] {
    return this.#statement.all(...params).map(this.#toRow);
  }
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
