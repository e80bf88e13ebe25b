/**
 * A verdict on each finding of the critique papers, computed from this run's results.
 *
 * Every finding compares something *within matched groups* (settings that differ only in the
 * factor under test, see factors.ts), pairs runs by seed, and decides from a 95 % interval:
 *
 * - directional claims: **supported** when the interval lies on the claimed side of 0;
 *   **not supported** when it lies on the other side, or inside ±EQUIVALENCE_MARGIN (no effect
 *   worth the name); **inconclusive** otherwise;
 * - "differs" claims (F10): supported when the interval excludes 0, not supported when it
 *   sits inside ±EQUIVALENCE_MARGIN;
 * - ranking claims (F4, F5, F7, F12): supported when two strategies swap places *significantly*
 *   (paired t-test over seeds, α = 0.05, at both levels); not supported when some pair is
 *   significantly ordered and no significantly ordered pair changes sign anywhere;
 * - every verdict needs ≥ MIN_SEEDS seeds, else inconclusive; **not covered** names the axis
 *   the run lacks and how to add it.
 *
 * The report recommends ≥ RECOMMENDED_SEEDS seeds: CDALBench (Lüth et al. 2023) showed that
 * conclusions drawn from 3 seeds can flip.
 */
import { aubc, aubcBetween } from './aubc.js';
import { factorValues, findAxis, isOffValue, levelLabel, matchedGroups, type FactorLevel } from './factors.js';
import { holmAdjust } from './holm.js';
import { kendallTauB } from './kendall.js';
import { pairedTTest } from './paired-t.js';
import { mean, sampleStd } from './stats.js';
import type { CurveMetricName, SeedCurve, SettingRuns } from './seed-curves.js';

export const MIN_SEEDS = 3;
export const RECOMMENDED_SEEDS = 5;
/** AUBC / accuracy differences inside ±0.005 (half an accuracy point) count as no effect. */
export const EQUIVALENCE_MARGIN = 0.005;
const ALPHA = 0.05;

export const FINDING_IDS = ['F1', 'F2', 'F3', 'F4', 'F5', 'F6', 'F7', 'F8', 'F9', 'F10', 'F11', 'F12'] as const;
export type FindingId = (typeof FINDING_IDS)[number];
export type Verdict = 'supported' | 'not supported' | 'inconclusive' | 'not covered';

export type Cell = string | number | null;

/** The numbers behind a verdict, as a small table. */
export interface EvidenceTable {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
}

export interface Finding {
  readonly id: FindingId;
  readonly title: string;
  readonly claim: string;
  readonly citation: string;
  /**
   * When another critique paper found the opposite, that paper's view in one sentence: a
   * 'not supported' verdict then sides with it rather than simply disagreeing with "the paper".
   */
  readonly counterView?: string;
  /** What was computed, in words. */
  readonly statistic: string;
  /** The headline number (null when not computed). */
  readonly value: number | null;
  /** Its 95 % CI as [low, high], when it has one. */
  readonly interval: readonly [number, number] | null;
  readonly verdict: Verdict;
  /** Why this verdict: the decision rule's outcome, or what the run lacks. */
  readonly reason: string;
  /** Fewest seeds behind any number used (0 when not covered). */
  readonly seeds: number;
  readonly evidence: EvidenceTable;
}

export interface FindingsInput {
  readonly settings: readonly SettingRuns[];
  /** Varying setting axes (dotted paths), from curves.varyingAxes. */
  readonly axes: readonly string[];
  readonly baseline: string;
}

// ---------------------------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------------------------

interface Decision {
  readonly verdict: Verdict;
  readonly reason: string;
  readonly value: number | null;
  readonly interval: readonly [number, number] | null;
}

const fmt = (x: number, digits = 4) => (Number.isFinite(x) ? x.toFixed(digits) : String(x));

