/** Runs one cell and stores its result, completed or failed. Used inside worker processes. */
import { backendName } from '../backend/index.js';
import { loadDataset } from '../data/registry.js';
import { resolveCacheDir } from '../selfsup/cache.js';
import { selfsupDataset, type EncoderRecord } from '../selfsup/representation.js';
import { CellFailure, runCell } from '../loop/run-cell.js';
import { selfsupFeatureProvider } from '../loop/selfsup-features.js';
import type { ResolvedCell } from '../spec/types.js';
import { writeCellResult } from '../store/results.js';
import { SCHEMA_VERSION, type CellResult, type RoundRecord } from '../store/schema.js';
import { currentEnvFor } from './env.js';
import { fireFailpoints, parseFailpoints } from './failpoints.js';

const FAILPOINTS = parseFailpoints(process.env.ALBENCH_FAILPOINTS);

export interface ExecuteOptions {
  readonly resultsDir: string;
  readonly dataDir?: string;
  /** Encoder cache for selfsup cells; default `$ALBENCH_CACHE`, else `<resultsDir>/../.albench-cache`. */
  readonly cacheDir?: string;
  /** Shared round-0 snapshots (src/loop/round0-cache.ts); absent: the cell trains its own round 0. */
  readonly round0Dir?: string;
}

export async function executeCell(
  cell: ResolvedCell,
  options: ExecuteOptions,
  onRound: (round: RoundRecord) => void = () => {},
): Promise<CellResult> {
  const startedAt = new Date().toISOString();
  const env = currentEnvFor(backendName());
  let data: CellResult['data'] = { checksum: '', source: '', trainSize: 0, testSize: 0 };
  let encoder: EncoderRecord | undefined;
  let result: CellResult;
  try {
    let dataset = await loadDataset(cell.dataset, { dataDir: options.dataDir });
    const cacheDir = options.cacheDir ?? resolveCacheDir(options.resultsDir);
    data = { checksum: dataset.checksum, source: dataset.source, trainSize: dataset.train.n, testSize: dataset.test.n };
    if (cell.representation) {
      // Frozen self-supervised features replace the inputs; the loop, heads and strategies run unchanged on them.
      ({ dataset, encoder } = await selfsupDataset(dataset, cell.dataset, cell.representation, cell.seed, { cacheDir, backend: backendName() }));
    }
    const { initial, rounds, reusedRound0, tuning } = await runCell(
      cell,
      dataset,
      (round) => {
        onRound(round);
        fireFailpoints(FAILPOINTS, cell.id);
      },
      { round0Dir: options.round0Dir, selfsup: selfsupFeatureProvider(cacheDir) },
    );
    result = { schemaVersion: SCHEMA_VERSION, status: 'completed', cell, env, data, ...(encoder ? { encoder } : {}), initial, rounds, ...(reusedRound0 ? { reusedRound0 } : {}), ...(tuning ? { tuning } : {}), startedAt, finishedAt: new Date().toISOString() };
  } catch (err) {
    const failure = err instanceof CellFailure ? err : undefined;
    const cause = failure ? failure.cause : (err as Error);
    result = {
      schemaVersion: SCHEMA_VERSION,
      status: 'failed',
      error: { message: cause.message, stack: cause.stack },
      cell,
      env,
      data,
      ...(encoder ? { encoder } : {}),
      initial: failure?.partial.initial ?? [],
      rounds: failure?.partial.rounds ?? [],
      ...(failure?.partial.tuning ? { tuning: failure.partial.tuning } : {}),
      startedAt,
      finishedAt: new Date().toISOString(),
    };
  }
  writeCellResult(options.resultsDir, result);
  return result;
}
