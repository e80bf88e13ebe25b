/**
 * Uncertainty scores over class probabilities. Higher = queried first; logarithms are natural.
 *
 * - least confidence: 1 − max_y p(y|x)                    (Lewis & Gale 1994)
 * - margin:           1 − (p₁ − p₂), top two probabilities (Scheffer et al. 2001)
 * - entropy:          −Σ_y p(y|x) ln p(y|x)                (Shannon 1948; Settles 2009 survey, §3.1)
 *
 * Each takes row-major probs `[n, classes]` and returns scores `[n]`.
 */

export function leastConfidenceScores(probs: Float32Array, numClasses: number): Float32Array {
  return mapRows(probs, numClasses, (row) => {
    let max = -Infinity;
    for (const p of row) max = Math.max(max, p);
    return 1 - max;
  });
}

export function marginScores(probs: Float32Array, numClasses: number): Float32Array {
  if (numClasses < 2) throw new RangeError(`margin needs at least 2 classes, got ${numClasses}`);
  return mapRows(probs, numClasses, (row) => {
    let first = -Infinity;
    let second = -Infinity;
    for (const p of row) {
      if (p > first) {
        second = first;
        first = p;
      } else if (p > second) {
        second = p;
      }
    }
    return 1 - (first - second);
  });
}

export function entropyScores(probs: Float32Array, numClasses: number): Float32Array {
  return mapRows(probs, numClasses, (row) => {
    let h = 0;
    // 0 · ln 0 = 0 by continuity.
    for (const p of row) if (p > 0) h -= p * Math.log(p);
    return h;
  });
}

function mapRows(probs: Float32Array, numClasses: number, score: (row: Float32Array) => number): Float32Array {
  if (!Number.isInteger(numClasses) || numClasses < 1 || probs.length % numClasses !== 0) {
    throw new RangeError(`probs of length ${probs.length} is not a whole number of rows of ${numClasses} classes`);
  }
  const n = probs.length / numClasses;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = score(probs.subarray(i * numClasses, (i + 1) * numClasses));
  return out;
}
