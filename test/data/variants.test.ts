import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/data/dataset.js';
import { applyVariants, longTailCounts, standardizationStats, stratifiedCounts } from '../../src/data/variants.js';

function counts(y: Int32Array, k: number): number[] {
  const c = new Array<number>(k).fill(0);
  for (const v of y) c[v]++;
  return c;
}

/** A balanced 4-class data set of `perClass` examples a class, 2 features: (class, row index). */
function blocks(perClass: number, testPerClass = 5): Dataset {
  const make = (n: number, offset: number) => {
    const y = Int32Array.from({ length: 4 * n }, (_, i) => i % 4);
    const x = Float32Array.from({ length: 8 * n }, (_, i) => (i % 2 === 0 ? y[i >> 1] : (i >> 1) + offset));
    return { x, y, n: 4 * n };
  };
  return { name: 'blocks', shape: [2], numClasses: 4, train: make(perClass, 0), test: make(testPerClass, 1000), checksum: 'c0', source: 'test blocks', flipPreservesLabel: false };
}

describe('long-tail profile (Cui et al. 2019)', () => {
  it('reproduces CIFAR-10-LT at ratio 100: 5000 … 50, 12,406 images (Cao et al. 2019, LDAM, §4.1)', () => {
    const n = longTailCounts(5000, 10, 100);
    expect(n).toEqual([5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50]);
    expect(n.reduce((a, b) => a + b)).toBe(12406);
  });

  it('long-tails the training pool only, seeded by splitSeed', () => {
    const base = blocks(50);
    const lt = applyVariants(base, { name: 'digits', imbalance: 10, splitSeed: 1 });
    expect(counts(lt.train.y, 4)).toEqual(longTailCounts(50, 4, 10));
    expect(counts(lt.train.y, 4)).toEqual([50, 23, 10, 5]);
    expect(lt.test).toBe(base.test);
    const again = applyVariants(base, { name: 'digits', imbalance: 10, splitSeed: 1 });
    expect(again.train.x).toEqual(lt.train.x);
    const other = applyVariants(base, { name: 'digits', imbalance: 10, splitSeed: 2 });
    expect(other.train.x).not.toEqual(lt.train.x);
    expect(lt.checksum).not.toBe(base.checksum);
    expect(lt.source).toContain('class sizes [50, 23, 10, 5]');
  });
});

describe('poolSize and testSize', () => {
  it('stratified counts sum exactly and keep every class', () => {
    // exact shares 11.36, 5.23, 2.27, 1.14: floors 11, 5, 2, 1 and the one left over to the largest fraction.
    expect(stratifiedCounts([50, 23, 10, 5], 20)).toEqual([12, 5, 2, 1]);
    expect(stratifiedCounts([10, 10, 10], 4)).toEqual([2, 1, 1]);
    expect(stratifiedCounts([100, 1], 10)).toEqual([9, 1]);
    expect(() => stratifiedCounts([3, 3], 7)).toThrow(/subset of 7 requested from only 6/);
  });

  it('subsets pool and test without touching the base, in source order', () => {
    const base = blocks(50);
    const v = applyVariants(base, { name: 'digits', poolSize: 40, testSize: 8, splitSeed: 0 });
    expect(counts(v.train.y, 4)).toEqual([10, 10, 10, 10]);
    expect(counts(v.test.y, 4)).toEqual([2, 2, 2, 2]);
    const rows = Array.from({ length: v.train.n }, (_, i) => v.train.x[2 * i + 1]);
    expect(rows).toEqual([...rows].sort((a, b) => a - b));
    expect(base.train.n).toBe(200);
  });

  it('applies imbalance before poolSize and says when the pool is too small', () => {
    const base = blocks(50);
    expect(() => applyVariants(base, { name: 'digits', imbalance: 10, poolSize: 100 })).toThrow(
      'blocks: poolSize 100 exceeds the 88 training examples left after imbalance; allowed: ≤ 88',
    );
    expect(() => applyVariants(base, { name: 'digits', testSize: 21 })).toThrow('blocks: testSize 21 exceeds the 20 test examples; allowed: ≤ 20');
  });
});

describe('standardisation from the training pool only', () => {
  it('gives the pool zero mean and unit variance and applies the same map to test', () => {
    const base = blocks(50);
    const v = applyVariants(base, { name: 'digits', normalize: 'standardize' });
    const stats = standardizationStats(v.train, [2]);
    expect(stats.mean[0]).toBeCloseTo(0, 6);
    expect(stats.mean[1]).toBeCloseTo(0, 6);
    expect(stats.std[0]).toBeCloseTo(1, 5);
    // Test feature 2 is the row index + 1000: far outside the pool, so its standardised values stay large.
    const { mean, std } = v.normalization!;
    expect(v.test.x[1]).toBeCloseTo((1000 - mean[1]) / std[1], 3);
    expect(mean[1]).toBeCloseTo(99.5, 6);
  });

  it('computes image statistics per channel', () => {
    // two 1×2 RGB images; channel c of pixel p = c * 10 + image index
    const x = Float32Array.from([0, 10, 20, 0, 10, 20, 1, 11, 21, 1, 11, 21]);
    const s = standardizationStats({ x, y: new Int32Array(2), n: 2 }, [1, 2, 3]);
    expect(s.mean).toEqual([0.5, 10.5, 20.5]);
    expect(s.std).toEqual([0.5, 0.5, 0.5]);
  });
});
