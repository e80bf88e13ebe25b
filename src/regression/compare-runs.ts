/**
 * A baseline run against a candidate run of the same study (for example before and after a change
 * to a strategy): per setting and strategy, the per-seed differences candidate − baseline in AUBC
 * (Zhan et al. 2021) and in final accuracy, their mean with the 95 % t interval, and the two-sided
 * Wilcoxon signed-rank p (Wilcoxon 1945; exact at any tie, zeros dropped: wilcoxon.ts) with its
 * effect sizes, the matched-pairs rank-biserial r and the Hodges–Lehmann median difference. Seeds pair the two runs: seed s of both drew the same
 * initial set, weights and data order, so only the strategy's code differs.
 *
 * A difference is `regressed` when p < alpha and the mean difference is below −minEffect,
 * `improved` when p < alpha and above +minEffect, `unchanged` otherwise. A cell that completed in
 * the baseline but failed in the candidate counts as a regression too: a strategy that now crashes
 * got worse. Cells present on one side only are listed, never dropped silently.
 */
import { aubc } from '../analysis/aubc.js';
import { varyingAxes, settingLabel } from '../analysis/curves.js';
import { pairedTTest } from '../analysis/paired-t.js';
import { hodgesLehmann, wilcoxonSignedRank, type HodgesLehmann } from '../analysis/wilcoxon.js';
import type { ResolvedCell } from '../spec/types.js';
import type { CellResult, CompletedResult } from '../store/schema.js';
import { indexByMatchKey, settingConfig, settingKeyOf } from './match.js';

export const COMPARED_QUANTITIES = ['aubc', 'final-accuracy'] as const;
export type ComparedQuantity = (typeof COMPARED_QUANTITIES)[number];

export const VERDICTS = ['regressed', 'improved', 'unchanged'] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface CompareOptions {
  /** Significance level of the Wilcoxon test (default 0.05). */
  readonly alpha?: number;
  /** Smallest |mean difference| (accuracy units, 0.01 = one point) that can count as a change (default 0.01). */
  readonly minEffect?: number;
}

export const DEFAULT_ALPHA = 0.05;
export const DEFAULT_MIN_EFFECT = 0.01;

/** One setting × strategy × quantity. Differences are candidate − baseline; higher is better. */
export interface ComparisonRow {
  readonly settingKey: string;
  readonly setting: string;
  readonly strategy: string;
  readonly quantity: ComparedQuantity;
  /** Seeds completed on both sides, ascending: the pairs. */
  readonly seeds: readonly number[];
  readonly baselineMean: number;
  readonly candidateMean: number;
  readonly differences: readonly number[];
  readonly meanDiff: number;
  /** 95 % t interval of the mean difference; null with one pair. */
  readonly ci95: readonly [number, number] | null;
  readonly wilcoxonP: number;
  /** Matched-pairs rank-biserial correlation of the differences, in [−1, 1] (the Wilcoxon test's effect size). */
  readonly rankBiserial: number;
  /** Hodges–Lehmann median difference; its 95 % interval is null below 6 pairs, where none exists. */
  readonly hodgesLehmann: HodgesLehmann;
  readonly verdict: Verdict;
  /** Every pair has exactly the same value on both sides. */
  readonly identical: boolean;
}

/** A cell named in a listing. */
export interface CellRef {
  readonly id: string;
  readonly setting: string;
  readonly strategy: string;
  readonly seed: number;
  /** The failure message, for failed cells. */
  readonly error?: string;
}

export interface CompareReport {
  readonly alpha: number;
  readonly minEffect: number;
  readonly rows: readonly ComparisonRow[];
  /** Cells the baseline has and the candidate does not (by comparable config). */
  readonly missingInCandidate: readonly CellRef[];
  readonly missingInBaseline: readonly CellRef[];
  /** Completed in the baseline, failed in the candidate: counted as regressions. */
  readonly failedInCandidate: readonly CellRef[];
  /** Failed in the baseline (whatever the candidate did): not compared. */
  readonly failedInBaseline: readonly CellRef[];
  readonly counts: Readonly<Record<Verdict, number>>;
  /** Anything regressed (a row or a newly failing cell): the CLI exits 1. */
  readonly regressed: boolean;
  /** Caveats the reader needs, e.g. too few seeds for the test to ever reach alpha. */
  readonly notes: readonly string[];
}

/** Smallest two-sided exact Wilcoxon p with n non-zero pairs: 2 / 2^n. */
export function smallestWilcoxonP(n: number): number {
  return Math.min(1, 2 / 2 ** n);
}

