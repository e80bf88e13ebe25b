/**
 * Runs the pending cells of a study on a pool of worker processes, limited by p-limit. A cell is
 * pending unless its result file says it completed (or failed, unless failures are retried), so
 * re-running the same command resumes where a killed run stopped.
 */
import { join } from 'node:path';
import pLimit from 'p-limit';
import type { BackendChoice } from '../backend/index.js';
import type { ResolvedCell, Study } from '../spec/types.js';
import { writeFileAtomic } from '../store/atomic.js';
import { readCellResult, writeCellResult } from '../store/results.js';
import { SCHEMA_VERSION, type FailedResult } from '../store/schema.js';
import type { RunListener } from './events.js';
import { currentEnvFor } from './env.js';
import { WorkerPool } from './worker-pool.js';

export interface RunOptions {
  readonly resultsDir: string;
  readonly workers: number;
  readonly backend: BackendChoice;
  readonly dataDir?: string;
  /** Re-run completed cells too. */
  readonly force?: boolean;
  /** Re-run cells whose stored result is `failed`. */
  readonly retryFailed?: boolean;
}

export interface RunSummary {
  readonly total: number;
  readonly skipped: number;
  readonly completed: number;
  readonly failed: readonly { readonly cell: ResolvedCell; readonly error: string }[];
  readonly keptFailed: number;
  readonly backend?: string;
}

/** Which cells need running, and why the others don't. */
export function pendingCells(study: Study, options: Pick<RunOptions, 'resultsDir' | 'force' | 'retryFailed'>) {
  const pending: ResolvedCell[] = [];
  let skipped = 0;
  let keptFailed = 0;
  for (const cell of study.cells) {
    let stored;
    try {
      stored = readCellResult(options.resultsDir, cell.id);
    } catch {
      stored = undefined; // Unreadable result (e.g. an older schema): run the cell again.
    }
    if (!stored || options.force) pending.push(cell);
    else if (stored.status === 'failed' && options.retryFailed) pending.push(cell);
    else if (stored.status === 'failed') keptFailed++;
    else skipped++;
  }
  return { pending, skipped, keptFailed };
}

export async function runStudy(study: Study, options: RunOptions, listener: RunListener = () => {}): Promise<RunSummary> {
  writeFileAtomic(
    join(options.resultsDir, 'study.json'),
    `${JSON.stringify({ name: study.name, axes: study.axes, cells: study.cells.map((c) => c.id) }, null, 1)}\n`,
  );
  const { pending, skipped, keptFailed } = pendingCells(study, options);
  const failed: { cell: ResolvedCell; error: string }[] = [];
  let completed = 0;
  if (pending.length === 0) return { total: study.cells.length, skipped, completed, failed, keptFailed };

  const pool = new WorkerPool(options.backend);
  const limit = pLimit(Math.max(1, Math.min(options.workers, pending.length)));
  try {
    await Promise.all(
      pending.map((cell) =>
        limit(async () => {
          const started = performance.now();
          const outcome = await pool.run(
            cell,
            options.resultsDir,
            options.dataDir,
            (worker) => listener({ type: 'cell-start', cell, worker }),
            (round) => listener({ type: 'round', cell, round }),
          );
          if (outcome.workerDied) {
            // The worker could not write a result; record the failure so it is not silently redone.
            writeCellResult(options.resultsDir, failedResultFor(cell, outcome.error!, pool.backend));
          }
          if (outcome.status === 'completed') {
            completed++;
            listener({ type: 'cell-done', cell, ms: performance.now() - started });
          } else {
            failed.push({ cell, error: outcome.error ?? 'unknown error' });
            listener({ type: 'cell-failed', cell, error: outcome.error ?? 'unknown error' });
          }
        }),
      ),
    );
  } finally {
    await pool.close();
  }
  return { total: study.cells.length, skipped, completed, failed, keptFailed, backend: pool.backend };
}

function failedResultFor(cell: ResolvedCell, error: string, backend: string | undefined): FailedResult {
  const now = new Date().toISOString();
  return {
    schemaVersion: SCHEMA_VERSION,
    status: 'failed',
    error: { message: error },
    cell,
    env: currentEnvFor(backend ?? 'unknown'),
    data: { checksum: '', source: '', trainSize: 0, testSize: 0 },
    initial: [],
    rounds: [],
    startedAt: now,
    finishedAt: now,
  };
}
