import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { RowReader, sqlLimit } from '../../src/store/rows.js';

function table() {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (sandbox_id INTEGER NOT NULL, id TEXT NOT NULL, duration REAL, note TEXT, at TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO t VALUES (?, ?, ?, ?, ?)');
  for (let i = 0; i < 30; i++) insert.run(i < 25 ? 1 : 2, `row_${String(i).padStart(2, '0')}`, i === 3 ? null : i + 0.5, i % 2 ? 'odd' : null, `2026-01-01T00:00:${String(i).padStart(2, '0')}Z`);
  return db;
}

describe('RowReader', () => {
  it('reads the same rows as better-sqlite3 does, with every column, null included', () => {
    const db = table();
    const sql = 'SELECT * FROM t WHERE sandbox_id = ? ORDER BY at DESC';
    const rows = new RowReader<[number], Record<string, unknown>>(db, sql).all(1);
    expect(rows).toEqual(db.prepare(sql).all(1));
    expect(rows).toHaveLength(25);
    expect(rows.find((row) => row.id === 'row_03')).toEqual({ sandbox_id: 1, id: 'row_03', duration: null, note: 'odd', at: '2026-01-01T00:00:03Z' });
  });

  it('reads one row by named parameters, or undefined', () => {
    const reader = new RowReader<[{ sandbox: number; id: string }], { id: string }>(table(), 'SELECT id, note FROM t WHERE sandbox_id = @sandbox AND id = @id');
    expect(reader.get({ sandbox: 2, id: 'row_27' })).toEqual({ id: 'row_27', note: 'odd' });
    expect(reader.get({ sandbox: 1, id: 'row_27' })).toBeUndefined();
  });

  it('refuses a query naming a column twice, which one object cannot hold', () => {
    expect(() => new RowReader(table(), 'SELECT id, note AS id FROM t').all()).toThrow('a row read names id twice; alias the columns');
  });
});

describe('sqlLimit', () => {
  it('pages as a bare LIMIT does, for every limit and offset bound', () => {
    const db = table();
    const bare = db.prepare('SELECT id FROM t WHERE sandbox_id = ? ORDER BY at DESC LIMIT ? OFFSET ?').pluck();
    const cast = db.prepare(`SELECT id FROM t WHERE sandbox_id = ? ORDER BY at DESC ${sqlLimit('?')} OFFSET ?`).pluck();
    for (const [limit, offset] of [[1, 0], [5, 0], [5, 20], [20, 10], [100, 0], [10, 40]] as const) {
      expect(cast.all(1, limit, offset)).toEqual(bare.all(1, limit, offset));
    }
    expect(cast.all(1, 5, 20)).toEqual(['row_04', 'row_03', 'row_02', 'row_01', 'row_00']);
  });
});
