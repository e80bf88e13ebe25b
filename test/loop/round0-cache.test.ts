// Round 0 shared across strategies (src/loop/round0-cache.ts): a cell that loads another cell's
// round-0 model must produce the same result, bit for bit, as training it itself.
import { copyFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';

import { initBackend } from '../../src/backend/index.js';
import { readRound0, round0Key, round0Savings, writeRound0 } from '../../src/loop/round0-cache.js';
import { runCell, type LoopOutput } from '../../src/loop/run-cell.js';
import type { ResolvedCell } from '../../src/spec/types.js';
import { tinyCell } from '../helpers/tiny-cell.js';
import { tinyDataset } from '../helpers/tiny-dataset.js';

beforeAll(async () => {
  await initBackend('wasm');
});

const cell = (overrides: Parameters<typeof tinyCell>[0] = {}) => tinyCell({ ...{ strategy: 'entropy', budget: 24, batchSize: 6, initialSize: 6, training: { epochs: 4, batchSize: 8, learningRate: 0.01 } }, ...overrides });

const data = tinyDataset({ train: 60, test: 30 });
const fresh = () => mkdtempSync(join(tmpdir(), 'albench-round0-'));
const withoutTiming = (out: LoopOutput) => ({ initial: out.initial, rounds: out.rounds.map(({ trainMs: _t, queryMs: _q, ...rest }) => rest) });

describe('round0Key', () => {
  it('ignores the strategy, budget and AL batch size, and nothing else of the cell', () => {
    const base = round0Key(cell());
    expect(round0Key(cell({ strategy: 'margin', budget: 40, batchSize: 3, strategyParams: { candidates: 10 } }))).toBe(base);
    const others: Partial<ResolvedCell>[] = [
      { seed: 1 },
      { initialSize: 7 },
      { model: 'cnn' },
      { augmentation: { name: 'standard' } },
      { training: { epochs: 5, batchSize: 8, learningRate: 0.01 } },
      { protocol: { name: 'warm-start' } },
    ];
    for (const other of others) {
      expect(round0Key(cell(other)), JSON.stringify(other)).not.toBe(base);
    }
  });
});

describe('round-0 snapshot files', () => {
  const snapshot = {
    weights: [
      { shape: [2, 3], values: Float32Array.of(1, -2, 3.5, Number.MIN_VALUE, -0, 1e-38) },
      { shape: [3], values: Float32Array.of(0.1, 0.2, 0.3) },
    ],
    trained: { ssl: { threshold: 0.95, poolSize: 10, fractionAboveThreshold: 0.5, pseudoLabelAccuracy: 0.8 } },
  };

  it('round-trips weights bit for bit and the training record', () => {
    const dir = fresh();
    writeRound0(dir, 'k1', snapshot);
    const back = readRound0(dir, 'k1')!;
    expect(back.trained).toEqual(snapshot.trained);
    expect(back.weights.map((w) => w.shape)).toEqual([[2, 3], [3]]);
    back.weights.forEach((w, i) => expect(Array.from(w.values).map((v) => Object.is(v, -0) ? '-0' : v)).toEqual(Array.from(snapshot.weights[i].values).map((v) => Object.is(v, -0) ? '-0' : v)));
  });

  it('treats a missing, truncated or foreign file as absent', () => {
    const dir = fresh();
    expect(readRound0(dir, 'nope')).toBeUndefined();
    writeRound0(dir, 'k2', snapshot);
    const file = join(dir, readdirSync(dir)[0]);
    writeFileSync(file, 'garbage');
    expect(readRound0(dir, 'k2')).toBeUndefined();
    writeRound0(dir, 'k3', snapshot);
    copyFileSync(join(dir, 'k3.round0'), join(dir, 'k4.round0'));
    expect(readRound0(dir, 'k4')).toBeUndefined(); // its header names k3
  });
});

describe('runCell with a shared round 0', () => {
  it.each([
    ['retrain', {}],
    ['warm-start', { protocol: { name: 'warm-start' as const } }],
  ])('a second strategy loads round 0 and ends bit for bit where training it would (%s)', async (_name, overrides) => {
    const dir = fresh();
    const first = await runCell(cell({ strategy: 'margin', ...overrides }), data, () => {}, { round0Dir: dir });
    expect(first.reusedRound0).toBeUndefined();
    expect(readdirSync(dir)).toHaveLength(1);

    const c = cell({ strategy: 'entropy', budget: 18, ...overrides });
    const shared = await runCell(c, data, () => {}, { round0Dir: dir });
    expect(shared.reusedRound0).toEqual({ key: round0Key(c) });
    const alone = await runCell(c, data);
    expect(alone.reusedRound0).toBeUndefined();
    expect(withoutTiming(shared)).toEqual(withoutTiming(alone));
  });

  it('a strategy that takes part in training trains its own round 0', async () => {
    const dir = fresh();
    await runCell(cell({ strategy: 'margin' }), data, () => {}, { round0Dir: dir });
    const out = await runCell(cell({ strategy: 'label-dispersion' }), data, () => {}, { round0Dir: dir });
    expect(out.reusedRound0).toBeUndefined();
  });

  it('leaves no tensors behind', async () => {
    const dir = fresh();
    await runCell(cell({ strategy: 'margin' }), data, () => {}, { round0Dir: dir });
    const before = tf.memory().numTensors;
    await runCell(cell({ strategy: 'entropy' }), data, () => {}, { round0Dir: dir });
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('round0Savings', () => {
  it('counts every sharing cell of a key but the first', () => {
    const cells = [cell({ strategy: 'random' }), cell({ strategy: 'margin' }), cell({ strategy: 'entropy', seed: 1 }), cell({ strategy: 'margin', seed: 1 }), cell({ strategy: 'label-dispersion' })];
    const perCell = 6 * 4; // initialSize × epochs
    expect(round0Savings(cells, (c) => c.strategy !== 'label-dispersion')).toBe(2 * perCell);
  });
});
