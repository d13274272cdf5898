import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { prepared } from './statements';

describe('prepared statements kept per database', () => {
  it('gives the same statement for the same SQL on the same database, another on another database', () => {
    const one = new DatabaseSync(':memory:');
    const two = new DatabaseSync(':memory:');
    expect(prepared(one, 'SELECT 1 AS n')).toBe(prepared(one, 'SELECT 1 AS n'));
    expect(prepared(one, 'SELECT 1 AS n')).not.toBe(prepared(two, 'SELECT 1 AS n'));
  });

  it('answers as a fresh statement would: parameters of an earlier use do not carry over, schema changes show', () => {
    const db = new DatabaseSync(':memory:');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT)');
    prepared(db, 'INSERT INTO t (id, a) VALUES (?, ?)').run(1, 'x');
    prepared(db, 'INSERT INTO t (id, a) VALUES (?, ?)').run(2);
    expect(prepared(db, 'SELECT * FROM t ORDER BY id').all()).toEqual([
      { id: 1, a: 'x' },
      { id: 2, a: null },
    ]);
    expect(prepared(db, 'SELECT * FROM t WHERE id = ?').get(1)).toEqual({ id: 1, a: 'x' });
    db.exec('ALTER TABLE t ADD COLUMN b TEXT');
    expect(prepared(db, 'SELECT * FROM t WHERE id = ?').get(1)).toEqual({ id: 1, a: 'x', b: null });
    db.exec('ALTER TABLE t DROP COLUMN a');
    expect(prepared(db, 'SELECT * FROM t WHERE id = ?').get(1)).toEqual({ id: 1, b: null });
  });
});
