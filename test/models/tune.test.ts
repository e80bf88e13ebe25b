// Hyper-parameter selection on round 0's labelled set (models/tune.ts, loop/tune-cache.ts): the
// choice is a pure function of round 0's inputs, the same for every strategy of a seed, blind to
// the test labels, and the rounds then train exactly as a cell that spells the choice out.
import * as tf from '@tensorflow/tfjs-core';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/index.js';
import { runCell } from '../../src/loop/run-cell.js';
import { kFolds } from '../../src/models/tune.js';
import { createRng } from '../../src/rng.js';
import type { TrainingConfig } from '../../src/spec/types.js';
import { tinyCell } from '../helpers/tiny-cell.js';

beforeAll(async () => {
  await initBackend('wasm');
});

const dir = mkdtempSync(join(tmpdir(), 'albench-tune-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Label = the largest of 4 uniform coordinates: an untrained MLP is near chance (blobs would not be). */
function argmaxRows(n: number, seed: string) {
  const rng = createRng(seed);
  const x = new Float32Array(n * 4).map(() => rng.next() * 2 - 1);
  const y = Int32Array.from({ length: n }, (_, i) => [1, 2, 3].reduce((b, k) => (x[i * 4 + k] > x[i * 4 + b] ? k : b), 0));
  return { x, y, n };
}
const data = { name: 'tiny', shape: [4], numClasses: 4, train: argmaxRows(80, 'train'), test: argmaxRows(30, 'test'), checksum: 'argmax', source: 'test', flipPreservesLabel: false };

// 1e-5 barely moves the weights in 10 epochs (held-out accuracy 0.13–0.38 per fold); 0.05 learns (0.63–0.88).
const tuning: TrainingConfig = { epochs: 10, batchSize: 8, learningRate: 0.01, tune: { learningRate: [1e-5, 0.05], weightDecay: [0, 0.01], folds: 3 } };
const cell = (strategy: string, training: TrainingConfig = tuning) => tinyCell({ strategy, training, initialSize: 24, budget: 32, batchSize: 8 });
const noTime = <T extends { tuneMs: number }>(r: T | undefined) => r && { ...r, tuneMs: 0 };

describe('training.tune', () => {
  it('folds partition the labelled set, reproducibly', () => {
    const labeled = Int32Array.from({ length: 10 }, (_, i) => 100 + i);
    const folds = kFolds(labeled, 3, createRng('f'));
    expect(folds.map((f) => f.length)).toEqual([3, 3, 4]);
    expect(folds.flatMap((f) => Array.from(f)).sort()).toEqual(Array.from(labeled));
    expect(kFolds(labeled, 3, createRng('f'))).toEqual(folds);
    expect(() => kFolds(labeled, 6, createRng('f'))).toThrow(/folds 6 needs at least 12 labelled rows/);
  });

  it('picks by cross-validation, records every candidate, and is the same on a re-run', async () => {
    const a = (await runCell(cell('random'), data)).tuning!;
    expect(a.scores.map((s) => [s.learningRate, s.weightDecay])).toEqual([[1e-5, 0], [1e-5, 0.01], [0.05, 0], [0.05, 0.01]]);
    for (const s of a.scores) expect(s.foldAccuracy).toHaveLength(3);
    expect(a.choice.learningRate).toBe(0.05);
    expect(Math.max(...a.scores.slice(2).map((s) => s.meanAccuracy))).toBeGreaterThan(Math.max(...a.scores.slice(0, 2).map((s) => s.meanAccuracy)));
    const b = (await runCell(cell('random'), data)).tuning!;
    expect(noTime(b)).toEqual(noTime(a));
  });

  it('gives every strategy of a seed the identical choice, computed apart or shared through the cache', async () => {
    const apart = await Promise.all(['random', 'margin', 'entropy'].map(async (s) => noTime((await runCell(cell(s), data)).tuning)));
    expect(apart[1]).toEqual(apart[0]);
    expect(apart[2]).toEqual(apart[0]);
    const first = await runCell(cell('random'), data, () => {}, { round0Dir: dir });
    expect(readdirSync(dir).filter((f) => f.endsWith('.json'))).toEqual([`${first.tuning!.key}.json`]);
    const shared = await runCell(cell('least-confidence'), data, () => {}, { round0Dir: dir });
    expect(shared.tuning).toEqual(first.tuning);
    expect(noTime(shared.tuning)).toEqual(apart[0]);
    // Another seed is another tuning.
    expect((await runCell(tinyCell({ ...cell('random'), seed: 1 }), data)).tuning!.key).not.toBe(first.tuning!.key);
  });

  it('never looks at the test labels: poisoning them changes nothing in the choice', async () => {
    const clean = (await runCell(cell('random'), data)).tuning!;
    const poisoned = { ...data, test: { ...data.test, y: data.test.y.map((y) => (y + 1) % 4) } };
    expect(noTime((await runCell(cell('random'), poisoned)).tuning)).toEqual(noTime(clean));
  });

  it('then trains every round exactly as a cell that spells out the chosen recipe', async () => {
    const tuned = await runCell(cell('margin'), data);
    const { choice } = tuned.tuning!;
    const spelled: TrainingConfig = { epochs: 10, batchSize: 8, learningRate: choice.learningRate, ...(choice.weightDecay > 0 ? { weightDecay: choice.weightDecay } : {}) };
    const plain = await runCell(cell('margin', spelled), data);
    const strip = (o: typeof plain) => o.rounds.map(({ trainMs: _t, queryMs: _q, ...rest }) => rest);
    expect(strip(tuned)).toEqual(strip(plain));
    expect(plain.tuning).toBeUndefined();
  });

  it('leaks no tensors', async () => {
    await runCell(cell('random'), data);
    const before = tf.memory().numTensors;
    await runCell(cell('entropy'), data);
    expect(tf.memory().numTensors).toBe(before);
  });
});
