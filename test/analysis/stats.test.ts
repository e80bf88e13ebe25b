import { describe, expect, it } from 'vitest';
import { logGamma, mean, sampleStd, studentTCdf, studentTQuantile, summarize } from '../../src/analysis/stats.js';

describe('studentTQuantile', () => {
  it('matches the exact closed forms for df = 1 and df = 2', () => {
    // df = 1 is the Cauchy distribution: t_p = tan(π(p − ½)).
    for (const p of [0.6, 0.9, 0.975, 0.995]) {
      expect(studentTQuantile(p, 1)).toBeCloseTo(Math.tan(Math.PI * (p - 0.5)), 9);
    }
    // df = 2: t_p = (2p − 1) / √(2p(1 − p)); at p = 0.975 that is 4.302653 (tables: 4.303).
    for (const p of [0.6, 0.9, 0.975, 0.995]) {
      expect(studentTQuantile(p, 2)).toBeCloseTo((2 * p - 1) / Math.sqrt(2 * p * (1 - p)), 9);
    }
    expect(studentTQuantile(0.975, 2)).toBeCloseTo(4.302653, 6);
  });

  it('matches the printed two-sided 95% table (NIST/SEMATECH e-Handbook 1.3.6.7.2)', () => {
    const table: [number, number][] = [
      [1, 12.706], [2, 4.303], [3, 3.182], [4, 2.776], [5, 2.571], [6, 2.447], [7, 2.365], [8, 2.306],
      [9, 2.262], [10, 2.228], [15, 2.131], [20, 2.086], [25, 2.06], [30, 2.042], [50, 2.009], [100, 1.984],
    ];
    for (const [df, t] of table) expect(studentTQuantile(0.975, df)).toBeCloseTo(t, 3);
  });

  it('tends to the normal quantile 1.959964 for large df', () => {
    expect(studentTQuantile(0.975, 1e6)).toBeCloseTo(1.959964, 4);
  });

  it('handles other levels, the lower tail and the median', () => {
    expect(studentTQuantile(0.95, 10)).toBeCloseTo(1.812, 3); // one-sided 95 %, same table
    expect(studentTQuantile(0.025, 5)).toBeCloseTo(-2.571, 3);
    expect(studentTQuantile(0.5, 7)).toBe(0);
  });

  it('inverts the CDF', () => {
    for (const df of [1, 2.5, 4, 29]) {
      for (const p of [0.01, 0.3, 0.8, 0.999]) expect(studentTCdf(studentTQuantile(p, df), df)).toBeCloseTo(p, 10);
    }
  });

  it('rejects arguments outside the domain, naming the value', () => {
    expect(() => studentTQuantile(1, 3)).toThrow(/p must be in \(0, 1\), got 1/);
    expect(() => studentTQuantile(0.9, 0)).toThrow(/df must be > 0, got 0/);
  });
});

describe('logGamma', () => {
  it('matches known values', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12); // Γ(5) = 4!
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
    expect(logGamma(0.25)).toBeCloseTo(Math.log(3.625609908221908), 12); // Γ(¼), A&S table 6.1
  });
});

describe('summarize', () => {
  it('gives mean, sample std and the t-based half-width', () => {
    const s = summarize([0.5, 0.6, 0.7]);
    expect(s.mean).toBeCloseTo(0.6, 12);
    expect(s.std).toBeCloseTo(0.1, 12); // √(((−0.1)² + 0 + 0.1²) / 2)
    expect(s.n).toBe(3);
    expect(s.ci95).toBeCloseTo((4.302653 * 0.1) / Math.sqrt(3), 6); // 0.248414
  });

  it('leaves std and CI undefined (null) for a single value', () => {
    expect(summarize([0.8])).toEqual({ mean: 0.8, std: null, n: 1, ci95: null });
    expect(sampleStd([1])).toBeNull();
    expect(() => mean([])).toThrow(/empty/);
  });
});
