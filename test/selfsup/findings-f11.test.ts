import { describe, expect, it } from 'vitest';
import { varyingAxes } from '../../src/analysis/curves.js';
import { computeFindings, type Finding } from '../../src/analysis/findings.js';
import { groupBySetting } from '../../src/analysis/seed-curves.js';
import type { RepresentationConfig } from '../../src/spec/types.js';
import type { CellResult } from '../../src/store/schema.js';
import { fakeCell, fakeResult } from '../analysis/fixtures.js';

const SELFSUP: RepresentationConfig = { name: 'selfsup', epochs: 30, temperature: 0.5, embeddingDim: 64, batchSize: 256, learningRate: 0.001 };

function f11(results: CellResult[]): Finding {
  const axes = varyingAxes(results.map((r) => r.cell));
  return computeFindings({ settings: groupBySetting(results, axes), axes, baseline: 'random' }).find((f) => f.id === 'F11')!;
}

/** random and entropy on raw and selfsup features; entropy's lift over random per representation. */
function study(rawLift: number, selfsupLift: number, seeds = [0, 1, 2]): CellResult[] {
  return seeds.flatMap((seed) =>
    (['raw', 'selfsup'] as const).flatMap((rep) =>
      (['random', 'entropy'] as const).map((strategy) => {
        const lift = strategy === 'random' ? 0 : rep === 'raw' ? rawLift : selfsupLift;
        const base = rep === 'raw' ? 0.5 : 0.7; // features help every strategy
        const noise = 0.002 * (seed - 1);
        const cell = fakeCell({ strategy, seed, id: `${rep}-${strategy}-${seed}`, ...(rep === 'selfsup' ? { representation: SELFSUP } : {}) });
        return fakeResult(cell, [base, base + 0.1 + lift + noise, base + 0.2 + lift + noise]);
      }),
    ),
  );
}

describe('F11: self-supervised features and the gain of AL over random', () => {
  it('supported when the gain shrinks on selfsup features', () => {
    const f = f11(study(0.05, 0.01));
    expect(f.verdict).toBe('supported');
    // By hand: the lift L is 0 at 20 labels and L at 30 and 40, so the trapezoid AUBC over [20, 40]
    // grows by (L/2·10 + L·10)/20 = 0.75·L; Δ gain = 0.75·(0.01 − 0.05) = −0.03 at every seed.
    expect(f.value).toBeCloseTo(-0.03, 10);
    expect(f.evidence.columns).toEqual(['Setting', 'Raw', 'Self-supervised', 'Seed', 'Δ AL gain (AUBC)']);
    expect(f.evidence.rows).toHaveLength(3);
    expect(f.evidence.rows[0][1]).toBe('default');
    expect(f.evidence.rows[0][2]).toMatch(/^selfsup/);
  });
  it('not supported when AL gains as much on selfsup features', () => {
    expect(f11(study(0.05, 0.05)).verdict).toBe('not supported');
  });
  it('not covered without the axis, and inconclusive with too few seeds', () => {
    const rawOnly = study(0.05, 0.01).filter((r) => r.cell.representation === undefined);
    expect(f11(rawOnly)).toMatchObject({ verdict: 'not covered' });
    expect(f11(rawOnly).reason).toMatch(/representation: \[raw, selfsup\]/);
    expect(f11(study(0.05, 0.01, [0, 1])).verdict).toBe('inconclusive');
  });
});
