/**
 * The committee of the `committeeProbs` need: K models trained like the task model, each from its
 * own seeded streams, scored on the pool.
 *
 * Every member is trained by the task model's machinery (`trainRound`, models/protocol): the
 * cell's augmentation, SSL, protocol options and training schedule, so the members' disagreement
 * is the posterior spread the papers measure and never a difference of recipe. Two designs:
 *
 * - independent (default): Beluch, Genewein, Nürnberger & Köhler, CVPR 2018, "The power of
 *   ensembles for active learning in image classification": networks that differ only in their
 *   initialisation and data order, all trained on the whole labelled set. Member 0 is the task
 *   model itself (trained from the cell's streams); member m ≥ 1 trains from `committee/m`.
 * - bootstrap: query by committee with bagging (Abe & Mamitsuka, ICML 1998, "Query Learning
 *   Strategies Using Boosting and Bagging"): every member, member 0 included, trains on its own
 *   bootstrap resample of the labelled set (n draws with replacement from `bagging/m/bag/<round>`),
 *   from the streams `bagging/m`. Labelled rows left out of a member's bag are, for that member's
 *   SSL term, unlabelled rows like the rest of the pool.
 *
 * Members are built afresh each round from their own initial weights (`…/weights`), so under
 * `warm-start` they retrain where the task model continues: a member keeps nothing across rounds.
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import * as tf from '@tensorflow/tfjs-core';
import { predictProbs } from '../models/predict.js';
import { trainRound } from '../models/protocol/index.js';
import { createModel } from '../models/zoo.js';
import type { Rng } from '../rng.js';
import type { Dataset } from '../data/dataset.js';
import type { ResolvedCell } from '../spec/types.js';

export interface CommitteeInputs {
  readonly cell: ResolvedCell;
  readonly data: Dataset;
  /** The trained task model (member 0 of an independent committee). */
  readonly model: tfl.LayersModel;
  /** The cell's root stream. */
  readonly rng: Rng;
  readonly round: number;
  readonly pool: Int32Array;
  readonly labeled: Int32Array;
}

/** A bootstrap resample of `rows`: n draws with replacement, sorted (the bag, not an order). */
export function bootstrapRows(rows: Int32Array, rng: Rng): Int32Array {
  const bag = Int32Array.from({ length: rows.length }, () => rows[rng.int(rows.length)]);
  return bag.sort();
}

/** Trains one member as the task model is trained and returns it; the caller disposes it. */
export async function trainMember(inputs: CommitteeInputs, member: number, bootstrap: boolean): Promise<tfl.LayersModel> {
  const { cell, data, round } = inputs;
  const root = inputs.rng.fork(bootstrap ? 'bagging' : 'committee', member);
  const labeled = bootstrap ? bootstrapRows(inputs.labeled, root.fork('bag', round)) : inputs.labeled;
  const model = createModel({ name: cell.model, inputShape: data.shape, numClasses: data.numClasses }, root.fork('weights'));
  const initialWeights = model.getWeights().map((w) => w.clone());
  try {
    await trainRound({ cell, data, model, initialWeights, round, labeled, rng: root });
    return model;
  } catch (err) {
    model.dispose();
    throw err;
  } finally {
    tf.dispose(initialWeights);
  }
}

/**
 * Softmax outputs of K members on the pool, `[K, pool, classes]` row-major. `taskProbs` are the
 * task model's outputs on the pool (member 0 of an independent committee).
 */
export async function committeeProbs(inputs: CommitteeInputs, k: number, bootstrap: boolean, taskProbs: Float32Array): Promise<Float32Array> {
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`committee size must be an integer ≥ 2, got ${k}`);
  const { data, pool } = inputs;
  const stride = pool.length * data.numClasses;
  const stack = new Float32Array(k * stride);
  if (!bootstrap) stack.set(taskProbs, 0);
  for (let member = bootstrap ? 0 : 1; member < k; member++) {
    const model = await trainMember(inputs, member, bootstrap);
    try {
      stack.set(await predictProbs(model, data.train.x, data.shape, data.numClasses, pool), member * stride);
    } finally {
      model.dispose();
    }
  }
  return stack;
}
