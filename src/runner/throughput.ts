/**
 * Speeds on the active backend for `albench plan`'s time estimate (runner/time-estimate.ts):
 * plain training (examples/s), a cell's whole training round, and forward passes. Random inputs
 * are fine for plain training and inference: speed does not depend on the values.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Dataset } from '../data/dataset.js';
import { predictProbs } from '../models/predict.js';
import { trainRound } from '../models/protocol/index.js';
import { trainModel } from '../models/train.js';
import { createModel } from '../models/zoo.js';
import { createRng } from '../rng.js';
import type { ModelName, ResolvedCell, TrainingConfig } from '../spec/types.js';
import type { RoundSpeed } from './time-estimate.js';
import { buildSelectionContext } from '../loop/needs.js';
import { candidatePool } from '../loop/run-cell.js';
import type { Strategy } from '../strategies/strategy.js';

/**
 * CPU seconds (user + system) of this process while `work` runs. Each worker has a core to itself,
 * so its CPU time is its wall time; measuring CPU time keeps other jobs on a shared machine from
 * slowing the figure down (wasm threads are off, so the work runs on one core).
 */
async function cpuSeconds(work: () => Promise<unknown>): Promise<number> {
  const start = process.cpuUsage();
  await work();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

export async function measureTrainingThroughput(
  model: ModelName,
  shape: readonly number[],
  numClasses: number,
  training: TrainingConfig,
): Promise<number> {
  const rng = createRng('throughput');
  const n = 256;
  const size = shape.reduce((a, b) => a * b, 1);
  const x = new Float32Array(n * size).map(() => rng.next());
  const y = new Int32Array(n).map(() => rng.int(numClasses));
  const net = createModel({ name: model, inputShape: shape, numClasses }, rng.fork('weights'));
  const data = { x, y, n, shape, numClasses };
  try {
    const config = { ...training, epochs: 1 };
    await trainModel(net, data, config, (e) => rng.fork('shuffle', e)); // warm-up: kernels, wasm memory
    const epochs = 3;
    const seconds = await cpuSeconds(() => trainModel(net, data, { ...training, epochs }, (e) => rng.fork('shuffle', e)));
    return (n * epochs) / seconds;
  } finally {
    net.dispose();
    tf.disposeVariables();
  }
}

/** Rows measured per speed: enough for a stable figure, few enough to keep `plan` to seconds. */
const ROUND_ROWS = 256;
const INFER_ROWS = 1024;

/**
 * CPU seconds of one training round of `cell`'s setup (augmentation, SSL, protocol included) as
 * `fixed + (perStep · steps + perExampleEpoch · labelled) · epochs`, steps = ⌈labelled / batch⌉:
 * at a handful of labels a step costs about the same whatever its rows, so a per-example rate
 * alone underestimates low-budget rounds. Fitted from the real data: a 1- and a 4-epoch round on
 * ROUND_ROWS labelled rows (many full steps), and a 2- and an 8-epoch round on a quarter batch
 * (one partial step), after a warm-up round. The fixed part is what a round does once (SSL pool
 * statistics, restoring weights).
 */
export async function measureRoundSpeed(cell: ResolvedCell, data: Dataset): Promise<RoundSpeed> {
  const rng = createRng('throughput');
  const batch = cell.training.batchSize;
  const model = createModel({ name: cell.model, inputShape: data.shape, numClasses: data.numClasses }, rng.fork('weights'));
  const initialWeights = model.getWeights().map((w) => w.clone());
  const time = (rows: number, epochs: number) =>
    cpuSeconds(() =>
      trainRound({
        cell: { ...cell, training: { ...cell.training, epochs } },
        data,
        model,
        initialWeights,
        round: 0,
        labeled: Int32Array.from({ length: Math.min(rows, data.train.n - 1) }, (_, i) => i),
        rng,
      }),
    );
  try {
    await time(ROUND_ROWS, 1); // warm-up: kernels, wasm memory
    const many = ROUND_ROWS;
    const few = Math.max(2, Math.floor(batch / 4));
    const manyOne = await time(many, 1);
    const manyEpoch = (await time(many, 4)) - manyOne;
    const fewEpoch = ((await time(few, 8)) - (await time(few, 2))) / 6;
    const stepsMany = Math.ceil(many / batch);
    const perEpochMany = manyEpoch / 3;
    // perEpochMany = stepsMany·s + many·r and fewEpoch = s + few·r.
    const perExampleEpoch = Math.max(0, (perEpochMany - stepsMany * fewEpoch) / (many - stepsMany * few));
    const perStep = Math.max(0, fewEpoch - few * perExampleEpoch);
    return { fixed: Math.max(0, manyOne - perEpochMany), perStep, perExampleEpoch };
  } finally {
    model.dispose();
    for (const w of initialWeights) w.dispose();
    tf.disposeVariables();
  }
}

/** Forward passes of `model` (freshly initialised; speed does not depend on the weights), rows/s. */
export async function measureInferenceThroughput(model: ModelName, shape: readonly number[], numClasses: number): Promise<number> {
  const rng = createRng('throughput');
  const size = shape.reduce((a, b) => a * b, 1);
  const x = new Float32Array(INFER_ROWS * size).map(() => rng.next());
  const net = createModel({ name: model, inputShape: shape, numClasses }, rng.fork('weights'));
  try {
    await predictProbs(net, x, shape, numClasses); // warm-up
    return INFER_ROWS / (await cpuSeconds(() => predictProbs(net, x, shape, numClasses)));
  } finally {
    net.dispose();
    tf.disposeVariables();
  }
}

/**
 * CPU seconds of one whole query of `strategy` in `cell`'s setting with `labelled` labelled rows
 * (a seeded random set) and the round's real pool (or its candidate subset): the context the loop
 * builds (forward passes, committee members, MC passes) and the strategy's own selection (its
 * auxiliary models, clustering, k-center). The task model is freshly initialised: the cost of a
 * query does not depend on how well the model is trained. Not for strategies with training-time
 * needs, whose context comes from the round's training.
 */
export async function measureQuerySeconds(cell: ResolvedCell, data: Dataset, strategy: Strategy, labelled: number): Promise<number> {
  const rng = createRng('throughput-query');
  const labeled = rng.fork('labeled').permutation(data.train.n).subarray(0, labelled).slice().sort();
  const isLabeled = new Uint8Array(data.train.n);
  for (const i of labeled) isLabeled[i] = 1;
  const unlabelled = Int32Array.from({ length: data.train.n }, (_, i) => i).filter((i) => !isLabeled[i]);
  const k = Math.min(cell.batchSize, unlabelled.length);
  const pool = candidatePool(unlabelled, cell.strategyParams?.candidates as number | undefined, k, rng.fork('candidates'));
  const model = createModel({ name: cell.model, inputShape: data.shape, numClasses: data.numClasses }, rng.fork('weights'));
  try {
    return await cpuSeconds(async () => {
      const ctx = await buildSelectionContext(strategy, { cell, data, model, rng, round: 0, pool, labeled });
      await strategy.select(ctx, k, rng.fork('strategy'));
    });
  } finally {
    model.dispose();
    tf.disposeVariables();
  }
}
