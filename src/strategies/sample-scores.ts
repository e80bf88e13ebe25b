/**
 * Scores over a stack of predictive distributions `[S, n, C]`: S stochastic passes of one model
 * (MC dropout; Gal, Islam & Ghahramani, ICML 2017, "Deep Bayesian Active Learning with Image Data")
 * or S committee members (Beluch et al., CVPR 2018; McCallum & Nigam, ICML 1998). Higher = queried
 * first; logarithms are natural; 0·ln 0 = 0.
 *
 * - bald:             H(mean_s p_s) − mean_s H(p_s)          (Houlsby et al. 2011, arXiv:1112.5745)
 * - variation ratio:  1 − (passes whose argmax is the modal class) / S   (Freeman 1965; Gal et al. 2017)
 * - mean STD:         mean_c sqrt(E_s[p²] − E_s[p]²)          (Kampffmeyer et al. 2016; Gal et al. 2017)
 * - max entropy:      H(mean_s p_s)                            (Gal et al. 2017)
 * - vote entropy:     H(votes_c / S), votes = argmax counts    (Dagan & Engelson 1995; McCallum & Nigam 1998)
 * - consensus entropy: H(mean_s p_s)                           (Settles 2009 survey, §3.2)
 * - KL to the mean:   mean_s KL(p_s ‖ mean_s p_s)             (McCallum & Nigam 1998)
 *
 * samples: [S, n, C] row-major → scores: [n]. Sums run in float64; the result is float32.
 */

export interface SampleStack {
  readonly data: Float32Array;
  readonly samples: number;
  readonly numClasses: number;
}

function shape(stack: SampleStack): number {
  const { data, samples, numClasses } = stack;
  if (!Number.isInteger(samples) || samples < 1 || !Number.isInteger(numClasses) || numClasses < 1 || data.length % (samples * numClasses) !== 0) {
    throw new RangeError(`a stack of ${data.length} values is not [${samples}, n, ${numClasses}]`);
  }
  return data.length / (samples * numClasses);
}

/** Calls `fn(i, rows)` for each pool row i, where rows[s] is the offset of sample s's row i. */
function eachRow(stack: SampleStack, fn: (offsets: Int32Array) => number): Float32Array {
  const n = shape(stack);
  const out = new Float32Array(n);
  const offsets = new Int32Array(stack.samples);
  for (let i = 0; i < n; i++) {
    for (let s = 0; s < stack.samples; s++) offsets[s] = (s * n + i) * stack.numClasses;
    out[i] = fn(offsets);
  }
  return out;
}

function entropyAt(p: ArrayLike<number>, offset: number, c: number): number {
  let h = 0;
  for (let j = 0; j < c; j++) {
    const v = p[offset + j];
    if (v > 0) h -= v * Math.log(v);
  }
  return h;
}

function meanInto(stack: SampleStack, offsets: Int32Array, mean: Float64Array): void {
  mean.fill(0);
  for (const o of offsets) for (let j = 0; j < stack.numClasses; j++) mean[j] += stack.data[o + j];
  for (let j = 0; j < stack.numClasses; j++) mean[j] /= stack.samples;
}

function argmaxAt(p: ArrayLike<number>, offset: number, c: number): number {
  let best = 0;
  for (let j = 1; j < c; j++) if (p[offset + j] > p[offset + best]) best = j;
  return best;
}

export function baldScores(stack: SampleStack): Float32Array {
  const mean = new Float64Array(stack.numClasses);
  return eachRow(stack, (offsets) => {
    meanInto(stack, offsets, mean);
    let expected = 0;
    for (const o of offsets) expected += entropyAt(stack.data, o, stack.numClasses);
    // Mutual information is ≥ 0; float rounding can leave a tiny negative for a certain model.
    return Math.max(0, entropyAt(mean, 0, stack.numClasses) - expected / stack.samples);
  });
}

export function meanEntropyScores(stack: SampleStack): Float32Array {
  const mean = new Float64Array(stack.numClasses);
  return eachRow(stack, (offsets) => {
    meanInto(stack, offsets, mean);
    return entropyAt(mean, 0, stack.numClasses);
  });
}

export function variationRatioScores(stack: SampleStack): Float32Array {
  const votes = new Int32Array(stack.numClasses);
  return eachRow(stack, (offsets) => {
    votes.fill(0);
    for (const o of offsets) votes[argmaxAt(stack.data, o, stack.numClasses)]++;
    let modal = 0;
    for (const v of votes) modal = Math.max(modal, v);
    return 1 - modal / stack.samples;
  });
}

export function meanStdScores(stack: SampleStack): Float32Array {
  const c = stack.numClasses;
  return eachRow(stack, (offsets) => {
    let total = 0;
    for (let j = 0; j < c; j++) {
      let m = 0;
      let m2 = 0;
      for (const o of offsets) {
        const v = stack.data[o + j];
        m += v;
        m2 += v * v;
      }
      m /= stack.samples;
      total += Math.sqrt(Math.max(0, m2 / stack.samples - m * m));
    }
    return total / c;
  });
}

export function voteEntropyScores(stack: SampleStack): Float32Array {
  const votes = new Float64Array(stack.numClasses);
  return eachRow(stack, (offsets) => {
    votes.fill(0);
    for (const o of offsets) votes[argmaxAt(stack.data, o, stack.numClasses)] += 1 / stack.samples;
    return entropyAt(votes, 0, stack.numClasses);
  });
}

export function klToMeanScores(stack: SampleStack): Float32Array {
  const c = stack.numClasses;
  const mean = new Float64Array(c);
  return eachRow(stack, (offsets) => {
    meanInto(stack, offsets, mean);
    let kl = 0;
    for (const o of offsets) {
      for (let j = 0; j < c; j++) {
        const p = stack.data[o + j];
        // p > 0 implies mean > 0, so the ratio is finite.
        if (p > 0) kl += p * Math.log(p / mean[j]);
      }
    }
    return Math.max(0, kl / stack.samples);
  });
}
