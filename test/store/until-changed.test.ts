import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { UntilChanged } from '../../src/store/until-changed.js';

function table() {
  const db = new Database(':memory:');
  db.exec("CREATE TABLE t (sandbox_id INTEGER NOT NULL, name TEXT NOT NULL); INSERT INTO t VALUES (1, 'a'), (2, 'b')");
  return db;
}

/** A cache of each sandbox's names, and how many times they were read from the table. */
function names(db: Database.Database, capacity?: number) {
  const cache = new UntilChanged<string[]>(db, capacity);
  const read = db.prepare('SELECT name FROM t WHERE sandbox_id = ? ORDER BY rowid').pluck();
  let reads = 0;
  return {
    get: (sandboxId: number, key = 'all') =>
      cache.get(sandboxId, key, () => {
        reads++;
        return read.all(sandboxId) as string[];
      }),
    reads: () => reads,
  };
}

describe('answers kept until the database changes', () => {
  it('answers from what it kept while nothing changes, and reads again after any insert, update or delete', () => {
    const db = table();
    const cache = names(db);
    expect(cache.get(1)).toEqual(['a']);
    expect(cache.get(1)).toEqual(['a']);
    expect(cache.reads()).toBe(1);
    db.prepare("INSERT INTO t VALUES (1, 'c')").run();
    expect(cache.get(1)).toEqual(['a', 'c']);
    db.prepare("UPDATE t SET name = 'z' WHERE name = 'a'").run();
    expect(cache.get(1)).toEqual(['z', 'c']);
    db.prepare("DELETE FROM t WHERE name = 'c'").run();
    expect(cache.get(1)).toEqual(['z']);
    expect(cache.reads()).toBe(4);
  });

  it('sees rows changed by a trigger, and a change to another table', () => {
    const db = table();
    db.exec("CREATE TABLE log (n TEXT); CREATE TRIGGER renamed AFTER INSERT ON log BEGIN UPDATE t SET name = NEW.n WHERE sandbox_id = 1; END");
    const cache = names(db);
    expect(cache.get(1)).toEqual(['a']);
    db.prepare("INSERT INTO log VALUES ('x')").run();
    expect(cache.get(1)).toEqual(['x']);
    expect(cache.reads()).toBe(2);
  });

  it("keeps each sandbox's answer apart, under the same key", () => {
    const cache = names(table());
    expect(cache.get(1)).toEqual(['a']);
    expect(cache.get(2)).toEqual(['b']);
    expect(cache.get(1)).toEqual(['a']);
    expect(cache.reads()).toBe(2);
  });

  it('keeps nothing made inside a transaction, so a rolled-back write is never answered', () => {
    const db = table();
    const cache = names(db);
    expect(cache.get(1)).toEqual(['a']);
    expect(() =>
      db.transaction(() => {
        db.prepare("INSERT INTO t VALUES (1, 'gone')").run();
        expect(cache.get(1)).toEqual(['a', 'gone']);
        throw new Error('refused');
      })(),
    ).toThrow('refused');
    expect(cache.get(1)).toEqual(['a']);
    expect(cache.reads()).toBe(3);
  });

  it('keeps at most its capacity, letting the oldest go first', () => {
    const cache = names(table(), 2);
    cache.get(1, 'first');
    cache.get(1, 'second');
    cache.get(1, 'third');
    expect(cache.reads()).toBe(3);
    cache.get(1, 'third');
    cache.get(1, 'second');
    expect(cache.reads()).toBe(3);
    cache.get(1, 'first');
    expect(cache.reads()).toBe(4);
  });
});
