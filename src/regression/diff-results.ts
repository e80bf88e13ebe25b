/**
 * Bit-for-bit comparison of a recorded cell result with a re-run of the same cell. Everything is
 * compared except the timing fields (store/schema.ts TIMING_FIELDS), `env` (the backend is
 * checked before the re-run; versions may differ and are reported beside a mismatch) and
 * `derivedFrom` (provenance: a cell cut from a larger-budget run is re-run on its own here, which is
 * exactly the check that the cut was right). A round field this version records but an older
 * record lacks (ADDED_ROUND_FIELDS: trainLoss, trainAccuracy, steps) is left out of the re-run's
 * round, so old committed results still verify on everything they hold. Numbers are
 * compared with Object.is on the values as read back from JSON, which round-trips every double
 * exactly, so "equal" means the same bits.
 */
import { ADDED_ROUND_FIELDS, TIMING_FIELDS, type CellResult, type RoundRecord } from '../store/schema.js';

export interface ResultMismatch {
  /** Round index of the first difference; absent when it lies outside the rounds (status, data, initial set). */
  readonly round?: number;
  /** Path of the first differing field, e.g. `accuracy`, `selected[3]`, `initial[0]`, `status`. */
  readonly field: string;
  readonly recorded: unknown;
  readonly rerun: unknown;
}

const IGNORED = new Set<string>([...TIMING_FIELDS, 'env', 'derivedFrom', 'reusedRound0']);

/** The first path (depth first, in the recorded value's key order) where `a` and `b` differ. */
function firstDifference(a: unknown, b: unknown, path: string): { path: string; a: unknown; b: unknown } | undefined {
  if (Object.is(a, b)) return undefined;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const d = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return a.length === b.length ? undefined : { path: `${path}.length`, a: a.length, b: b.length };
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ra = a as Record<string, unknown>;
    const rb = b as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(ra), ...Object.keys(rb)])].filter((k) => !IGNORED.has(k));
    for (const key of keys) {
      const d = firstDifference(ra[key], rb[key], path ? `${path}.${key}` : key);
      if (d) return d;
    }
    return undefined;
  }
  return { path, a, b };
}

/** The first difference between a recorded result and its re-run, or undefined when they agree bit for bit. */
export function diffCellResults(recorded: CellResult, rerun: CellResult): ResultMismatch | undefined {
  // Outcome first, then what the loop started from, then the rounds in order, so the report
  // names the earliest point at which the two runs parted.
  const order: [string, unknown, unknown][] = [
    ['status', recorded.status, rerun.status],
    ['error.message', recorded.status === 'failed' ? recorded.error.message : undefined, rerun.status === 'failed' ? rerun.error.message : undefined],
    ['cell', recorded.cell, rerun.cell],
    ['data', recorded.data, rerun.data],
    ['initial', recorded.initial, rerun.initial],
  ];
  for (const [field, a, b] of order) {
    const d = firstDifference(a, b, field);
    if (d) return { field: d.path, recorded: d.a, rerun: d.b };
  }
  const n = Math.min(recorded.rounds.length, rerun.rounds.length);
  for (let i = 0; i < n; i++) {
    const d = firstDifference(recorded.rounds[i], asRecorded(rerun.rounds[i], recorded.rounds[i]), '');
    if (d) return { round: recorded.rounds[i].round ?? i, field: d.path, recorded: d.a, rerun: d.b };
  }
  if (recorded.rounds.length !== rerun.rounds.length) {
    return { field: 'rounds.length', recorded: recorded.rounds.length, rerun: rerun.rounds.length };
  }
  // Anything else a future schema adds at the top level.
  const rest = (r: CellResult) => {
    const { schemaVersion: _v, status: _s, cell: _c, data: _d, initial: _i, rounds: _r, ...others } = r as CellResult & { error?: unknown };
    const { error: _e, ...kept } = others as Record<string, unknown>;
    return kept;
  };
  const d = firstDifference(rest(recorded), rest(rerun), '');
  return d ? { field: d.path, recorded: d.a, rerun: d.b } : undefined;
}

/** The re-run's round without the fields added after `recorded` was written. */
function asRecorded(rerun: RoundRecord, recorded: RoundRecord): RoundRecord {
  const missing = ADDED_ROUND_FIELDS.filter((k) => !(k in recorded) && k in rerun);
  if (missing.length === 0) return rerun;
  const out: Record<string, unknown> = { ...rerun };
  for (const k of missing) delete out[k];
  return out as unknown as RoundRecord;
}

/** One line naming the mismatch, e.g. `round 3, field accuracy: recorded 0.91, re-run 0.92`. */
export function describeMismatch(m: ResultMismatch): string {
  const show = (v: unknown) => (v === undefined ? '(absent)' : JSON.stringify(v));
  return `${m.round === undefined ? '' : `round ${m.round}, `}field ${m.field}: recorded ${show(m.recorded)}, re-run ${show(m.rerun)}`;
}