/** Directional (+1 / −1) or two-sided (0) decision from per-unit values, with its CI. */
export function decide(values: readonly number[], direction: 1 | -1 | 0, seeds: number, what: string): Decision {
  if (values.length === 0) return { verdict: 'inconclusive', reason: `no ${what} could be computed`, value: null, interval: null };
  const t = pairedTTest(values);
  const m = t.meanDiff;
  if (seeds < MIN_SEEDS) {
    return {
      verdict: 'inconclusive',
      reason: `only ${seeds} seed${seeds === 1 ? '' : 's'}; verdicts need ≥ ${MIN_SEEDS} (≥ ${RECOMMENDED_SEEDS} recommended)`,
      value: m,
      interval: t.ci95 === null ? null : [m - t.ci95, m + t.ci95],
    };
  }
  if (t.ci95 === null) return { verdict: 'inconclusive', reason: `one ${what} only: no interval`, value: m, interval: null };
  const [lo, hi] = [m - t.ci95, m + t.ci95];
  const ci = `95% CI [${fmt(lo)}, ${fmt(hi)}]`;
  const equivalent = lo >= -EQUIVALENCE_MARGIN && hi <= EQUIVALENCE_MARGIN;
  const base = { value: m, interval: [lo, hi] as const };
  if (direction === 0) {
    if (lo > 0 || hi < 0) return { ...base, verdict: 'supported', reason: `${ci} excludes 0` };
    if (equivalent) return { ...base, verdict: 'not supported', reason: `${ci} lies within ±${EQUIVALENCE_MARGIN}: no effect worth the name` };
    return { ...base, verdict: 'inconclusive', reason: `${ci} includes 0 but is too wide to rule out an effect` };
  }
  const claimed = direction > 0 ? lo > 0 : hi < 0;
  const opposite = direction > 0 ? hi < 0 : lo > 0;
  const side = direction > 0 ? 'above' : 'below';
  if (claimed) return { ...base, verdict: 'supported', reason: `${ci} lies ${side} 0, as claimed` };
  if (opposite) return { ...base, verdict: 'not supported', reason: `${ci} lies on the opposite side of 0` };
  if (equivalent) return { ...base, verdict: 'not supported', reason: `${ci} lies within ±${EQUIVALENCE_MARGIN}: no effect worth the name` };
  return { ...base, verdict: 'inconclusive', reason: `${ci} includes 0` };
}

function cellAubc(c: SeedCurve, metric: CurveMetricName): number {
  return aubc(c.labeled, c[metric]);
}

function seedsOf(runs: SettingRuns, strategy: string): number[] {
  return [...(runs.byStrategy.get(strategy)?.keys() ?? [])];
}

function alStrategies(runs: SettingRuns, baseline: string): string[] {
  return [...runs.byStrategy.keys()].filter((s) => s !== baseline);
}

/** Mean over AL strategies of AUBC(strategy) − AUBC(random) at one seed; null if a piece is missing. */
function alGain(runs: SettingRuns, seed: number, baseline: string, metric: CurveMetricName): number | null {
  const base = runs.byStrategy.get(baseline)?.get(seed);
  if (!base) return null;
  const gains = alStrategies(runs, baseline)
    .map((s) => runs.byStrategy.get(s)!.get(seed))
    .filter((c): c is SeedCurve => c !== undefined)
    .map((c) => cellAubc(c, metric) - cellAubc(base, metric));
  return gains.length ? mean(gains) : null;
}

/** Std over all strategies' AUBC at one seed (how far apart the strategies are). */
function strategySpread(runs: SettingRuns, seed: number, metric: CurveMetricName): number | null {
  const values = [...runs.byStrategy.values()].map((m) => m.get(seed)).filter((c): c is SeedCurve => !!c).map((c) => cellAubc(c, metric));
  return sampleStd(values);
}

/**
 * For every matched pair (reference level, treated level) and every seed both have, a number;
 * then averaged per seed over pairs, so the unit of replication is the seed.
 */
