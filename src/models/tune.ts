/**
 * Hyper-parameter selection that never looks at the test set (Lüth, Bungert, Klein & Jaeger 2023,
 * "Navigating the Pitfalls of Active Learning Evaluation", pitfall P4; Munjal et al. 2022 re-tune
 * per cycle): `training.tune` picks the learning rate and weight decay by k-fold cross-validation
 * on round 0's labelled set.
 *
 * The choice is a pure function of round 0's inputs (dataset, model, augmentation, SSL,
 * representation, protocol, initial set, seed and the training block), none of which depend on the
 * strategy, so every strategy of a seed gets the same recipe and the paired design holds; caching
 * it (loop/tune-cache.ts) only saves time. Each fit trains a round exactly as the loop does
 * (models/protocol trainRound: the cell's augmentation, SSL and protocol), on the other folds, from
 * the cell's initial weights, with streams below `tune/<fold>`: the same for every candidate, so
 * candidates differ only in their hyper-parameters. Ties go to the first candidate in grid order
 * (learning rates outer, weight decays inner).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Dataset } from '../data/dataset.js';
import type { Rng } from '../rng.js';
import type { ResolvedCell, TrainingConfig } from '../spec/types.js';
import type { TuningRecord } from '../store/schema.js';
import { labelledFit } from './fit.js';
import { predictProbs } from './predict.js';
import { trainRound } from './protocol/index.js';
import { createModel } from './zoo.js';

/** The recipe a candidate trains with: the cell's, without the grid, at (learningRate, weightDecay). */
export function candidateTraining(training: TrainingConfig, learningRate: number, weightDecay: number): TrainingConfig {
  const { tune: _tune, weightDecay: _wd, ...rest } = training;
  return { ...rest, learningRate, ...(weightDecay > 0 ? { weightDecay } : {}) };
}

/** k folds of `labeled`: contiguous chunks of a seeded permutation, sizes differing by at most one. */
export function kFolds(labeled: Int32Array, k: number, rng: Rng): Int32Array[] {
  if (labeled.length < 2 * k) {
    throw new Error(`training.tune.folds ${k} needs at least ${2 * k} labelled rows in round 0 (two per fold), got initialSize ${labeled.length}`);
  }
  const order = rng.permutation(labeled.length);
  return Array.from({ length: k }, (_, f) => {
    const from = Math.floor((f * labeled.length) / k);
    const to = Math.floor(((f + 1) * labeled.length) / k);
    return Int32Array.from(order.subarray(from, to), (p) => labeled[p]);
  });
}

/** Cross-validates every candidate of `cell.training.tune` on `initial`; `key` names the result. */
export async function tuneTraining(cell: ResolvedCell, data: Dataset, initial: Int32Array, rng: Rng, key: string): Promise<TuningRecord> {
  const tune = cell.training.tune;
  if (!tune) throw new Error('tuneTraining: the cell has no training.tune');
  const start = performance.now();
  const folds = kFolds(initial, tune.folds, rng.fork('tune', 'folds'));
  const model = createModel({ name: cell.model, inputShape: data.shape, numClasses: data.numClasses }, rng.fork('weights'));
  const initialWeights = model.getWeights().map((w) => w.clone());
  const scores: TuningRecord['scores'][number][] = [];
  try {
    for (const learningRate of tune.learningRate) {
      for (const weightDecay of tune.weightDecay) {
        const candidate = { ...cell, training: candidateTraining(cell.training, learningRate, weightDecay) };
        const foldAccuracy: number[] = [];
        for (let f = 0; f < folds.length; f++) {
          const training = Int32Array.from(folds.flatMap((fold, g) => (g === f ? [] : Array.from(fold))));
          await trainRound({ cell: candidate, data, model, initialWeights, round: 0, labeled: training, rng: rng.fork('tune', f) });
          const probs = await predictProbs(model, data.train.x, data.shape, data.numClasses, folds[f]);
          foldAccuracy.push(labelledFit(probs, Array.from(folds[f], (i) => data.train.y[i]), data.numClasses).trainAccuracy);
        }
        scores.push({ learningRate, weightDecay, foldAccuracy, meanAccuracy: foldAccuracy.reduce((a, b) => a + b, 0) / foldAccuracy.length });
      }
    }
  } finally {
    tf.dispose(initialWeights);
    model.dispose();
  }
  // Strictly greater: a tie keeps the earlier candidate.
  const best = scores.reduce((a, b) => (b.meanAccuracy > a.meanAccuracy ? b : a));
  return { key, folds: tune.folds, choice: { learningRate: best.learningRate, weightDecay: best.weightDecay }, scores, tuneMs: performance.now() - start };
}

/** The cell as its rounds train it: the chosen recipe in place of the grid. */
export function tunedCell(cell: ResolvedCell, record: TuningRecord): ResolvedCell {
  return { ...cell, training: candidateTraining(cell.training, record.choice.learningRate, record.choice.weightDecay) };
}
