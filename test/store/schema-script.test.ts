import type { Database } from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SCHEMA_SCRIPT_FILE, storeMigrations } from '../../src/app.js';
import { openDatabase } from '../../src/store/database.js';
import { migrate, type Migration } from '../../src/store/migrations.js';
import { openSchemaScript, writeSchemaScript } from '../../src/store/schema-script.js';
import { VENDORS } from '../../src/vendors/registry.js';

const dir = mkdtempSync(join(tmpdir(), 'campaign-mock-schema-script-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const things = { id: 'test/001-things', sql: 'CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT NOT NULL) STRICT;' };

/** What a database's schema and migration ledger say, but the times in the ledger. */
function describeSchema(db: Database) {
  return {
    // Triggers in the order they were made, in which those on the same event fire.
    schema: db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, CASE type WHEN 'trigger' THEN rowid END, name").all(),
    ledger: db.prepare('SELECT id FROM schema_migrations ORDER BY rowid').pluck().all(),
    foreignKeys: db.pragma('foreign_keys', { simple: true }),
  };
}

/** Every object of the schema, whatever order it was made in, and every row of every table, rowids included. */
function describeContent(db: Database) {
  const schema = db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_autoindex%' ORDER BY type, name").all();
  const tables = db.prepare("SELECT name, wr FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name <> 'sqlite_schema' ORDER BY name").all() as Array<{ name: string; wr: number }>;
  const rows = Object.fromEntries(
    tables.map(({ name, wr }) => [name, db.prepare(`SELECT ${wr ? '' : 'rowid AS row_id, '}* FROM "${name}" ORDER BY 1`).all()]),
  );
  return { schema, rows };
}

describe('the schema script', () => {
  it('that the build wrote makes the schema and ledger migrating gives, applied now', () => {
    const migrations = storeMigrations(VENDORS);
    const migrated = openDatabase();
    migrate(migrated, migrations);
    const before = new Date().toISOString();
    const made = openSchemaScript(SCHEMA_SCRIPT_FILE, migrations);
    expect(made).toBeDefined();
    expect(describeSchema(made as Database)).toEqual(describeSchema(migrated));
    const times = (made as Database).prepare('SELECT DISTINCT applied_at FROM schema_migrations').pluck().all() as string[];
    expect(times).toHaveLength(1);
    expect(times[0] as string >= before && times[0] === new Date(times[0] as string).toISOString()).toBe(true);
    expect(migrate(made as Database, migrations)).toEqual([]);
  });

  it('makes what the migrations made: columns added and renamed, rows with their ids, counters, views, indexes and triggers', () => {
    const migrations: Migration[] = [
      things,
      {
        id: 'test/002-more',
        sql: `
          ALTER TABLE things ADD COLUMN colour TEXT NOT NULL DEFAULT 'red';
          ALTER TABLE things RENAME COLUMN name TO label;
          INSERT INTO things (label) VALUES ('one'), ('it''s two'), ('three');
          DELETE FROM things WHERE label = 'one';
          CREATE TABLE notes (body TEXT, weight REAL, blob BLOB);
          INSERT INTO notes VALUES ('a', 1.5, x'00ff'), (NULL, -2, NULL), ('c', 3, NULL);
          DELETE FROM notes WHERE body = 'a';
          CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, what TEXT);
          INSERT INTO events (what) VALUES ('x'), ('y');
          DELETE FROM events;
          CREATE TABLE pairs (a TEXT, b TEXT, PRIMARY KEY (a, b)) WITHOUT ROWID;
          INSERT INTO pairs VALUES ('k', 'v');
          CREATE INDEX things_by_colour ON things (colour);
          CREATE VIEW red_things AS SELECT id, label FROM things WHERE colour = 'red';
          CREATE TRIGGER things_noted AFTER INSERT ON things BEGIN INSERT INTO notes (body) VALUES (NEW.label); END;
        `,
      },
    ];
    const migrated = openDatabase();
    migrate(migrated, migrations);
    const file = join(dir, 'content.sql');
    writeSchemaScript(file, migrations);
    const made = openSchemaScript(file, migrations) as Database;
    // The ledgers' times aside (the script's says now).
    for (const db of [made, migrated]) db.prepare("UPDATE schema_migrations SET applied_at = 'then'").run();
    expect(describeContent(made)).toEqual(describeContent(migrated));
    // The counters go on where the migrations left them, and the trigger and view work.
    made.prepare("INSERT INTO events (what) VALUES ('z')").run();
    expect(made.prepare('SELECT id FROM events').pluck().all()).toEqual([3]);
    made.prepare("INSERT INTO things (label) VALUES ('four')").run();
    expect(made.prepare('SELECT label FROM red_things ORDER BY id').pluck().all()).toEqual(["it's two", 'three', 'four']);
    expect(made.prepare("SELECT count(*) FROM notes WHERE body = 'four'").pluck().get()).toBe(1);
  });

  it('refuses a schema it cannot make again, naming what', () => {
    const search = { id: 'test/001-search', sql: 'CREATE VIRTUAL TABLE search USING fts5(body);' };
    expect(() => writeSchemaScript(join(dir, 'virtual.sql'), [search])).toThrow(/table search, which a schema script cannot make again/);
  });

  it('is a database of its own each time it is opened', () => {
    const file = join(dir, 'own.sql');
    writeSchemaScript(file, [things]);
    const first = openSchemaScript(file, [things]) as Database;
    first.prepare("INSERT INTO things (name) VALUES ('a')").run();
    const second = openSchemaScript(file, [things]) as Database;
    expect(second.prepare('SELECT count(*) FROM things').pluck().get()).toBe(0);
  });

  it('is not used for other migrations, or a migration whose SQL changed, or when there is none', () => {
    const file = join(dir, 'other.sql');
    writeSchemaScript(file, [things]);
    const colour = { id: 'test/002-colour', sql: "ALTER TABLE things ADD COLUMN colour TEXT NOT NULL DEFAULT 'red';" };
    expect(openSchemaScript(file, [things, colour])).toBeUndefined();
    expect(openSchemaScript(file, [{ ...things, sql: things.sql.replace('name TEXT', 'label TEXT') }])).toBeUndefined();
    // One character changed, the length kept.
    expect(openSchemaScript(file, [{ ...things, sql: things.sql.replace('name TEXT', 'nome TEXT') }])).toBeUndefined();
    expect(openSchemaScript(join(dir, 'none.sql'), [things])).toBeUndefined();
  });
});
