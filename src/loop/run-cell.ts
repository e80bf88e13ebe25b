/**
 * One cell's active-learning loop, with the paired design of DESIGN.md: for a given seed, every
 * strategy starts from the same initial labelled set, the same initial weights and the same data
 * order, because each comes from its own named stream of the cell seed. Only the choices differ.
 *
 *   initial set → train → evaluate on the test set → select → reveal → repeat until the budget.
 *
 * Nothing here prints; progress leaves through `onRound`.
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import * as tf from '@tensorflow/tfjs-core';
import type { Dataset } from '../data/dataset.js';
import { evaluatePredictions } from '../models/evaluate.js';
import { predictProbs } from '../models/predict.js';
import { trainRound, type RoundTrainingRecord } from '../models/protocol/index.js';
import { createModel } from '../models/zoo.js';
import { createRng } from '../rng.js';
import type { ResolvedCell } from '../spec/types.js';
import type { RoundRecord, TuningRecord } from '../store/schema.js';
import { strategyForCell } from '../strategies/plugin.js';
import { PoolExhaustedError, type Selection, type Strategy } from '../strategies/strategy.js';
import { buildSelectionContext } from './needs.js';
import type { SelfsupFeatureProvider } from './selfsup-features.js';
import { readRound0, round0Key, writeRound0, type StoredWeight } from './round0-cache.js';
import { resolveTraining } from './tune-cache.js';
import { trainingNeedsFor, type RoundTrainingNeeds, type TrainingObservations } from './training-needs.js';

export interface LoopOutput {
  readonly initial: readonly number[];
  readonly rounds: readonly RoundRecord[];
  /** Set when round 0's model was loaded from another cell's training instead of trained (round0-cache.ts). */
  readonly reusedRound0?: { readonly key: string };
  /** `training.tune` cells: the recipe chosen on round 0's labelled set (models/tune.ts). */
  readonly tuning?: TuningRecord;
}

export interface LoopOptions {
  /** Folder of shared round-0 snapshots (round0-cache.ts); absent: every cell trains its own round 0. */
  readonly round0Dir?: string;
  /** Provider of the `selfsupEmbeddings` need (loop/selfsup-features.ts); default: the cache in `$ALBENCH_CACHE` or a temp folder. */
  readonly selfsup?: SelfsupFeatureProvider;
}

/** Thrown when a cell fails part-way; carries the rounds that did complete. */
export class CellFailure extends Error {
  constructor(
    override readonly cause: Error,
    readonly partial: LoopOutput,
  ) {
    super(cause.message);
    this.name = 'CellFailure';
  }
}

