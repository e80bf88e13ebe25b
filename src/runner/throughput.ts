/**
 * Speeds on the active backend for `albench plan`'s time estimate (runner/time-estimate.ts):
 * plain training (examples/s), a cell's whole training round, and forward passes. Random inputs
 * are fine for plain training and inference: speed does not depend on the values.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Dataset } from '../data/dataset.js';
import { predictProbs } from '../models/predict.js';
import { trainRound } from '../models/protocol/index.js';
import { scaledTraining } from '../models/recipe.js';
import { trainModel } from '../models/train.js';
import { createModel } from '../models/zoo.js';
import { createRng } from '../rng.js';
import type { ModelSetting, RepresentationConfig, ResolvedCell, TrainingConfig } from '../spec/types.js';
import type { RoundSpeed } from './time-estimate.js';
import { buildSelectionContext } from '../loop/needs.js';
import { candidatePool } from '../loop/run-cell.js';
import type { Matrix, Strategy } from '../strategies/strategy.js';
import type { SelfsupFeatureProvider } from '../loop/selfsup-features.js';
import { embed, pretrainEncoder } from '../selfsup/pretrain.js';
import { featureStats, standardize } from '../selfsup/representation.js';
import type { PretrainSpeed } from '../selfsup/plan.js';

/**
 * CPU seconds (user + system) of this process while `work` runs. Each worker has a core to itself,
 * so its CPU time is its wall time; measuring CPU time keeps other jobs on a shared machine from
 * slowing the figure down (wasm threads are off, so the work runs on one core).
 */
export async function cpuSeconds(work: () => Promise<unknown>): Promise<number> {
  return (await cpuTimed(work)).seconds;
}

/** `cpuSeconds` that also hands back what `work` returned. */
export async function cpuTimed<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const start = process.cpuUsage();
  const value = await work();
  const used = process.cpuUsage(start);
  return { value, seconds: (used.user + used.system) / 1e6 };
}

export async function measureTrainingThroughput(
  model: ModelSetting,
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
    // Whole epochs of the recipe's optimizer and schedule (its steps or until rule would fix the length instead).
    await trainModel(net, data, scaledTraining(training, 1, 1), (e) => rng.fork('shuffle', e)); // warm-up: kernels, wasm memory
    const epochs = 3;
    const seconds = await cpuSeconds(() => trainModel(net, data, scaledTraining(training, 1, epochs), (e) => rng.fork('shuffle', e)));
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
        // Whole epochs of the recipe (its steps, minSteps or until would fix the length instead).
        cell: { ...cell, training: scaledTraining(cell.training, 1, epochs) },
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
export async function measureInferenceThroughput(model: ModelSetting, shape: readonly number[], numClasses: number): Promise<number> {
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
 *
 * `selfsup` provides the `selfsupEmbeddings` need: `albench plan` hands over the cached encoder's
 * features or stand-in ones (measurePretrainSpeed), so the timing is the query's and never the
 * encoder's one-time pretraining (which the default provider would run here, inside the timer).
 */
export async function measureQuerySeconds(cell: ResolvedCell, data: Dataset, strategy: Strategy, labelled: number, selfsup?: SelfsupFeatureProvider): Promise<number> {
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
      const ctx = await buildSelectionContext(strategy, { cell, data, model, rng, round: 0, pool, labeled, selfsup });
      await strategy.select(ctx, k, rng.fork('strategy'));
    });
  } finally {
    model.dispose();
    tf.disposeVariables();
  }
}

/**
 * Pretraining speed of a selfsup encoder `config` on `data` (selfsup/plan.ts turns it into seconds):
 * a warm-up step, then one epoch of two full steps at the encoder's batch size on a seeded subset
 * of the real pool (a step's cost depends on the batch size, through the N² similarity matrix of
 * NT-Xent, and on the image shape, not on the values). With `standIn`, the short-trained encoder
 * then embeds the whole training pool, which times the embedding and gives standardised stand-in
 * features for timing queries; otherwise it embeds the subset, for the speed alone.
 */
export async function measurePretrainSpeed(data: Dataset, config: RepresentationConfig, standIn: boolean): Promise<{ speed: PretrainSpeed; features?: Matrix }> {
  const rng = createRng('selfsup-throughput');
  const batch = Math.max(2, Math.min(config.batchSize, Math.floor(data.train.n / 2)));
  const size = data.shape.reduce((a, b) => a * b, 1);
  const rows = rng.fork('subset').permutation(data.train.n).subarray(0, 2 * batch);
  const subset = (n: number) => {
    const x = new Float32Array(n * size);
    for (let i = 0; i < n; i++) x.set(data.train.x.subarray(rows[i] * size, (rows[i] + 1) * size), i * size);
    return { name: data.name, shape: data.shape, flipPreservesLabel: data.flipPreservesLabel, train: { x, y: new Int32Array(n), n } };
  };
  const short = { ...config, epochs: 1, batchSize: batch };
  try {
    const warm = await pretrainEncoder(subset(batch), short, 0);
    warm.encoder.dispose();
    const timed = await cpuTimed(() => pretrainEncoder(subset(2 * batch), short, 0));
    const encoder = timed.value.encoder;
    try {
      const x = standIn ? data.train.x : subset(2 * batch).train.x;
      const n = x.length / size;
      await embed(encoder, x.subarray(0, Math.min(n, 64) * size), data.shape, config.embeddingDim); // warm-up
      const embedded = await cpuTimed(() => embed(encoder, x, data.shape, config.embeddingDim));
      const speed = { viewsPerSecond: (2 * batch * 2) / timed.seconds, embedRowsPerSecond: n / embedded.seconds };
      if (!standIn) return { speed };
      const { mean, std } = featureStats(embedded.value, config.embeddingDim);
      return { speed, features: { data: standardize(embedded.value, mean, std), rows: n, dim: config.embeddingDim } };
    } finally {
      encoder.dispose();
    }
  } finally {
    tf.disposeVariables();
  }
}
