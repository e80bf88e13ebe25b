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
import { featureSize, type Dataset } from '../data/dataset.js';
import { evaluatePredictions } from '../models/evaluate.js';
import { predictProbs } from '../models/predict.js';
import { trainModel } from '../models/train.js';
import { createModel } from '../models/zoo.js';
import { createRng } from '../rng.js';
import type { ResolvedCell } from '../spec/types.js';
import type { RoundRecord } from '../store/schema.js';
import { createStrategy } from '../strategies/registry.js';
import { PoolExhaustedError, type SelectionContext } from '../strategies/strategy.js';

export interface LoopOutput {
  readonly initial: readonly number[];
  readonly rounds: readonly RoundRecord[];
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
  cell: ResolvedCell,
  data: Dataset,
  onRound: (round: RoundRecord) => void = () => {},
): Promise<LoopOutput> {
  const rng = createRng(cell.seed);
  const nTrain = data.train.n;
  if (cell.budget > nTrain) throw new PoolExhaustedError(cell.budget, nTrain);
  const strategy = createStrategy(cell.strategy);

  const isLabeled = new Uint8Array(nTrain);
  const initial = Array.from(rng.fork('init-set').permutation(nTrain).subarray(0, cell.initialSize));
  for (const i of initial) isLabeled[i] = 1;
  let labeled = Int32Array.from(initial);

  const model = createModel({ name: cell.model, inputShape: data.shape, numClasses: data.numClasses }, rng.fork('weights'));
  const initialWeights = model.getWeights().map((w) => w.clone());
  const rounds: RoundRecord[] = [];
  try {
    for (let round = 0; ; round++) {
      const trainStart = performance.now();
      // Retrain from the same initial weights each round (the common protocol; Beck et al. 2021).
      model.setWeights(initialWeights);
      await trainModel(model, gatherTrainingSet(data, labeled), cell.training, (epoch) => rng.fork('shuffle', round, epoch));
      const testProbs = await predictProbs(model, data.test.x, data.shape, data.numClasses);
      const metrics = evaluatePredictions(testProbs, data.test.y, data.numClasses);
      const trainMs = performance.now() - trainStart;

      const remaining = cell.budget - labeled.length;
      if (remaining <= 0) {
        const last = { round, labeled: labeled.length, ...metrics, trainMs, queryMs: 0, selected: [], selectedClassCounts: new Array(data.numClasses).fill(0) };
        rounds.push(last);
        onRound(last);
        break;
      }

      const queryStart = performance.now();
      const selected = await query(model, data, strategy, isLabeled, labeled, round, Math.min(cell.batchSize, remaining), rng.fork('strategy', round));
      const queryMs = performance.now() - queryStart;

      const record: RoundRecord = {
        round,
        labeled: labeled.length,
        ...metrics,
        trainMs,
        queryMs,
        selected,
        selectedClassCounts: classCounts(selected, data.train.y, data.numClasses),
      };
      rounds.push(record);
      onRound(record);
      for (const i of selected) isLabeled[i] = 1;
      labeled = Int32Array.from([...labeled, ...selected]);
    }
  } catch (err) {
    throw new CellFailure(err as Error, { initial, rounds });
  } finally {
    tf.dispose(initialWeights);
    model.dispose();
  }
  return { initial, rounds };
}

async function query(
  model: tfl.LayersModel,
  data: Dataset,
  strategy: ReturnType<typeof createStrategy>,
  isLabeled: Uint8Array,
  labeled: Int32Array,
  round: number,
  k: number,
  rng: ReturnType<typeof createRng>,
): Promise<number[]> {
  const pool = unlabeledPool(isLabeled);
  const ctx: SelectionContext = {
    round,
    numClasses: data.numClasses,
    pool,
    labeled,
    probs: strategy.needs.has('probs') ? await predictProbs(model, data.train.x, data.shape, data.numClasses, pool) : undefined,
  };
  const { indices } = await strategy.select(ctx, k, rng);
  checkSelection(strategy.name, indices, k, isLabeled);
  return [...indices];
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

function unlabeledPool(isLabeled: Uint8Array): Int32Array {
  const pool: number[] = [];
  for (let i = 0; i < isLabeled.length; i++) if (!isLabeled[i]) pool.push(i);
  return Int32Array.from(pool);
}

function gatherTrainingSet(data: Dataset, rows: Int32Array) {
  const size = featureSize(data.shape);
  const x = new Float32Array(rows.length * size);
  const y = new Int32Array(rows.length);
  rows.forEach((row, i) => {
    x.set(data.train.x.subarray(row * size, (row + 1) * size), i * size);
    y[i] = data.train.y[row];
  });
  return { x, y, n: rows.length, shape: data.shape, numClasses: data.numClasses };
}

function classCounts(indices: readonly number[], y: Int32Array, numClasses: number): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (const i of indices) counts[y[i]]++;
  return counts;
}
