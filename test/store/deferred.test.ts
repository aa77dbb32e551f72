import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createMockApp } from '../../src/app.js';
import { prepareDeferred, prepareLater } from '../../src/store/deferred.js';
import { RowReader } from '../../src/store/rows.js';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

function table() {
  const db = new Database(':memory:');
  db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO t (name) VALUES ('a'), ('b')");
  return db;
}

describe('statements prepared when first run', () => {
  it('answer as a statement prepared at once does, with pluck and raw applied when they are prepared', () => {
    const db = table();
    const names = prepareLater<[], string>(db, 'SELECT name FROM t ORDER BY id').pluck();
    const rows = prepareLater(db, 'SELECT id, name FROM t ORDER BY id').raw();
    const insert = prepareLater(db, 'INSERT INTO t (name) VALUES (?)');
    expect(insert.run('c').changes).toBe(1);
    expect(names.all()).toEqual(['a', 'b', 'c']);
    expect(names.get()).toBe('a');
    expect(rows.all()).toEqual([[1, 'a'], [2, 'b'], [3, 'c']]);
    expect([...rows.iterate()]).toHaveLength(3);
    // A mode changed after the statement was prepared applies to it at once.
    expect(names.pluck(false).get()).toEqual({ name: 'a' });
    // Parameters bound, and rows expanded, before the statement is prepared.
    const byId = prepareLater<unknown[], Record<string, unknown>>(db, 'SELECT t.name FROM t WHERE id = ?').bind(2).expand();
    expect([byId.reader, insert.reader, byId.readonly, insert.readonly]).toEqual([true, false, true, false]);
    expect(byId.get()).toEqual({ t: { name: 'b' } });
  });

  it('leave a mistake in their SQL for the first run, and prepareDeferred finds it at once', () => {
    const db = table();
    const wrong = prepareLater(db, 'SELECT missing FROM t');
    const twice = new RowReader(db, 'SELECT id, name AS id FROM t');
    expect(() => wrong.get()).toThrow('no such column: missing');
    expect(() => twice.all()).toThrow('a row read names id twice');
    expect(() => prepareDeferred(db)).toThrow();
  });

  it("are every store's statements, and each prepares against the migrated schema", () => {
    const mock = createMockApp({ logger: quiet, speed: 0 });
    try {
      expect(prepareDeferred(mock.db)).toBeGreaterThan(100);
    } finally {
      mock.close();
    }
  });
});
