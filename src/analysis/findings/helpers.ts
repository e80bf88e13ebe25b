/** Pieces several findings share: AUBC per cell, AL gain per seed, matched pairs, the Finding record. */
import { aubc } from '../aubc.js';
import { factorValues, levelLabel, type FactorLevel } from '../factors.js';
import { independentSettings } from '../nested-budgets.js';
import { mean, sampleStd } from '../stats.js';
import { FITTED_ACCURACY } from '../fit.js';
import { checkPair, treatmentPairs, type TreatmentCheck } from '../treatment-checks.js';
import type { CurveMetricName, SeedCurve, SettingRuns } from '../seed-curves.js';
import { fmt, type Decision } from './procedure.js';
import type { Cell, EvidenceTable, Finding, FindingsInput, ResolvedDefinition, TreatmentAxis } from './types.js';

export const metricA: CurveMetricName = 'accuracy';

export function cellAubc(c: SeedCurve, metric: CurveMetricName = metricA): number {
  return aubc(c.labeled, c[metric]);
}

export function alStrategies(runs: SettingRuns, baseline: string): string[] {
  return [...runs.byStrategy.keys()].filter((s) => s !== baseline);
}

/** Mean over AL strategies of AUBC(strategy) − AUBC(random) at one seed; null if a piece is missing. */
export function alGain(runs: SettingRuns, seed: number, baseline: string, metric: CurveMetricName): number | null {
  const base = runs.byStrategy.get(baseline)?.get(seed);
  if (!base) return null;
  const gains = alStrategies(runs, baseline)
    .map((s) => runs.byStrategy.get(s)!.get(seed))
    .filter((c): c is SeedCurve => c !== undefined)
    .map((c) => cellAubc(c, metric) - cellAubc(base, metric));
  return gains.length ? mean(gains) : null;
}

/** Std over all strategies' AUBC at one seed (how far apart the strategies are). */
export function strategySpread(runs: SettingRuns, seed: number, metric: CurveMetricName): number | null {
  const values = [...runs.byStrategy.values()].map((m) => m.get(seed)).filter((c): c is SeedCurve => !!c).map((c) => cellAubc(c, metric));
  return sampleStd(values);
}

/**
 * For every matched pair (reference level, treated level) and every seed, a number; averaged per
 * seed over pairs, so the seed stays the unit of replication however many pairs there are.
 */
export function perSeed(
  pairs: readonly (readonly [FactorLevel, FactorLevel])[],
  f: (ref: SettingRuns, treat: SettingRuns, seed: number) => number | null,
): { values: number[]; seeds: number[]; rows: Cell[][] } {
  const bySeed = new Map<number, number[]>();
  const rows: Cell[][] = [];
  for (const [ref, treat] of pairs) {
    const seeds = [...new Set([...ref.runs.byStrategy.values()].flatMap((m) => [...m.keys()]))].sort((a, b) => a - b);
    for (const seed of seeds) {
      const v = f(ref.runs, treat.runs, seed);
      if (v === null) continue;
      bySeed.set(seed, [...(bySeed.get(seed) ?? []), v]);
      rows.push([treat.runs.label, levelLabel(ref.value), levelLabel(treat.value), seed, v]);
    }
  }
  const seeds = [...bySeed.keys()].sort((a, b) => a - b);
  return { values: seeds.map((s) => mean(bySeed.get(s)!)), seeds, rows };
}

export function minSeeds(settings: readonly SettingRuns[]): number {
  const counts = settings.flatMap((s) => [...s.byStrategy.values()].map((m) => m.size));
  return counts.length ? Math.min(...counts) : 0;
}

export function lacks(axis: string, values: readonly string[], suggestion: string): string {
  const shown = values.length ? values.map(levelLabel).join(', ') : 'none';
  return `the run does not vary ${axis} (value${values.length === 1 ? '' : 's'}: ${shown}); ${suggestion}`;
}

const EMPTY: EvidenceTable = { columns: [], rows: [] };

function record(def: ResolvedDefinition, statistic: string): Omit<Finding, 'value' | 'interval' | 'p' | 'effectSize' | 'familySize' | 'seedsNeeded' | 'verdict' | 'reason' | 'seeds' | 'evidence'> {
  const { id, title, claim, citation, counterView, estimand, direction, minEffect, presupposes } = def;
  return { id, title, claim, citation, ...(counterView ? { counterView } : {}), estimand, direction, minEffect, presupposes, statistic };
}

