/**
 * The contract every registered strategy keeps, checked for all of them on the same small inputs
 * by the checks `albench test-strategy` runs on a plugin (src/strategies/contract.ts): the same
 * seed gives the same selection; indices are unique and from the unlabelled pool; a batch larger
 * than the pool throws PoolExhaustedError; selecting leaks no tensor and writes into no input. The
 * context is built by the loop's own need provider on a tiny trained model (contract-fixture.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/index.js';
import { createRng } from '../../src/rng.js';
import { checkStrategyContract, CONTRACT_CHECK_NAMES, type ContractCheck } from '../../src/strategies/contract.js';
import { createContractFixture, type ContractFixture } from '../../src/strategies/contract-fixture.js';
import { STRATEGIES, STRATEGY_NAMES, createStrategy } from '../../src/strategies/registry.js';
import { NEED_NAMES, type SelectionContext, type Strategy } from '../../src/strategies/strategy.js';

let fixture: ContractFixture;
beforeAll(async () => {
  await initBackend('wasm');
  fixture = await createContractFixture();
});
afterAll(() => fixture.dispose());

describe.each(STRATEGY_NAMES)('strategy %s', (name) => {
  const strategy = createStrategy(name);
  let checks: ContractCheck[];

  beforeAll(async () => {
    // random is random; CEAL queries by entropy (Wang et al. 2017) and differs by its pseudo-labels.
    const mayEqual = name === 'random' ? (['random'] as const) : name === 'entropy' || name === 'ceal' ? (['entropy'] as const) : [];
    checks = await checkStrategyContract(strategy, fixture, { mayEqual });
  });

  it('is registered with a citation, a family and known needs', () => {
    expect(STRATEGIES[name].citation.length).toBeGreaterThan(10);
    expect(strategy.name).toBe(name);
    for (const need of strategy.needs) expect(NEED_NAMES).toContain(need);
  });

  it.each(CONTRACT_CHECK_NAMES)('%s', (check) => {
    const found = checks.find((c) => c.name === check);
    expect(found, `check "${check}" did not run`).toBeDefined();
    expect(found!.ok, found!.detail).toBe(true);
  });
});

it('the contract catches a broken strategy, naming each problem', async () => {
  let calls = 0;
  const broken: Strategy = {
    name: 'broken',
    needs: new Set(['probs']),
    async select(ctx, k) {
      calls++;
      (ctx.probs as Float32Array)[0] = 0.5; // writes into a shared input
      tf.keep(tf.zeros([2])); // leaks a tensor per call
      // Ignores the rng (a different pick each call), repeats an index, never throws.
      const at = (i: number) => ctx.pool[(calls + i) % ctx.pool.length];
      return { indices: [at(0), ...Array.from({ length: k - 1 }, (_, i) => at(i))] };
    },
  };
  const failed = (await checkStrategyContract(broken, fixture, { goldenPool: null })).filter((c) => !c.ok).map((c) => c.name);
  expect(failed).toEqual([
    'selects unique indices from the unlabelled pool',
    'gives the same selection for the same seed',
    'leaks no tensor',
    'leaves its inputs unchanged',
    'can take the whole pool',
    'throws PoolExhaustedError beyond the pool',
  ]);
  const shape = await checkStrategyContract({ name: 'x', needs: ['probs'] } as unknown as Strategy, fixture);
  expect(shape).toMatchObject([{ ok: false, name: 'has a name, known needs and a select method' }]);
});

it.each(STRATEGY_NAMES.filter((n) => n !== 'random' && n !== 'entropy' && n !== 'ceal'))("%s's behaviour checks fail when random or entropy runs under its name", async (name) => {
  const real = createStrategy(name);
  const impostor = (base: Strategy): Strategy => ({ ...real, name, select: base.select });
  for (const [base, check] of [
    [createStrategy('random'), "does not select random's batch on the golden pool"],
    [createStrategy('entropy'), "does not select entropy's batch on the golden pool"],
  ] as const) {
    const checks = await checkStrategyContract(impostor(base), fixture, { mayEqual: [] });
    expect(checks.find((c) => c.name === check)?.ok, `${base.name} as ${name}`).toBe(false);
  }
});

it("a plugin that picks entropy's batch is told so, not failed (it may be the user's own entropy)", async () => {
  const mine: Strategy = { ...createStrategy('entropy'), name: 'my-entropy' };
  const check = (await checkStrategyContract(mine, fixture)).find((c) => c.name === "does not select entropy's batch on the golden pool")!;
  expect(check.ok).toBe(true);
  expect(check.detail).toMatch(/the same batch as albench's entropy/);
});

it('uncertainty strategies pick the highest-entropy rows first', async () => {
  const ctx: SelectionContext = {
    round: 0,
    numClasses: 2,
    pool: Int32Array.from([10, 20, 30]),
    labeled: new Int32Array(0),
    probs: Float32Array.from([0.9, 0.1, 0.5, 0.5, 0.7, 0.3]),
  };
  for (const name of ['entropy', 'margin', 'least-confidence']) {
    expect((await createStrategy(name).select(ctx, 3, createRng(0))).indices).toEqual([20, 30, 10]);
  }
});
