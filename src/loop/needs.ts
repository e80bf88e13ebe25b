/**
 * Computes what a strategy declared in `needs`, once per round, and builds its SelectionContext.
 * This is the only place that turns the task model into strategy inputs; it reads need names and
 * need options, never which strategy asked.
 *
 * Committee members are trained like the task model (loop/committee.ts). Other extra models
 * (suggestive annotation's bootstrap members, SVP proxies) come from one capability,
 * `ctx.trainModel`: a fresh model of the cell's architecture (or the proxy's), trained
 * with the cell's training config on labelled rows only, from the seeded streams
 * `aux/<tag>/weights` and `aux/<tag>/shuffle/<round>/<epoch>` of the cell seed. Equal tags give equal
 * models.
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import { featureSize, type Dataset } from '../data/dataset.js';
import { predictFeatures } from '../models/embeddings.js';
import { predictJoint } from '../models/joint.js';
import { mcDropoutProbs } from '../models/mc-dropout.js';
import { predictProbs } from '../models/predict.js';
import { scaledTraining } from '../models/recipe.js';
import { trainModel } from '../models/train.js';
import { createModel } from '../models/zoo.js';
import { committeeProbs } from './committee.js';
import type { Rng } from '../rng.js';
import type { ResolvedCell } from '../spec/types.js';
import { gradEmbeddingsOf } from '../strategies/grad-embeddings.js';
import type { AuxModel, AuxTrainRequest, Matrix, SelectionContext, Strategy } from '../strategies/strategy.js';
import { selfsupFeatureProvider, type SelfsupFeatureProvider } from './selfsup-features.js';
import type { TrainingObservations } from './training-needs.js';

/** Default sizes when a strategy declares a need without options. */
export const NEED_DEFAULTS = { mcPasses: 20, committeeSize: 5, committeeBootstrap: false } as const;

export interface NeedInputs {
  readonly cell: ResolvedCell;
  readonly data: Dataset;
  /** The task model, trained this round. */
  readonly model: tfl.LayersModel;
  /** The cell's root stream; need streams are forked from it by name and round. */
  readonly rng: Rng;
  readonly round: number;
  readonly pool: Int32Array;
  readonly labeled: Int32Array;
  /** What the round's training hooks recorded (training-time needs; loop/training-needs.ts). */
  readonly training?: TrainingObservations;
  /** Computes `selfsupEmbeddings` (loop/selfsup-features.ts); default: the cached SimCLR encoder. */
  readonly selfsup?: SelfsupFeatureProvider;
}

/** A training-time need's value, or an error saying the round was trained without its hook. */
function observed<T>(value: T | undefined, strategy: Strategy, need: string): T {
  if (value === undefined) {
    throw new Error(`strategy ${strategy.name} needs '${need}', which is recorded while the task model trains; train the round with the hooks of trainingNeedsFor(strategy, …) and pass what they observed`);
  }
  return value;
}

/** A training set gathered from training-set rows; `labels` overrides `data.train.y` (pseudo-labels). */
export function gatherRows(data: Dataset, rows: ArrayLike<number>, labels?: ArrayLike<number>) {
  const size = featureSize(data.shape);
  const x = new Float32Array(rows.length * size);
  const y = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    x.set(data.train.x.subarray(row * size, (row + 1) * size), i * size);
    y[i] = labels ? labels[i] : data.train.y[row];
  }
  return { x, y, n: rows.length, shape: data.shape, numClasses: data.numClasses };
}

/** Trains an auxiliary model on labelled rows; the model is the caller's to dispose. */
export function auxTrainer(inputs: NeedInputs): (request: AuxTrainRequest) => Promise<AuxModel> {
  const { cell, data, rng, round } = inputs;
  const isLabeled = new Uint8Array(data.train.n);
  for (const i of inputs.labeled) isLabeled[i] = 1;
  return async (request) => {
    if (!/^[A-Za-z0-9._-]+$/.test(request.tag)) throw new Error(`trainModel: tag must be letters, digits, '.', '_' or '-', got ${JSON.stringify(request.tag)}`);
    if (request.rows.length === 0) throw new Error(`trainModel(${request.tag}): rows must not be empty`);
    for (const row of request.rows) {
      if (!Number.isInteger(row) || row < 0 || row >= data.train.n || !isLabeled[row]) {
        throw new Error(`trainModel(${request.tag}): row ${row} is not a labelled training index; auxiliary models train on revealed labels only`);
      }
    }
    if (request.epochs !== undefined && (!Number.isInteger(request.epochs) || request.epochs < 1)) {
      throw new Error(`trainModel(${request.tag}): epochs must be a positive integer, got ${request.epochs}`);
    }
    // The task model's recipe, scaled (steps-based recipes scale their steps; models/recipe.ts).
    const training = scaledTraining(cell.training, request.epochScale ?? 1, request.epochs);
    const model = createModel({ name: request.model ?? cell.model, inputShape: data.shape, numClasses: data.numClasses }, rng.fork('aux', request.tag, 'weights'));
    try {
      await trainModel(model, gatherRows(data, request.rows), training, (epoch) => rng.fork('aux', request.tag, 'shuffle', round, epoch));
    } catch (err) {
      model.dispose();
      throw err;
    }
    return {
      probs: (rows) => predictProbs(model, data.train.x, data.shape, data.numClasses, rows),
      embeddings: async (rows) => {
        const f = await predictFeatures(model, data.train.x, data.shape, data.numClasses, rows);
        return { data: f.embeddings, rows: rows.length, dim: f.dim };
      },
      dispose: () => model.dispose(),
    };
  };
}

