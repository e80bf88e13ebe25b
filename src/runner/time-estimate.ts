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
import type { ResolvedCell, ModelSetting } from '../spec/types.js';
import type { Strategy } from '../strategies/strategy.js';
import { roundEpochs, scaledTraining } from '../models/recipe.js';
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
  readonly train: (model: ModelSetting) => number;
  /** Forward passes, rows per second, of a model on this dataset. */
  readonly infer: (model: ModelSetting) => number;
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
export function queryTrainingsOf(cell: ResolvedCell, strategy: Strategy): { model: ModelSetting; epochs: number; count: number }[] {
  return queryTrainingsAt(cell, strategy, cell.initialSize);
}

/** The same at a labelled-set size: steps-based recipes train a different number of epochs at each (models/recipe.ts). */
function queryTrainingsAt(cell: ResolvedCell, strategy: Strategy, labelled: number): { model: ModelSetting; epochs: number; count: number }[] {
  const out: { model: ModelSetting; epochs: number; count: number }[] = [];
  if (strategy.needs.has('committeeProbs')) {
    // Member 0 is the task model, and the loop trains the others with the cell's recipe; a bagged committee trains all K (loop/committee.ts).
    const k = strategy.needOptions?.committeeSize ?? 5;
    out.push({ model: cell.model, epochs: roundEpochs(cell.training, labelled), count: strategy.needOptions?.committeeBootstrap ? k : k - 1 });
  }
  for (const t of strategy.queryTrainings ?? []) {
    out.push({ model: t.model ?? cell.model, epochs: roundEpochs(scaledTraining(cell.training, t.epochScale ?? 1), labelled), count: t.count });
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
  const taskPasses = (labelled: number) =>
    (SCORING_NEEDS.some((n) => strategy.needs.has(n)) ? 1 : 0) + (strategy.needs.has('epochProbs') ? Math.ceil(roundEpochs(cell.training, labelled)) : 0);
  let train = 0;
  let queryTraining = 0;
  let scoring = 0;
  let query = 0;
  rounds.forEach((labelled, r) => {
    if (!(r === 0 && round0Loaded)) train += roundSeconds(speeds.round, labelled, roundEpochs(cell.training, labelled), cell.training.batchSize);
    train += sizes.testRows / inferTask;
    if (r === rounds.length - 1) return; // the last round queries nothing
    if (speeds.query) {
      query += speeds.query(labelled);
      return;
    }
    const candidates = cell.strategyParams?.candidates;
    const pool = Math.min(sizes.trainRows - labelled, typeof candidates === 'number' ? Math.max(candidates, cell.batchSize) : Infinity);
    scoring += (taskPasses(labelled) * pool) / inferTask;
    for (const a of queryTrainingsAt(cell, strategy, labelled)) {
      queryTraining += (a.count * labelled * a.epochs) / speeds.train(a.model);
      scoring += (a.count * pool) / speeds.infer(a.model);
    }
  });
  return { train, queryTraining, scoring, query, total: train + queryTraining + scoring + query };
}

/**
 * One-time work that cells share (a selfsup encoder, pretrained once per dataset × encoder
 * settings × seed × backend and cached, selfsup/plan.ts): its CPU seconds, counted once, and the
 * cells (indices into the cell list) that cannot start their query before it exists.
 */
export interface SharedWork {
  readonly seconds: number;
  readonly cells: readonly number[];
}

/**
 * Wall seconds of a run on `workers` workers, a core each: the larger of the CPU-time bound (every
 * cell and every piece of one-time work, each counted once, spread over the workers that have
 * something to do) and the longest chain (one-time work, then the longest cell that needs it; or
 * the longest cell alone: one cell runs on one worker).
 */
export function studyWallSeconds(cellSeconds: readonly number[], shared: readonly SharedWork[], workers: number): { seconds: number; bound: 'cpu' | 'chain' } {
  const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
  const parallel = Math.max(1, Math.min(workers, cellSeconds.length));
  const cpu = (sum(cellSeconds) + sum(shared.map((w) => w.seconds))) / parallel;
  const chain = Math.max(0, ...cellSeconds, ...shared.map((w) => w.seconds + Math.max(0, ...w.cells.map((i) => cellSeconds[i]))));
  return chain > cpu ? { seconds: chain, bound: 'chain' } : { seconds: cpu, bound: 'cpu' };
}

/**
 * CPU seconds of `training.tune` for one seed and setting (models/tune.ts): every candidate of the
 * grid trains once per fold on the other folds of round 0's labelled set, as the round would.
 * One-time work: the choice is computed once per tuning key and shared (loop/tune-cache.ts).
 */
export function tuneSeconds(cell: Pick<ResolvedCell, 'training' | 'initialSize'>, speed: RoundSpeed): number {
  const tune = cell.training.tune;
  if (!tune) return 0;
  const rows = Math.max(1, Math.floor((cell.initialSize * (tune.folds - 1)) / tune.folds));
  const fits = tune.learningRate.length * tune.weightDecay.length * tune.folds;
  return fits * roundSeconds(speed, rows, roundEpochs(cell.training, rows), cell.training.batchSize);
}
