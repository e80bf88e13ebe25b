/**
 * Training-time needs (loop/training-needs.ts, models/joint.ts): the epoch observer records the
 * pool's predictions once per epoch without changing a weight, on the plain and the extended
 * training path; the joint module trains and is disposed; cells with these strategies are
 * reproducible and leak nothing; and strategies without them train exactly as before.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/index.js';
import { buildSelectionContext } from '../../src/loop/needs.js';
import { runCell } from '../../src/loop/run-cell.js';
import { trainingNeedsFor } from '../../src/loop/training-needs.js';
import { predictProbs } from '../../src/models/predict.js';
import { trainRound } from '../../src/models/protocol/index.js';
import { createModel } from '../../src/models/zoo.js';
import { createRng } from '../../src/rng.js';
import type { ResolvedCell } from '../../src/spec/types.js';
import { createStrategy } from '../../src/strategies/registry.js';
import { tinyCell } from '../helpers/tiny-cell.js';
import { tinyDataset } from '../helpers/tiny-dataset.js';

beforeAll(async () => {
  await initBackend('wasm');
});

const cell = (overrides: Parameters<typeof tinyCell>[0] = {}) => tinyCell({ ...{ budget: 20, training: { epochs: 4, batchSize: 8, learningRate: 0.01 } }, ...overrides });

const data = tinyDataset({ train: 40, test: 12 });
const labeled = Int32Array.from({ length: 10 }, (_, i) => i);
const pool = Int32Array.from({ length: 30 }, (_, i) => i + 10);

/** One round of training with or without the strategy's hooks; the trained weights and what was recorded. */
async function trainOnce(c: ResolvedCell, strategyName: string | undefined) {
  const rng = createRng(c.seed);
  const model = createModel({ name: c.model, inputShape: data.shape, numClasses: data.numClasses }, rng.fork('weights'));
  const needs = strategyName ? trainingNeedsFor(createStrategy(strategyName), { cell: c, data, model, pool, rng, round: 0 }) : undefined;
  await trainRound({ cell: c, data, model, initialWeights: model.getWeights(), round: 0, labeled, rng, hooks: needs?.hooks });
  const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
  const finalProbs = await predictProbs(model, data.train.x, data.shape, data.numClasses, pool);
  const observed = needs?.observed();
  needs?.dispose();
  model.dispose();
  return { weights, finalProbs, observed };
}

describe('epochProbs', () => {
  it('records one pool prediction per epoch and leaves the trained weights bitwise unchanged (plain path)', async () => {
    const plain = await trainOnce(cell(), undefined);
    const hooked = await trainOnce(cell(), 'label-dispersion');
    expect(hooked.weights).toEqual(plain.weights);
    expect(hooked.observed?.epochProbs?.epochs).toBe(4);
    const stride = pool.length * data.numClasses;
    // The last epoch's record is the trained model's prediction.
    expect(Array.from(hooked.observed!.epochProbs!.data.subarray(3 * stride))).toEqual(Array.from(plain.finalProbs));
    // Earlier epochs differ from it: the records really are per epoch.
    expect(Array.from(hooked.observed!.epochProbs!.data.subarray(0, stride))).not.toEqual(Array.from(plain.finalProbs));
  });

  it('leaves the weights unchanged on the extended path too (weight decay + early stopping)', async () => {
    const c = cell({ protocol: { name: 'retrain', validationFraction: 0.2, patience: 1 }, training: { epochs: 4, batchSize: 8, learningRate: 0.01, weightDecay: 5e-4 } });
    const plain = await trainOnce(c, undefined);
    const hooked = await trainOnce(c, 'label-dispersion');
    expect(hooked.weights).toEqual(plain.weights);
    expect(hooked.observed!.epochProbs!.epochs).toBeGreaterThanOrEqual(1);
    expect(hooked.observed!.epochProbs!.data.length).toBe(hooked.observed!.epochProbs!.epochs * pool.length * data.numClasses);
  });

  it('a context without the recording names the missing hook', async () => {
    const model = createModel({ name: 'mlp', inputShape: data.shape, numClasses: data.numClasses }, createRng(0).fork('weights'));
    const inputs = { cell: cell(), data, model, rng: createRng(0), round: 0, pool, labeled };
    await expect(buildSelectionContext(createStrategy('label-dispersion'), inputs)).rejects.toThrow(/needs 'epochProbs', which is recorded while the task model trains/);
    await expect(buildSelectionContext(createStrategy('learning-loss'), inputs)).rejects.toThrow(/needs 'jointTraining'/);
    model.dispose();
  });
});

