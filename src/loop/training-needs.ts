/**
 * The training-time needs of a strategy (`epochProbs`, `jointTraining`): hooks into the round's
 * training of the task model (models/joint.ts), built only when the strategy declares one of these
 * needs, and what they observed, which buildSelectionContext (loop/needs.ts) turns into the
 * strategy's context. Like needs.ts, this reads need names, never which strategy asked.
 *
 * The pool is the one the round will query, so the loop fixes it before training (its candidate
 * subset comes from its own stream and does not depend on the trained model). Predictions per
 * epoch cover those rows only: `[epochs, pool, classes]` floats, 12 MB for a 10k pool over 30
 * epochs of 10 classes.
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Dataset } from '../data/dataset.js';
import { tapShapes, type JointModule, type TrainingHooks } from '../models/joint.js';
import { predictProbs } from '../models/predict.js';
import { roundPlan } from '../models/recipe.js';
import type { Rng } from '../rng.js';
import type { ResolvedCell } from '../spec/types.js';
import type { Need, Strategy } from '../strategies/strategy.js';

/** The needs the loop can only meet while it trains the task model. */
export const TRAINING_NEEDS: ReadonlySet<Need> = new Set(['epochProbs', 'jointTraining']);

/** What the hooks recorded during the round's training. */
export interface TrainingObservations {
  /** `[epochs, pool, classes]`. */
  readonly epochProbs?: { readonly epochs: number; readonly data: Float32Array };
  /** The trained joint module; buildSelectionContext runs it on the pool. */
  readonly joint?: JointModule;
}

/** One round's hooks; `observed()` after training; `dispose()` after the selection. */
export interface RoundTrainingNeeds {
  readonly hooks: TrainingHooks;
  observed(): TrainingObservations;
  /**
   * Milliseconds spent in the epoch observer: strategy cost, which the loop books as query time,
   * not training time. (A joint module's share of each step cannot be told apart; it stays in training.)
   */
  observeMs(): number;
  dispose(): void;
}

export interface TrainingNeedInputs {
  readonly cell: ResolvedCell;
  readonly data: Dataset;
  /** The task model (its tap shapes size the joint module). */
  readonly model: tfl.LayersModel;
  /**
   * Training-set indices the round will query; absent in the last round, which queries nothing.
   * That round records nothing, but a joint module still trains with the task model, so the last
   * round's model is trained as it is when a larger budget goes on (runner/budget-prefix.ts relies on it).
   */
  readonly pool?: Int32Array;
  /** The cell's root stream. */
  readonly rng: Rng;
  readonly round: number;
  /** Rows the round trains on (sizes a steps-based recipe's epochs for the joint module). */
  readonly labeledCount?: number;
}

/** Whether a strategy declares a need that only training can meet. */
export function hasTrainingNeeds(strategy: Strategy): boolean {
  return [...strategy.needs].some((n) => TRAINING_NEEDS.has(n));
}

/** The hooks for `strategy`'s training-time needs, or undefined when it declares none. */
export function trainingNeedsFor(strategy: Strategy, inputs: TrainingNeedInputs): RoundTrainingNeeds | undefined {
  if (!hasTrainingNeeds(strategy)) return undefined;
  const { cell, data, model, pool, rng, round, labeledCount } = inputs;
  const perEpoch: Float32Array[] = [];
  let observeMs = 0;
  const onEpochEnd = strategy.needs.has('epochProbs') && pool
    ? async (m: tfl.LayersModel) => {
        const start = performance.now();
        perEpoch.push(await predictProbs(m, data.train.x, data.shape, data.numClasses, pool));
        observeMs += performance.now() - start;
      }
    : undefined;
  let joint: JointModule | undefined;
  if (strategy.needs.has('jointTraining')) {
    if (typeof strategy.jointModule !== 'function') throw new Error(`strategy ${strategy.name} needs 'jointTraining' but has no jointModule(spec) method`);
    joint = strategy.jointModule({ tapShapes: tapShapes(model), epochs: roundPlan(cell.training, labeledCount ?? cell.initialSize).maxEpochs, rng: rng.fork('joint', round) });
  }
  return {
    hooks: { onEpochEnd, joint },
    observeMs: () => observeMs,
    observed: () => {
      const observed: { -readonly [K in keyof TrainingObservations]: TrainingObservations[K] } = { joint };
      if (onEpochEnd && pool) {
        const stride = pool.length * data.numClasses;
        const stack = new Float32Array(perEpoch.length * stride);
        perEpoch.forEach((p, e) => stack.set(p, e * stride));
        observed.epochProbs = { epochs: perEpoch.length, data: stack };
      }
      return observed;
    },
    dispose: () => {
      joint?.dispose();
      joint = undefined;
    },
  };
}
