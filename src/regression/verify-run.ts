/**
 * Re-runs recorded cells in worker processes, exactly as `albench run` does (same worker entry,
 * the cell config taken from the result file), into a scratch directory, and compares each re-run
 * with its record bit for bit (diff-results.ts).
 *
 * Results are reproducible bit for bit only on the backend that produced them: wasm, tfjs-node
 * and the pure-JS cpu backend round floating point differently. So the backend is never chosen
 * here: each cell re-runs on the backend its result records, and asking for another is refused.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { BACKEND_NAMES, type BackendChoice } from '../backend/index.js';
import { currentEnvFor } from '../runner/env.js';
import { WORKER_SCRIPT, WorkerPool } from '../runner/worker-pool.js';
import { readCellResult } from '../store/results.js';
import type { CellResult, EnvInfo } from '../store/schema.js';
import { describeMismatch, diffCellResults, type ResultMismatch } from './diff-results.js';

export interface VerifyOptions {
  readonly workers: number;
  readonly dataDir?: string;
  /** The backend the user asked for; must equal each cell's recorded backend when given. */
  readonly backend?: BackendChoice;
  readonly workerScript?: string;
  /** Told about each cell as it finishes. */
  readonly onCell?: (outcome: VerifyOutcome) => void;
}

export interface VerifyOutcome {
  readonly cellId: string;
  readonly strategy: string;
  readonly seed: number;
  readonly backend: string;
  readonly rounds: number;
  /** identical; a mismatch (with the first difference); or the re-run could not be made. */
  readonly status: 'identical' | 'mismatch' | 'error';
  readonly mismatch?: ResultMismatch;
  readonly message: string;
  /** Version fields that differ between the record and this machine (context for a mismatch). */
  readonly envChanges: readonly string[];
}

/** Thrown before anything runs when a cell cannot be verified on the asked backend. */
export class BackendRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackendRefusedError';
  }
}

const CONCRETE: readonly string[] = BACKEND_NAMES.filter((b) => b !== 'auto');

/** Refuses, with the reason, every cell whose recorded backend differs from the asked one. */
export function checkBackends(results: readonly CellResult[], asked: BackendChoice | undefined): void {
  for (const r of results) {
    const recorded = r.env.backend;
    if (!CONCRETE.includes(recorded)) {
      throw new BackendRefusedError(
        `cell ${r.cell.id} records backend ${JSON.stringify(recorded)}, which is not one albench can start (${CONCRETE.join(', ')}); it cannot be re-run bit for bit`,
      );
    }
    if (asked !== undefined && asked !== 'auto' && asked !== recorded) {
      throw new BackendRefusedError(
        `cell ${r.cell.id} was recorded on backend '${recorded}', and --backend ${asked} was asked for. ` +
          `Backends round floating point differently (wasm/XNNPACK, tfjs-node/TensorFlow, pure-JS cpu), so a re-run on '${asked}' ` +
          `would differ for that reason alone and prove nothing. Verify on '${recorded}' (drop --backend, or pass --backend ${recorded}).`,
      );
    }
  }
}

function envChanges(recorded: EnvInfo, now: EnvInfo): string[] {
  return (['albench', 'tfjs', 'node', 'os'] as const).filter((k) => recorded[k] !== now[k]).map((k) => `${k} ${recorded[k]} → ${now[k]}`);
}

/** Re-runs `results` and compares each with its record. The scratch directory is removed afterwards. */
export async function verifyCells(results: readonly CellResult[], options: VerifyOptions): Promise<VerifyOutcome[]> {
  checkBackends(results, options.backend);
  const scratch = mkdtempSync(join(tmpdir(), 'albench-verify-'));
  const pools = new Map<string, WorkerPool>();
  const poolFor = (backend: string) => {
    let pool = pools.get(backend);
    if (!pool) pools.set(backend, (pool = new WorkerPool(backend as BackendChoice, options.workerScript ?? WORKER_SCRIPT)));
    return pool;
  };
  const limit = pLimit(Math.max(1, Math.min(options.workers, results.length)));
  try {
    return await Promise.all(
      results.map((recorded) =>
        limit(async () => {
          const backend = recorded.env.backend;
          const base = { cellId: recorded.cell.id, strategy: recorded.cell.strategy, seed: recorded.cell.seed, backend, rounds: recorded.rounds.length };
          const changes = envChanges(recorded.env, currentEnvFor(backend));
          const pool = poolFor(backend);
          // No shared round 0: the re-run trains every round itself, which is what is being checked.
          const ran = await pool.run(recorded.cell, scratch, { dataDir: options.dataDir }, () => {}, () => {});
          let outcome: VerifyOutcome;
          if (ran.workerDied) {
            const why = /could not start backend/.test(ran.error ?? '')
              ? `the recorded backend '${backend}' cannot start on this machine (${ran.error}); a re-run on another backend would not be comparable bit for bit`
              : `the re-run did not finish: ${ran.error}`;
            outcome = { ...base, status: 'error', message: why, envChanges: changes };
          } else {
            const rerun = readCellResult(scratch, recorded.cell.id);
            if (!rerun) {
              outcome = { ...base, status: 'error', message: 'the re-run wrote no result', envChanges: changes };
            } else {
              // Reading back from JSON puts both sides through the same serialisation.
              const mismatch = diffCellResults(recorded, rerun);
              const failure = rerun.status === 'failed' && recorded.status === 'completed' ? ` (the re-run failed: ${rerun.error.message})` : '';
              outcome = mismatch
                ? { ...base, status: 'mismatch', mismatch, message: `${describeMismatch(mismatch)}${failure}`, envChanges: changes }
                : { ...base, status: 'identical', message: `identical over ${recorded.rounds.length} rounds (timings excluded)`, envChanges: changes };
            }
          }
          options.onCell?.(outcome);
          return outcome;
        }),
      ),
    );
  } finally {
    await Promise.all([...pools.values()].map((p) => p.close()));
    rmSync(scratch, { recursive: true, force: true });
  }
}
