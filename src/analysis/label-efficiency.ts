/**
 * Label efficiency (Beck et al. 2021, "Effective evaluation of deep active learning on image
 * classification tasks", §4): how many labels a strategy needs to reach the accuracy random
 * sampling reaches with n labels. The ratio n / needed is above 1 when the strategy saves labels.
 *
 * Curves are the means over seeds, made non-decreasing by their running maximum (see
 * `monotoneEnvelope`) and inverted by linear interpolation; the ratio compares both arms' inverses
 * at the same accuracy level. A level the strategy never reaches is censored, not dropped: it is
 * reported with the bound its ratio is known to be under, and enters the geometric mean at that
 * bound, which then is an upper bound itself.
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
 * The running-max envelope of a curve: at each checkpoint the best value reached so far. A mean
 * curve over few seeds dips by noise; "the labels needed to reach y" only has one answer on a
 * non-decreasing curve, and the envelope is the smallest such curve above the data (the first
 * time the mean curve reaches y is the first time its envelope does).
 */
export function monotoneEnvelope(curve: MeanCurve): MeanCurve {
  let best = -Infinity;
  return { labeled: curve.labeled, values: curve.values.map((v) => (best = Math.max(best, v))) };
}

/**
 * Labels at which the curve's running-max envelope reaches `target`, interpolating linearly
 * between its checkpoints (the generalised inverse of a non-decreasing piecewise-linear curve).
 * A curve already at the target at its first point gives that point's labelled count (the curve
 * says nothing about fewer labels). Null when it never gets there: censored at its last count.
 */
export function labelsToReach(curve: MeanCurve, target: number): number | null {
  const { labeled, values } = monotoneEnvelope(curve);
  for (let i = 0; i < labeled.length; i++) {
    if (values[i] >= target) {
      if (i === 0 || values[i] === target) return labeled[i];
      const [x0, x1, y0, y1] = [labeled[i - 1], labeled[i], values[i - 1], values[i]];
      return x0 + ((target - y0) / (y1 - y0)) * (x1 - x0);
    }
  }
  return null;
}

export interface EfficiencyPoint {
  /**
   * Labels random needs for `baselineValue` (the inverse of its envelope): a checkpoint of
   * random's curve where its envelope rises.
   */
  readonly labeled: number;
  /** Random's envelope value there: the accuracy level compared. */
  readonly baselineValue: number;
  /** Labels the strategy needs for that level; null = censored (never reached within its budget). */
  readonly needed: number | null;
  /** labeled / needed; null when censored. */
  readonly ratio: number | null;
  /** Censored points only: the ratio is below labeled / (the strategy's last labelled count). */
  readonly ratioAtMost: number | null;
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
  /**
   * Geometric mean of the ratios over every point, censored ones entering at their bound
   * `ratioAtMost` (so with censored points it is an upper bound, `meanRatioIsBound`); null when
   * there is no point.
   */
  readonly meanRatio: number | null;
  readonly meanRatioIsBound: boolean;
  /** Censored points: levels the strategy never reached. */
  readonly neverReached: number;
  readonly targets: readonly TargetPoint[];
}

export const TARGET_FRACTIONS = [0.9, 0.95, 0.99] as const;

function geometricMean(xs: readonly number[]): number {
  return Math.exp(mean(xs.map(Math.log)));
}

/**
 * Per setting and strategy (random included, as the reference row), the efficiency at each level
 * random's envelope rises to after the initial set (where every strategy is equal by design), and
 * the labels to reach 90/95/99 % of random's final accuracy.
 *
 * Both "labels needed" come from one function (`labelsToReach`) applied to each arm's mean curve,
 * so the baseline's own row is exactly 1 at every point by construction. The earlier rule (random's
 * raw value at each checkpoint, first crossing of the strategy's raw curve) put random's ratio to
 * itself at 1.01–1.16 wherever its mean curve dipped. Ratios are averaged geometrically: a ratio
 * of 2 and one of ½ cancel.
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
    const envelope = monotoneEnvelope(baseCurve).values;
    // Levels where the baseline's envelope rises, past the shared initial checkpoint.
    const levels = envelope.filter((v, i) => i > 0 && v > envelope[i - 1]);
    for (const [strategy, seeds] of runs.byStrategy) {
      const curve = meanCurve([...seeds.values()], metric);
      if (curve.labeled.length === 0) continue;
      const last = curve.labeled[curve.labeled.length - 1];
      const points = levels.map((level) => {
        const labeled = labelsToReach(baseCurve, level)!;
        const needed = labelsToReach(curve, level);
        return {
          labeled,
          baselineValue: level,
          needed,
          ratio: needed === null ? null : labeled / needed,
          ratioAtMost: needed === null ? labeled / last : null,
        };
      });
      const ratios = points.map((p) => p.ratio ?? p.ratioAtMost!);
      rows.push({
        settingKey: runs.key,
        setting: runs.label,
        strategy,
        points,
        meanRatio: ratios.length ? geometricMean(ratios) : null,
        meanRatioIsBound: points.some((p) => p.needed === null),
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
