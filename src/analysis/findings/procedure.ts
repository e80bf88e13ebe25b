/**
 * The one decision procedure every finding uses. The seed is the unit: a finding reduces the
 * run to one number per seed (its estimand), and the verdict comes from the mean of those numbers.
 *
 * With the finding's direction d (+1, −1, or 0 for "differs") and smallest effect of interest m:
 * - **supported**: the 95 % t interval excludes 0 on the claimed side (in a family: Holm-adjusted
 *   p < α) and the estimate is at least m on that side;
 * - **not supported**: equivalence, i.e. the 90 % interval lies inside ±m (two one-sided tests
 *   at α = 0.05, Schuirmann 1987), or the interval excludes 0 on the other side with an estimate
 *   at least m beyond it;
 * - **inconclusive** otherwise, with the reason and the seeds that would decide it at the
 *   observed standard deviation.
 * Fewer than MIN_SEEDS seeds is always inconclusive.
 *
 * A family of hypotheses (an "AL can lose somewhere" claim over several comparisons) is
 * supported when one member is, after Holm's correction (Holm 1979); it is not supported only
 * when every member is, each at level α (an intersection–union test needs no correction,
 * Berger 1982).
 */
import { holmAdjust } from '../holm.js';
import { mean, sampleStd, studentTCdf, studentTQuantile } from '../stats.js';
import type { Direction, Verdict } from './types.js';

export const ALPHA = 0.05;
export const MIN_SEEDS = 3;
export const RECOMMENDED_SEEDS = 5;
/** Seeds-needed estimates stop here: beyond it the answer is "far more than a study runs". */
export const MAX_SEEDS_NEEDED = 1000;

const quantiles = new Map<string, number>();
/** Student's t quantile, memoised: the simulation tests call the procedure thousands of times. */
export function tQuantile(p: number, df: number): number {
  const key = `${p}:${df}`;
  let q = quantiles.get(key);
  if (q === undefined) {
    q = studentTQuantile(p, df);
    quantiles.set(key, q);
  }
  return q;
}

/** The mean of per-seed values with its intervals and test. */
export interface Estimate {
  readonly n: number;
  readonly mean: number;
  /** Sample sd of the per-seed values; null below 2. */
  readonly sd: number | null;
  /** 95 % two-sided interval; null below 2 values. */
  readonly ci95: readonly [number, number] | null;
  /** 90 % interval, the two one-sided tests' equivalence interval at α = 0.05. */
  readonly ci90: readonly [number, number] | null;
  /** Two-sided one-sample t p against 0; null below 2 values. */
  readonly p: number | null;
  /** Cohen's d_z = mean / sd; null when sd is 0 or undefined. */
  readonly dz: number | null;
}

export function estimate(values: readonly number[]): Estimate {
  const n = values.length;
  if (n === 0) throw new RangeError('estimate: no values');
  const m = mean(values);
  const sd = sampleStd(values);
  if (sd === null) return { n, mean: m, sd, ci95: null, ci90: null, p: null, dz: null };
  const se = sd / Math.sqrt(n);
  const h95 = tQuantile(0.975, n - 1) * se;
  const h90 = tQuantile(0.95, n - 1) * se;
  // Identical values: no spread, so a non-zero mean is certain (scipy says p = 0 too).
  const p = se === 0 ? (m === 0 ? 1 : 0) : Math.min(1, 2 * (1 - studentTCdf(Math.abs(m / se), n - 1)));
  return { n, mean: m, sd, ci95: [m - h95, m + h95], ci90: [m - h90, m + h90], p, dz: sd === 0 ? null : m / sd };
}

/** Equivalence within ±m by two one-sided tests at α (the 90 % interval inside ±m). */
export function isEquivalent(e: Estimate, m: number): boolean {
  return e.ci90 !== null && e.ci90[0] > -m && e.ci90[1] < m;
}

