/**
 * Spread across seeds per configuration (setting × strategy): the standard deviation of the
 * final accuracy and of AUBC. Munjal et al. (2022) show seed-to-seed variance can exceed the gaps
 * between strategies, so it belongs next to every ranking.
 */
import { aubc } from './aubc.js';
import { sampleStd, mean } from './stats.js';
import type { CurveMetricName, SettingRuns } from './seed-curves.js';

export interface VarianceRow {
  readonly settingKey: string;
  readonly setting: string;
  readonly strategy: string;
  readonly seeds: number;
  readonly finalMean: number;
  /** Sample std (n − 1) of the final value; null below 2 seeds. */
  readonly finalStd: number | null;
  readonly aubcStd: number | null;
  /** max − min of the final value over seeds. */
  readonly finalRange: number;
}

export function seedVariance(settings: readonly SettingRuns[], metric: CurveMetricName = 'accuracy'): VarianceRow[] {
  const rows: VarianceRow[] = [];
  for (const runs of settings) {
    for (const [strategy, bySeed] of runs.byStrategy) {
      const curves = [...bySeed.values()];
      const finals = curves.map((c) => c[metric][c[metric].length - 1]);
      rows.push({
        settingKey: runs.key,
        setting: runs.label,
        strategy,
        seeds: curves.length,
        finalMean: mean(finals),
        finalStd: sampleStd(finals),
        aubcStd: sampleStd(curves.map((c) => aubc(c.labeled, c[metric]))),
        finalRange: Math.max(...finals) - Math.min(...finals),
      });
    }
  }
  return rows;
}
