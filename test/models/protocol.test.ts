import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/index.js';
import { AUGMENTATION_PARAMS } from '../../src/data/augment/params.js';
import type { Dataset } from '../../src/data/dataset.js';
import { trainRound, type RoundTrainingRecord } from '../../src/models/protocol/index.js';
import { SSL_PARAMS } from '../../src/models/ssl/params.js';
import { trainModel } from '../../src/models/train.js';
import { createModel } from '../../src/models/zoo.js';
import { gatherRows } from '../../src/loop/needs.js';
import { createRng } from '../../src/rng.js';
import { resolveMethod } from '../../src/spec/method-params.js';
import type { AugmentationName, ProtocolConfig, ResolvedCell, SslName } from '../../src/spec/types.js';
import { tinyDataset } from '../helpers/tiny-dataset.js';

beforeAll(async () => {
  await initBackend('wasm');
});

const SHAPE = [4, 4, 1];
const data: Dataset = { ...tinyDataset({ shape: SHAPE, train: 90, test: 30, seed: 3 }), flipPreservesLabel: true };
const labeled = Int32Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);

function cell(aug: AugmentationName = 'none', ssl: SslName = 'none', protocol?: ProtocolConfig, epochs = 4, sslParams: Record<string, number> = {}): ResolvedCell {
  return {
    id: 'test',
    dataset: { name: 'synthetic' },
    model: 'cnn',
    strategy: 'random',
    budget: 20,
    batchSize: 4,
    initialSize: 12,
    augmentation: resolveMethod('augmentation', aug, {}, AUGMENTATION_PARAMS).setting!,
    ssl: resolveMethod('ssl', ssl, sslParams, SSL_PARAMS).setting!,
    ...(protocol ? { protocol } : {}),
    seed: 0,
    training: { epochs, batchSize: 8, learningRate: 0.01 },
  };
}

/** Runs rounds 0..n−1 (or the listed rounds) of one cell on fixed labels; returns the records and final weights. */
async function run(c: ResolvedCell, rounds: number | number[] = 1): Promise<{ records: RoundTrainingRecord[]; weights: number[] }> {
  const rng = createRng(c.seed);
  const model = createModel({ name: c.model, inputShape: SHAPE, numClasses: 3 }, rng.fork('weights'));
  const initialWeights = model.getWeights().map((w) => w.clone());
  try {
    const records: RoundTrainingRecord[] = [];
    for (const round of typeof rounds === 'number' ? Array.from({ length: rounds }, (_, i) => i) : rounds) records.push(await trainRound({ cell: c, data, model, initialWeights, round, labeled, rng }));
    const weights = Array.from(await model.getWeights()[0].data());
    return { records, weights };
  } finally {
    tf.dispose(initialWeights);
    model.dispose();
  }
}

