import type { Database } from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SCHEMA_IMAGE_FILE, storeMigrations } from '../../src/app.js';
import { openDatabase } from '../../src/store/database.js';
import { migrate } from '../../src/store/migrations.js';
import { openSchemaImage, writeSchemaImage } from '../../src/store/schema-image.js';
import { VENDORS } from '../../src/vendors/registry.js';

const dir = mkdtempSync(join(tmpdir(), 'campaign-mock-schema-image-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const things = { id: 'test/001-things', sql: 'CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT NOT NULL) STRICT;' };

/** What a database's schema and migration ledger say, but the times in the ledger. */
function describeSchema(db: Database) {
  return {
    schema: db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid').all(),
    ledger: db.prepare('SELECT id FROM schema_migrations ORDER BY rowid').pluck().all(),
    foreignKeys: db.pragma('foreign_keys', { simple: true }),
  };
}

describe('the schema image', () => {
  it('that the build wrote is the schema and ledger migrating gives, applied now', () => {
    const migrations = storeMigrations(VENDORS);
    const migrated = openDatabase();
    migrate(migrated, migrations);
    const before = new Date().toISOString();
    const image = openSchemaImage(SCHEMA_IMAGE_FILE, migrations);
    expect(image).toBeDefined();
    expect(describeSchema(image as Database)).toEqual(describeSchema(migrated));
    const times = (image as Database).prepare('SELECT DISTINCT applied_at FROM schema_migrations').pluck().all() as string[];
    expect(times).toHaveLength(1);
    expect(times[0] as string >= before && times[0] === new Date(times[0] as string).toISOString()).toBe(true);
    expect(migrate(image as Database, migrations)).toEqual([]);
  });

  it('is a database of its own each time it is opened', () => {
    const file = join(dir, 'own.db');
    writeSchemaImage(file, [things]);
    const first = openSchemaImage(file, [things]) as Database;
    first.prepare("INSERT INTO things (name) VALUES ('a')").run();
    const second = openSchemaImage(file, [things]) as Database;
    expect(second.prepare('SELECT count(*) FROM things').pluck().get()).toBe(0);
  });

  it('is not used for other migrations, or a migration whose SQL changed, or when there is none', () => {
    const file = join(dir, 'other.db');
    writeSchemaImage(file, [things]);
    const colour = { id: 'test/002-colour', sql: "ALTER TABLE things ADD COLUMN colour TEXT NOT NULL DEFAULT 'red';" };
    expect(openSchemaImage(file, [things, colour])).toBeUndefined();
    expect(openSchemaImage(file, [{ ...things, sql: things.sql.replace('name TEXT', 'label TEXT') }])).toBeUndefined();
    // One character changed, the length kept.
    expect(openSchemaImage(file, [{ ...things, sql: things.sql.replace('name TEXT', 'nome TEXT') }])).toBeUndefined();
    expect(openSchemaImage(join(dir, 'none.db'), [things])).toBeUndefined();
  });
});