/**
 * Smallest n at which an interval of half-width t·sd/√n fits in `gap`, with the two-sided
 * level `alpha` (use 2α for a one-sided bound); null when not estimable or beyond MAX_SEEDS_NEEDED.
 */
export function seedsToFit(sd: number | null, gap: number, alpha: number): number | null {
  if (sd === null || !(gap > 0)) return null;
  if (sd === 0) return MIN_SEEDS;
  for (let n = MIN_SEEDS; n <= MAX_SEEDS_NEEDED; n++) {
    if (tQuantile(1 - alpha / 2, n - 1) * (sd / Math.sqrt(n)) < gap) return n;
  }
  return null;
}

export interface Rule {
  readonly direction: Direction;
  readonly minEffect: number;
  /** Members of the family the estimate belongs to (Holm); 1 for a single estimand. */
  readonly familySize?: number;
}

export interface Decision {
  readonly verdict: Verdict;
  readonly reason: string;
  readonly value: number | null;
  readonly interval: readonly [number, number] | null;
  readonly p: number | null;
  readonly effectSize: number | null;
  readonly seedsNeeded: number | null;
}

export const fmt = (x: number, digits = 4): string => (Number.isFinite(x) ? x.toFixed(digits) : String(x));
const ci = (e: Estimate) => (e.ci95 ? `95% CI [${fmt(e.ci95[0])}, ${fmt(e.ci95[1])}]` : 'no interval');
const seedsWord = (n: number) => `${n} seed${n === 1 ? '' : 's'}`;

/** One member's outcome: `pUsed` is its Holm-adjusted p inside a family, else its own. */
export function classify(e: Estimate, rule: Rule, pUsed: number | null = e.p): { verdict: Verdict; reason: string; seedsNeeded: number | null } {
  const m = rule.minEffect;
  const d = rule.direction;
  const family = rule.familySize ?? 1;
  if (e.n < MIN_SEEDS || e.ci95 === null || pUsed === null) {
    return {
      verdict: 'inconclusive',
      reason: `only ${seedsWord(e.n)}; verdicts need ≥ ${MIN_SEEDS} (≥ ${RECOMMENDED_SEEDS} recommended)`,
      seedsNeeded: e.sd === null ? null : Math.max(MIN_SEEDS, needed(e, rule) ?? MIN_SEEDS),
    };
  }
  const significant = pUsed < ALPHA;
  const towards = d === 0 ? Math.abs(e.mean) : d * e.mean;
  const holm = family > 1 ? `, Holm-adjusted p = ${fmt(pUsed, 3)} in a family of ${family}` : `, p = ${fmt(pUsed, 3)}`;
  if (significant && towards >= m) {
    return { verdict: 'supported', reason: `${ci(e)}${holm} excludes 0 ${d === 0 ? '' : 'on the claimed side '}and the estimate ${fmt(e.mean)} reaches the smallest effect of interest ${m}`, seedsNeeded: null };
  }
  if (isEquivalent(e, m)) {
    return { verdict: 'not supported', reason: `equivalence shown: the 90% interval [${fmt(e.ci90![0])}, ${fmt(e.ci90![1])}] lies inside ±${m} (two one-sided tests)`, seedsNeeded: null };
  }
  if (d !== 0 && e.p! < ALPHA && -towards >= m) {
    return { verdict: 'not supported', reason: `${ci(e)} excludes 0 on the opposite side, by ${fmt(-towards)} ≥ ${m}`, seedsNeeded: null };
  }
  const n = needed(e, rule);
  const more = n === null ? '' : `; about ${n} seeds would decide it at the observed sd ${fmt(e.sd!)}`;
  let why: string;
  if (significant && towards > 0) why = `${ci(e)}${holm} excludes 0, but the estimate ${fmt(e.mean)} is below the smallest effect of interest ${m} and equivalence is not shown`;
  else if (Math.abs(e.mean) >= m) why = `${ci(e)}${holm} includes 0: the estimate ${fmt(e.mean)} is as large as the smallest effect of interest ${m}, but not distinguishable from 0`;
  else why = `${ci(e)}${holm}: neither an effect ≥ ${m} nor equivalence within ±${m} is shown`;
  return { verdict: 'inconclusive', reason: `${why}${more}`, seedsNeeded: n };
}