export async function runCell(
  specCell: ResolvedCell,
  data: Dataset,
  onRound: (round: RoundRecord) => void = () => {},
  options: LoopOptions = {},
): Promise<LoopOutput> {
  const rng = createRng(specCell.seed);
  const nTrain = data.train.n;
  if (specCell.budget > nTrain) throw new PoolExhaustedError(specCell.budget, nTrain);
  // A plugin or process strategy is loaded from the record in the cell (worker processes get cells as JSON).
  const strategy = await strategyForCell(specCell);

  const isLabeled = new Uint8Array(nTrain);
  const initial = Array.from(rng.fork('init-set').permutation(nTrain).subarray(0, specCell.initialSize));
  // The recipe the rounds train with: the spec's, or the one `training.tune` picks on the initial set (the seam of loop/tune-cache.ts).
  const { cell, tuning } = await resolveTraining(specCell, data, Int32Array.from(initial), rng, options.round0Dir);
  for (const i of initial) isLabeled[i] = 1;
  let labeled = Int32Array.from(initial);

  const model = createModel({ name: cell.model, inputShape: data.shape, numClasses: data.numClasses }, rng.fork('weights'));
  const initialWeights = model.getWeights().map((w) => w.clone());
  const rounds: RoundRecord[] = [];
  // Pseudo-labels a strategy attached to its last selection (CEAL): next training only, never labels spent.
  let pseudo: Selection['pseudoLabels'];
  // Hooks of a strategy's training-time needs (epochProbs, jointTraining) for the current round.
  let trainingNeeds: RoundTrainingNeeds | undefined;
  let reusedRound0: LoopOutput['reusedRound0'];
  try {
    for (let round = 0; ; round++) {
      const remaining = cell.budget - labeled.length;
      const k = Math.min(cell.batchSize, remaining);
      // The round's pool is fixed before training (its stream does not depend on the model), so
      // training-time needs can record on exactly the rows the strategy will score. The last round
      // queries nothing but still trains a joint module along, as the same round does under a larger budget.
      const pool = remaining > 0 ? candidatePool(unlabeledPool(isLabeled), cell.strategyParams?.candidates, k, rng.fork('candidates', round)) : undefined;
      trainingNeeds = trainingNeedsFor(strategy, { cell, data, model, pool, rng, round, labeledCount: labeled.length });
      const trainStart = performance.now();
      // Retrain from the shared initial weights (or warm-start), with the cell's augmentation and SSL: models/protocol.
      const inputs = { cell, data, model, initialWeights, round, labeled, pseudo, rng, hooks: trainingNeeds?.hooks };
      // Round 0 is the same for every strategy that does not take part in training: train it once per run.
      const shared = round === 0 && options.round0Dir !== undefined && !trainingNeeds?.hooks ? { dir: options.round0Dir, key: round0Key(cell) } : undefined;
      const reused = shared && loadRound0(model, shared.dir, shared.key);
      if (reused && shared) reusedRound0 = { key: shared.key };
      const trained = reused ?? (await trainRound(inputs));
      if (shared && !reused) storeRound0(shared.dir, shared.key, model, trained);
      const testProbs = await predictProbs(model, data.test.x, data.shape, data.numClasses);
      const metrics = evaluatePredictions(testProbs, data.test.y, data.numClasses);
      // Recording for a strategy during training is the strategy's cost: booked as query time below.
      const observeMs = trainingNeeds?.observeMs() ?? 0;
      const trainMs = performance.now() - trainStart - observeMs;

      if (!pool) {
        const last = { round, labeled: labeled.length, ...metrics, trainMs, queryMs: 0, selected: [], selectedClassCounts: new Array(data.numClasses).fill(0), ...trained };
        rounds.push(last);
        onRound(last);
        break;
      }

      const queryStart = performance.now();
      const selection = await query(cell, model, data, strategy, isLabeled, labeled, round, k, pool, rng, trainingNeeds?.observed(), options.selfsup);
      trainingNeeds?.dispose();
      trainingNeeds = undefined;
      const selected = [...selection.indices];
      const queryMs = performance.now() - queryStart + observeMs;
      pseudo = selection.pseudoLabels && checkPseudoLabels(strategy.name, selection.pseudoLabels, isLabeled, selected, data.numClasses);

      const record: RoundRecord = {
        round,
        labeled: labeled.length,
        ...metrics,
        trainMs,
        queryMs,
        selected,
        selectedClassCounts: classCounts(selected, data.train.y, data.numClasses),
        ...(pseudo ? { pseudoLabels: { indices: [...pseudo.indices], labels: [...pseudo.labels] } } : {}),
        ...(selection.notes?.length ? { strategyNotes: [...selection.notes] } : {}),
        ...trained,
      };
      rounds.push(record);
      onRound(record);
      for (const i of selected) isLabeled[i] = 1;
      labeled = Int32Array.from([...labeled, ...selected]);
    }
  } catch (err) {
    throw new CellFailure(err as Error, { initial, rounds, ...(reusedRound0 ? { reusedRound0 } : {}), ...(tuning ? { tuning } : {}) });
  } finally {
    trainingNeeds?.dispose();
    tf.dispose(initialWeights);
    model.dispose();
    await strategy.dispose?.();
  }
  return { initial, rounds, ...(reusedRound0 ? { reusedRound0 } : {}), ...(tuning ? { tuning } : {}) };
}

/** Loads a stored round 0 into `model`, returning its training record, or undefined when there is none. */
function loadRound0(model: tfl.LayersModel, dir: string, key: string): RoundTrainingRecord | undefined {
  const snapshot = readRound0(dir, key);
  if (!snapshot) return undefined;
  const current = model.getWeights();
  const fits = snapshot.weights.length === current.length && snapshot.weights.every((w, i) => w.shape.join() === current[i].shape.join());
  if (!fits) return undefined;
  const weights = snapshot.weights.map((w) => tf.tensor(w.values, [...w.shape], 'float32'));
  model.setWeights(weights);
  tf.dispose(weights);
  return snapshot.trained;
}

