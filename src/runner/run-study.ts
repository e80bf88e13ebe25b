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
 *
 * Cells that differ only in budget share their first rounds (budget-prefix.ts): the smaller one is
 * cut from the larger one's result instead of being run, unless `reuse` is off. Likewise the
 * strategies of a seed share their round-0 model (src/loop/round0-cache.ts).
 */
import { rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import pLimit from 'p-limit';
import type { BackendChoice } from '../backend/index.js';
import { round0Dir } from '../loop/round0-cache.js';
import type { ResolvedCell, Study } from '../spec/types.js';
import { TEMP_PREFIX, writeFileAtomic } from '../store/atomic.js';
import { sweepAbandoned, touchClaim, tryClaim } from '../store/claims.js';
import { cellPath, readCellResult, writeCellResult } from '../store/results.js';
import { SCHEMA_VERSION, type FailedResult } from '../store/schema.js';
import { deriveResult, planDerivations } from './budget-prefix.js';
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
  /**
   * Derive smaller-budget cells from larger ones instead of running them, and train each round-0
   * model once for all the strategies that share it (src/loop/round0-cache.ts). Default true.
   */
  readonly reuse?: boolean;
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
  /** Of the completed cells, those cut from a larger-budget cell's result rather than run. */
  readonly derived: number;
}

