import type { Database } from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterHead, headedBy } from '../headed-file.js';
import { openMemoryDatabase } from './database.js';
import { migrate, type Migration } from './migrations.js';

/**
 * An empty store with every migration applied, kept as SQLite's image of it (`serialize()`).
 * `npm run build` writes the image of the shipped migrations, so that the in-memory database of a
 * start is read from it in a millisecond instead of running each migration, which took a tenth of
 * the start. A database file is always migrated the usual way.
 */

/** Writes the image of `migrations` for openSchemaImage, headed by their ids and SQL (see src/headed-file.ts). */
export function writeSchemaImage(file: string, migrations: readonly Migration[]): void {
  const db = openMemoryDatabase();
  try {
    migrate(db, migrations);
    writeFileSync(file, headedBy(migrationsText(migrations), db.serialize()));
  } finally {
    db.close();
  }
}

/**
 * An in-memory database read from the image, if it was made from exactly these migrations (the
 * same ids, in the same order, with the same SQL); undefined otherwise, or when there is none.
 * Its ledger says the migrations were applied now, as it would had they been.
 */
export function openSchemaImage(file: string, migrations: readonly Migration[]): Database | undefined {
  let image: Buffer;
  try {
    image = readFileSync(file);
  } catch {
    return undefined;
  }
  const serialized = afterHead(image, migrationsText(migrations));
  if (!serialized) return undefined;
  const db = openMemoryDatabase(serialized);
  db.prepare('UPDATE schema_migrations SET applied_at = ?').run(new Date().toISOString());
  return db;
}

/** The migrations' ids and SQL, in order, as UTF-8. */
function migrationsText(migrations: readonly Migration[]): Buffer {
  return Buffer.from(JSON.stringify(migrations.map(({ id, sql }) => [id, sql])));
}
