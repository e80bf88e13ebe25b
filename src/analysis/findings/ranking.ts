/**
 * Ranking claims (F4, F5, F7, F12: "changing X reorders strategies"), as a strategy × level
 * interaction paired by seed.
 *
 * For every matched group, pair of strategies (a, b) and level: the simple effect a − b per seed.
 * For every two levels x, y: the interaction contrast (a − b at x) − (a − b at y) per seed.
 * - **supported**: some pair is ordered one way at x and the other way at y, each simple effect
 *   significant after Holm over the family of all simple effects and at least the smallest
 *   effect of interest;
 * - **not supported**: for every pair and two levels a reversal is ruled out, either because
 *   the interaction is equivalent to 0 within ±m (two one-sided tests) or because the pair is
 *   significantly ordered the same way at both levels (each at α: an intersection–union test);
 *   the absence of a significant reversal is never enough;
 * - **inconclusive** otherwise.
 */
import { holmAdjust } from '../holm.js';
import { ALPHA, MIN_SEEDS, RECOMMENDED_SEEDS, estimate, fmt, isEquivalent, seedsToFit, type Decision, type Estimate } from './procedure.js';
import type { Cell } from './types.js';

/** One level of a ranking comparison: per strategy, one number per seed (higher = better). */
export interface RankLevel {
  readonly group: string;
  readonly label: string;
  readonly scores: ReadonlyMap<string, ReadonlyMap<number, number>>;
}

function diffs(x: ReadonlyMap<number, number>, y: ReadonlyMap<number, number>): Map<number, number> {
  const out = new Map<number, number>();
  for (const [s, v] of x) if (y.has(s)) out.set(s, v - y.get(s)!);
  return out;
}

interface Simple {
  readonly e: Estimate;
  pHolm: number;
}

export const RANKING_COLUMNS = [
  'Matched group', 'Pair', 'Level A', 'Level B', 'Δ at A', 'p Holm at A', 'Δ at B', 'p Holm at B', 'Interaction (A − B)', '90% CI low', '90% CI high', 'Outcome',
];

