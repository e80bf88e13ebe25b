/**
 * Each strategy against random sampling, per setting, with seeds as pairs (the paired design
 * makes seed s of both arms share the initial set and weights): the mean of the per-seed
 * differences, its 95 % t interval, and the two-sided Wilcoxon signed-rank p (wilcoxon.ts).
 */
import { aubc } from './aubc.js';
import { pairedTTest } from './paired-t.js';
import { commonSeeds, type CurveMetricName, type SeedCurve, type SettingRuns } from './seed-curves.js';
import { wilcoxonSignedRank } from './wilcoxon.js';

export type ComparedQuantity = 'aubc' | 'final';

export interface PairedComparison {
  readonly settingKey: string;
  readonly setting: string;
  readonly strategy: string;
  readonly quantity: ComparedQuantity;
  /** Seeds both arms have. */
  readonly seeds: readonly number[];
  /** strategy − baseline, per seed. */
  readonly differences: readonly number[];
  readonly meanDiff: number;
  /** Half-width of the 95 % CI; null below 2 seeds. */
  readonly ci95: number | null;
  readonly wilcoxonP: number;
  /** Paired t-test p, for reference next to the rank test; null below 2 seeds. */
  readonly tP: number | null;
}

/** The per-cell number compared: AUBC over the whole curve, or the value at the last checkpoint. */
export function curveQuantity(c: SeedCurve, quantity: ComparedQuantity, metric: CurveMetricName): number {
  const values = c[metric];
  return quantity === 'aubc' ? aubc(c.labeled, values) : values[values.length - 1];
}

export function pairedComparisons(
  settings: readonly SettingRuns[],
  baseline: string,
  quantity: ComparedQuantity = 'aubc',
  metric: CurveMetricName = 'accuracy',
): PairedComparison[] {
  const out: PairedComparison[] = [];
  for (const runs of settings) {
    const base = runs.byStrategy.get(baseline);
    if (!base) continue;
    for (const [strategy, bySeed] of runs.byStrategy) {
      if (strategy === baseline) continue;
      const seeds = commonSeeds(runs, strategy, baseline);
      if (seeds.length === 0) continue;
      const differences = seeds.map(
        (s) => curveQuantity(bySeed.get(s)!, quantity, metric) - curveQuantity(base.get(s)!, quantity, metric),
      );
      const t = pairedTTest(differences);
      out.push({
        settingKey: runs.key,
        setting: runs.label,
        strategy,
        quantity,
        seeds,
        differences,
        meanDiff: t.meanDiff,
        ci95: t.ci95,
        wilcoxonP: wilcoxonSignedRank(differences).p,
        tP: t.p,
      });
    }
  }
  return out;
}