function perSeed(
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

/** Matched (off, on) pairs of a treatment factor such as augmentation or SSL. */
function treatmentPairs(settings: readonly SettingRuns[], path: string): [FactorLevel, FactorLevel][] {
  const pairs: [FactorLevel, FactorLevel][] = [];
  for (const group of matchedGroups(settings, path)) {
    const ref = group.find((l) => isOffValue(l.value));
    if (!ref) continue;
    for (const l of group) if (l !== ref && !isOffValue(l.value)) pairs.push([ref, l]);
  }
  return pairs;
}

/** The whole top-level field when anything under it varies (so all its sub-fields move together). */
function topFactor(axes: readonly string[], top: string): string | undefined {
  return findAxis(axes, top) ? top : undefined;
}

const EMPTY: EvidenceTable = { columns: [], rows: [] };

function notCovered(base: FindingBase, reason: string): Finding {
  return { ...base, statistic: base.statisticText, value: null, interval: null, verdict: 'not covered', reason, seeds: 0, evidence: EMPTY };
}

interface FindingBase {
  readonly id: FindingId;
  readonly title: string;
  readonly claim: string;
  readonly citation: string;
  readonly counterView?: string;
  readonly statisticText: string;
}

function finish(base: FindingBase, d: Decision, seeds: number, evidence: EvidenceTable): Finding {
  const { statisticText, ...rest } = base;
  return { ...rest, statistic: statisticText, value: d.value, interval: d.interval, verdict: d.verdict, reason: d.reason, seeds, evidence };
}

function lacks(axis: string, values: readonly string[], suggestion: string): string {
  const shown = values.length ? values.map(levelLabel).join(', ') : 'none';
  return `the run does not vary ${axis} (value${values.length === 1 ? '' : 's'}: ${shown}); ${suggestion}`;
}

// ---------------------------------------------------------------------------------------------
// Ranking stability (F4, F5, F7, F12)
// ---------------------------------------------------------------------------------------------

/** One level of a ranking comparison: per strategy, one number per seed (higher = better). */
interface RankLevel {
  readonly group: string;
  readonly label: string;
  readonly scores: ReadonlyMap<string, ReadonlyMap<number, number>>;
}

interface PairOrder {
  readonly mean: number;
  readonly significant: boolean;
}

function pairOrder(level: RankLevel, a: string, b: string): PairOrder | null {
  const sa = level.scores.get(a);
  const sb = level.scores.get(b);
  if (!sa || !sb) return null;
  const d = [...sa.keys()].filter((s) => sb.has(s)).map((s) => sa.get(s)! - sb.get(s)!);
  if (d.length === 0) return null;
  const t = pairedTTest(d);
  return { mean: t.meanDiff, significant: t.p !== null && t.p < ALPHA };
}

function rankingStability(base: FindingBase, groups: readonly (readonly RankLevel[])[], seeds: number): Finding {
  const rows: Cell[][] = [];
  const taus: number[] = [];
  let reversals = 0;
  let significantPairs = 0;
  let flipped = 0;
  for (const levels of groups) {
    const strategies = [...new Set(levels.flatMap((l) => [...l.scores.keys()]))].sort();
    for (let x = 0; x < levels.length; x++) {
      for (let y = x + 1; y < levels.length; y++) {
        const common = strategies.filter((s) => levels[x].scores.has(s) && levels[y].scores.has(s));
        const meanOf = (l: RankLevel, s: string) => mean([...l.scores.get(s)!.values()]);
        const tau = common.length >= 2 ? kendallTauB(common.map((s) => meanOf(levels[x], s)), common.map((s) => meanOf(levels[y], s))) : null;
        if (tau !== null) taus.push(tau);
        const swaps: string[] = [];
        for (let i = 0; i < common.length; i++) {
          for (let j = i + 1; j < common.length; j++) {
            const ox = pairOrder(levels[x], common[i], common[j]);
            const oy = pairOrder(levels[y], common[i], common[j]);
            if (!ox || !oy) continue;
            if (ox.significant || oy.significant) {
              significantPairs++;
              if (Math.sign(ox.mean) !== Math.sign(oy.mean)) flipped++;
            }
            if (ox.significant && oy.significant && Math.sign(ox.mean) !== Math.sign(oy.mean)) {
              reversals++;
              swaps.push(`${common[i]} ↔ ${common[j]}`);
            }
          }
        }
        rows.push([levels[x].group, levels[x].label, levels[y].label, common.length, tau, swaps.length ? swaps.join('; ') : '—']);
      }
    }
  }
  const value = taus.length ? mean(taus) : null;
  let verdict: Verdict;
  let reason: string;
  if (seeds < MIN_SEEDS) {
    verdict = 'inconclusive';
    reason = `only ${seeds} seed${seeds === 1 ? '' : 's'}; verdicts need ≥ ${MIN_SEEDS} (≥ ${RECOMMENDED_SEEDS} recommended)`;
  } else if (reversals > 0) {
    verdict = 'supported';
    reason = `${reversals} significant rank reversal${reversals === 1 ? '' : 's'} (each strategy significantly ahead at one level and behind at the other)`;
  } else if (significantPairs > 0 && flipped === 0) {
    verdict = 'not supported';
    reason = `${significantPairs} significantly ordered pair${significantPairs === 1 ? '' : 's'}, none changes order across levels`;
  } else if (significantPairs === 0) {
    verdict = 'inconclusive';
    reason = 'no pair of strategies is significantly ordered at any level, so rankings are noise here';
  } else {
    verdict = 'inconclusive';
    reason = `${flipped} of ${significantPairs} significantly ordered pairs change order, but never significantly at both levels`;
  }
  const { statisticText, ...rest } = base;
  return {
    ...rest,
    statistic: statisticText,
    value,
    interval: null,
    verdict,
    reason,
    seeds,
    evidence: { columns: ['Matched group', 'Level A', 'Level B', 'Strategies', 'Kendall τ-b', 'Significant reversals'], rows },
  };
}

function aubcScores(runs: SettingRuns, metric: CurveMetricName, range?: readonly [number, number]): Map<string, Map<number, number>> {
  const out = new Map<string, Map<number, number>>();
  for (const [strategy, bySeed] of runs.byStrategy) {
    const m = new Map<number, number>();
    for (const [seed, c] of bySeed) {
      const v = range ? aubcBetween(c.labeled, c[metric], range[0], range[1]) : cellAubc(c, metric);
      if (v !== null) m.set(seed, v);
    }
    out.set(strategy, m);
  }
  return out;
}

function groupName(levels: readonly FactorLevel[], path: string): string {
  // The matched group's label minus the factor's own part is hard to rebuild generically; the
  // first member's label with the factor named is unambiguous enough for an evidence table.
  return `${levels[0].runs.label} (varying ${path})`;
}

function rankLevelsAcross(settings: readonly SettingRuns[], path: string, metric: CurveMetricName): RankLevel[][] {
  return matchedGroups(settings, path).map((levels) =>
    levels.map((l) => ({ group: groupName(levels, path), label: levelLabel(l.value), scores: aubcScores(l.runs, metric) })),
  );
}

/**
 * A ranking claim across the levels of one top-level axis (F4, F5, F12): not covered when the run
 * does not vary `path` (the whole field, sub-fields moving together), else rankingStability.
 */
function rankingAcrossAxis(base: FindingBase, input: FindingsInput, path: string, axis: string, suggestion: string): Finding {
  if (!findAxis(input.axes, path)) return notCovered(base, lacks(axis, factorValues(input.settings, path), suggestion));
  const groups = rankLevelsAcross(input.settings, path, metricA);
  if (!groups.length) return notCovered(base, `no settings differ only in ${axis}`);
  return rankingStability(base, groups, minSeeds(input.settings));
}

function minSeeds(settings: readonly SettingRuns[]): number {
  const counts = settings.flatMap((s) => [...s.byStrategy.values()].map((m) => m.size));
  return counts.length ? Math.min(...counts) : 0;
}

// ---------------------------------------------------------------------------------------------
// The findings
// ---------------------------------------------------------------------------------------------

const metricA: CurveMetricName = 'accuracy';

function f1(input: FindingsInput): Finding {
  const base: FindingBase = {
    id: 'F1',
    title: 'Augmentation narrows the differences between strategies',
    claim: 'With data augmentation, query strategies differ less from each other (and from random) than without.',
    citation: 'Mittal et al. 2019, Parting with Illusions about Deep Active Learning',
    statisticText:
      'Per seed: std of AUBC across strategies with augmentation minus without, in settings that differ only in augmentation; mean over seeds (claim: < 0).',
  };
  const path = topFactor(input.axes, 'augmentation');
  if (!path) return notCovered(base, lacks('augmentation', factorValues(input.settings, 'augmentation'), 'add e.g. `augmentation: [none, <policy>]` to the matrix'));
  const pairs = treatmentPairs(input.settings, path);
  if (!pairs.length) return notCovered(base, 'no matched pair of settings with and without augmentation (no "none" level)');
  const r = perSeed(pairs, (ref, treat, seed) => {
    const a = strategySpread(treat, seed, metricA);
    const b = strategySpread(ref, seed, metricA);
    return a === null || b === null ? null : a - b;
  });
  const used = pairs.flatMap((p) => [p[0].runs, p[1].runs]);
  return finish(base, decide(r.values, -1, Math.min(r.seeds.length, minSeeds(used)), 'seed'), Math.min(r.seeds.length, minSeeds(used)), {
    columns: ['Setting', 'Without', 'With', 'Seed', 'Δ spread (std of AUBC)'],
    rows: r.rows,
  });
}

function f2(input: FindingsInput): Finding {
  const base: FindingBase = {
    id: 'F2',
    title: 'With SSL, the gain of AL over random shrinks or vanishes',
    claim: 'Semi-supervised training shrinks or removes the advantage of AL strategies over random sampling.',
    citation: 'Mittal et al. 2019; Lüth et al. 2023 (NeurIPS, Navigating the pitfalls of AL evaluation); Chan et al. 2021',
    statisticText:
      'Per seed: (mean AUBC gain of AL strategies over random) with SSL minus without, in settings that differ only in SSL; mean over seeds (claim: < 0).',
  };
  const path = topFactor(input.axes, 'ssl');
  if (!path) return notCovered(base, lacks('ssl', factorValues(input.settings, 'ssl'), 'add e.g. `ssl: [none, <method>]` to the matrix'));
  const pairs = treatmentPairs(input.settings, path);
  if (!pairs.length) return notCovered(base, 'no matched pair of settings with and without SSL (no "none" level)');
  const r = perSeed(pairs, (ref, treat, seed) => {
    const a = alGain(treat, seed, input.baseline, metricA);
    const b = alGain(ref, seed, input.baseline, metricA);
    return a === null || b === null ? null : a - b;
  });
  const seeds = Math.min(r.seeds.length, minSeeds(pairs.flatMap((p) => [p[0].runs, p[1].runs])));
  return finish(base, decide(r.values, -1, seeds, 'seed'), seeds, {
    columns: ['Setting', 'Without', 'With', 'Seed', 'Δ AL gain (AUBC)'],
    rows: r.rows,
  });
}

function f3(input: FindingsInput): Finding {
  const base: FindingBase = {
    id: 'F3',
    title: 'AL can lose to random at low budgets',
    claim: 'At small labelled-set sizes, AL strategies can do worse than random sampling.',
    citation: 'Mittal et al. 2019; Hacohen et al. 2022 (ICML, Active learning on a budget)',
    statisticText:
      'Per setting and AL strategy: mean accuracy difference to random over the low-budget checkpoints (after the initial set, up to one third of the labelled range), paired by seed; t-test p with Holm correction over all comparisons (claim: some significant loss).',
  };
  const comparisons: { setting: string; strategy: string; checkpoints: number[]; d: number[] }[] = [];
  for (const runs of input.settings) {
    const base0 = runs.byStrategy.get(input.baseline);
    if (!base0) continue;
    for (const s of alStrategies(runs, input.baseline)) {
      const seeds = seedsOf(runs, s).filter((x) => base0.has(x));
      if (!seeds.length) continue;
      const ref = base0.get(seeds[0])!;
      const first = ref.labeled[0];
      const last = ref.labeled[ref.labeled.length - 1];
      const cut = first + (last - first) / 3;
      const checkpoints = ref.labeled.filter((l, i) => i > 0 && l <= cut);
      if (!checkpoints.length && ref.labeled.length > 1) checkpoints.push(ref.labeled[1]);
      if (!checkpoints.length) continue;
      const d = seeds.map((seed) => {
        const a = runs.byStrategy.get(s)!.get(seed)!;
        const b = base0.get(seed)!;
        return mean(checkpoints.map((l) => (a.accuracy[a.labeled.indexOf(l)] ?? NaN) - (b.accuracy[b.labeled.indexOf(l)] ?? NaN)));
      }).filter(Number.isFinite);
      if (d.length) comparisons.push({ setting: runs.label, strategy: s, checkpoints, d });
    }
  }
  if (!comparisons.length) {
    return notCovered(base, input.settings.some((r) => r.byStrategy.has(input.baseline))
      ? 'no AL strategy ran next to random with more than one checkpoint'
      : `the run has no '${input.baseline}' baseline; add it to matrix.strategy`);
  }
  const tests = comparisons.map((c) => ({ ...c, t: pairedTTest(c.d) }));
  const holm = holmAdjust(tests.map((t) => t.t.p ?? 1));
  const seeds = Math.min(...comparisons.map((c) => c.d.length), minSeeds(input.settings));
  const rows: Cell[][] = tests.map((t, i) => [
    t.setting,
    t.strategy,
    t.checkpoints.join(' '),
    t.d.length,
    t.t.meanDiff,
    t.t.ci95,
    t.t.p,
    holm[i],
  ]);
  const losses = tests.filter((t, i) => holm[i] < ALPHA && t.t.meanDiff < 0).length;
  const wins = tests.filter((t, i) => holm[i] < ALPHA && t.t.meanDiff > 0).length;
  const worst = Math.min(...tests.map((t) => t.t.meanDiff));
  let verdict: Verdict;
  let reason: string;
  if (seeds < MIN_SEEDS) {
    verdict = 'inconclusive';
    reason = `only ${seeds} seed${seeds === 1 ? '' : 's'}; verdicts need ≥ ${MIN_SEEDS} (≥ ${RECOMMENDED_SEEDS} recommended)`;
  } else if (losses > 0) {
    verdict = 'supported';
    reason = `${losses} of ${tests.length} comparisons show a significant low-budget loss to random (Holm-adjusted p < ${ALPHA})`;
  } else if (wins === tests.length) {
    verdict = 'not supported';
    reason = `every AL strategy beats random significantly at low budget in every setting (${wins} of ${tests.length})`;
  } else {
    verdict = 'inconclusive';
    reason = `no significant low-budget loss; ${wins} of ${tests.length} comparisons are significant wins, the rest undecided`;
  }
  return {
    id: base.id, title: base.title, claim: base.claim, citation: base.citation, statistic: base.statisticText,
    value: worst, interval: null, verdict, reason, seeds,
    evidence: { columns: ['Setting', 'Strategy', 'Low-budget checkpoints', 'Seeds', 'Mean Δ accuracy', '± 95% CI', 'p (t)', 'p (Holm)'], rows },
  };
}

function f4(input: FindingsInput): Finding {
  const base: FindingBase = {
    id: 'F4',
    title: 'Strategy rankings are unstable across AL batch sizes',
    claim: 'Changing the AL batch size reorders strategies.',
    citation: 'Munjal et al. 2022 (CVPR, Towards robust and reproducible AL)',
    counterView: 'Beck et al. 2021 (Effective evaluation of deep AL) found that the AL batch size matters little.',
    statisticText:
      'Kendall τ-b between the strategies’ mean-AUBC rankings at different batch sizes (mean over pairs of levels), and significant rank reversals (paired t over seeds, α = 0.05, at both levels).',
  };
  return rankingAcrossAxis(base, input, 'batchSize', 'the AL batch size', 'add e.g. `batchSize: [10, 50]` to the matrix');
}

function f5(input: FindingsInput): Finding {
  const base: FindingBase = {
    id: 'F5',
    title: 'Rankings change across datasets',
    claim: 'The order of strategies on one dataset does not carry over to another.',
    citation: 'Mittal et al. 2019',
    statisticText: 'Kendall τ-b between mean-AUBC rankings on different datasets, and significant rank reversals (paired t over seeds, α = 0.05).',
  };
  return rankingAcrossAxis(base, input, 'dataset', 'the dataset', 'add a second dataset, e.g. `dataset: [digits, fashion-mnist]`');
}

function f6(input: FindingsInput): Finding {
  const base: FindingBase = {
    id: 'F6',
    title: 'Augmentation and regularisation reduce variance across seeds',
    claim: 'Runs with augmentation (or other regularisation) vary less from seed to seed.',
    citation: 'Munjal et al. 2022',
    statisticText:
      'Per matched pair and strategy: std over seeds of the final accuracy with the treatment minus without; mean over those units (claim: < 0).',
  };
  const path = topFactor(input.axes, 'augmentation') ?? input.axes.find((a) => /regulari|weightdecay|dropout/i.test(a));
  if (!path) return notCovered(base, lacks('augmentation or regularisation', factorValues(input.settings, 'augmentation'), 'add e.g. `augmentation: [none, <policy>]` to the matrix'));
  const pairs = treatmentPairs(input.settings, path);
  if (!pairs.length) return notCovered(base, `no matched pair of settings with and without ${path} (no "none" level)`);
  const values: number[] = [];
  const rows: Cell[][] = [];
  for (const [ref, treat] of pairs) {
    for (const [s, refSeeds] of ref.runs.byStrategy) {
      const treatSeeds = treat.runs.byStrategy.get(s);
      if (!treatSeeds) continue;
      const std = (m: ReadonlyMap<number, SeedCurve>) => sampleStd([...m.values()].map((c) => c.accuracy[c.accuracy.length - 1]));
      const a = std(treatSeeds);
      const b = std(refSeeds);
      if (a === null || b === null) continue;
      values.push(a - b);
      rows.push([treat.runs.label, s, b, a, a - b]);
    }
  }
  const seeds = minSeeds(pairs.flatMap((p) => [p[0].runs, p[1].runs]));
  return finish(base, decide(values, -1, seeds, 'strategy'), seeds, {
    columns: ['Setting', 'Strategy', 'Std without', 'Std with', 'Δ std'],
    rows,
  });
}

function f7(input: FindingsInput): Finding {
  const base: FindingBase = {
    id: 'F7',
    title: 'Opposite strategies suit low and high budgets',
    claim: 'The strategy that is best at a low budget is not the best at a high budget; the order can invert.',
    citation: 'Hacohen et al. 2022 (ICML, Active learning on a budget)',
    statisticText: findAxis(input.axes, 'budget')
      ? 'Kendall τ-b between mean-AUBC rankings at different budgets, and significant rank reversals (paired t over seeds, α = 0.05).'
      : 'Kendall τ-b between rankings by AUBC over the first and the second half of each curve, and significant rank reversals (paired t over seeds, α = 0.05).',
  };
  let groups: RankLevel[][];
  if (findAxis(input.axes, 'budget')) {
    groups = rankLevelsAcross(input.settings, 'budget', metricA);
  } else {
    // No budget axis: split each curve at its middle checkpoint (low half vs high half).
    groups = input.settings.flatMap((runs) => {
      const any = [...runs.byStrategy.values()][0]?.values().next().value;
      if (!any || any.labeled.length < 4) return [];
      const mid = any.labeled[Math.floor(any.labeled.length / 2)];
      const lo = [any.labeled[1], mid] as const;
      const hi = [mid, any.labeled[any.labeled.length - 1]] as const;
      return [[
        { group: runs.label, label: `≤ ${mid} labels`, scores: aubcScores(runs, metricA, lo) },
        { group: runs.label, label: `≥ ${mid} labels`, scores: aubcScores(runs, metricA, hi) },
      ]];
    });
  }
  if (!groups.length) return notCovered(base, 'neither a budget axis nor curves with ≥ 4 checkpoints to split into low and high budget');
  return rankingStability(base, groups, minSeeds(input.settings));
}

function f8(input: FindingsInput): Finding {
  const base: FindingBase = {
    id: 'F8',
    title: 'Gains from augmentation or SSL dwarf gains from AL',
    claim: 'Turning on augmentation or semi-supervised training improves accuracy far more than choosing an AL strategy over random.',
    citation: 'Bengar et al. 2021 (Reducing label effort: self-supervised meets active learning); Werner et al. 2024',
    statisticText:
      'Per seed: (random’s AUBC with the treatment − without) − (best AL strategy’s AUBC gain over random without the treatment); the best AL strategy is picked by mean, which favours AL; mean over seeds (claim: > 0).',
  };
  const paths = [topFactor(input.axes, 'augmentation'), topFactor(input.axes, 'ssl')].filter((p): p is string => !!p);
  if (!paths.length) {
    return notCovered(base, lacks('augmentation or ssl', [...factorValues(input.settings, 'augmentation'), ...factorValues(input.settings, 'ssl')], 'add `augmentation: [none, …]` or `ssl: [none, …]` to the matrix'));
  }
  const pairs = paths.flatMap((p) => treatmentPairs(input.settings, p));
  if (!pairs.length) return notCovered(base, 'no matched pair of settings with and without augmentation or SSL');
  const r = perSeed(pairs, (ref, treat, seed) => {
    const rRef = ref.byStrategy.get(input.baseline)?.get(seed);
    const rTreat = treat.byStrategy.get(input.baseline)?.get(seed);
    if (!rRef || !rTreat) return null;
    const als = alStrategies(ref, input.baseline);
    if (!als.length) return null;
    const best = als
      .map((s) => ({ s, m: mean([...ref.byStrategy.get(s)!.values()].map((c) => cellAubc(c, metricA))) }))
      .sort((a, b) => b.m - a.m)[0].s;
    const bestCurve = ref.byStrategy.get(best)!.get(seed);
    if (!bestCurve) return null;
    const trainGain = cellAubc(rTreat, metricA) - cellAubc(rRef, metricA);
    const alGainBest = cellAubc(bestCurve, metricA) - cellAubc(rRef, metricA);
    return trainGain - alGainBest;
  });
  const seeds = Math.min(r.seeds.length, minSeeds(pairs.flatMap((p) => [p[0].runs, p[1].runs])));
  return finish(base, decide(r.values, 1, seeds, 'seed'), seeds, {
    columns: ['Setting', 'Without', 'With', 'Seed', 'Training gain − AL gain (AUBC)'],
    rows: r.rows,
  });
}

function f9(input: FindingsInput): Finding {
  const base: FindingBase = {
    id: 'F9',
    title: 'Retraining every round beats warm-starting',
    claim:
      'Training a fresh model every round does better than continuing from the previous round’s weights (Beck et al. stress “the importance of retraining a new model at every round”; warm-started networks generalise worse, Ash & Adams 2020).',
    citation: 'Beck et al. 2021 (Effective evaluation of deep active learning on image classification tasks)',
    statisticText:
      'Per seed: mean over strategies of AUBC(warm start) − AUBC(retrain from the initial weights), in settings that differ only in the protocol (claim: < 0).',
  };
  const path = findAxis(input.axes, 'protocol.name') ?? input.axes.find((a) => /warm|protocol|retrain|reset/i.test(a));
  if (!path) {
    return notCovered(base, 'the run has no training-protocol axis: every cell retrains from the initial weights each round; add `protocol: [retrain, warm-start]` to the matrix');
  }
  const pairs: [FactorLevel, FactorLevel][] = [];
  for (const group of matchedGroups(input.settings, path)) {
    const warm = group.find((l) => /warm|true/i.test(l.value));
    const cold = group.find((l) => l !== warm);
    if (warm && cold) pairs.push([cold, warm]);
  }
  if (!pairs.length) return notCovered(base, `the axis ${path} varies, but no level names a warm start to compare against retraining`);
  const r = perSeed(pairs, (ref, treat, seed) => {
    const d = [...treat.byStrategy.entries()]
      .map(([s, m]) => [m.get(seed), ref.byStrategy.get(s)?.get(seed)] as const)
      .filter((x): x is readonly [SeedCurve, SeedCurve] => !!x[0] && !!x[1])
      .map(([a, b]) => cellAubc(a, metricA) - cellAubc(b, metricA));
    return d.length ? mean(d) : null;
  });
  const seeds = Math.min(r.seeds.length, minSeeds(pairs.flatMap((p) => [p[0].runs, p[1].runs])));
  return finish(base, decide(r.values, -1, seeds, 'seed'), seeds, {
    columns: ['Setting', 'Retrain', 'Warm start', 'Seed', 'Δ AUBC (warm − retrain)'],
    rows: r.rows,
  });
}

function f10(input: FindingsInput): Finding {
  const base: FindingBase = {
    id: 'F10',
    title: 'AL under class imbalance',
    claim: 'Class imbalance changes how much AL gains over random, measured in macro-F1 so rare classes count.',
    citation: 'Munjal et al. 2022',
    statisticText:
      'Per seed: (mean macro-F1 AUBC gain of AL strategies over random) on imbalanced data minus on balanced data, in settings that differ only in imbalance (claim: ≠ 0).',
  };
  const path = input.axes.find((a) => /imbalance/i.test(a));
  if (!path) {
    const anyImbalanced = input.settings.some((s) => JSON.stringify(s.setting).match(/"imbalance":(?!1[,}])/));
    return notCovered(
      base,
      anyImbalanced
        ? 'every setting has the same class imbalance, so there is no balanced counterpart to compare with'
        : 'the run has no class-imbalance axis; add a dataset such as `{ name: synthetic, imbalance: [1, 10] }`',
    );
  }
  const pairs: [FactorLevel, FactorLevel][] = [];
  for (const group of matchedGroups(input.settings, path)) {
    const balanced = group.find((l) => l.value === 'null' || l.value === '1');
    if (!balanced) continue;
    for (const l of group) if (l !== balanced) pairs.push([balanced, l]);
  }
  if (!pairs.length) return notCovered(base, `the axis ${path} varies, but no balanced level (imbalance 1 or unset) to compare against`);
  const r = perSeed(pairs, (ref, treat, seed) => {
    const a = alGain(treat, seed, input.baseline, 'macroF1');
    const b = alGain(ref, seed, input.baseline, 'macroF1');
    return a === null || b === null ? null : a - b;
  });
  const seeds = Math.min(r.seeds.length, minSeeds(pairs.flatMap((p) => [p[0].runs, p[1].runs])));
  return finish(base, decide(r.values, 0, seeds, 'seed'), seeds, {
    columns: ['Setting', 'Balanced', 'Imbalanced', 'Seed', 'Δ AL gain (macro-F1 AUBC)'],
    rows: r.rows,
  });
}