describe('trainRound', () => {
  it('a plain round is exactly trainModel from the initial weights (plain cells keep their numbers)', async () => {
    const c = cell();
    const rng = createRng(0);
    const model = createModel({ name: 'cnn', inputShape: SHAPE, numClasses: 3 }, rng.fork('weights'));
    await trainModel(model, gatherRows(data, labeled), c.training, (e) => rng.fork('shuffle', 0, e));
    const direct = Array.from(await model.getWeights()[0].data());
    model.dispose();
    const viaRound = await run(c);
    // A plain round adds only the evidence of fit; its steps are epochs × ⌈labelled / batch⌉.
    expect(Object.keys(viaRound.records[0]).sort()).toEqual(['steps', 'trainAccuracy', 'trainLoss']);
    expect(viaRound.records[0].steps).toBe(c.training.epochs! * Math.ceil(labeled.length / c.training.batchSize));
    expect(viaRound.weights).toEqual(direct);
  });

  it('retrain restarts each round from the initial weights; warm-start continues', async () => {
    // Round 1 alone (from the initial weights, round-1 streams) vs rounds 0 then 1.
    expect((await run(cell(), [0, 1])).weights).toEqual((await run(cell(), [1])).weights);
    const warm = cell('none', 'none', { name: 'warm-start' });
    expect((await run(warm, [0, 1])).weights).not.toEqual((await run(warm, [1])).weights);
    expect((await run(warm, [1])).weights).toEqual((await run(cell(), [1])).weights); // round 1 alone: nothing to continue from
  });

  it.each([
    ['standard', 'none'],
    ['strong', 'none'],
    ['none', 'pseudo-label'],
    ['standard', 'fixmatch'],
    ['none', 'mean-teacher'],
  ] as const)('%s × %s is deterministic, changes training, and records pool statistics for SSL', async (aug, ssl) => {
    // τ = 0.5 for pseudo-labelling: a 4-epoch model is rarely 95 % sure, and an empty mask would not change training.
    const c = cell(aug, ssl, undefined, 4, ssl === 'pseudo-label' ? { threshold: 0.5 } : {});
    const a = await run(c);
    expect((await run(c)).weights).toEqual(a.weights);
    expect(a.weights).not.toEqual((await run(cell())).weights);
    if (ssl === 'none') {
      expect(a.records[0].ssl).toBeUndefined();
    } else {
      const stats = a.records[0].ssl!;
      expect(stats.poolSize).toBe(data.train.n - labeled.length);
      expect(stats.fractionAboveThreshold).toBeGreaterThanOrEqual(0);
      expect(stats.fractionAboveThreshold).toBeLessThanOrEqual(1);
      expect(stats.threshold).toBe(ssl === 'pseudo-label' ? 0.5 : 0.95);
    }
  });

  it('early stopping carves its validation rows from the labelled set and records them', async () => {
    const { records } = await run(cell('none', 'none', { name: 'retrain', validationFraction: 0.25, patience: 2 }, 10));
    const v = records[0].validation!;
    expect(v.indices).toHaveLength(3); // ⌈0.25 · 12⌉
    for (const i of v.indices) expect(Array.from(labeled)).toContain(i);
    expect(v.epochsRun).toBeLessThanOrEqual(10);
    expect(v.bestEpoch).toBeGreaterThanOrEqual(0);
    expect(v.bestEpoch).toBeLessThan(v.epochsRun);
    expect(Number.isFinite(v.bestLoss)).toBe(true);
  });

  it('SWA averages the end-of-epoch weights from swaStart on; weight decay shrinks the kernels', async () => {
    const swa = await run(cell('none', 'none', { name: 'retrain', swaStart: 0.5 }, 6));
    expect(swa.records[0].swaSnapshots).toBe(3); // epochs 3, 4, 5
    const plain = await run(cell('none', 'none', undefined, 6));
    const decayed = await run({ ...cell('none', 'none', undefined, 6), training: { epochs: 6, batchSize: 8, learningRate: 0.01, weightDecay: 0.5 } });
    const norm = (w: number[]) => Math.hypot(...w);
    expect(norm(decayed.weights)).toBeLessThan(norm(plain.weights));
  });

  it('fails on feature vectors for image-only methods, naming the dataset', async () => {
    const vectors = { ...tinyDataset({ shape: [4], seed: 1 }), name: 'synthetic' };
    const rng = createRng(0);
    const model = createModel({ name: 'mlp', inputShape: [4], numClasses: 3 }, rng.fork('weights'));
    const initialWeights = model.getWeights().map((w) => w.clone());
    const attempt = (c: ResolvedCell) => trainRound({ cell: { ...c, model: 'mlp' }, data: vectors, model, initialWeights, round: 0, labeled, rng });
    await expect(attempt(cell('standard'))).rejects.toThrow(/augmentation "standard" needs image data.*dataset synthetic has shape \[4\]/);
    await expect(attempt(cell('none', 'fixmatch'))).rejects.toThrow(/ssl method "fixmatch" perturbs images.*dataset synthetic/);
    tf.dispose(initialWeights);
    model.dispose();
  });

  it('leaks no tensors', async () => {
    const c = cell('strong', 'mean-teacher', { name: 'warm-start', validationFraction: 0.25 }, 2);
    await run(c, 2);
    const before = tf.memory().numTensors;
    await run(c, 2);
    await run({ ...cell('standard', 'fixmatch', { name: 'retrain', swaStart: 0.5 }, 2), training: { epochs: 2, batchSize: 8, learningRate: 0.01, weightDecay: 0.01 } });
    await run(cell('none', 'pseudo-label', undefined, 2));
    expect(tf.memory().numTensors).toBe(before);
  });
});
