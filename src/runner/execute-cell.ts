/** Runs one cell and stores its result, completed or failed. Used inside worker processes. */
import * as tf from '@tensorflow/tfjs-core';
import { loadDataset } from '../data/registry.js';
import { CellFailure, runCell } from '../loop/run-cell.js';
import type { ResolvedCell } from '../spec/types.js';
import { writeCellResult } from '../store/results.js';
import { SCHEMA_VERSION, type CellResult, type RoundRecord } from '../store/schema.js';
import { currentEnvFor } from './env.js';
import { fireFailpoints, parseFailpoints } from './failpoints.js';

const FAILPOINTS = parseFailpoints(process.env.ALBENCH_FAILPOINTS);

export interface ExecuteOptions {
  readonly resultsDir: string;
  readonly dataDir?: string;
}

export async function executeCell(
  cell: ResolvedCell,
  options: ExecuteOptions,
  onRound: (round: RoundRecord) => void = () => {},
): Promise<CellResult> {
  const startedAt = new Date().toISOString();
  const env = currentEnvFor(tf.getBackend());
  let data: CellResult['data'] = { checksum: '', source: '', trainSize: 0, testSize: 0 };
  let result: CellResult;
  try {
    const dataset = await loadDataset(cell.dataset, { dataDir: options.dataDir });
    data = { checksum: dataset.checksum, source: dataset.source, trainSize: dataset.train.n, testSize: dataset.test.n };
    const { initial, rounds } = await runCell(cell, dataset, (round) => {
      onRound(round);
      fireFailpoints(FAILPOINTS, cell.id);
    });
    result = { schemaVersion: SCHEMA_VERSION, status: 'completed', cell, env, data, initial, rounds, startedAt, finishedAt: new Date().toISOString() };
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
      initial: failure?.partial.initial ?? [],
      rounds: failure?.partial.rounds ?? [],
      startedAt,
      finishedAt: new Date().toISOString(),
    };
  }
  writeCellResult(options.resultsDir, result);
  return result;
}
