import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';
import { migrate } from '../../src/store/migrations.js';

const first = { id: 'test/001-things', sql: 'CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT NOT NULL) STRICT;' };
const second = { id: 'test/002-colour', sql: "ALTER TABLE things ADD COLUMN colour TEXT NOT NULL DEFAULT 'red';" };

describe('migrate', () => {
  it('applies each migration once, in order, and records it', () => {
    const db = openDatabase();
    expect(migrate(db, [first])).toEqual(['test/001-things']);
    expect(migrate(db, [first, second])).toEqual(['test/002-colour']);
    expect(migrate(db, [first, second])).toEqual([]);
    db.prepare("INSERT INTO things (name) VALUES ('a')").run();
    expect(db.prepare('SELECT colour FROM things').pluck().get()).toBe('red');
    expect(db.prepare('SELECT id FROM schema_migrations ORDER BY id').pluck().all()).toEqual(['test/001-things', 'test/002-colour']);
  });

  it('rolls a failing migration back entirely', () => {
    const db = openDatabase();
    const broken = { id: 'test/003-broken', sql: 'CREATE TABLE half (id INTEGER); CREATE TABLE nope (;' };
    expect(() => migrate(db, [first, broken])).toThrow();
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'half'").pluck().get()).toBe(0);
    expect(db.prepare('SELECT id FROM schema_migrations').pluck().all()).toEqual(['test/001-things']);
  });

  it('refuses a database written by a newer version', () => {
    const db = openDatabase();
    migrate(db, [first, second]);
    expect(() => migrate(db, [first])).toThrow(
      'campaign-mock: the database has migrations this version does not know (test/002-colour); it was written by a newer campaign-mock.',
    );
  });
});