/** Seeds that would decide an undecided estimate if its mean and sd held. */
function needed(e: Estimate, rule: Rule): number | null {
  const m = rule.minEffect;
  const family = rule.familySize ?? 1;
  const abs = Math.abs(e.mean);
  // Beyond the smallest effect: enough seeds to exclude 0 (Bonferroni as a stand-in for Holm's first step).
  if (abs >= m) return seedsToFit(e.sd, abs, ALPHA / family);
  // Below it: enough seeds for the 90 % interval to fit inside ±m.
  return seedsToFit(e.sd, m - abs, 2 * ALPHA);
}

/** A single estimand (family of 1): the finding's verdict from its per-seed values. */
export function decide(values: readonly number[], rule: Rule, what = 'seed'): Decision {
  if (values.length === 0) return { verdict: 'inconclusive', reason: `no ${what} could be computed`, value: null, interval: null, p: null, effectSize: null, seedsNeeded: null };
  const e = estimate(values);
  const c = classify(e, rule);
  return { ...c, value: e.mean, interval: e.ci95, p: e.p, effectSize: e.dz };
}

export interface Member<T> {
  readonly item: T;
  readonly estimate: Estimate;
  readonly pHolm: number | null;
  readonly verdict: Verdict;
  readonly reason: string;
  readonly seedsNeeded: number | null;
}

/**
 * A claim that some member of a family shows the effect (F3: "AL can lose to random at low
 * budget" over every setting × strategy). Members: per-seed values each.
 */
export function decideFamily<T>(items: readonly { item: T; values: readonly number[] }[], rule: Rule): { decision: Decision; members: Member<T>[] } {
  const est = items.map((x) => estimate(x.values));
  const holm = holmAdjust(est.map((e) => e.p ?? 1));
  const familyRule = { ...rule, familySize: items.length };
  const members: Member<T>[] = items.map((x, i) => {
    const e = est[i];
    const c = classify(e, familyRule, e.p === null ? null : holm[i]);
    return { item: x.item, estimate: e, pHolm: e.p === null ? null : holm[i], ...c };
  });
  const towards = (e: Estimate) => (rule.direction === 0 ? Math.abs(e.mean) : rule.direction * e.mean);
  const pick = (ms: Member<T>[]) => [...ms].sort((a, b) => (a.pHolm ?? 1) - (b.pHolm ?? 1) || towards(b.estimate) - towards(a.estimate))[0];
  const supported = members.filter((m) => m.verdict === 'supported');
  const family = `family of ${items.length}`;
  let verdict: Verdict;
  let reason: string;
  let head: Member<T>;
  if (supported.length) {
    verdict = 'supported';
    head = pick(supported);
    reason = `${supported.length} of ${items.length} comparisons show the effect (Holm within the ${family}); strongest: ${head.reason}`;
  } else if (members.every((m) => m.verdict === 'not supported')) {
    verdict = 'not supported';
    head = pick(members);
    reason = `every one of the ${items.length} comparisons rules the effect out (equivalence within ±${rule.minEffect} or the opposite effect); closest: ${head.reason}`;
  } else {
    verdict = 'inconclusive';
    head = pick(members.filter((m) => m.verdict !== 'not supported'));
    const undecided = members.filter((m) => m.verdict === 'inconclusive').length;
    reason = `no comparison shows the effect after Holm within the ${family}, and ${undecided} of the ${items.length} neither show nor rule it out; closest: ${head.reason}`;
  }
  const seedsNeeded = verdict === 'inconclusive' ? head.seedsNeeded : null;
  return {
    decision: { verdict, reason, value: head.estimate.mean, interval: head.estimate.ci95, p: head.pHolm, effectSize: head.estimate.dz, seedsNeeded },
    members,
  };
}
