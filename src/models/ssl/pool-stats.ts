/**
 * How the round's pseudo-labels look on the unlabelled pool, measured by the harness with the
 * pool's true labels. The learner never sees these numbers; they explain why an SSL method helps
 * or hurts (a confident but wrong pseudo-label is confirmation bias, Arazo et al. 2020).
 */
import type { SslRoundStats } from '../../store/schema.js';

/** probs: [n, C] of the pool rows, labels: [n] (true, harness-only) → the round's SSL statistics. */
export function poolPseudoLabelStats(probs: Float32Array, labels: ArrayLike<number>, numClasses: number, threshold: number): SslRoundStats {
  const n = labels.length;
  let above = 0;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < numClasses; c++) if (probs[i * numClasses + c] > probs[i * numClasses + best]) best = c;
    if (probs[i * numClasses + best] >= threshold) {
      above++;
      if (best === labels[i]) correct++;
    }
  }
  return { threshold, poolSize: n, fractionAboveThreshold: n === 0 ? 0 : above / n, pseudoLabelAccuracy: above === 0 ? null : correct / above };
}
