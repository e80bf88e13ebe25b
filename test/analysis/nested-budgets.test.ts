import { describe, expect, it } from 'vitest';
import { varyingAxes } from '../../src/analysis/curves.js';
import { budgetBlocks, independentSettings } from '../../src/analysis/nested-budgets.js';
import { groupBySetting } from '../../src/analysis/seed-curves.js';
import { fakeCell, fakeResult } from './fixtures.js';

function settings(budgets: number[], batchSize = 10, other: Parameters<typeof fakeCell>[0] = {}) {
  const results = budgets.map((budget) => fakeResult(fakeCell({ ...other, budget, batchSize, id: `c${budget}-${other.model ?? 'mlp'}` }), [0.5, 0.6]));
  return results;
}

describe('budgetBlocks', () => {
  it('puts budgets that end on a full batch into the largest one’s block', () => {
    const results = settings([40, 60, 100]);
    const s = groupBySetting(results, varyingAxes(results.map((r) => r.cell)));
    const blocks = budgetBlocks(s);
    expect(blocks).toHaveLength(1);
    expect(blocks[0].largest.setting.budget).toBe(100);
    expect(blocks[0].levels.map((l) => l.budget)).toEqual([40, 60, 100]);
    expect(independentSettings(s)).toHaveLength(1);
  });
  it('keeps a budget whose last batch is partial (its curve parts from the larger one) and other configurations apart', () => {
    // (45 − 20) / 10 is not whole: the 45-label cell's last batch has 5 labels.
    const results = [...settings([45, 100]), ...settings([100], 10, { model: 'cnn' })];
    const s = groupBySetting(results, varyingAxes(results.map((r) => r.cell)));
    const blocks = budgetBlocks(s);
    expect(blocks.map((b) => b.levels.map((l) => l.budget))).toEqual(expect.arrayContaining([[45], [100], [100]]));
    expect(blocks).toHaveLength(3);
  });
});
