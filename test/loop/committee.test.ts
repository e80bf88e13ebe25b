/**
 * Committees trained like the task model (loop/committee.ts): members get the cell's recipe
 * (here augmentation) from their own streams; independent members count the task model as member 0,
 * bagged members each train on a bootstrap resample (Abe & Mamitsuka 1998).
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/index.js';
import { bootstrapRows, committeeProbs, trainMember, type CommitteeInputs } from '../../src/loop/committee.js';
import { trainRound } from '../../src/models/protocol/index.js';
import { predictProbs } from '../../src/models/predict.js';
import { createModel } from '../../src/models/zoo.js';
import { createRng } from '../../src/rng.js';
import { tinyCell } from '../helpers/tiny-cell.js';
import { tinyDataset } from '../helpers/tiny-dataset.js';

const data = tinyDataset({ train: 40, test: 10, shape: [8, 8, 1], seed: 4 });
const labeled = Int32Array.from({ length: 12 }, (_, i) => i);
const pool = Int32Array.from({ length: 28 }, (_, i) => i + 12);
const plainCell = tinyCell({ model: 'cnn', training: { epochs: 3, batchSize: 4, learningRate: 0.01 } });
const augCell = tinyCell({ model: 'cnn', augmentation: { name: 'standard', translate: 0.125 }, training: { epochs: 3, batchSize: 4, learningRate: 0.01 } });

let task: tfl.LayersModel;
beforeAll(async () => {
  await initBackend('wasm');
  task = createModel({ name: 'cnn', inputShape: data.shape, numClasses: 3 }, createRng(0).fork('weights'));
  await trainRound({ cell: plainCell, data, model: task, initialWeights: task.getWeights().map((w) => w.clone()), round: 1, labeled, rng: createRng(0) });
});
afterAll(() => task.dispose());

const inputs = (cell = plainCell): CommitteeInputs => ({ cell, data, model: task, rng: createRng(0), round: 1, pool, labeled });
const weightsOf = (m: tfl.LayersModel) => m.getWeights().flatMap((w) => Array.from(w.dataSync()));
async function memberWeights(cell: typeof plainCell, member: number, bootstrap = false) {
  const m = await trainMember(inputs(cell), member, bootstrap);
  try {
    return weightsOf(m);
  } finally {
    m.dispose();
  }
}

describe('committee members', () => {
  it("train with the cell's recipe: an augmentation cell's member differs from a plain cell's", async () => {
    const plain = await memberWeights(plainCell, 1);
    const augmented = await memberWeights(augCell, 1);
    expect(augmented).not.toEqual(plain);
    // Same cell, same member: bitwise the same model; another member: another model.
    expect(await memberWeights(augCell, 1)).toEqual(augmented);
    expect(await memberWeights(augCell, 2)).not.toEqual(augmented);
  });

  it('independent: member 0 is the task model; bagged: every member has its own bootstrap sample', async () => {
    const taskProbs = await predictProbs(task, data.train.x, data.shape, 3, pool);
    const independent = await committeeProbs(inputs(), 3, false, taskProbs);
    const bagged = await committeeProbs(inputs(), 3, true, taskProbs);
    const n = pool.length * 3;
    expect(Array.from(independent.subarray(0, n))).toEqual(Array.from(taskProbs));
    expect(Array.from(bagged.subarray(0, n))).not.toEqual(Array.from(taskProbs));
    expect(Array.from(bagged.subarray(n, 2 * n))).not.toEqual(Array.from(independent.subarray(n, 2 * n)));
    expect(Array.from(await committeeProbs(inputs(), 3, true, taskProbs))).toEqual(Array.from(bagged));
  });

  it('a bagged member trains on its bag: the same streams on the whole labelled set give another model', async () => {
    const bagged = await memberWeights(plainCell, 0, true);
    const root = createRng(0).fork('bagging', 0);
    const whole = createModel({ name: 'cnn', inputShape: data.shape, numClasses: 3 }, root.fork('weights'));
    await trainRound({ cell: plainCell, data, model: whole, initialWeights: whole.getWeights().map((w) => w.clone()), round: 1, labeled, rng: root });
    expect(weightsOf(whole)).not.toEqual(bagged);
    whole.dispose();
  });

  it('bootstrap resamples n rows with replacement from the labelled set only, seeded', () => {
    const bag = bootstrapRows(labeled, createRng('bag'));
    expect(bag).toHaveLength(labeled.length);
    expect(new Set(bag).size).toBeLessThan(labeled.length);
    for (const row of bag) expect(labeled).toContain(row);
    expect(Array.from(bootstrapRows(labeled, createRng('bag')))).toEqual(Array.from(bag));
  });

  it('leaks no tensors', async () => {
    const taskProbs = await predictProbs(task, data.train.x, data.shape, 3, pool);
    await committeeProbs(inputs(augCell), 2, true, taskProbs);
    const before = tf.memory().numTensors;
    await committeeProbs(inputs(augCell), 2, true, taskProbs);
    expect(tf.memory().numTensors).toBe(before);
  });
});
