/** Everything the report shows, computed once from the results (pure: no I/O). */
import type { CellResult, CompletedResult } from '../store/schema.js';
import { aubcTable, type AubcRow } from './aubc.js';
import { cdRanks, type CdRanks } from './cd-ranks.js';
import { costPerStrategy, type CostRow } from './cost.js';
import { aggregateCurves, varyingAxes, type CurveRow } from './curves.js';
import { computeFindings, type Finding } from './findings.js';
import { labelEfficiency, type LabelEfficiencyRow } from './label-efficiency.js';
import { pairedComparisons, type PairedComparison } from './paired-comparison.js';
import { penaltyMatrix, type PenaltyMatrix } from './penalty-matrix.js';
import { groupBySetting, type SettingRuns } from './seed-curves.js';
import { independentSettings } from './nested-budgets.js';
import { treatmentChecks, type TreatmentCheck } from './treatment-checks.js';
import { seedVariance, type VarianceRow } from './variance.js';
import type { FindingOptions } from './findings.js';

export interface Analysis {
  readonly baseline: string;
  /** Setting axes that vary in the study (dotted paths, display order). */
  readonly axes: readonly string[];
  readonly settings: readonly SettingRuns[];
  readonly curves: readonly CurveRow[];
  readonly aubc: readonly AubcRow[];
  readonly labelEfficiency: readonly LabelEfficiencyRow[];
  /** Strategy − baseline per setting: AUBC and final accuracy. */
  readonly paired: readonly PairedComparison[];
  readonly penalty: PenaltyMatrix;
  readonly cd: CdRanks | null;
  readonly variance: readonly VarianceRow[];
  readonly cost: readonly CostRow[];
  readonly findings: readonly Finding[];
  /** Each treatment's paired effect on the baseline (findings presupposing it use only improved pairs). */
  readonly treatments: readonly TreatmentCheck[];
  /** Fewest and most seeds of any setting × strategy (0 when nothing completed). */
  readonly seedRange: readonly [number, number];
}

export function analyze(results: readonly CellResult[], baseline: string, findingOptions?: FindingOptions): Analysis {
  const completed = results.filter((r): r is CompletedResult => r.status === 'completed');
  const axes = varyingAxes(completed.map((r) => r.cell));
  const settings = groupBySetting(completed, axes);
  const seedCounts = settings.flatMap((s) => [...s.byStrategy.values()].map((m) => m.size));
  return {
    baseline,
    axes,
    settings,
    curves: aggregateCurves(completed, { varyingAxes: axes }),
    aubc: aubcTable(settings),
    labelEfficiency: labelEfficiency(settings, baseline),
    paired: [...pairedComparisons(settings, baseline, 'aubc'), ...pairedComparisons(settings, baseline, 'final')],
    penalty: penaltyMatrix(settings),
    cd: cdRanks(settings),
    variance: seedVariance(settings),
    cost: costPerStrategy(completed),
    findings: computeFindings({ settings, axes, baseline, ...(findingOptions ? { options: findingOptions } : {}) }),
    treatments: treatmentChecks(independentSettings(settings), axes, baseline),
    seedRange: seedCounts.length ? [Math.min(...seedCounts), Math.max(...seedCounts)] : [0, 0],
  };
}
