import type { Database } from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { openMemoryDatabase } from './database.js';
import { migrate, type Migration } from './migrations.js';

/**
 * An empty store with every migration applied, kept as SQLite's image of it (`serialize()`).
 * `npm run build` writes the image of the shipped migrations, so that the in-memory database of a
 * start is read from it in a millisecond instead of running each migration, which took a tenth of
 * the start. A database file is always migrated the usual way.
 */

/**
 * Writes the image of `migrations` for openSchemaImage, headed by what they are (their length in
 * four bytes, then migrationsText): compared, not hashed, as loading Node's crypto module would
 * cost a start more than the comparison does.
 */
export function writeSchemaImage(file: string, migrations: readonly Migration[]): void {
  const db = openMemoryDatabase();
  try {
    migrate(db, migrations);
    const text = migrationsText(migrations);
    const length = Buffer.alloc(4);
    length.writeUInt32LE(text.length);
    writeFileSync(file, Buffer.concat([length, text, db.serialize()]));
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
  const text = migrationsText(migrations);
  if (image.length < 4 || image.readUInt32LE(0) !== text.length || !image.subarray(4, 4 + text.length).equals(text)) return undefined;
  const db = openMemoryDatabase(image.subarray(4 + text.length));
  db.prepare('UPDATE schema_migrations SET applied_at = ?').run(new Date().toISOString());
  return db;
}

/** The migrations' ids and SQL, in order, as UTF-8. */
function migrationsText(migrations: readonly Migration[]): Buffer {
  return Buffer.from(JSON.stringify(migrations.map(({ id, sql }) => [id, sql])));
}
