/**
 * Distribution functions the tests in this folder need beyond Student's t (stats.ts):
 * the standard normal and chi-square CDFs, both from the regularized lower incomplete gamma
 * P(a, x) (Numerical Recipes, 3rd ed., §6.2: series for x < a + 1, continued fraction beyond).
 *
 *   Φ(z)          = ½ (1 + sign(z) · P(½, z²/2))        (A&S 7.1.22 with erf(x) = P(½, x²))
 *   χ²_k CDF at x = P(k/2, x/2)                          (A&S 26.4.19)
 */
import { logGamma } from './stats.js';

/** P(a, x) = γ(a, x) / Γ(a), the regularized lower incomplete gamma function. */
export function regularizedGammaP(a: number, x: number): number {
  if (!(a > 0)) throw new RangeError(`regularizedGammaP: a must be > 0, got ${a}`);
  if (x <= 0) return 0;
  if (x < a + 1) return gammaSeries(a, x);
  return 1 - gammaContinuedFraction(a, x);
}

function gammaSeries(a: number, x: number): number {
  let ap = a;
  let sum = 1 / a;
  let del = sum;
  for (let n = 0; n < 10_000; n++) {
    ap += 1;
    del *= x / ap;
    sum += del;
    if (Math.abs(del) < Math.abs(sum) * 1e-16) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

/** Q(a, x) = 1 − P(a, x) by the modified Lentz continued fraction. */
function gammaContinuedFraction(a: number, x: number): number {
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}

/** Φ(z), the standard normal CDF. */
export function normalCdf(z: number): number {
  if (z === 0) return 0.5;
  const half = 0.5 * regularizedGammaP(0.5, (z * z) / 2);
  return z > 0 ? 0.5 + half : 0.5 - half;
}

/** P(X > x) for X ~ χ² with `df` degrees of freedom. */
export function chiSquareSf(x: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`chiSquareSf: df must be > 0, got ${df}`);
  if (x <= 0) return 1;
  return 1 - regularizedGammaP(df / 2, x / 2);
}
