/**
 * A round's training recipe as numbers: how many steps and epochs it runs at a labelled-set size,
 * and the learning rate of each step. Pure functions of the `training` block of a cell
 * (spec/types.ts TrainingConfig).
 *
 * Why steps: a fixed number of epochs is a different amount of training at every budget (20 epochs
 * of batch 32 are 40 steps at 50 labels and 620 at 1000), so small budgets underfit and any
 * treatment that slows fitting looks harmful. `steps` fixes the optimisation length instead.
 *
 * Schedules follow the convention of `transformers.get_cosine_schedule_with_warmup` (a LambdaLR
 * multiplier evaluated at the 0-based step before it is taken): linear warm-up s/W for s < W, then
 * cosine ½(1 + cos(π·(s − W)/(T − W))) decaying to 0 at s = T (Loshchilov & Hutter 2017, SGDR without restarts).
 */
import type { TrainingConfig } from '../spec/types.js';

/** Default epochs when a spec gives neither epochs nor steps nor until (the historic default). */
export const DEFAULT_EPOCHS = 30;

export interface RoundPlan {
  /** ⌈n / batchSize⌉. */
  readonly stepsPerEpoch: number;
  /** Epochs the round may run (the last one may be partial under `steps`). */
  readonly maxEpochs: number;
  /** Steps the round runs; under `until` the upper bound (maxEpochs full epochs). */
  readonly totalSteps: number;
}

/** Whether a config uses nothing beyond epochs/batchSize/learningRate: the bit-stable hot path (models/train.ts). */
export function isPlainTraining(t: TrainingConfig): boolean {
  return (
    t.steps === undefined &&
    t.minSteps === undefined &&
    t.optimizer === undefined &&
    t.schedule === undefined &&
    !t.warmupSteps &&
    !t.weightDecay &&
    t.until === undefined
  );
}

/** The round's length on `n` training rows. */
export function roundPlan(t: TrainingConfig, n: number): RoundPlan {
  if (n < 1) throw new RangeError(`roundPlan: the training set is empty (n = ${n})`);
  const stepsPerEpoch = Math.ceil(n / t.batchSize);
  if (t.steps !== undefined) return { stepsPerEpoch, maxEpochs: Math.ceil(t.steps / stepsPerEpoch), totalSteps: t.steps };
  if (t.until !== undefined) return { stepsPerEpoch, maxEpochs: t.until.maxEpochs, totalSteps: t.until.maxEpochs * stepsPerEpoch };
  const epochs = Math.max(t.epochs ?? DEFAULT_EPOCHS, t.minSteps ? Math.ceil(t.minSteps / stepsPerEpoch) : 0);
  return { stepsPerEpoch, maxEpochs: epochs, totalSteps: epochs * stepsPerEpoch };
}

/** Learning-rate multiplier of 0-based `step` out of `totalSteps`. */
export function scheduleFactor(t: Pick<TrainingConfig, 'schedule' | 'warmupSteps'>, step: number, totalSteps: number): number {
  const warmup = t.warmupSteps ?? 0;
  if (step < warmup) return step / warmup;
  if (t.schedule !== 'cosine') return 1;
  const progress = (step - warmup) / Math.max(1, totalSteps - warmup);
  return 0.5 * (1 + Math.cos(Math.PI * Math.min(1, progress)));
}

/**
 * The recipe of an auxiliary model (loop/needs.ts) trained `scale` times as long as the task model,
 * or exactly `epochs` epochs when the requester fixes them. Plain configs come out as before
 * (`{ ...training, epochs }`), so their auxiliary models keep their numbers.
 */
export function scaledTraining(t: TrainingConfig, scale: number, epochs?: number): TrainingConfig {
  if (epochs !== undefined) {
    const { steps: _s, until: _u, minSteps: _m, ...rest } = t;
    return { ...rest, epochs };
  }
  if (t.steps !== undefined) return { ...t, steps: Math.max(1, Math.round(t.steps * scale)) };
  if (t.until !== undefined) return t;
  return { ...t, epochs: Math.max(1, Math.round((t.epochs ?? DEFAULT_EPOCHS) * scale)) };
}

/**
 * Epochs of one round on `n` rows, fractional when `steps` ends mid-epoch (`until`: its upper
 * bound). For epoch recipes it is the epochs (with minSteps' floor), so time models stay as they were.
 */
export function roundEpochs(t: TrainingConfig, n: number): number {
  const plan = roundPlan(t, n);
  return plan.totalSteps / plan.stepsPerEpoch;
}

/** Training example-passes of one round on `n` rows (the cost model of runner/cost.ts; `until` counts its upper bound). */
export function roundExamplePasses(t: TrainingConfig, n: number): number {
  const plan = roundPlan(t, n);
  if (t.steps !== undefined) return plan.totalSteps * Math.min(t.batchSize, n);
  return n * plan.maxEpochs;
}
