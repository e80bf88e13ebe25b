/**
 * Label efficiency (Beck et al. 2021, "Effective evaluation of deep active learning on image
 * classification tasks", §4): how many labels a strategy needs to reach the accuracy random
 * sampling reaches with n labels. The ratio n / needed is above 1 when the strategy saves labels.
 *
 * Curves are the means over seeds; "needed" is interpolated linearly on the strategy's mean curve
 * at the first crossing. A target the curve never reaches is `null` ("never reached"), not an
 * error: it is a result, and a common one at small budgets.
 */
import { mean } from './stats.js';
import type { CurveMetricName, SeedCurve, SettingRuns } from './seed-curves.js';

export interface MeanCurve {
  readonly labeled: readonly number[];
  readonly values: readonly number[];
}

/** Mean over seeds at each labelled count that every seed reached. */
export function meanCurve(curves: readonly SeedCurve[], metric: CurveMetricName = 'accuracy'): MeanCurve {
  if (curves.length === 0) return { labeled: [], values: [] };
  const shared = curves[0].labeled.filter((l) => curves.every((c) => c.labeled.includes(l)));
  return {
    labeled: shared,
    values: shared.map((l) => mean(curves.map((c) => c[metric][c.labeled.indexOf(l)]))),
  };
}

/**
 * Labels at which the curve first reaches `target`, interpolating linearly between checkpoints.
 * A curve already at the target at its first point gives that point's labelled count (the
 * curve says nothing about fewer labels). Null when it never gets there.
 */
export function labelsToReach(curve: MeanCurve, target: number): number | null {
  const { labeled, values } = curve;
  for (let i = 0; i < labeled.length; i++) {
    if (values[i] >= target) {
      if (i === 0) return labeled[0];
      const [x0, x1, y0, y1] = [labeled[i - 1], labeled[i], values[i - 1], values[i]];
      return x0 + ((target - y0) / (y1 - y0)) * (x1 - x0);
    }
  }
  return null;
}

export interface EfficiencyPoint {
  /** A checkpoint n on random's curve. */
  readonly labeled: number;
  /** Random's mean accuracy at n. */
  readonly baselineValue: number;
  /** Labels the strategy needs for that accuracy; null = never reached within its budget. */
  readonly needed: number | null;
  /** n / needed; null when never reached. */
  readonly ratio: number | null;
}

export interface TargetPoint {
  /** Fraction of random's final mean accuracy, e.g. 0.95. */
  readonly fraction: number;
  readonly target: number;
  readonly needed: number | null;
}

export interface LabelEfficiencyRow {
  readonly settingKey: string;
  readonly setting: string;
  readonly strategy: string;
  readonly points: readonly EfficiencyPoint[];
  /** Mean of the defined ratios; null when none is defined. */
  readonly meanRatio: number | null;
  /** Checkpoints whose accuracy the strategy never reached. */
  readonly neverReached: number;
  readonly targets: readonly TargetPoint[];
}

export const TARGET_FRACTIONS = [0.9, 0.95, 0.99] as const;

/**
 * Per setting and strategy (random included, as the reference row), the efficiency at each
 * checkpoint of random's curve after the initial set (where every strategy is equal by design)
 * and the labels to reach 90/95/99 % of random's final accuracy.
 */
export function labelEfficiency(
  settings: readonly SettingRuns[],
  baseline: string,
  metric: CurveMetricName = 'accuracy',
): LabelEfficiencyRow[] {
  const rows: LabelEfficiencyRow[] = [];
  for (const runs of settings) {
    const base = runs.byStrategy.get(baseline);
    if (!base) continue;
    const baseCurve = meanCurve([...base.values()], metric);
    if (baseCurve.labeled.length === 0) continue;
    const final = baseCurve.values[baseCurve.values.length - 1];
    for (const [strategy, seeds] of runs.byStrategy) {
      const curve = meanCurve([...seeds.values()], metric);
      const points = baseCurve.labeled.slice(1).map((n, i) => {
        const baselineValue = baseCurve.values[i + 1];
        const needed = labelsToReach(curve, baselineValue);
        return { labeled: n, baselineValue, needed, ratio: needed === null ? null : n / needed };
      });
      const ratios = points.map((p) => p.ratio).filter((r): r is number => r !== null);
      rows.push({
        settingKey: runs.key,
        setting: runs.label,
        strategy,
        points,
        meanRatio: ratios.length ? mean(ratios) : null,
        neverReached: points.filter((p) => p.needed === null).length,
        targets: TARGET_FRACTIONS.map((fraction) => ({
          fraction,
          target: fraction * final,
          needed: labelsToReach(curve, fraction * final),
        })),
      });
    }
  }
  return rows;
}
