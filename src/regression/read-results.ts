/**
 * Reads a results directory for comparison and verification. A file that is not a readable
 * result is named and skipped with the reason, never fatal: one corrupt file must not hide the
 * rest of a run, and the reader must still see which cells it could not judge.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cellsDir, parseCellResult } from '../store/results.js';
import type { CellResult } from '../store/schema.js';

export interface SkippedResultFile {
  readonly path: string;
  readonly reason: string;
}

export interface ResultsRead {
  readonly dir: string;
  readonly results: readonly CellResult[];
  readonly skipped: readonly SkippedResultFile[];
}

/** Thrown when a path is not a results directory at all (as opposed to holding a bad file). */
export class ResultsDirError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResultsDirError';
  }
}

/** Why a parsed result lacks what comparison needs, or undefined. */
function shapeProblem(r: CellResult): string | undefined {
  const x = r as unknown as Record<string, unknown> | null;
  if (x === null || typeof x !== 'object') return 'is not a JSON object';
  if (x.status !== 'completed' && x.status !== 'failed') return `has status ${JSON.stringify(x.status)}, expected "completed" or "failed"`;
  const cell = x.cell as Record<string, unknown> | undefined;
  if (!cell || typeof cell !== 'object' || typeof cell.id !== 'string' || typeof cell.strategy !== 'string' || typeof cell.seed !== 'number') {
    return "lacks a 'cell' with id, strategy and seed";
  }
  if (!x.env || typeof x.env !== 'object') return "lacks 'env'";
  if (!Array.isArray(x.rounds)) return "lacks 'rounds'";
  for (const [i, round] of (x.rounds as unknown[]).entries()) {
    const rr = round as Record<string, unknown> | null;
    if (!rr || typeof rr.labeled !== 'number' || typeof rr.accuracy !== 'number' || !Number.isFinite(rr.accuracy)) {
      return `has a malformed rounds[${i}] (needs numeric labeled and accuracy)`;
    }
  }
  if (x.status === 'completed' && (x.rounds as unknown[]).length === 0) return 'is completed but has no rounds';
  return undefined;
}

export function readResultsDir(dir: string): ResultsRead {
  const abs = resolve(dir);
  if (!existsSync(abs)) throw new ResultsDirError(`results directory not found: ${abs}`);
  if (!statSync(abs).isDirectory()) throw new ResultsDirError(`${abs} is not a directory (expected a study's results directory, e.g. results/quick)`);
  const cells = cellsDir(abs);
  if (!existsSync(cells)) throw new ResultsDirError(`no cells/ directory in ${abs}: run the study first (albench run <spec> --results ${dir})`);
  const results: CellResult[] = [];
  const skipped: SkippedResultFile[] = [];
  for (const name of readdirSync(cells).filter((f) => f.endsWith('.json') && !f.startsWith('.') && !f.includes('.tmp')).sort()) {
    const path = join(cells, name);
    try {
      const parsed = parseCellResult(readFileSync(path, 'utf8'), path);
      const problem = shapeProblem(parsed);
      if (problem) throw new Error(`result file ${path} ${problem}`);
      results.push(parsed);
    } catch (err) {
      skipped.push({ path, reason: (err as Error).message });
    }
  }
  return { dir: abs, results, skipped };
}
