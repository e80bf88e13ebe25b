/**
 * Runs the pending cells of a study on a pool of worker processes, limited by p-limit. A cell is
 * pending unless its result file says it completed (or failed, unless failures are retried), so
 * re-running the same command resumes where a killed run stopped.
 *
 * Several runners may share one results directory (shards, a second run by mistake, a requeued
 * Slurm task): each cell is claimed (store/claims.ts) before it runs and its result re-checked
 * after the claim, so a cell finished by another runner meanwhile is not run again.
 *
 * A worker that dies mid-cell (SIGKILL, the OOM killer) is replaced and the cell retried once on a
 * fresh worker: a one-off kill should not cost a cell, but a cell that kills its worker every time
 * must not loop forever, so the second death is recorded as a failed result.
 */
import { basename, dirname, join } from 'node:path';
import pLimit from 'p-limit';
import type { BackendChoice } from '../backend/index.js';
import type { ResolvedCell, Study } from '../spec/types.js';
import { TEMP_PREFIX, writeFileAtomic } from '../store/atomic.js';
import { sweepAbandoned, touchClaim, tryClaim } from '../store/claims.js';
import { cellPath, readCellResult, writeCellResult } from '../store/results.js';
import { SCHEMA_VERSION, type FailedResult } from '../store/schema.js';
import { cellCost } from './cost.js';
import type { RunListener } from './events.js';
import { currentEnvFor } from './env.js';
import { cellsOfShard, type Shard } from './shard.js';
import { WORKER_SCRIPT, WorkerPool } from './worker-pool.js';

/** Default: a claim from another host is stale after 10 minutes without a heartbeat. */
export const DEFAULT_CLAIM_TIMEOUT_MS = 10 * 60_000;
/** How many times a cell is re-run after its worker died; then it is recorded as failed. */
export const WORKER_DEATH_RETRIES = 1;

export interface RunOptions {
  readonly resultsDir: string;
  readonly workers: number;
  readonly backend: BackendChoice;
  readonly dataDir?: string;
  /** Re-run completed cells too. */
  readonly force?: boolean;
  /** Re-run cells whose stored result is `failed`. */
  readonly retryFailed?: boolean;
  /** Run only this shard of the cells (see shard.ts). */
  readonly shard?: Shard;
  /** Claims without a heartbeat for this long are stale (ms); default DEFAULT_CLAIM_TIMEOUT_MS. */
  readonly claimTimeoutMs?: number;
  /** Worker entry script (tests substitute their own). */
  readonly workerScript?: string;
}

export interface RunSummary {
  readonly total: number;
  readonly skipped: number;
  readonly completed: number;
  readonly failed: readonly { readonly cell: ResolvedCell; readonly error: string }[];
  readonly keptFailed: number;
  readonly backend?: string;
  /** Cells of this run that a live runner elsewhere held; they are that runner's to finish. */
  readonly claimedElsewhere: number;
  /** Result files that could not be read; their cells were run again. */
  readonly unreadable: readonly { readonly path: string; readonly error: string }[];
  /** Cells re-run after their worker died. */
  readonly retriedAfterWorkerDeath: number;
  /** Stale claims (of dead runners) taken over. */
  readonly recoveredClaims: number;
}

/** Which cells need running, and why the others don't. */
export function pendingCells(study: Study, options: Pick<RunOptions, 'resultsDir' | 'force' | 'retryFailed' | 'shard'>) {
  const pending: ResolvedCell[] = [];
  const unreadable: { path: string; error: string }[] = [];
  let skipped = 0;
  let keptFailed = 0;
  const cells = options.shard ? cellsOfShard(study.cells, options.shard) : study.cells;
  for (const cell of cells) {
    let stored;
    try {
      stored = readCellResult(options.resultsDir, cell.id);
    } catch (err) {
      // Unreadable result (truncated by a full disk, edited by hand, an older schema): run the cell again.
      unreadable.push({ path: cellPath(options.resultsDir, cell.id), error: (err as Error).message });
      stored = undefined;
    }
    if (needsRun(stored, options)) pending.push(cell);
    else if (stored!.status === 'failed') keptFailed++;
    else skipped++;
  }
  return { pending, skipped, keptFailed, unreadable, total: cells.length };
}

function needsRun(stored: ReturnType<typeof readCellResult>, options: Pick<RunOptions, 'force' | 'retryFailed'>): boolean {
  return !stored || Boolean(options.force) || (stored.status === 'failed' && Boolean(options.retryFailed));
}