/** Computes the declared needs and returns the context a strategy selects from. */
export async function buildSelectionContext(strategy: Strategy, inputs: NeedInputs): Promise<SelectionContext> {
  const { data, model, pool, labeled, round, rng } = inputs;
  const needs = strategy.needs;
  const options = { ...NEED_DEFAULTS, ...strategy.needOptions };
  const wants = (...names: Parameters<typeof needs.has>[0][]) => names.some((n) => needs.has(n));

  let probs: Float32Array | undefined;
  let embeddings: Matrix | undefined;
  // One forward pass gives both the pool's embeddings and its probabilities.
  if (wants('embeddings', 'gradEmbeddings')) {
    const f = await predictFeatures(model, data.train.x, data.shape, data.numClasses, pool);
    embeddings = { data: f.embeddings, rows: pool.length, dim: f.dim };
    probs = f.probs;
  } else if (wants('probs', 'committeeProbs', 'mcProbs')) {
    probs = await predictProbs(model, data.train.x, data.shape, data.numClasses, pool);
  }

  let labeledProbs: Float32Array | undefined;
  let labeledEmbeddings: Matrix | undefined;
  if (needs.has('embeddings')) {
    const f = await predictFeatures(model, data.train.x, data.shape, data.numClasses, labeled);
    labeledEmbeddings = { data: f.embeddings, rows: labeled.length, dim: f.dim };
    labeledProbs = f.probs;
  } else if (needs.has('labeledProbs')) {
    labeledProbs = await predictProbs(model, data.train.x, data.shape, data.numClasses, labeled);
  }

  const mcProbs = needs.has('mcProbs')
    ? { passes: options.mcPasses, data: await mcDropoutProbs(model, data.train.x, data.shape, data.numClasses, pool, options.mcPasses, rng.fork('mc-dropout', round)) }
    : undefined;

  const train = auxTrainer(inputs);
  // Members trained like the task model, independent or bagged (loop/committee.ts).
  const committee = needs.has('committeeProbs')
    ? { members: options.committeeSize, data: await committeeProbs(inputs, options.committeeSize, options.committeeBootstrap, probs!) }
    : undefined;

  const epochProbs = needs.has('epochProbs') ? observed(inputs.training?.epochProbs, strategy, 'epochProbs') : undefined;
  if (epochProbs && epochProbs.data.length !== epochProbs.epochs * pool.length * data.numClasses) {
    throw new Error(`epochProbs hold ${epochProbs.data.length} values, expected ${epochProbs.epochs} epochs × ${pool.length} pool rows × ${data.numClasses} classes: recorded on another pool`);
  }
  const jointOutputs = needs.has('jointTraining')
    ? await predictJoint(model, observed(inputs.training?.joint, strategy, 'jointTraining'), data.train.x, data.shape, pool)
    : undefined;

  const size = featureSize(data.shape);
  return {
    round,
    numClasses: data.numClasses,
    pool,
    labeled,
    labeledY: Int32Array.from(labeled, (i) => data.train.y[i]),
    probs: wants('probs', 'embeddings', 'gradEmbeddings', 'mcProbs', 'committeeProbs') ? probs : undefined,
    labeledProbs,
    mcProbs,
    committeeProbs: committee,
    embeddings: needs.has('embeddings') || needs.has('gradEmbeddings') ? embeddings : undefined,
    labeledEmbeddings,
    gradEmbeddings: needs.has('gradEmbeddings') ? gradEmbeddingsOf(probs!, data.numClasses, embeddings!) : undefined,
    inputs: needs.has('inputs') ? { data: data.train.x, rows: data.train.n, dim: size } : undefined,
    selfsupEmbeddings: needs.has('selfsupEmbeddings') ? await (inputs.selfsup ?? selfsupFeatureProvider())(inputs.cell, data, options.selfsup ?? {}) : undefined,
    trainModel: needs.has('trainModel') ? train : undefined,
    epochProbs,
    jointOutputs,
  };
}
