/**
 * Issue 18: random's label-efficiency ratio against itself is 1 in every setting of every committed
 * preset. Before the envelope rule it ranged 1.01–1.16 wherever random's mean curve dipped.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { varyingAxes } from '../../src/analysis/curves.js';
import { labelEfficiency } from '../../src/analysis/label-efficiency.js';
import { groupBySetting } from '../../src/analysis/seed-curves.js';
import { readAllCellResults } from '../../src/store/results.js';

const PRESETS = ['parting-with-illusions', 'robust-reproducible', 'budget-regimes', 'effective-evaluation'];

describe('label efficiency on the committed presets', () => {
  for (const preset of PRESETS) {
    const dir = join('results', preset);
    it.skipIf(!existsSync(dir))(`${preset}: random's row is exactly 1 in every setting`, () => {
      const results = readAllCellResults(dir).filter((r) => r.status === 'completed');
      const settings = groupBySetting(results, varyingAxes(results.map((r) => r.cell)));
      const random = labelEfficiency(settings, 'random').filter((r) => r.strategy === 'random');
      expect(random.length).toBe(settings.filter((s) => s.byStrategy.has('random')).length);
      expect(random.length).toBeGreaterThan(0);
      for (const row of random) {
        expect(row.neverReached).toBe(0);
        expect(row.points.every((p) => p.ratio === 1)).toBe(true);
        if (row.points.length > 0) expect(row.meanRatio).toBe(1);
      }
    });
  }
});
