/**
 * One round's training, as the cell's protocol says (the `protocol` axis, plus the augmentation and
 * SSL axes):
 *
 * - `retrain` (default): every round starts from the cell's shared initial weights, so rounds (and
 *   strategies) differ only in their labels. `warm-start`: continue from the previous round's
 *   weights (Beck et al. 2021, "Effective Evaluation of Deep Active Learning on Image
 *   Classification Tasks", compare the two). The optimiser state starts fresh either way.
 * - the recipe beyond plain epochs (models/recipe.ts: steps, schedules, SGD, weight decay, until),
 *   SWA, and early stopping on a validation split of the labelled set.
 * - augmentation of the labelled inputs and an SSL term on the unlabelled pool.
 *
 * A round that uses none of these runs `trainModel` exactly as before, so plain cells keep their
 * numbers bit for bit. A strategy's training hooks (models/joint.ts) join in only when it declares
 * a training-time need: an epoch observer runs on either path and changes no weight; a joint module
 * takes the extended loop, which trains it in the task model's steps.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { augmentBatch, checkAugmentable, valueRange, type AugmentContext } from '../../data/augment/index.js';
import type { Dataset } from '../../data/dataset.js';
import { gatherRows } from '../../loop/needs.js';
import type { Rng } from '../../rng.js';
import type { ResolvedCell } from '../../spec/types.js';
import type { RoundRecord } from '../../store/schema.js';
import type { TrainingHooks } from '../joint.js';
import { predictProbs } from '../predict.js';
import { checkSslApplies, createSslMethod } from '../ssl/index.js';
import { poolPseudoLabelStats } from '../ssl/pool-stats.js';
import { fitOn } from '../fit.js';
import { isPlainTraining, roundPlan } from '../recipe.js';
import { trainModel } from '../train.js';
import { createModel } from '../zoo.js';
import { setDropoutStreams } from '../seeded-dropout.js';
import { carveValidation, EarlyStopper, validationLoss } from './early-stopping.js';
import { swaFirstEpoch, WeightAverage } from './swa.js';
import { trainLoop } from './train-loop.js';

export interface RoundInputs {
  readonly cell: ResolvedCell;
  readonly data: Dataset;
  /** The task model, trained in place. */
  readonly model: tfl.LayersModel;
  /** The cell's shared initial weights (retrain restores them). */
  readonly initialWeights: readonly tf.Tensor[];
  readonly round: number;
  /** Training-set indices with revealed labels. */
  readonly labeled: Int32Array;
  /** Pseudo-labels a strategy attached to its last selection (CEAL): training rows for this round only. */
  readonly pseudo?: { readonly indices: readonly number[]; readonly labels: readonly number[] };
  /** The cell's root stream. */
  readonly rng: Rng;
  /** A strategy's participation in this training (its training-time needs; src/loop/training-needs.ts). */
  readonly hooks?: TrainingHooks;
}

/** What the round adds to its RoundRecord: the evidence of fit always, protocol/SSL fields when used. */
export type RoundTrainingRecord = Pick<RoundRecord, 'ssl' | 'validation' | 'swaSnapshots' | 'trainLoss' | 'trainAccuracy' | 'steps'>;

// Data ranges, computed once per dataset object (a pass over the training pool).
const ranges = new WeakMap<Dataset, { lo: number; hi: number }>();

function augmentContext(data: Dataset): AugmentContext {
  let range = ranges.get(data);
  if (!range) ranges.set(data, (range = valueRange(data.train.x)));
  return { dataset: data.name, shape: data.shape, flipPreservesLabel: data.flipPreservesLabel, ...range };
}

/** Whether a cell needs the extended loop; otherwise the round is plain supervised training. */
export function isPlainRound(cell: ResolvedCell): boolean {
  const p = cell.protocol;
  return cell.augmentation === 'none' && cell.ssl === 'none' && isPlainTraining(cell.training) && p?.swaStart === undefined && p?.validationFraction === undefined;
}

