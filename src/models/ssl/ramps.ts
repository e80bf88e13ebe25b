/** Schedules of the unlabelled-loss weight over training progress t ∈ [0, 1]. */

/**
 * Lee 2013's deterministic annealing: 0 before `start`, rising linearly to `weight` at `end`, then
 * flat (his T1 and T2, as fractions of training here).
 */
export function linearRamp(t: number, start: number, end: number, weight: number): number {
  if (t < start) return 0;
  if (t >= end || end <= start) return weight;
  return (weight * (t - start)) / (end - start);
}

/** Laine & Aila 2017 / Tarvainen & Valpola 2017: weight · exp(−5 (1 − t/length)²) until `length`, then `weight`. */
export function sigmoidRampUp(t: number, length: number, weight: number): number {
  if (length <= 0 || t >= length) return weight;
  const p = 1 - Math.max(0, t) / length;
  return weight * Math.exp(-5 * p * p);
}
