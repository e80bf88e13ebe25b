/**
 * Completed results regrouped for paired analysis: setting → strategy → seed → curve.
 *
 * Every metric in this folder compares strategies within one setting and pairs them by seed,
 * because the paired design gives all strategies of a seed the same initial set and weights.
 */
import type { CellResult, CompletedResult } from '../store/schema.js';
import type { ResolvedCell } from '../spec/types.js';
import { settingKey, settingLabel, settingOf, type Setting } from './curves.js';

/** One cell's learning curve, in round order. */
export interface SeedCurve {
  readonly seed: number;
  readonly cellId: string;
  readonly labeled: readonly number[];
  readonly accuracy: readonly number[];
  readonly macroF1: readonly number[];
  /** Accuracy on the labelled set after each round's training (models/fit.ts); NaN where a result has none. */
  readonly trainAccuracy?: readonly number[];
  /** Totals over the cell's rounds, in milliseconds. */
  readonly trainMs: number;
  readonly queryMs: number;
}

export type CurveMetricName = 'accuracy' | 'macroF1';

/** All curves of one setting. */
export interface SettingRuns {
  readonly key: string;
  readonly label: string;
  readonly setting: Setting;
  /** strategy → seed → curve; strategies and seeds in ascending order. */
  readonly byStrategy: ReadonlyMap<string, ReadonlyMap<number, SeedCurve>>;
}

function toCurve(r: CompletedResult): SeedCurve {
  const rounds = [...r.rounds].sort((a, b) => a.labeled - b.labeled);
  return {
    seed: r.cell.seed,
    cellId: r.cell.id,
    labeled: rounds.map((x) => x.labeled),
    accuracy: rounds.map((x) => x.accuracy),
    macroF1: rounds.map((x) => x.macroF1),
    trainAccuracy: rounds.map((x) => x.trainAccuracy ?? NaN),
    trainMs: rounds.reduce((acc, x) => acc + x.trainMs, 0),
    queryMs: rounds.reduce((acc, x) => acc + x.queryMs, 0),
  };
}

/** Completed results → settings sorted by label, each strategy's seeds sorted. Failed results are skipped. */
export function groupBySetting(results: readonly CellResult[], axes: readonly string[]): SettingRuns[] {
  const groups = new Map<string, { label: string; cell: ResolvedCell; runs: Map<string, Map<number, SeedCurve>> }>();
  for (const r of results) {
    if (r.status !== 'completed') continue;
    const key = settingKey(r.cell);
    let g = groups.get(key);
    if (!g) {
      g = { label: settingLabel(r.cell, axes), cell: r.cell, runs: new Map() };
      groups.set(key, g);
    }
    let bySeed = g.runs.get(r.cell.strategy);
    if (!bySeed) {
      bySeed = new Map();
      g.runs.set(r.cell.strategy, bySeed);
    }
    const clash = bySeed.get(r.cell.seed);
    if (clash) {
      // Counting one seed twice would fake a pair and shrink every interval.
      throw new Error(
        `Duplicate results for strategy '${r.cell.strategy}', seed ${r.cell.seed} in one setting: cells ${clash.cellId} and ${r.cell.id}`,
      );
    }
    bySeed.set(r.cell.seed, toCurve(r));
  }
  return [...groups.entries()]
    .map(([key, g]) => ({
      key,
      label: g.label,
      setting: settingOf(g.cell),
      byStrategy: new Map(
        [...g.runs.entries()]
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([s, seeds]) => [s, new Map([...seeds.entries()].sort((a, b) => a[0] - b[0]))]),
      ),
    }))
    .sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Seeds present for both strategies of a setting, ascending: the pairs of a paired comparison. */
export function commonSeeds(runs: SettingRuns, a: string, b: string): number[] {
  const sa = runs.byStrategy.get(a);
  const sb = runs.byStrategy.get(b);
  if (!sa || !sb) return [];
  return [...sa.keys()].filter((s) => sb.has(s));
}

/** Value of a dotted path in a setting (e.g. 'dataset.name'), or undefined. */
export function axisValue(setting: Setting, path: string): unknown {
  let v: unknown = setting;
  for (const key of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}
