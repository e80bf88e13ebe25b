/**
 * Area under the budget curve, AUBC (Zhan et al. 2021, "A comparative survey: benchmarking for
 * pool-based active learning", IJCAI survey track): the area under accuracy against labelled
 * count by the trapezoidal rule, divided by the labelled range so that it reads as an average
 * accuracy over the budget (a flat curve at 0.8 has AUBC 0.8).
 */
import { summarize, type MetricSummary } from './stats.js';
import type { CurveMetricName, SettingRuns } from './seed-curves.js';
import { rankDescending } from './ranks.js';

/** Trapezoidal area of `values` over `labeled` (ascending), normalised by the labelled range. */
export function aubc(labeled: readonly number[], values: readonly number[]): number {
  if (labeled.length !== values.length) throw new RangeError(`aubc: ${labeled.length} labelled counts but ${values.length} values`);
  if (labeled.length === 0) throw new RangeError('aubc: empty curve');
  // One point has no width; its value is the only honest average.
  if (labeled.length === 1) return values[0];
  let area = 0;
  for (let i = 1; i < labeled.length; i++) {
    const width = labeled[i] - labeled[i - 1];
    if (width < 0) throw new RangeError(`aubc: labelled counts must ascend, got ${labeled[i - 1]} then ${labeled[i]}`);
    area += (width * (values[i] + values[i - 1])) / 2;
  }
  const range = labeled[labeled.length - 1] - labeled[0];
  return range === 0 ? values[values.length - 1] : area / range;
}

/** AUBC restricted to the points with `from ≤ labeled ≤ to`. Null with no point in range. */
export function aubcBetween(labeled: readonly number[], values: readonly number[], from: number, to: number): number | null {
  const idx = labeled.map((l, i) => [l, i] as const).filter(([l]) => l >= from && l <= to).map(([, i]) => i);
  if (idx.length === 0) return null;
  return aubc(idx.map((i) => labeled[i]), idx.map((i) => values[i]));
}

export interface AubcRow {
  readonly settingKey: string;
  readonly setting: string;
  readonly strategy: string;
  readonly perSeed: readonly { readonly seed: number; readonly aubc: number }[];
  readonly summary: MetricSummary;
  /** Rank of the mean within its setting, 1 = best; ties share the average rank. */
  readonly rank: number;
}

/** AUBC of every cell, summarised over seeds per setting × strategy, ranked within each setting. */
export function aubcTable(settings: readonly SettingRuns[], metric: CurveMetricName = 'accuracy'): AubcRow[] {
  const rows: AubcRow[] = [];
  for (const runs of settings) {
    const inSetting = [...runs.byStrategy.entries()].map(([strategy, seeds]) => {
      const perSeed = [...seeds.values()].map((c) => ({ seed: c.seed, aubc: aubc(c.labeled, c[metric]) }));
      return { strategy, perSeed, summary: summarize(perSeed.map((p) => p.aubc)) };
    });
    const ranks = rankDescending(inSetting.map((r) => r.summary.mean));
    inSetting.forEach((r, i) => rows.push({ settingKey: runs.key, setting: runs.label, ...r, rank: ranks[i] }));
  }
  return rows;
}