/** Which cells need running, and why the others don't. */
export function pendingCells(study: Study, options: Pick<RunOptions, 'resultsDir' | 'force' | 'retryFailed' | 'shard' | 'reuse'>) {
  const pending: ResolvedCell[] = [];
  const unreadable: { path: string; error: string }[] = [];
  let skipped = 0;
  let keptFailed = 0;
  const cells = cellsOfRun(study, options);
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

/** The study's cells this run is responsible for: all of them, or one shard's. */
export function cellsOfRun(study: Study, options: Pick<RunOptions, 'shard' | 'reuse'>): readonly ResolvedCell[] {
  return options.shard ? shardCells(study.cells, options.shard, derivationsFor(study, options)) : study.cells;
}

function derivationsFor(study: Study, options: Pick<RunOptions, 'reuse'>): Map<string, ResolvedCell> {
  return options.reuse === false ? new Map() : planDerivations(study.cells);
}

/** A shard's cells; a derivable cell goes with its source, so the shard that runs one can cut the other. */
function shardCells(cells: readonly ResolvedCell[], shard: Shard, derivations: Map<string, ResolvedCell>): ResolvedCell[] {
  const own = new Set(cellsOfShard(cells.filter((c) => !derivations.has(c.id)), shard).map((c) => c.id));
  return cells.filter((c) => own.has(derivations.get(c.id)?.id ?? c.id));
}

function readCompleted(resultsDir: string, cellId: string) {
  try {
    const stored = readCellResult(resultsDir, cellId);
    return stored?.status === 'completed' ? stored : undefined;
  } catch {
    return undefined;
  }
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
    // `description` and `findings` (analysis overrides) only when the spec sets them, so other studies' study.json is unchanged.
    `${JSON.stringify({ name: study.name, ...(study.description !== undefined ? { description: study.description } : {}), axes: study.axes, cells: study.cells.map((c) => c.id), ...(study.findings ? { findings: study.findings } : {}) }, null, 1)}\n`,
  );
  // Temp files of writers killed mid-write are debris, never results: clear them first.
  const swept = sweepAbandoned(options.resultsDir, claimTimeoutMs);
  const scannedAt = Date.now();
  const { pending, skipped, keptFailed, unreadable, total } = pendingCells(study, options);
  const failed: { cell: ResolvedCell; error: string }[] = [];
  let completed = 0;
  let derived = 0;
  let claimedElsewhere = 0;
  let retriedAfterWorkerDeath = 0;
  // Stale claims the sweep removed count as taken over, like those met when claiming.
  let recoveredClaims = swept.filter((p) => basename(dirname(p)) === 'claims' && !basename(p).startsWith(TEMP_PREFIX)).length;
  const summary = () => ({ total, skipped, completed, failed, keptFailed, claimedElsewhere, unreadable, retriedAfterWorkerDeath, recoveredClaims, derived });

  // Smaller-budget cells whose source is stored already are cut now; those whose source runs in
  // this run wait for it; the rest run themselves.
  const derivations = derivationsFor(study, options);
  const pendingIds = new Set(pending.map((c) => c.id));
  const dependents = new Map<string, ResolvedCell[]>();
  const toRun: ResolvedCell[] = [];
  const derive = (cell: ResolvedCell, source: NonNullable<ReturnType<typeof readCompleted>>) => {
    writeCellResult(options.resultsDir, deriveResult(source, cell));
    completed++;
    derived++;
    listener({ type: 'cell-done', cell, ms: 0 });
  };
  for (const cell of pending) {
    const source = derivations.get(cell.id);
    const stored = source && !pendingIds.has(source.id) ? readCompleted(options.resultsDir, source.id) : undefined;
    if (source && pendingIds.has(source.id)) dependents.set(source.id, [...(dependents.get(source.id) ?? []), cell]);
    else if (stored) derive(cell, stored);
    else toRun.push(cell);
  }
  if (toRun.length === 0) return summary();

  // Longest first, so the last cell to finish is a short one (LPT); ties in study order.
  const order = toRun.map((cell, i) => ({ cell, i })).sort((a, b) => cellCost(b.cell) - cellCost(a.cell) || a.i - b.i);
  const pool = new WorkerPool(options.backend, options.workerScript ?? WORKER_SCRIPT);
  const limit = pLimit(Math.max(1, Math.min(options.workers, toRun.length)));
  const held = new Set<string>();
  // Heartbeat: a claim's mtime is its owner's sign of life for runners on other hosts.
  const heartbeat = setInterval(() => held.forEach((id) => touchClaim(options.resultsDir, id)), Math.max(1000, claimTimeoutMs / 5));
  heartbeat.unref();
  try {
    /** Runs one cell under its claim; 'elsewhere' when another runner holds it or finished it. */
    const runClaimed = async (cell: ResolvedCell): Promise<'ran' | 'elsewhere'> => {
      const claim = tryClaim(options.resultsDir, cell.id, { staleAfterMs: claimTimeoutMs });
      if (!claim.claimed) {
        claimedElsewhere++;
        return 'elsewhere';
      }
      if (claim.recovered) recoveredClaims++;
      held.add(cell.id);
      try {
        if (finishedElsewhere(options.resultsDir, cell, options, scannedAt)) {
          claimedElsewhere++;
          return 'elsewhere';
        }
        const started = performance.now();
        let outcome;
        for (let attempt = 0; ; attempt++) {
          outcome = await pool.run(
            cell,
            options.resultsDir,
            { dataDir: options.dataDir, round0Dir: options.reuse === false ? undefined : round0Dir(options.resultsDir) },
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
      return 'ran';
    };
    const runOne = async (cell: ResolvedCell): Promise<void> => {
      const waiting = dependents.get(cell.id) ?? [];
      const where = await runClaimed(cell);
      // Cells waiting on this one: cut them from its result; if it failed here, run them (in this
      // slot); if another runner still holds it, that runner cuts them (a shard keeps them together).
      for (const dependent of waiting) {
        const source = readCompleted(options.resultsDir, cell.id);
        if (source) derive(dependent, source);
        else if (where === 'ran') await runOne(dependent);
        else claimedElsewhere++;
      }
    };
    await Promise.all(order.map(({ cell }) => limit(() => runOne(cell))));
    // Round-0 snapshots only serve this run and its resumption. Shards share the folder and may still need it.
    if (!options.shard && failed.length === 0) rmSync(round0Dir(options.resultsDir), { recursive: true, force: true });
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
