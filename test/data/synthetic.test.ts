import { describe, expect, it } from 'vitest';
import { classSizes, gaussian, loadSynthetic } from '../../src/data/synthetic.js';
import { createRng } from '../../src/rng.js';

function counts(y: Int32Array, k: number): number[] {
  const c = new Array(k).fill(0);
  for (const v of y) c[v]++;
  return c;
}

describe('synthetic Gaussian blobs', () => {
  it('defaults to 3 balanced classes of 600 points in 2 dims', () => {
    const d = loadSynthetic();
    expect(d.shape).toEqual([2]);
    expect(d.numClasses).toBe(3);
    expect(d.train.n + d.test.n).toBe(600);
    expect(d.test.n).toBe(150);
    const total = counts(d.train.y, 3).map((n, k) => n + counts(d.test.y, 3)[k]);
    expect(total).toEqual([200, 200, 200]);
    expect(d.train.x.length).toBe(d.train.n * 2);
    expect(d.train.x.every(Number.isFinite)).toBe(true);
  });

  it('is identical for the same seed and differs across seeds', () => {
    const a = loadSynthetic({ splitSeed: 7, classes: 4, dims: 5 });
    const b = loadSynthetic({ splitSeed: 7, classes: 4, dims: 5 });
    const c = loadSynthetic({ splitSeed: 8, classes: 4, dims: 5 });
    expect(a.train.x).toEqual(b.train.x);
    expect(a.test.y).toEqual(b.test.y);
    expect(a.checksum).toBe(b.checksum);
    expect(c.checksum).not.toBe(a.checksum);
    expect(c.train.x).not.toEqual(a.train.x);
  });

  it('is not ordered by class', () => {
    const d = loadSynthetic();
    expect(new Set(d.train.y.subarray(0, 20)).size).toBeGreaterThan(1);
  });

  it('generates balanced blobs; imbalance is a pool variant applied by the registry (variants.ts)', () => {
    const d = loadSynthetic({ classes: 5, samples: 1000, imbalance: 10 });
    const total = counts(d.train.y, 5).map((n, k) => n + counts(d.test.y, 5)[k]);
    expect(total).toEqual([200, 200, 200, 200, 200]);
    expect(d.checksum).toBe(loadSynthetic({ classes: 5, samples: 1000 }).checksum);
  });

  it('class sizes sum exactly and reject impossible requests', () => {
    expect(classSizes(3, 100, 1)).toEqual([34, 33, 33]);
    expect(classSizes(2, 22, 10)).toEqual([20, 2]);
    expect(() => classSizes(3, 20, 100)).toThrow(/smallest class gets 0 examples, needs ≥ 2/);
    expect(() => loadSynthetic({ imbalance: 0.5 })).toThrow(/imbalance .* ≥ 1, got 0.5/);
    expect(() => loadSynthetic({ classes: 1 })).toThrow(/classes must be an integer ≥ 2, got 1/);
    expect(() => loadSynthetic({ dims: 1.5 })).toThrow(/dims must be an integer ≥ 1/);
  });

  it('draws standard normals', () => {
    const rng = createRng('g');
    const xs = Array.from({ length: 20000 }, () => gaussian(rng));
    const mean = xs.reduce((a, b) => a + b) / xs.length;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });
});
