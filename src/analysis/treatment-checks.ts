/**
 * Did each treatment do what it is for? For every treatment axis the run varies (augmentation,
 * SSL, the representation, the training protocol) and every matched pair of settings without and
 * with it, the paired effect on the baseline strategy: per seed, AUBC(with) − AUBC(without).
 *
 * A finding about what a treatment does to AL (F1, F2, F6, F8, F11) is judged only on pairs
 * where the treatment improved the baseline: when augmentation costs random sampling ten points,
 * the run says something about that recipe, not about augmentation and AL.
 */
import { aubc } from './aubc.js';
import { findAxis, isOffValue, levelLabel, matchedGroups, type FactorLevel } from './factors.js';
import { estimate, type Estimate } from './findings/procedure.js';
import type { TreatmentAxis } from './findings/types.js';
import type { SettingRuns } from './seed-curves.js';

export const TREATMENT_AXES: readonly TreatmentAxis[] = ['augmentation', 'ssl', 'representation', 'protocol'];

export interface TreatmentCheck {
  readonly axis: TreatmentAxis;
  /** The treated setting's label, and the two levels compared. */
  readonly setting: string;
  readonly without: string;
  readonly with: string;
  readonly strategy: string;
  /** AUBC(with) − AUBC(without) of the baseline, per common seed. */
  readonly estimate: Estimate | null;
  /** The 95 % interval lies above 0: the treatment improved the baseline here. */
  readonly improved: boolean;
  readonly pair: readonly [FactorLevel, FactorLevel];
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

export function checkPair(axis: TreatmentAxis, pair: readonly [FactorLevel, FactorLevel], baseline: string): TreatmentCheck {
  const [ref, treat] = pair;
  const a = treat.runs.byStrategy.get(baseline);
  const b = ref.runs.byStrategy.get(baseline);
  const d = a && b ? [...a.keys()].filter((s) => b.has(s)).map((s) => aubc(a.get(s)!.labeled, a.get(s)!.accuracy) - aubc(b.get(s)!.labeled, b.get(s)!.accuracy)) : [];
  const e = d.length ? estimate(d) : null;
  return {
    axis,
    setting: treat.runs.label,
    without: levelLabel(ref.value),
    with: levelLabel(treat.value),
    strategy: baseline,
    estimate: e,
    improved: e?.ci95 != null && e.ci95[0] > 0,
    pair,
  };
}

/** Every treatment axis's paired effect on the baseline, pair by pair. */
export function treatmentChecks(settings: readonly SettingRuns[], axes: readonly string[], baseline: string): TreatmentCheck[] {
  return TREATMENT_AXES.flatMap((axis) => treatmentPairs(settings, axes, axis).map((p) => checkPair(axis, p, baseline)));
}
