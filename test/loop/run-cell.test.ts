import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/index.js';
import { runCell } from '../../src/loop/run-cell.js';
import { tinyCell } from '../helpers/tiny-cell.js';
import { tinyDataset } from '../helpers/tiny-dataset.js';

beforeAll(async () => {
  await initBackend('wasm');
});

const cell = tinyCell;

const data = tinyDataset({ train: 60, test: 30 });

describe('runCell', () => {
  it('runs rounds until the budget, with a smaller last batch when needed', async () => {
    const out = await runCell(cell(), data);
    expect(out.rounds.map((r) => r.labeled)).toEqual([6, 13, 20, 27, 30]);
    expect(out.rounds.map((r) => r.selected.length)).toEqual([7, 7, 7, 3, 0]);
    const all = [...out.initial, ...out.rounds.flatMap((r) => r.selected)];
    expect(new Set(all).size).toBe(30);
    for (const r of out.rounds) {
      expect(r.selectedClassCounts.reduce((a, b) => a + b, 0)).toBe(r.selected.length);
      expect(r.accuracy).toBeGreaterThanOrEqual(0);
      expect(r.accuracy).toBeLessThanOrEqual(1);
    }
  });

  it('pairs strategies: same seed, same initial set and same round-0 model', async () => {
    const a = await runCell(cell({ strategy: 'random' }), data);
    const b = await runCell(cell({ strategy: 'margin' }), data);
    expect(b.initial).toEqual(a.initial);
    expect(b.rounds[0].accuracy).toBe(a.rounds[0].accuracy);
    expect(b.rounds[0].macroF1).toBe(a.rounds[0].macroF1);
    const other = await runCell(cell({ strategy: 'random', seed: 1 }), data);
    expect(other.initial).not.toEqual(a.initial);
  });

  it('is bitwise reproducible: same metrics and selections on a re-run', async () => {
    const strip = (o: Awaited<ReturnType<typeof runCell>>) => o.rounds.map(({ trainMs: _t, queryMs: _q, ...rest }) => rest);
    const a = await runCell(cell({ seed: 3 }), data);
    const b = await runCell(cell({ seed: 3 }), data);
    expect(strip(b)).toEqual(strip(a));
  });

  it('refuses a budget larger than the pool', async () => {
    await expect(runCell(cell({ budget: 61 }), data)).rejects.toThrow(/Pool exhausted/);
  });

  it('leaks no tensors', async () => {
    await runCell(cell(), data); // warm-up
    const before = tf.memory().numTensors;
    await runCell(cell({ seed: 9 }), data);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('candidates: scoring a seeded subset of the pool', () => {
  it('candidatePool keeps the pool, or draws a sorted seeded subset never smaller than the batch', async () => {
    const { candidatePool } = await import('../../src/loop/run-cell.js');
    const { createRng } = await import('../../src/rng.js');
    const pool = Int32Array.from([3, 5, 8, 9, 11, 20, 21]);
    expect(candidatePool(pool, undefined, 2, createRng(0))).toBe(pool);
    expect(candidatePool(pool, 100, 2, createRng(0))).toBe(pool);
    const sub = Array.from(candidatePool(pool, 3, 2, createRng(0)));
    expect(sub).toHaveLength(3);
    expect(sub).toEqual([...sub].sort((a, b) => a - b));
    for (const i of sub) expect(Array.from(pool)).toContain(i);
    expect(Array.from(candidatePool(pool, 3, 2, createRng(0)))).toEqual(sub);
    expect(candidatePool(pool, 1, 4, createRng(0))).toHaveLength(4);
  });

  it('a cell with candidates is reproducible and selects from its subset', async () => {
    const strip = (o: Awaited<ReturnType<typeof runCell>>) => o.rounds.map((r) => r.selected);
    const a = await runCell(cell({ strategyParams: { candidates: 12 } }), data);
    const b = await runCell(cell({ strategyParams: { candidates: 12 } }), data);
    expect(strip(b)).toEqual(strip(a));
    const full = await runCell(cell(), data);
    expect(strip(a)).not.toEqual(strip(full));
  });
});