/**
 * Stores round 0 for the cells after this one. Best effort: a snapshot that cannot be written
 * (disk full, the folder removed by a concurrent runner finishing) only means they train it too.
 */
function storeRound0(dir: string, key: string, model: tfl.LayersModel, trained: RoundTrainingRecord): void {
  const weights: StoredWeight[] = model.getWeights().map((w) => ({ shape: w.shape, values: Float32Array.from(w.dataSync() as Float32Array) }));
  try {
    writeRound0(dir, key, { weights, trained });
  } catch {
    // Sharing is an optimisation; the cell's own result does not depend on it.
  }
}

async function query(
  cell: ResolvedCell,
  model: tfl.LayersModel,
  data: Dataset,
  strategy: Strategy,
  isLabeled: Uint8Array,
  labeled: Int32Array,
  round: number,
  k: number,
  pool: Int32Array,
  rng: ReturnType<typeof createRng>,
  training: TrainingObservations | undefined,
  selfsup: SelfsupFeatureProvider | undefined,
): Promise<Selection> {
  const ctx = await buildSelectionContext(strategy, { cell, data, model, rng, round, pool, labeled, training, selfsup });
  const selection = await strategy.select(ctx, k, rng.fork('strategy', round));
  checkSelection(strategy.name, selection.indices, k, isLabeled);
  return selection;
}

/** Pseudo-labels must name distinct unlabelled rows outside the new batch, with valid classes. */
function checkPseudoLabels(
  name: string,
  pseudo: NonNullable<Selection['pseudoLabels']>,
  isLabeled: Uint8Array,
  selected: readonly number[],
  numClasses: number,
): NonNullable<Selection['pseudoLabels']> | undefined {
  if (pseudo.indices.length !== pseudo.labels.length) {
    throw new Error(`strategy ${name} returned ${pseudo.indices.length} pseudo-labelled indices but ${pseudo.labels.length} labels`);
  }
  const taken = new Set(selected);
  for (let j = 0; j < pseudo.indices.length; j++) {
    const i = pseudo.indices[j];
    const y = pseudo.labels[j];
    if (!Number.isInteger(i) || i < 0 || i >= isLabeled.length || isLabeled[i] || taken.has(i)) {
      throw new Error(`strategy ${name} pseudo-labelled index ${i}, which is not a distinct unlabelled index outside its batch`);
    }
    if (!Number.isInteger(y) || y < 0 || y >= numClasses) throw new Error(`strategy ${name} gave pseudo-label ${y}; allowed: 0..${numClasses - 1}`);
    taken.add(i);
  }
  return pseudo.indices.length > 0 ? pseudo : undefined;
}

/** The loop trusts no strategy: a wrong-sized, repeated or already-labelled pick is a bug worth stopping for. */
function checkSelection(name: string, indices: readonly number[], k: number, isLabeled: Uint8Array): void {
  if (indices.length !== k) throw new Error(`strategy ${name} returned ${indices.length} indices, expected ${k}`);
  const seen = new Set<number>();
  for (const i of indices) {
    if (!Number.isInteger(i) || i < 0 || i >= isLabeled.length || isLabeled[i] || seen.has(i)) {
      throw new Error(`strategy ${name} selected index ${i}, which is not a distinct unlabelled pool index`);
    }
    seen.add(i);
  }
}

/**
 * The pool rows the strategy may score this round: all of them, or a seeded random subset of
 * `candidates` rows (never fewer than the batch), kept in ascending order like the full pool.
 */
export function candidatePool(pool: Int32Array, candidates: number | undefined, k: number, rng: ReturnType<typeof createRng>): Int32Array {
  const size = Math.max(candidates ?? pool.length, k);
  if (size >= pool.length) return pool;
  const picked = rng.permutation(pool.length).subarray(0, size).sort();
  return picked.map((p) => pool[p]);
}

function unlabeledPool(isLabeled: Uint8Array): Int32Array {
  const pool: number[] = [];
  for (let i = 0; i < isLabeled.length; i++) if (!isLabeled[i]) pool.push(i);
  return Int32Array.from(pool);
}

function classCounts(indices: readonly number[], y: Int32Array, numClasses: number): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (const i of indices) counts[y[i]]++;
  return counts;
}