/** After claiming: has another runner stored a result meanwhile that makes this run unnecessary? */
function finishedElsewhere(resultsDir: string, cell: ResolvedCell, options: RunOptions, scannedAt: number): boolean {
  let stored;
  try {
    stored = readCellResult(resultsDir, cell.id);
  } catch {
    return false;
  }
  if (!stored) return false;
  // --force / --retry-failed re-run results that existed when we started, not ones written since.
  if (options.force || (stored.status === 'failed' && options.retryFailed)) return Date.parse(stored.finishedAt) > scannedAt;
  return true;
}

export async function runStudy(study: Study, options: RunOptions, listener: RunListener = () => {}): Promise<RunSummary> {
  const claimTimeoutMs = options.claimTimeoutMs ?? DEFAULT_CLAIM_TIMEOUT_MS;
  writeFileAtomic(
    join(options.resultsDir, 'study.json'),
    `${JSON.stringify({ name: study.name, axes: study.axes, cells: study.cells.map((c) => c.id) }, null, 1)}\n`,
  );
  // Temp files of writers killed mid-write are debris, never results: clear them first.
  const swept = sweepAbandoned(options.resultsDir, claimTimeoutMs);
  const scannedAt = Date.now();
  const { pending, skipped, keptFailed, unreadable, total } = pendingCells(study, options);
  const failed: { cell: ResolvedCell; error: string }[] = [];
  let completed = 0;
  let claimedElsewhere = 0;
  let retriedAfterWorkerDeath = 0;
  // Stale claims the sweep removed count as taken over, like those met when claiming.
  let recoveredClaims = swept.filter((p) => basename(dirname(p)) === 'claims' && !basename(p).startsWith(TEMP_PREFIX)).length;
  const summary = () => ({ total, skipped, completed, failed, keptFailed, claimedElsewhere, unreadable, retriedAfterWorkerDeath, recoveredClaims });
  if (pending.length === 0) return summary();

  // Longest first, so the last cell to finish is a short one (LPT); ties in study order.
  const order = pending.map((cell, i) => ({ cell, i })).sort((a, b) => cellCost(b.cell) - cellCost(a.cell) || a.i - b.i);
  const pool = new WorkerPool(options.backend, options.workerScript ?? WORKER_SCRIPT);
  const limit = pLimit(Math.max(1, Math.min(options.workers, pending.length)));
  const held = new Set<string>();
  // Heartbeat: a claim's mtime is its owner's sign of life for runners on other hosts.
  const heartbeat = setInterval(() => held.forEach((id) => touchClaim(options.resultsDir, id)), Math.max(1000, claimTimeoutMs / 5));
  heartbeat.unref();
  try {
    await Promise.all(
      order.map(({ cell }) =>
        limit(async () => {
          const claim = tryClaim(options.resultsDir, cell.id, { staleAfterMs: claimTimeoutMs });
          if (!claim.claimed) {
            claimedElsewhere++;
            return;
          }
          if (claim.recovered) recoveredClaims++;
          held.add(cell.id);
          try {
            if (finishedElsewhere(options.resultsDir, cell, options, scannedAt)) {
              claimedElsewhere++;
              return;
            }
            const started = performance.now();
            let outcome;
            for (let attempt = 0; ; attempt++) {
              outcome = await pool.run(
                cell,
                options.resultsDir,
                options.dataDir,
                (worker) => listener({ type: 'cell-start', cell, worker }),
                (round) => listener({ type: 'round', cell, round }),
              );
              if (!outcome.workerDied || attempt >= WORKER_DEATH_RETRIES) break;
              retriedAfterWorkerDeath++;
              listener({ type: 'cell-retry', cell, error: outcome.error ?? 'worker died' });
            }
            if (outcome.workerDied) {
              // The worker could not write a result; record the failure so it is not silently redone.
              const error = `${outcome.error ?? 'worker died'} (${WORKER_DEATH_RETRIES + 1} attempts; out of memory? see docs/reliability.md)`;
              outcome = { ...outcome, error };
              writeCellResult(options.resultsDir, failedResultFor(cell, error, pool.backend));
            }
            if (outcome.status === 'completed') {
              completed++;
              listener({ type: 'cell-done', cell, ms: performance.now() - started });
            } else {
              failed.push({ cell, error: outcome.error ?? 'unknown error' });
              listener({ type: 'cell-failed', cell, error: outcome.error ?? 'unknown error' });
            }
          } finally {
            held.delete(cell.id);
            claim.release();
          }
        }),
      ),
    );
  } finally {
    clearInterval(heartbeat);
    await pool.close();
  }
  return { ...summary(), backend: pool.backend };
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
