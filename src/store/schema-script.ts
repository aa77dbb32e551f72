import type { Database } from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterHead, headedBy } from '../headed-file.js';
import { openMemoryDatabase } from './database.js';
import { migrate, type Migration } from './migrations.js';

/**
 * An empty store with every migration applied, kept as the SQL that makes it: the statements that
 * create its tables, views, indexes and triggers as SQLite holds them once the migrations ran, then
 * the rows the migrations left. `npm run build` writes the script of the shipped migrations, so
 * the in-memory database of a start is made by running it (a few milliseconds) instead of each
 * migration, which took a tenth of the start. A database file is always migrated the usual way.
 *
 * A script rather than SQLite's image of the database (`serialize()`): an image opens on SQLite's
 * in-memory file system, where every write transaction copies its pages back into the image and
 * checks the file's change counter. A create was 2 µs dearer there than on a `:memory:` database.
 */

/** Writes the script of `migrations` for openSchemaScript, headed by their ids and SQL (see src/headed-file.ts). */
export function writeSchemaScript(file: string, migrations: readonly Migration[]): void {
  const db = openMemoryDatabase();
  try {
    migrate(db, migrations);
    writeFileSync(file, headedBy(migrationsText(migrations), Buffer.from(schemaScript(db))));
  } finally {
    db.close();
  }
}

/**
 * An in-memory database made by the script, if it was written for exactly these migrations (the
 * same ids, in the same order, with the same SQL); undefined otherwise, or when there is none.
 * Its ledger says the migrations were applied now, as it would had they been.
 */
export function openSchemaScript(file: string, migrations: readonly Migration[]): Database | undefined {
  let written: Buffer;
  try {
    written = readFileSync(file);
  } catch {
    return undefined;
  }
  const script = afterHead(written, migrationsText(migrations));
  if (!script) return undefined;
  const db = openMemoryDatabase();
  try {
    db.exec(script.toString('utf8'));
    db.prepare('UPDATE schema_migrations SET applied_at = ?').run(new Date().toISOString());
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/**
 * The SQL that makes a database like `db`, in one transaction: its tables, then their rows and
 * SQLite's own AUTOINCREMENT counters, then its views, indexes and triggers (after the rows, so
 * that no trigger fires on them), each kind in the order it was made. What a script cannot make
 * again the same way (a virtual table and its shadow tables, the statistics ANALYZE keeps) is
 * refused, naming it.
 */
export function schemaScript(db: Database): string {
  const objects = db
    .prepare(
      `SELECT type, name, sql FROM sqlite_schema WHERE sql IS NOT NULL AND name <> 'sqlite_sequence'
       ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'view' THEN 1 WHEN 'index' THEN 2 ELSE 3 END, rowid`,
    )
    .all() as Array<{ type: string; name: string; sql: string }>;
  for (const { type, name, sql } of objects) {
    if (name.startsWith('sqlite_') || /^CREATE\s+VIRTUAL\s/i.test(sql)) {
      throw new Error(`campaign-mock: the store's schema holds ${type} ${name}, which a schema script cannot make again; see src/store/schema-script.ts`);
    }
  }
  const tables = objects.filter(({ type }) => type === 'table');
  // SQLite makes its counters' table with the first AUTOINCREMENT table; only its rows are written.
  const counted = db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_sequence'").get() !== undefined;
  const statements = [
    ...tables.map(({ sql }) => `${sql};`),
    ...[...tables.map(({ name }) => name), ...(counted ? ['sqlite_sequence'] : [])].flatMap((table) => tableRows(db, table)),
    ...objects.filter(({ type }) => type !== 'table').map(({ sql }) => `${sql};`),
  ];
  return `BEGIN;\n${statements.join('\n')}\nCOMMIT;\n`;
}

/**
 * An INSERT for each row of `table`, its values written by SQLite's own quote(); with its rowid
 * where the table has one that no column names, so a row keeps the id it had.
 */
function tableRows(db: Database, table: string): string[] {
  const info = db.pragma(`table_info(${quoteName(table)})`) as Array<{ name: string; type: string; pk: number }>;
  const keys = info.filter(({ pk }) => pk > 0);
  const [{ wr }] = db.pragma(`table_list(${quoteName(table)})`) as [{ wr: number }];
  const rowidNamed = keys.length === 1 && keys[0]?.type.toUpperCase() === 'INTEGER';
  const columns = [...(wr === 0 && !rowidNamed ? ['rowid'] : []), ...info.map(({ name }) => quoteName(name))];
  const values = columns.map((column) => `quote(${column})`).join(` || ', ' || `);
  return db
    .prepare(`SELECT ? || ${values} || ');' FROM ${quoteName(table)}`)
    .pluck()
    .all(`INSERT INTO ${quoteName(table)} (${columns.join(', ')}) VALUES (`) as string[];
}

function quoteName(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The migrations' ids and SQL, in order, as UTF-8. */
function migrationsText(migrations: readonly Migration[]): Buffer {
  return Buffer.from(JSON.stringify(migrations.map(({ id, sql }) => [id, sql])));
}