describe('jointTraining', () => {
  it('trains the module with the task model and hands its pool outputs over', async () => {
    const c = cell();
    const rng = createRng(0);
    const model = createModel({ name: 'mlp', inputShape: data.shape, numClasses: data.numClasses }, rng.fork('weights'));
    const strategy = createStrategy('learning-loss');
    const needs = trainingNeedsFor(strategy, { cell: c, data, model, pool, rng, round: 0 })!;
    const before = needs.hooks.joint!.variables.map((v) => Array.from(v.dataSync()));
    await trainRound({ cell: c, data, model, initialWeights: model.getWeights(), round: 0, labeled, rng, hooks: needs.hooks });
    expect(needs.hooks.joint!.variables.map((v) => Array.from(v.dataSync()))).not.toEqual(before);
    const ctx = await buildSelectionContext(strategy, { cell: c, data, model, rng, round: 0, pool, labeled, training: needs.observed() });
    expect(ctx.jointOutputs).toHaveLength(pool.length);
    expect(Array.from(ctx.jointOutputs!).every(Number.isFinite)).toBe(true);
    needs.dispose();
    needs.dispose(); // idempotent: the loop disposes again on its way out of a failed round
    model.dispose();
  });
});

describe('cells with training-time needs', () => {
  const strip = (o: Awaited<ReturnType<typeof runCell>>) => o.rounds.map(({ trainMs: _t, queryMs: _q, ...rest }) => rest);

  it('label dispersion observes without touching the model: its round-0 model is the same as entropy’s', async () => {
    const a = await runCell(cell({ strategy: 'entropy' }), data);
    const b = await runCell(cell({ strategy: 'label-dispersion' }), data);
    expect(b.rounds[0].accuracy).toBe(a.rounds[0].accuracy);
    expect(b.rounds[0].macroF1).toBe(a.rounds[0].macroF1);
    expect(b.rounds.map((r) => r.labeled)).toEqual([6, 13, 20]);
  });

  it.each(['label-dispersion', 'learning-loss'])('%s is bitwise reproducible and leaks no tensor', async (strategy) => {
    const a = await runCell(cell({ strategy, seed: 2 }), data);
    const before = tf.memory().numTensors;
    const b = await runCell(cell({ strategy, seed: 2 }), data);
    expect(tf.memory().numTensors).toBe(before);
    expect(strip(b)).toEqual(strip(a));
  });

  it.each(['label-dispersion', 'learning-loss'])('%s keeps the budget-prefix property: a smaller budget is the first rounds of a larger', async (strategy) => {
    // runner/budget-prefix.ts derives the budget-13 cell from the budget-20 one; the last round of
    // the small cell queries nothing, yet must train (with the joint module) as the large cell's round 1 does.
    const small = await runCell(cell({ strategy, budget: 13 }), data);
    const large = await runCell(cell({ strategy, budget: 20 }), data);
    expect(small.rounds).toHaveLength(2);
    expect(small.rounds[0].selected).toEqual(large.rounds[0].selected);
    expect(small.rounds[1].accuracy).toBe(large.rounds[1].accuracy);
    expect(small.rounds[1].macroF1).toBe(large.rounds[1].macroF1);
  });

  it('learning loss works with candidates (the pool is fixed before training)', async () => {
    const out = await runCell(cell({ strategy: 'learning-loss', strategyParams: { candidates: 9 } }), data);
    expect(out.rounds.map((r) => r.selected.length)).toEqual([7, 7, 0]);
  });
});
