import { describe, expect, it } from 'vitest';
import { gatherRows, stratifiedSplit, testCountForClass } from '../../src/data/split.js';
import { createRng } from '../../src/rng.js';

function counts(y: Int32Array, idx: Int32Array): Map<number, number> {
  const m = new Map<number, number>();
  for (const i of idx) m.set(y[i], (m.get(y[i]) ?? 0) + 1);
  return m;
}

describe('stratifiedSplit', () => {
  // 3 classes of very different sizes, interleaved.
  const y = Int32Array.from({ length: 230 }, (_, i) => (i % 23 === 0 ? 2 : i % 3 === 0 ? 1 : 0));

  it('partitions the indices: disjoint, complete, sorted', () => {
    const { train, test } = stratifiedSplit(y, 0.3, createRng(1));
    const all = [...train, ...test].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: y.length }, (_, i) => i));
    for (const s of [train, test]) for (let i = 1; i < s.length; i++) expect(s[i]).toBeGreaterThan(s[i - 1]);
  });

  it('gives each class round(n·f) test examples', () => {
    const total = counts(y, Int32Array.from(y.keys()));
    const { test } = stratifiedSplit(y, 0.3, createRng(1));
    for (const [c, n] of counts(y, test)) expect(n).toBe(testCountForClass(total.get(c)!, 0.3));
  });

  it('is deterministic for a stream and varies across streams', () => {
    const a = stratifiedSplit(y, 0.25, createRng('s'));
    const b = stratifiedSplit(y, 0.25, createRng('s'));
    const c = stratifiedSplit(y, 0.25, createRng('t'));
    expect(a.test).toEqual(b.test);
    expect(a.test).not.toEqual(c.test);
  });

  it('keeps every class of ≥ 2 examples on both sides; singletons go to train', () => {
    expect(testCountForClass(1, 0.5)).toBe(0);
    expect(testCountForClass(2, 0.01)).toBe(1);
    expect(testCountForClass(2, 0.99)).toBe(1);
    expect(testCountForClass(10, 0.25)).toBe(3); // 2.5 rounds up
    const { train, test } = stratifiedSplit(Int32Array.from([0, 0, 0, 1, 1, 2]), 0.1, createRng(0));
    expect(counts(Int32Array.from([0, 0, 0, 1, 1, 2]), test)).toEqual(new Map([[0, 1], [1, 1]]));
    expect(Array.from(train)).toContain(5);
  });

  it('rejects fractions outside (0, 1)', () => {
    for (const f of [0, 1, -0.1, NaN]) expect(() => stratifiedSplit(y, f, createRng(0))).toThrow(/testFraction must be in \(0, 1\)/);
  });
});

describe('gatherRows', () => {
  it('copies whole rows in index order', () => {
    const x = Float32Array.from([0, 1, 10, 11, 20, 21]);
    const s = gatherRows(x, Int32Array.from([5, 6, 7]), 2, Int32Array.from([2, 0]));
    expect(Array.from(s.x)).toEqual([20, 21, 0, 1]);
    expect(Array.from(s.y)).toEqual([7, 5]);
    expect(s.n).toBe(2);
  });
});
