/**
 * The public scoring API over plain arrays, for users who regression-check their own
 * implementations: `scoring.bald(mc)` and friends, `selection.kCenterGreedy(...)`. Each converts to
 * typed arrays and calls the function the strategies themselves use, so the two cannot drift apart.
 * Scores are "higher = queried first"; logarithms are natural.
 */
import { kCenterGreedyRows } from './k-center.js';
import {
  baldScores,
  klToMeanScores,
  meanEntropyScores,
  meanStdScores,
  variationRatioScores,
  voteEntropyScores,
  type SampleStack,
} from './sample-scores.js';
import { entropyScores, leastConfidenceScores, marginScores } from './uncertainty-scores.js';

type Rows = readonly (readonly number[])[];

function flatten(rows: Rows, what: string): { data: Float32Array; cols: number } {
  const cols = rows.length === 0 ? 0 : rows[0].length;
  const data = new Float32Array(rows.length * cols);
  rows.forEach((row, i) => {
    if (row.length !== cols) throw new RangeError(`${what} row ${i} has ${row.length} entries, expected ${cols}`);
    data.set(row, i * cols);
  });
  return { data, cols };
}

function viaProbs(probs: Rows, fn: (p: Float32Array, c: number) => Float32Array): number[] {
  if (probs.length === 0) return [];
  const { data, cols } = flatten(probs, 'probs');
  return Array.from(fn(data, cols));
}

function viaStack(stack: readonly Rows[], what: string, fn: (s: SampleStack) => Float32Array): number[] {
  if (stack.length === 0) throw new RangeError(`${what} must hold at least one [n][C] slice`);
  const n = stack[0].length;
  if (n === 0) return [];
  const c = stack[0][0].length;
  const data = new Float32Array(stack.length * n * c);
  stack.forEach((slice, s) => {
    if (slice.length !== n) throw new RangeError(`${what}[${s}] has ${slice.length} rows, expected ${n}`);
    const flat = flatten(slice, `${what}[${s}]`);
    if (flat.cols !== c) throw new RangeError(`${what}[${s}] has ${flat.cols} classes, expected ${c}`);
    data.set(flat.data, s * n * c);
  });
  return Array.from(fn({ data, samples: stack.length, numClasses: c }));
}

/** Reference scores over plain arrays. probs: [n][C]; mc: [T][n][C]; committee: [K][n][C] → [n]. */
export const scoring = {
  /** 1 − max_y p(y|x) */
  leastConfidence: (probs: Rows): number[] => viaProbs(probs, leastConfidenceScores),
  /** 1 − (p₁ − p₂) */
  margin: (probs: Rows): number[] => viaProbs(probs, marginScores),
  /** −Σ p ln p */
  entropy: (probs: Rows): number[] => viaProbs(probs, entropyScores),
  /** H(mean_t p_t) − mean_t H(p_t) */
  bald: (mc: readonly Rows[]): number[] => viaStack(mc, 'mc', baldScores),
  /** 1 − (passes voting for the modal class) / T */
  variationRatio: (mc: readonly Rows[]): number[] => viaStack(mc, 'mc', variationRatioScores),
  /** mean_c sqrt(E_t[p²] − E_t[p]²) */
  meanStd: (mc: readonly Rows[]): number[] => viaStack(mc, 'mc', meanStdScores),
  /** H(mean_t p_t), the max-entropy acquisition of MC dropout */
  maxEntropy: (mc: readonly Rows[]): number[] => viaStack(mc, 'mc', meanEntropyScores),
  /** H(argmax votes per class / K) */
  voteEntropy: (committee: readonly Rows[]): number[] => viaStack(committee, 'committee', voteEntropyScores),
  /** H(mean_k p_k) */
  consensusEntropy: (committee: readonly Rows[]): number[] => viaStack(committee, 'committee', meanEntropyScores),
  /** mean_k KL(p_k ‖ mean_k p_k) */
  klDivergence: (committee: readonly Rows[]): number[] => viaStack(committee, 'committee', klToMeanScores),
  /** 1 − (epochs whose predicted label is the modal one) / E, over per-epoch predictions [E][n][C] (Zolfaghari Bengar et al. 2021) */
  labelDispersion: (epochProbs: readonly Rows[]): number[] => viaStack(epochProbs, 'epochProbs', variationRatioScores),
};

/** Reference batch selections over plain arrays. */
export const selection = {
  /**
   * k-center greedy (Sener & Savarese 2018): Euclidean distances; each pick is the point farthest
   * from the labelled set plus the picks so far; ties go to the lowest index.
   * embeddings: [N][d], labeledIndices: rows already covered → the k picked rows in pick order.
   */
  kCenterGreedy: (embeddings: Rows, labeledIndices: readonly number[], k: number): number[] => {
    const { data, cols } = flatten(embeddings, 'embeddings');
    for (const i of labeledIndices) {
      if (!Number.isInteger(i) || i < 0 || i >= embeddings.length) {
        throw new RangeError(`labeledIndices holds ${i}, not a row index in [0, ${embeddings.length})`);
      }
    }
    return kCenterGreedyRows({ data, rows: embeddings.length, dim: cols }, labeledIndices, k).picks;
  },
};
