/**
 * Critical-difference ranking (Demšar 2006, "Statistical comparisons of classifiers over
 * multiple data sets", JMLR 7): strategies ranked within each block, Friedman's test over the
 * blocks, then every pair compared by the Wilcoxon signed-rank test with Holm's correction at
 * α = 0.05 (the post-hoc Benavoli et al. 2016 recommend over Nemenyi's; Nemenyi's CD is kept
 * for the diagram's scale bar).
 *
 * A block is one seed of one dataset, the unit of replication: within it the strategies are
 * paired by design (same initial set, weights and data order). A strategy's score in a block is
 * its AUBC averaged over the independent settings of that dataset at that seed. Settings nested by budget (nested-budgets.ts:
 * cut from a larger budget by `derivedFrom`, or re-run to the same bits) are one independent
 * setting, scored on its largest budget that has every strategy at that seed; counting each budget
 * as its own block would count the shared rounds again. Settings of one seed share its initial set
 * and weights, so they are not independent blocks either: 5 seeds of one dataset give 5 blocks,
 * whatever the number of treatments (and an exact Wilcoxon test cannot reach p < 0.0625 with 5).
 * Different datasets (or dataset variants) share no data, so they are blocks of their own, as the
 * data sets of Demšar's comparisons are.
 *
 * Beside each pairwise p: the Hodges–Lehmann median difference with its exact interval and the
 * matched-pairs rank-biserial correlation (wilcoxon.ts).
 */
import { aubc } from './aubc.js';
import { budgetBlocks } from './nested-budgets.js';
import { friedmanTest, nemenyiCriticalDifference } from './friedman.js';
import { holmAdjust } from './holm.js';
import type { CurveMetricName, SettingRuns } from './seed-curves.js';
import { hodgesLehmann, wilcoxonSignedRank, type HodgesLehmann } from './wilcoxon.js';

export interface PairwiseRankTest {
  readonly a: string;
  readonly b: string;
  /** Mean of (a − b) AUBC over blocks. */
  readonly meanDiff: number;
  /** Hodges–Lehmann median of (a − b) over blocks, with its 95 % interval (null bounds below 6 blocks). */
  readonly hodgesLehmann: HodgesLehmann;
  /** Matched-pairs rank-biserial correlation of (a − b), in [−1, 1]. */
  readonly rankBiserial: number;
  readonly p: number;
  readonly pHolm: number;
  readonly significant: boolean;
}

export interface CdRanks {
  /** Strategies by average rank, best (lowest) first. */
  readonly strategies: readonly string[];
  readonly averageRanks: readonly number[];
  /** Blocks used: one per (dataset, seed) that has every strategy in at least one independent setting. */
  readonly blocks: number;
  /** Independent settings that gave blocks, and the nested settings folded into them. */
  readonly independentSettings: number;
  readonly nestedSettings: number;
  readonly friedmanChiSquare: number | null;
  readonly friedmanP: number | null;
  readonly pairwise: readonly PairwiseRankTest[];
  /** Nemenyi CD at α = 0.05; null beyond 10 strategies. */
  readonly criticalDifference: number | null;
  /** Maximal runs of strategies (in rank order) with no significant pair inside: the diagram's bars. */
  readonly cliques: readonly (readonly string[])[];
  readonly alpha: number;
}

/** Null when fewer than 2 strategies share at least 2 blocks. */
export function cdRanks(settings: readonly SettingRuns[], metric: CurveMetricName = 'accuracy', alpha = 0.05): CdRanks | null {
  const strategies = [...new Set(settings.flatMap((s) => [...s.byStrategy.keys()]))].sort();
  if (strategies.length < 2) return null;
  // (dataset, seed) → per-strategy AUBC sums over the independent settings complete there, and their count.
  const bySeed = new Map<string, { sums: number[]; settings: number }>();
  let independentSettings = 0;
  let nestedSettings = 0;
  for (const block of budgetBlocks(settings)) {
    // Largest budget first: it holds every round the smaller ones have.
    const members = block.levels.map((l) => l.runs).reverse();
    const complete = members.filter((runs) => strategies.every((s) => runs.byStrategy.has(s)));
    const used = new Set<SettingRuns>();
    const seeds = [...new Set(complete.flatMap((runs) => [...runs.byStrategy.get(strategies[0])!.keys()]))].sort((a, b) => a - b);
    for (const seed of seeds) {
      // The largest budget that has every strategy at this seed.
      const runs = complete.find((r) => strategies.every((s) => r.byStrategy.get(s)!.has(seed)));
      if (!runs) continue;
      used.add(runs);
      const key = JSON.stringify([runs.setting.dataset, seed]);
      const acc = bySeed.get(key) ?? { sums: new Array<number>(strategies.length).fill(0), settings: 0 };
      strategies.forEach((s, i) => {
        const c = runs.byStrategy.get(s)!.get(seed)!;
        acc.sums[i] += aubc(c.labeled, c[metric]);
      });
      acc.settings++;
      bySeed.set(key, acc);
    }
    if (used.size > 0) {
      independentSettings++;
      nestedSettings += members.length - 1;
    }
  }
  const blocks = [...bySeed.values()].map(({ sums, settings: n }) => sums.map((x) => x / n));
  if (blocks.length < 2) return null;

  const friedman = friedmanTest(blocks);
  const raw: Omit<PairwiseRankTest, 'pHolm' | 'significant'>[] = [];
  for (let i = 0; i < strategies.length; i++) {
    for (let j = i + 1; j < strategies.length; j++) {
      const d = blocks.map((b) => b[i] - b[j]);
      const w = wilcoxonSignedRank(d);
      raw.push({
        a: strategies[i],
        b: strategies[j],
        meanDiff: d.reduce((x, y) => x + y, 0) / d.length,
        hodgesLehmann: hodgesLehmann(d),
        rankBiserial: w.rankBiserial,
        p: w.p,
      });
    }
  }
  const adjusted = holmAdjust(raw.map((r) => r.p));
  const pairwise = raw.map((r, i) => ({ ...r, pHolm: adjusted[i], significant: adjusted[i] < alpha }));

  const order = strategies.map((s, i) => ({ s, r: friedman.averageRanks[i] })).sort((x, y) => x.r - y.r || (x.s < y.s ? -1 : 1));
  const names = order.map((o) => o.s);
  const differ = (a: string, b: string) => pairwise.some((p) => p.significant && ((p.a === a && p.b === b) || (p.a === b && p.b === a)));
  // For each start, extend while no member differs from any other; keep runs not inside another.
  const runs: string[][] = [];
  for (let i = 0; i < names.length; i++) {
    let j = i;
    while (j + 1 < names.length && names.slice(i, j + 1).every((m) => !differ(m, names[j + 1]))) j++;
    if (j > i && !runs.some((r) => r.includes(names[i]) && r.includes(names[j]))) runs.push(names.slice(i, j + 1));
  }
  return {
    strategies: names,
    averageRanks: order.map((o) => o.r),
    blocks: blocks.length,
    independentSettings,
    nestedSettings,
    friedmanChiSquare: friedman.chiSquare,
    friedmanP: friedman.p,
    pairwise,
    criticalDifference: nemenyiCriticalDifference(strategies.length, blocks.length),
    cliques: runs,
    alpha,
  };
}
