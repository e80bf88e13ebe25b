import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/index.js';
import { runCell } from '../../src/loop/run-cell.js';
import { budgetPrefixKey, deriveResult, isBudgetPrefix, planDerivations } from '../../src/runner/budget-prefix.js';
import type { ResolvedCell } from '../../src/spec/types.js';
import { SCHEMA_VERSION, type CompletedResult } from '../../src/store/schema.js';
import { tinyCell } from '../helpers/tiny-cell.js';
import { tinyDataset } from '../helpers/tiny-dataset.js';

const cell = (overrides: Parameters<typeof tinyCell>[0] = {}) =>
  tinyCell({ strategy: 'margin', budget: 40, batchSize: 10, initialSize: 10, training: { epochs: 4, batchSize: 8, learningRate: 0.01 }, ...overrides });

describe('which cells share a budget prefix', () => {
  it('needs equal configs apart from the budget, and full batches up to the smaller budget', () => {
    expect(isBudgetPrefix(cell({ budget: 30 }), cell({ budget: 60 }))).toBe(true);
    expect(isBudgetPrefix(cell({ budget: 35 }), cell({ budget: 60 }))).toBe(false); // last batch of 5
    expect(isBudgetPrefix(cell({ budget: 60 }), cell({ budget: 30 }))).toBe(false);
    expect(isBudgetPrefix(cell({ budget: 30, seed: 1 }), cell({ budget: 60 }))).toBe(false);
    expect(isBudgetPrefix(cell({ budget: 30, strategy: 'random' }), cell({ budget: 60 }))).toBe(false);
    expect(budgetPrefixKey(cell({ budget: 30 }))).toBe(budgetPrefixKey(cell({ budget: 60 })));
  });

  it('derives every smaller budget from the largest one of its group', () => {
    const cells = [cell({ budget: 20 }), cell({ budget: 40 }), cell({ budget: 45 }), cell({ budget: 60 }), cell({ budget: 20, seed: 1 })];
    const plan = planDerivations(cells);
    expect([...plan.keys()].sort()).toEqual([cells[0].id, cells[1].id].sort());
    expect(plan.get(cells[0].id)!.budget).toBe(60);
    expect(plan.has(cells[2].id)).toBe(false); // 45 - 10 is not a multiple of 10
    expect(plan.has(cells[4].id)).toBe(false); // alone in its group
  });
});

describe('deriveResult', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  const data = tinyDataset({ train: 80, test: 30 });
  const asResult = (c: ResolvedCell, out: Awaited<ReturnType<typeof runCell>>): CompletedResult => ({
    schemaVersion: SCHEMA_VERSION,
    status: 'completed',
    cell: c,
    env: { albench: 't', tfjs: 't', backend: 'wasm', node: 't', os: 't' },
    data: { checksum: '', source: '', trainSize: 80, testSize: 30 },
    initial: out.initial,
    rounds: out.rounds,
    startedAt: '',
    finishedAt: '',
  });
  const withoutTiming = (r: CompletedResult) => r.rounds.map(({ trainMs: _t, queryMs: _q, ...rest }) => rest);

  it.each(['margin', 'random', 'ceal'])('equals running the smaller cell itself (%s)', async (strategy) => {
    const small = cell({ strategy, budget: 30 });
    const large = cell({ strategy, budget: 50 });
    const direct = asResult(small, await runCell(small, data));
    const derived = deriveResult(asResult(large, await runCell(large, data)), small);
    expect(withoutTiming(derived)).toEqual(withoutTiming(direct));
    expect(derived.initial).toEqual(direct.initial);
    expect(derived.cell).toEqual(small);
    expect(derived.derivedFrom).toEqual({ cellId: large.id, rounds: 3 });
  });

  it('refuses a cell that is not a prefix', () => {
    const source = asResult(cell({ budget: 50 }), { initial: [], rounds: [] });
    expect(() => deriveResult(source, cell({ budget: 35 }))).toThrow(/not a budget prefix/);
  });
});