export function notCovered(def: ResolvedDefinition, statistic: string, reason: string): Finding {
  return { ...record(def, statistic), value: null, interval: null, p: null, effectSize: null, familySize: 0, seedsNeeded: null, verdict: 'not covered', reason, seeds: 0, evidence: EMPTY };
}

export function finish(def: ResolvedDefinition, statistic: string, d: Decision, seeds: number, evidence: EvidenceTable, familySize = 1): Finding {
  return {
    ...record(def, statistic),
    value: d.value,
    interval: d.interval,
    p: d.p,
    effectSize: d.effectSize,
    familySize,
    seedsNeeded: d.verdict === 'inconclusive' ? d.seedsNeeded : null,
    verdict: d.verdict,
    reason: d.reason,
    seeds,
    evidence,
  };
}

/** The run's independent settings: one per budget block (nested budgets are the same data). */
export function blocks(input: FindingsInput): SettingRuns[] {
  return independentSettings(input.settings);
}

function describeCheck(c: TreatmentCheck): string {
  const e = c.estimate;
  if (!e) return `${c.with} on ${c.setting}: no common seeds`;
  const interval = e.ci95 ? `, 95% CI [${fmt(e.ci95[0])}, ${fmt(e.ci95[1])}]` : '';
  const fit = c.fit.with !== null ? `, training accuracy ≥ ${c.fit.with.toFixed(2)} with it` : '';
  return `${c.with} on ${c.setting}: Δ ${fmt(e.mean)}${interval}${fit}`;
}

/** Why the failed checks failed: an honest negative where every arm fit, the recipe where one underfit. */
function whyFailed(failed: readonly TreatmentCheck[], baseline: string): string {
  const underfit = failed.filter((c) => c.outcome === 'no gain, underfit').length;
  const fitted = failed.filter((c) => c.outcome === 'no gain, fitted').length;
  const head = `the treatment did not improve the baseline (${baseline}) here, so what it does to AL cannot be judged`;
  if (fitted === failed.length) return `${head}; both arms fit their labelled sets (training accuracy ≥ ${FITTED_ACCURACY} in every round), so on this data and recipe it honestly does not help`;
  if (underfit > 0) return `${head}; in ${underfit} of ${failed.length} pairs an arm underfit (training accuracy < ${FITTED_ACCURACY} in some round), so the recipe may be to blame rather than the treatment`;
  return head;
}

/**
 * The matched pairs of the treatments a finding presupposes, kept only where the treatment
 * improved the baseline. `failed` names the pairs dropped; `none` says whether the run has any.
 */
export function workingPairs(
  input: FindingsInput,
  axes: readonly TreatmentAxis[],
): { kept: [FactorLevel, FactorLevel][]; all: number; failedReason: string | null; note: string } {
  const settings = blocks(input);
  const checks = axes.flatMap((axis) => treatmentPairs(settings, input.axes, axis).map((p) => checkPair(axis, p, input.baseline, input.axes)));
  const kept = checks.filter((c) => c.improved).map((c) => [c.pair[0], c.pair[1]] as [FactorLevel, FactorLevel]);
  const failed = checks.filter((c) => !c.improved);
  if (checks.length && !kept.length) {
    const shown = [...new Map(failed.map((c) => [describeCheck(c), c])).keys()].slice(0, 4).join('; ');
    return {
      kept,
      all: checks.length,
      failedReason: `${whyFailed(failed, input.baseline)} (${shown})`,
      note: '',
    };
  }
  const note = failed.length ? ` Judged on ${kept.length} of ${checks.length} matched pairs: the treatment did not improve ${input.baseline} in the others.` : '';
  return { kept, all: checks.length, failedReason: null, note };
}

/** Values of a top-level field across the run, for "not covered" reasons. */
export function valuesOf(input: FindingsInput, path: string): string[] {
  return factorValues(input.settings, path);
}

/** Inconclusive without a test: a presupposed treatment did not work, so nothing was judged. */
export function undecided(def: ResolvedDefinition, statistic: string, reason: string, seeds: number): Finding {
  return { ...notCovered(def, statistic, reason), verdict: 'inconclusive', seeds };
}
