import { joinUpserts } from '../database/upsert-statement.js';
import { histogramToDense } from './red.repository.js';

describe('histogramToDense', () => {
  it('lays sparse buckets out from the lowest index, zeros in the gaps, keeping the zero bucket', () => {
    expect(histogramToDense({ b: { '-2': 1, '1': 4, '3': 2 }, z: 5 })).toEqual({ lo: -2, n: [1, 0, 0, 4, 0, 2], z: 5 });
  });

  it('gives an empty array for a histogram with only the zero bucket (or nothing)', () => {
    expect(histogramToDense({ b: {}, z: 3 })).toEqual({ lo: 0, n: [], z: 3 });
  });
});

describe('joinUpserts', () => {
  it('numbers the placeholders of all statements in one sequence, so they run as one statement', () => {
    const { sql, params } = joinUpserts([(p) => `INSERT INTO a VALUES (${p(1)}, ${p('x')})`, (p) => `INSERT INTO b VALUES (${p([2])})`]);
    expect(sql).toBe('WITH s0 AS (INSERT INTO a VALUES ($1, $2)),\ns1 AS (INSERT INTO b VALUES ($3))\nSELECT 1');
    expect(params).toEqual([1, 'x', [2]]);
  });
});