function f11(input: FindingsInput): Finding {
  const base: FindingBase = {
    id: 'F11',
    title: 'Self-supervised features eat the gain of AL over random',
    claim: 'On frozen self-supervised features, AL strategies gain less over random sampling than on raw inputs.',
    citation:
      'Bengar et al. 2021 (ICCV, Reducing label effort: self-supervised meets active learning); Chan et al. 2021 (ICASSP, Does self-supervision eat its cake?)',
    statisticText:
      'Per seed: (mean AUBC gain of AL strategies over random) on self-supervised features minus on raw inputs, in settings that differ only in the representation; mean over seeds (claim: < 0).',
  };
  const path = topFactor(input.axes, 'representation');
  if (!path) {
    return notCovered(base, lacks('the representation', factorValues(input.settings, 'representation'), 'add `representation: [raw, selfsup]` to the matrix (with model linear or mlp)'));
  }
  // Raw cells carry no representation field (null), which counts as the "off" level.
  const pairs = treatmentPairs(input.settings, path);
  if (!pairs.length) return notCovered(base, 'no matched pair of settings on raw inputs and on self-supervised features');
  const r = perSeed(pairs, (ref, treat, seed) => {
    const a = alGain(treat, seed, input.baseline, metricA);
    const b = alGain(ref, seed, input.baseline, metricA);
    return a === null || b === null ? null : a - b;
  });
  const seeds = Math.min(r.seeds.length, minSeeds(pairs.flatMap((p) => [p[0].runs, p[1].runs])));
  return finish(base, decide(r.values, -1, seeds, 'seed'), seeds, {
    columns: ['Setting', 'Raw', 'Self-supervised', 'Seed', 'Δ AL gain (AUBC)'],
    rows: r.rows,
  });
}

function f12(input: FindingsInput): Finding {
  const base: FindingBase = {
    id: 'F12',
    title: 'The size of the seed set reorders strategies',
    claim:
      'Starting AL from a smaller or a larger random initial labelled set (the seed set) changes which strategies come out ahead.',
    citation:
      'Beck et al. 2021 (the effect of the seed set); Hacohen et al. 2022 (ICML: how many labels a learner starts from sets its budget regime)',
    statisticText:
      'Kendall τ-b between the strategies’ mean-AUBC rankings at different seed-set sizes (each ranked over its own labelled range), and significant rank reversals (paired t over seeds, α = 0.05, at both levels).',
  };
  return rankingAcrossAxis(base, input, 'initialSize', 'the seed-set size', 'add e.g. `initialSize: [20, 100]` to the matrix');
}

/** F1–F12 in order. */
export function computeFindings(input: FindingsInput): Finding[] {
  return [f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12].map((f) => f(input));
}
