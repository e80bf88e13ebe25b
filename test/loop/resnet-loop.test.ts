/**
 * resnet18 through the whole AL loop on 32×32×3 data: training (batch norm, dropout, augmentation),
 * evaluation, MC passes (bald, batchbald), embeddings (coreset), BADGE's gradient embeddings and a
 * committee trained like the task model, reproducibly. A small width and depth keep it fast.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src/backend/index.js';
import { trainRound } from '../../src/models/protocol/index.js';
import { SSL_PARAMS } from '../../src/models/ssl/params.js';
import { createModel } from '../../src/models/zoo.js';
import { createRng } from '../../src/rng.js';
import { resolveMethod } from '../../src/spec/method-params.js';
import { runCell } from '../../src/loop/run-cell.js';
import { tinyCell } from '../helpers/tiny-cell.js';
import { tinyDataset } from '../helpers/tiny-dataset.js';

beforeAll(async () => {
  await initBackend('wasm');
});

const data = tinyDataset({ train: 40, test: 10, shape: [32, 32, 3], seed: 6 });
const cell = (strategy: string, overrides = {}) =>
  tinyCell({
    model: { name: 'resnet18', width: 2, depth: 1, dropout: 0.5 },
    strategy,
    budget: 14,
    batchSize: 4,
    initialSize: 6,
    training: { epochs: 2, batchSize: 8, learningRate: 0.01 },
    ...overrides,
  });

describe('resnet18 in the loop', () => {
  it.each(['bald', 'batchbald', 'coreset', 'badge', 'ensemble-entropy'])('%s runs every round', async (strategy) => {
    const out = await runCell(cell(strategy, strategy === 'ensemble-entropy' ? { strategyParams: { members: 2 } } : {}), data);
    expect(out.rounds.map((r) => r.labeled)).toEqual([6, 10, 14]);
    for (const r of out.rounds.slice(0, -1)) expect(new Set(r.selected).size).toBe(4);
  }, 60_000);

  it('is bitwise reproducible with augmentation, dropout and batch norm', async () => {
    const c = cell('bald', { augmentation: { name: 'standard', translate: 0.125 } });
    const a = await runCell(c, data);
    const b = await runCell(c, data);
    expect(b.rounds.map((r) => [r.accuracy, r.selected])).toEqual(a.rounds.map((r) => [r.accuracy, r.selected]));
  }, 60_000);

  // Dropout masks are reseeded per round (models/seeded-dropout.ts): a cell that loads the shared
  // round-0 model continues exactly as one that trained round 0 itself.
  it('a round-0 model from the shared cache continues bitwise like one trained in the cell', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'albench-r0-'));
    try {
      await runCell(cell('entropy'), data, undefined, { round0Dir: dir });
      const cached = await runCell(cell('bald'), data, undefined, { round0Dir: dir });
      expect(cached.reusedRound0).toBeDefined();
      const own = await runCell(cell('bald'), data);
      expect(cached.rounds.map((r) => [r.accuracy, r.selected])).toEqual(own.rounds.map((r) => [r.accuracy, r.selected]));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('resnet18 with mean teacher', () => {
  // The teacher runs in inference mode, so its batch-norm statistics must follow the student's
  // (models/ssl/mean-teacher.ts); otherwise the evaluated teacher normalises with its initial ones.
  it("the evaluated teacher's running statistics are trained, not the initial ones", async () => {
    const ssl = resolveMethod('ssl method', 'mean-teacher', {}, SSL_PARAMS).setting!;
    const c = cell('random', { ssl });
    const net = createModel({ name: c.model, inputShape: data.shape, numClasses: 3 }, createRng(0).fork('weights'));
    const initial = net.getWeights().map((w) => w.clone());
    const statsOf = () => net.nonTrainableWeights.map((w) => Array.from(w.read().dataSync())).flat();
    const before = statsOf();
    await trainRound({ cell: c, data, model: net, initialWeights: initial, round: 0, labeled: Int32Array.from([0, 1, 2, 3, 4, 5]), rng: createRng(0) });
    const after = statsOf();
    expect(after).not.toEqual(before);
    // Running variances start at 1; trained ones have moved away from it.
    expect(after.some((v, i) => Math.abs(v - before[i]) > 1e-3)).toBe(true);
    tf.dispose(initial);
    net.dispose();
  }, 60_000);
});