export function decideRanking(groups: readonly (readonly RankLevel[])[], minEffect: number): { decision: Decision; familySize: number; seeds: number; rows: Cell[][] } {
  // Every simple effect once, in the Holm family (an array: two groups may share a label).
  const simple: Simple[] = [];
  const contrasts: { group: string; pair: string; x: RankLevel; y: RankLevel; sx: Simple; sy: Simple; e: Estimate }[] = [];
  let seeds = Infinity;
  for (const levels of groups) {
    const strategies = [...new Set(levels.flatMap((l) => [...l.scores.keys()]))].sort();
    for (let i = 0; i < strategies.length; i++) {
      for (let j = i + 1; j < strategies.length; j++) {
        const [a, b] = [strategies[i], strategies[j]];
        const per = levels.map((l) => {
          const sa = l.scores.get(a);
          const sb = l.scores.get(b);
          return sa && sb ? diffs(sa, sb) : new Map<number, number>();
        });
        const simples = per.map((d) => {
          if (d.size < 2) return null;
          seeds = Math.min(seeds, d.size);
          const s: Simple = { e: estimate([...d.values()]), pHolm: 1 };
          simple.push(s);
          return s;
        });
        for (let x = 0; x < levels.length; x++) {
          for (let y = x + 1; y < levels.length; y++) {
            const sx = simples[x];
            const sy = simples[y];
            if (!sx || !sy) continue;
            const inter = [...per[x].keys()].filter((s) => per[y].has(s)).map((s) => per[x].get(s)! - per[y].get(s)!);
            if (inter.length < 2) continue;
            contrasts.push({ group: levels[x].group, pair: `${a} − ${b}`, x: levels[x], y: levels[y], sx, sy, e: estimate(inter) });
          }
        }
      }
    }
  }
  const all = simple;
  const adjusted = holmAdjust(all.map((s) => s.e.p ?? 1));
  all.forEach((s, i) => (s.pHolm = adjusted[i]));
  const familySize = all.length;
  if (seeds === Infinity) seeds = 0;

  const significant = (s: Simple) => s.pHolm < ALPHA && Math.abs(s.e.mean) >= minEffect;
  const reversed = (c: (typeof contrasts)[number]) => significant(c.sx) && significant(c.sy) && Math.sign(c.sx.e.mean) !== Math.sign(c.sy.e.mean);
  const sameOrder = (c: (typeof contrasts)[number]) =>
    (c.sx.e.p ?? 1) < ALPHA && (c.sy.e.p ?? 1) < ALPHA && Math.sign(c.sx.e.mean) === Math.sign(c.sy.e.mean);
  const ruledOut = (c: (typeof contrasts)[number]) => isEquivalent(c.e, minEffect) || sameOrder(c);
  const outcome = (c: (typeof contrasts)[number]) =>
    reversed(c) ? 'reversal' : isEquivalent(c.e, minEffect) ? `equivalent within ±${minEffect}` : sameOrder(c) ? 'same order at both' : 'undecided';
  const rows: Cell[][] = contrasts.map((c) => [
    c.group, c.pair, c.x.label, c.y.label, c.sx.e.mean, c.sx.pHolm, c.sy.e.mean, c.sy.pHolm, c.e.mean, c.e.ci90?.[0] ?? null, c.e.ci90?.[1] ?? null, outcome(c),
  ]);

  const size = (c: (typeof contrasts)[number]) => Math.min(Math.abs(c.sx.e.mean), Math.abs(c.sy.e.mean));
  const empty: Decision = { verdict: 'inconclusive', reason: 'no pair of strategies shares ≥ 2 seeds at two levels', value: null, interval: null, p: null, effectSize: null, seedsNeeded: null };
  if (!contrasts.length) return { decision: empty, familySize, seeds, rows };
  const biggest = [...contrasts].sort((a, b) => Math.abs(b.e.mean) - Math.abs(a.e.mean))[0];
  const head = (c: (typeof contrasts)[number], verdict: Decision['verdict'], reason: string, seedsNeeded: number | null = null): Decision => ({
    verdict, reason, value: c.e.mean, interval: c.e.ci95, p: Math.max(c.sx.pHolm, c.sy.pHolm), effectSize: c.e.dz, seedsNeeded,
  });
  const where = (c: (typeof contrasts)[number]) => `${c.pair} in ${c.group}: ${fmt(c.sx.e.mean)} at ${c.x.label}, ${fmt(c.sy.e.mean)} at ${c.y.label}`;
  if (seeds < MIN_SEEDS) {
    return { decision: head(biggest, 'inconclusive', `only ${seeds} seed${seeds === 1 ? '' : 's'}; verdicts need ≥ ${MIN_SEEDS} (≥ ${RECOMMENDED_SEEDS} recommended)`), familySize, seeds, rows };
  }
  const reversals = contrasts.filter(reversed);
  if (reversals.length) {
    const best = [...reversals].sort((a, b) => size(b) - size(a))[0];
    return {
      decision: head(best, 'supported', `${reversals.length} significant rank reversal${reversals.length === 1 ? '' : 's'} (both simple effects Holm-significant in a family of ${familySize} and ≥ ${minEffect}); largest: ${where(best)}`),
      familySize, seeds, rows,
    };
  }
  const open = contrasts.filter((c) => !ruledOut(c));
  if (!open.length) {
    return {
      decision: head(biggest, 'not supported', `every one of ${contrasts.length} pair × level contrasts rules a reversal out (interaction equivalent to 0 within ±${minEffect}, or the same significant order at both levels)`),
      familySize, seeds, rows,
    };
  }
  // Seeds to decide: the likeliest reversal made significant, else the open contrasts made equivalent.
  const candidates = open.filter((c) => Math.sign(c.sx.e.mean) !== Math.sign(c.sy.e.mean) && size(c) >= minEffect);
  let needed: number | null;
  if (candidates.length) {
    const c = [...candidates].sort((a, b) => size(b) - size(a))[0];
    const nx = seedsToFit(c.sx.e.sd, Math.abs(c.sx.e.mean), ALPHA / familySize);
    const ny = seedsToFit(c.sy.e.sd, Math.abs(c.sy.e.mean), ALPHA / familySize);
    needed = nx === null || ny === null ? null : Math.max(nx, ny);
  } else {
    const ns = open.map((c) => seedsToFit(c.e.sd, minEffect - Math.abs(c.e.mean), 2 * ALPHA));
    needed = ns.some((n) => n === null) ? null : Math.max(...(ns as number[]));
  }
  const more = needed === null ? '' : `; about ${needed} seeds would decide it at the observed variance`;
  return {
    decision: head(
      candidates.length ? [...candidates].sort((a, b) => size(b) - size(a))[0] : biggest,
      'inconclusive',
      `no significant reversal (Holm in a family of ${familySize}), and ${open.length} of ${contrasts.length} pair × level contrasts can neither be ruled equivalent within ±${minEffect} nor shown in the same order at both levels${more}`,
      needed,
    ),
    familySize, seeds, rows,
  };
}
