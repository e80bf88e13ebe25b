/**
 * The seam between the loop and hyper-parameter tuning (models/tune.ts): the recipe a cell's
 * rounds train with. Cells without `training.tune` pass through untouched. With it, the choice is
 * computed once per tuning key and stored beside the round-0 snapshots (`<results>/.round0/<key>.tune.json`),
 * so the other strategies of the seed, in this or another worker process, read it instead of
 * cross-validating again. It is a pure function of the key's inputs: a missing or unreadable file
 * only means computing the same choice again.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Dataset } from '../data/dataset.js';
import { tunedCell, tuneTraining } from '../models/tune.js';
import type { Rng } from '../rng.js';
import type { ResolvedCell } from '../spec/types.js';
import { writeFileAtomic } from '../store/atomic.js';
import type { TuningRecord } from '../store/schema.js';
import { round0Key } from './round0-cache.js';

/** Everything the choice depends on is what round 0 depends on (the grid is in `training`). */
export function tuneKey(cell: ResolvedCell): string {
  return `tune-${round0Key(cell)}`;
}

/** The cell with its tuned recipe and the record for its result; the cell itself when it does not tune. */
export async function resolveTraining(
  cell: ResolvedCell,
  data: Dataset,
  initial: Int32Array,
  rng: Rng,
  dir: string | undefined,
): Promise<{ cell: ResolvedCell; tuning?: TuningRecord }> {
  if (!cell.training.tune) return { cell };
  const key = tuneKey(cell);
  const file = dir === undefined ? undefined : join(dir, `${key}.json`);
  let record = file ? readTuning(file, key) : undefined;
  if (!record) {
    record = await tuneTraining(cell, data, initial, rng, key);
    if (file && dir) {
      try {
        mkdirSync(dir, { recursive: true });
        writeFileAtomic(file, `${JSON.stringify(record)}\n`);
      } catch {
        // Sharing is an optimisation; the choice is the same when recomputed.
      }
    }
  }
  return { cell: tunedCell(cell, record), tuning: record };
}

function readTuning(file: string, key: string): TuningRecord | undefined {
  try {
    const record = JSON.parse(readFileSync(file, 'utf8')) as TuningRecord;
    return record.key === key && Array.isArray(record.scores) ? record : undefined;
  } catch {
    return undefined;
  }
}