function quantityOf(r: CompletedResult, quantity: ComparedQuantity): number {
  const rounds = [...r.rounds].sort((a, b) => a.labeled - b.labeled);
  if (quantity === 'final-accuracy') return rounds[rounds.length - 1].accuracy;
  return aubc(
    rounds.map((x) => x.labeled),
    rounds.map((x) => x.accuracy),
  );
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

export function verdictOf(meanDiff: number, p: number, alpha: number, minEffect: number): Verdict {
  if (p < alpha && meanDiff < -minEffect) return 'regressed';
  if (p < alpha && meanDiff > minEffect) return 'improved';
  return 'unchanged';
}

export function compareRuns(baseline: readonly CellResult[], candidate: readonly CellResult[], options: CompareOptions = {}): CompareReport {
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  const minEffect = options.minEffect ?? DEFAULT_MIN_EFFECT;
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  if (!(minEffect >= 0 && Number.isFinite(minEffect))) throw new RangeError(`minEffect must be a finite number ≥ 0, got ${minEffect}`);

  const base = indexByMatchKey(baseline, 'baseline');
  const cand = indexByMatchKey(candidate, 'candidate');
  // Labels name only the axes that vary across both runs, as the report does.
  const allCells = [...baseline, ...candidate].map((r) => ({ ...settingConfig(r.cell), id: r.cell.id, strategy: '', seed: 0 }) as ResolvedCell);
  const axes = varyingAxes(allCells);
  const label = (cell: ResolvedCell) => settingLabel({ ...settingConfig(cell), id: cell.id, strategy: cell.strategy, seed: cell.seed } as ResolvedCell, axes);
  const ref = (r: CellResult): CellRef => ({
    id: r.cell.id,
    setting: label(r.cell),
    strategy: r.cell.strategy,
    seed: r.cell.seed,
    ...(r.status === 'failed' ? { error: r.error.message } : {}),
  });

  const missingInCandidate: CellRef[] = [];
  const missingInBaseline: CellRef[] = [];
  const failedInCandidate: CellRef[] = [];
  const failedInBaseline: CellRef[] = [];
  // settingKey → strategy → paired completed results
  const groups = new Map<string, { label: string; byStrategy: Map<string, { seed: number; b: CompletedResult; c: CompletedResult }[]> }>();
  for (const [key, b] of base) {
    const c = cand.get(key);
    if (!c) {
      missingInCandidate.push(ref(b));
      continue;
    }
    if (b.status === 'failed') {
      failedInBaseline.push(ref(b));
      continue;
    }
    if (c.status === 'failed') {
      failedInCandidate.push(ref(c));
      continue;
    }
    const sk = settingKeyOf(b.cell);
    let g = groups.get(sk);
    if (!g) groups.set(sk, (g = { label: label(b.cell), byStrategy: new Map() }));
    const list = g.byStrategy.get(b.cell.strategy) ?? [];
    list.push({ seed: b.cell.seed, b, c });
    g.byStrategy.set(b.cell.strategy, list);
  }
  for (const [key, c] of cand) if (!base.has(key)) missingInBaseline.push(ref(c));

  const rows: ComparisonRow[] = [];
  let fewestPairs = Infinity;
  for (const [settingKey, g] of groups) {
    for (const [strategy, pairs] of g.byStrategy) {
      pairs.sort((x, y) => x.seed - y.seed);
      fewestPairs = Math.min(fewestPairs, pairs.length);
      for (const quantity of COMPARED_QUANTITIES) {
        const bv = pairs.map((p) => quantityOf(p.b, quantity));
        const cv = pairs.map((p) => quantityOf(p.c, quantity));
        const differences = cv.map((x, i) => x - bv[i]);
        const t = pairedTTest(differences);
        const w = wilcoxonSignedRank(differences);
        const wilcoxonP = w.p;
        rows.push({
          settingKey,
          setting: g.label,
          strategy,
          quantity,
          seeds: pairs.map((p) => p.seed),
          baselineMean: mean(bv),
          candidateMean: mean(cv),
          differences,
          meanDiff: t.meanDiff,
          ci95: t.ci95 === null ? null : [t.meanDiff - t.ci95, t.meanDiff + t.ci95],
          wilcoxonP,
          rankBiserial: w.rankBiserial,
          hodgesLehmann: hodgesLehmann(differences),
          verdict: verdictOf(t.meanDiff, wilcoxonP, alpha, minEffect),
          identical: differences.every((d) => d === 0),
        });
      }
    }
  }
  rows.sort((a, b) => (a.setting < b.setting ? -1 : a.setting > b.setting ? 1 : a.strategy < b.strategy ? -1 : a.strategy > b.strategy ? 1 : 0));

  const counts = { regressed: 0, improved: 0, unchanged: 0 };
  for (const r of rows) counts[r.verdict]++;
  const notes: string[] = [];
  if (rows.length > 0 && smallestWilcoxonP(fewestPairs) >= alpha) {
    notes.push(
      `only ${fewestPairs} paired seed${fewestPairs === 1 ? '' : 's'} in some comparison: the smallest two-sided Wilcoxon p with n pairs is 2/2^n = ${smallestWilcoxonP(fewestPairs).toPrecision(3)}, ` +
        `not below alpha ${alpha}, so those rows can never be labelled regressed or improved; run at least ${Math.ceil(Math.log2(2 / alpha) + 1e-9)} seeds`,
    );
  }
  if (rows.length === 0) notes.push('no cell completed on both sides, so nothing was compared');
  return {
    alpha,
    minEffect,
    rows,
    missingInCandidate,
    missingInBaseline,
    failedInCandidate,
    failedInBaseline,
    counts,
    regressed: counts.regressed > 0 || failedInCandidate.length > 0,
    notes,
  };
}
