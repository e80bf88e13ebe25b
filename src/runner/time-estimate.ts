/**
 * `albench plan`'s time estimate of a cell, from measured speeds (runner/throughput.ts): every
 * round's training of the task model (augmentation, SSL and protocol included, since the speed is
 * measured on the cell's own round), the test-set evaluation, and what the query costs besides the
 * strategy's own arithmetic: the models it trains at query time (committee members, bootstrap
 * members, SVP proxies: `committeeProbs` and `Strategy.queryTrainings`) and the forward passes
 * over the pool (the task model, each of those models, and an epoch observer's pass per epoch).
 *
 * Where a whole query was measured (speeds.query, at the first and last querying sizes), that
 * replaces the counted parts and includes the strategy's own computation (k-means, k-center,
 * covering graphs, VAAL's networks). Counted only, it leaves those out, and MC-dropout passes
 * (they rerun the classifier head only). Process start-up is never counted. Pure: no I/O.
 */
import type { ResolvedCell, ModelName } from '../spec/types.js';
import type { Strategy } from '../strategies/strategy.js';
import { roundSizes } from './cost.js';

/** A round's training time: `fixed + (perStep · ⌈labelled / batch⌉ + perExampleEpoch · labelled) · epochs` seconds. */
export interface RoundSpeed {
  readonly fixed: number;
  readonly perStep: number;
  readonly perExampleEpoch: number;
}

/** Seconds of one round with `labelled` rows. */
export function roundSeconds(speed: RoundSpeed, labelled: number, epochs: number, batchSize: number): number {
  return speed.fixed + (speed.perStep * Math.ceil(labelled / batchSize) + speed.perExampleEpoch * labelled) * epochs;
}

/** Measured speeds a cell's estimate needs. */
export interface CellSpeeds {
  /** The task model's round on this cell's training setup. */
  readonly round: RoundSpeed;
  /** Plain supervised training, labelled example-passes per second, of a model on this dataset. */
  readonly train: (model: ModelName) => number;
  /** Forward passes, rows per second, of a model on this dataset. */
  readonly infer: (model: ModelName) => number;
  /**
   * A whole query's seconds at a labelled-set size, where it was measured (runner/throughput.ts,
   * measureQuerySeconds): it then replaces the counted query-time training and scoring, and
   * includes the strategy's own computation.
   */
  readonly query?: (labelled: number) => number;
}

/** Linear interpolation (and extrapolation) of query seconds measured at two labelled sizes. */
export function interpolateQuery(a: readonly [number, number], b: readonly [number, number]): (labelled: number) => number {
  const [n0, q0] = a;
  const [n1, q1] = b;
  return (n) => Math.max(0, n1 === n0 ? q0 : q0 + ((q1 - q0) * (n - n0)) / (n1 - n0));
}

export interface CellTimeEstimate {
  /** Task-model training and test evaluation over all rounds. */
  readonly train: number;
  /** Models trained at query time. */
  readonly queryTraining: number;
  /** Forward passes over the pool at query time. */
  readonly scoring: number;
  /** Measured whole queries (instead of the two above, when `speeds.query` is given). */
  readonly query: number;
  readonly total: number;
}

/** Sizes the estimate depends on. */
export interface CellDataSizes {
  /** Training pool rows (labelled + unlabelled). */
  readonly trainRows: number;
  readonly testRows: number;
}

/** The models a strategy trains in each querying round, beside the task model. */
export function queryTrainingsOf(cell: ResolvedCell, strategy: Strategy): { model: ModelName; epochs: number; count: number }[] {
  const out: { model: ModelName; epochs: number; count: number }[] = [];
  if (strategy.needs.has('committeeProbs')) {
    // Member 0 is the task model; the loop trains the others with the cell's recipe.
    out.push({ model: cell.model, epochs: cell.training.epochs, count: (strategy.needOptions?.committeeSize ?? 5) - 1 });
  }
  for (const t of strategy.queryTrainings ?? []) {
    out.push({ model: t.model ?? cell.model, epochs: Math.max(1, Math.round(cell.training.epochs * (t.epochScale ?? 1))), count: t.count });
  }
  return out;
}

const SCORING_NEEDS = ['probs', 'embeddings', 'gradEmbeddings', 'mcProbs', 'committeeProbs', 'jointTraining'] as const;

/**
 * Seconds one cell takes. `round0Loaded`: its round 0 is loaded from the shared round-0 model
 * rather than trained (loop/round0-cache.ts).
 */
export function estimateCellSeconds(
  cell: ResolvedCell,
  strategy: Strategy,
  sizes: CellDataSizes,
  speeds: CellSpeeds,
  round0Loaded = false,
): CellTimeEstimate {
  const rounds = roundSizes(cell);
  const inferTask = speeds.infer(cell.model);
  const aux = queryTrainingsOf(cell, strategy);
  const taskPasses =
    (SCORING_NEEDS.some((n) => strategy.needs.has(n)) ? 1 : 0) + (strategy.needs.has('epochProbs') ? cell.training.epochs : 0);
  let train = 0;
  let queryTraining = 0;
  let scoring = 0;
  let query = 0;
  rounds.forEach((labelled, r) => {
    if (!(r === 0 && round0Loaded)) train += roundSeconds(speeds.round, labelled, cell.training.epochs, cell.training.batchSize);
    train += sizes.testRows / inferTask;
    if (r === rounds.length - 1) return; // the last round queries nothing
    if (speeds.query) {
      query += speeds.query(labelled);
      return;
    }
    const candidates = cell.strategyParams?.candidates;
    const pool = Math.min(sizes.trainRows - labelled, typeof candidates === 'number' ? Math.max(candidates, cell.batchSize) : Infinity);
    scoring += (taskPasses * pool) / inferTask;
    for (const a of aux) {
      queryTraining += (a.count * labelled * a.epochs) / speeds.train(a.model);
      scoring += (a.count * pool) / speeds.infer(a.model);
    }
  });
  return { train, queryTraining, scoring, query, total: train + queryTraining + scoring + query };
}