/** Trains `model` for one round and returns the round's protocol/SSL record fields. */
export async function trainRound(inputs: RoundInputs): Promise<RoundTrainingRecord> {
  const { cell, data, model, round, labeled, pseudo, rng, hooks } = inputs;
  if (cell.protocol?.name !== 'warm-start' || round === 0) model.setWeights([...inputs.initialWeights]);
  // A round's dropout masks depend on the cell seed and the round only (models/seeded-dropout.ts).
  setDropoutStreams(model, rng.fork('dropout', round));
  const shuffleRng = (epoch: number) => rng.fork('shuffle', round, epoch);
  const observe = hooks?.onEpochEnd;

  if (isPlainRound(cell) && !hooks?.joint) {
    const rows = trainingRows(data, labeled, pseudo);
    await trainModel(model, rows, cell.training, shuffleRng, observe && ((epoch) => observe(model, epoch)));
    return { ...(await fitOn(model, data, labeled)), steps: roundPlan(cell.training, rows.n).totalSteps };
  }

  checkAugmentable(cell.augmentation, data.name, data.shape);
  checkSslApplies(cell.ssl, data.name, data.shape);
  const protocol = cell.protocol;
  const split = protocol?.validationFraction !== undefined ? carveValidation(labeled, protocol.validationFraction, rng.fork('validation', round)) : undefined;
  const train = trainingRows(data, split ? split.training : labeled, pseudo);

  const ctx = augmentContext(data);
  const augment = (x: tf.Tensor, setting: typeof cell.augmentation, r: Rng) => augmentBatch(x as tf.Tensor4D, setting, ctx, r);
  const method = createSslMethod(cell.ssl, {
    augment,
    cellAugmentation: cell.augmentation,
    makeModel: () => createModel({ name: cell.model, inputShape: data.shape, numClasses: data.numClasses }, rng.fork('teacher', round)),
  });
  // The unlabelled data: every training row without a revealed label (validation rows are labelled).
  const isLabeled = new Uint8Array(data.train.n);
  for (const i of labeled) isLabeled[i] = 1;
  const pool = method ? Int32Array.from({ length: data.train.n }, (_, i) => i).filter((i) => !isLabeled[i]) : new Int32Array(0);

  const stopper = split ? new EarlyStopper(protocol!.patience ?? 5) : undefined;
  const swa = protocol?.swaStart !== undefined ? new WeightAverage() : undefined;
  const swaFrom = protocol?.swaStart !== undefined ? swaFirstEpoch(roundPlan(cell.training, train.n).maxEpochs, protocol.swaStart) : Infinity;
  let best: tf.Tensor[] | undefined;
  const evalModel = () => (method ? method.evalModel(model) : model);
  try {
    method?.start(model);
    const { epochsRun, steps } = await trainLoop({
      model,
      train,
      config: cell.training,
      shuffleRng,
      augmentRng: (epoch) => rng.fork('augment', round, epoch),
      augment: (x, r) => augment(x, cell.augmentation, r),
      unlabelled: method && pool.length > 0
        ? { method, x: data.train.x, rows: pool, orderRng: (e) => rng.fork('unlabelled', round, e), viewRng: (e) => rng.fork('augment-unlabelled', round, e) }
        : undefined,
      joint: hooks?.joint,
      onEpochEnd: async (epoch) => {
        if (observe) await observe(evalModel(), epoch);
        if (swa && epoch >= swaFrom) swa.add(evalModel().getWeights());
        if (!stopper || !split) return false;
        const probs = await predictProbs(evalModel(), data.train.x, data.shape, data.numClasses, split.validation);
        const loss = validationLoss(probs, Array.from(split.validation, (i) => data.train.y[i]), data.numClasses);
        if (stopper.improved(epoch, loss)) {
          for (const t of best ?? []) t.dispose();
          best = evalModel().getWeights().map((w) => w.clone());
        }
        return stopper.shouldStop(epoch);
      },
    });

    // The evaluated weights: the best early-stopping epoch, the SWA average, or the final (teacher's) weights.
    const final = best ?? swa?.weights ?? (method && evalModel() !== model ? evalModel().getWeights() : undefined);
    if (final) model.setWeights([...final]);

    const record: { -readonly [K in keyof RoundTrainingRecord]: RoundTrainingRecord[K] } = { ...(await fitOn(model, data, labeled)), steps };
    if (split && stopper) record.validation = { indices: Array.from(split.validation), epochsRun, bestEpoch: stopper.bestEpoch, bestLoss: stopper.bestLoss };
    if (swa) record.swaSnapshots = swa.snapshots;
    if (method && pool.length > 0) {
      const probs = await predictProbs(model, data.train.x, data.shape, data.numClasses, pool);
      record.ssl = poolPseudoLabelStats(probs, Array.from(pool, (i) => data.train.y[i]), data.numClasses, method.threshold);
    }
    return record;
  } finally {
    for (const t of best ?? []) t.dispose();
    swa?.dispose();
    method?.dispose();
  }
}

/** The labelled rows plus, for this training only, the pseudo-labelled rows of the last selection. */
function trainingRows(data: Dataset, labeled: Int32Array, pseudo: RoundInputs['pseudo']) {
  if (!pseudo) return gatherRows(data, labeled);
  const rows = [...labeled, ...pseudo.indices];
  const labels = [...Array.from(labeled, (i) => data.train.y[i]), ...pseudo.labels];
  return gatherRows(data, rows, labels);
}
