/**
 * Did each treatment do what it is for? For every treatment axis the run varies (augmentation,
 * SSL, the representation, the training protocol) and every matched pair of settings without and
 * with it, the paired effect on the baseline strategy: per seed, AUBC(with) − AUBC(without).
 *
 * A finding about what a treatment does to AL (F1, F2, F6, F8, F11) is judged only on pairs
 * where the treatment improved the baseline: when augmentation costs random sampling ten points,
 * the run says something about that recipe, not about augmentation and AL. Each check also carries
 * the baseline's fit in both arms (analysis/fit.ts), so a treatment that did not help is told
 * apart from one whose models underfit: only the first honestly does not help.
 */
import { aubc } from './aubc.js';
import { FITTED_ACCURACY, lowestMeanFit } from './fit.js';
import { settingLabel } from './curves.js';
import type { ResolvedCell } from '../spec/types.js';
import { findAxis, isOffValue, levelLabel, matchedGroups, type FactorLevel } from './factors.js';
import { estimate, type Estimate } from './findings/procedure.js';
import type { TreatmentAxis } from './findings/types.js';
import type { SettingRuns } from './seed-curves.js';

export const TREATMENT_AXES: readonly TreatmentAxis[] = ['augmentation', 'ssl', 'representation', 'protocol'];

export interface TreatmentCheck {
  readonly axis: TreatmentAxis;
  /** The matched group (every other axis), and the two levels compared. */
  readonly setting: string;
  readonly without: string;
  readonly with: string;
  readonly strategy: string;
  /** AUBC(with) − AUBC(without) of the baseline, per common seed. */
  readonly estimate: Estimate | null;
  /** The 95 % interval lies above 0: the treatment improved the baseline here. */
  readonly improved: boolean;
  /** The baseline's fit in each arm over the common seeds (lowest round of the mean training accuracy); null where not recorded. */
  readonly fit: { readonly without: number | null; readonly with: number | null };
  /**
   * `improved`; `no gain, fitted`: it did not help although both arms fit their labelled sets (at
   * least FITTED_ACCURACY), an honest negative on this data and recipe; `no gain, underfit`: an arm
   * underfit, so the recipe may be to blame; `no gain, fit not recorded`.
   */
  readonly outcome: TreatmentOutcome;
  readonly pair: readonly [FactorLevel, FactorLevel];
}

export type TreatmentOutcome = 'improved' | 'no gain, fitted' | 'no gain, underfit' | 'no gain, fit not recorded';

function outcomeOf(improved: boolean, fit: TreatmentCheck['fit']): TreatmentOutcome {
  if (improved) return 'improved';
  if (fit.without === null || fit.with === null) return 'no gain, fit not recorded';
  return Math.min(fit.without, fit.with) >= FITTED_ACCURACY ? 'no gain, fitted' : 'no gain, underfit';
}

/** The "off" level: none / absent / false, and for the protocol plain retraining without options. */
function isOff(axis: TreatmentAxis, canonical: string): boolean {
  if (isOffValue(canonical)) return true;
  if (axis !== 'protocol') return false;
  const v = JSON.parse(canonical) as unknown;
  return v === 'retrain' || (typeof v === 'object' && v !== null && Object.keys(v).length === 1 && (v as { name?: unknown }).name === 'retrain');
}

/** Matched (off, on) pairs of one treatment axis, when the run varies it. */
export function treatmentPairs(settings: readonly SettingRuns[], axes: readonly string[], axis: TreatmentAxis): [FactorLevel, FactorLevel][] {
  if (!findAxis(axes, axis)) return [];
  const pairs: [FactorLevel, FactorLevel][] = [];
  for (const group of matchedGroups(settings, axis)) {
    const ref = group.find((l) => isOff(axis, l.value));
    if (!ref) continue;
    for (const l of group) if (l !== ref && !isOff(axis, l.value)) pairs.push([ref, l]);
  }
  return pairs;
}

/**
 * The matched group's label: the treated setting's, without the treatment's own axes and without
 * sub-fields of an axis already named whole (`aug standard (translate=0.125)` says it once).
 */
function groupLabel(runs: SettingRuns, axes: readonly string[], axis: TreatmentAxis): string {
  const under = (a: string, top: string) => a === top || a.startsWith(`${top}.`);
  const shown = axes.filter((a) => !under(a, axis) && !axes.some((b) => b !== a && !b.includes('.') && a.startsWith(`${b}.`)));
  return shown.length ? settingLabel({ ...runs.setting, id: '', strategy: '', seed: 0 } as ResolvedCell, shown) : '(the only setting)';
}

export function checkPair(axis: TreatmentAxis, pair: readonly [FactorLevel, FactorLevel], baseline: string, axes: readonly string[] = []): TreatmentCheck {
  const [ref, treat] = pair;
  const a = treat.runs.byStrategy.get(baseline);
  const b = ref.runs.byStrategy.get(baseline);
  const seeds = a && b ? [...a.keys()].filter((s) => b.has(s)) : [];
  const d = seeds.map((s) => aubc(a!.get(s)!.labeled, a!.get(s)!.accuracy) - aubc(b!.get(s)!.labeled, b!.get(s)!.accuracy));
  const e = d.length ? estimate(d) : null;
  const improved = e?.ci95 != null && e.ci95[0] > 0;
  const fit = { without: lowestMeanFit(seeds.map((s) => b!.get(s)!)), with: lowestMeanFit(seeds.map((s) => a!.get(s)!)) };
  return {
    axis,
    setting: axes.length ? groupLabel(treat.runs, axes, axis) : treat.runs.label,
    without: levelLabel(ref.value),
    with: levelLabel(treat.value),
    strategy: baseline,
    estimate: e,
    improved,
    fit,
    outcome: outcomeOf(improved, fit),
    pair,
  };
}

/** Every treatment axis's paired effect on the baseline, pair by pair. */
export function treatmentChecks(settings: readonly SettingRuns[], axes: readonly string[], baseline: string): TreatmentCheck[] {
  return TREATMENT_AXES.flatMap((axis) => treatmentPairs(settings, axes, axis).map((p) => checkPair(axis, p, baseline, axes)));
}
