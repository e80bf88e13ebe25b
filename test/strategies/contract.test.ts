/** The contract every strategy keeps, checked on the same small inputs for all of them. */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/rng.js';
import { STRATEGY_NAMES, createStrategy } from '../../src/strategies/registry.js';
import { PoolExhaustedError, type SelectionContext } from '../../src/strategies/strategy.js';

function context(): SelectionContext {
  const rng = createRng('contract');
  const pool = Int32Array.from([1, 4, 5, 6, 8, 9, 12, 13, 14, 17]);
  const probs = new Float32Array(pool.length * 3);
  for (let i = 0; i < pool.length; i++) {
    const raw = [rng.next(), rng.next(), rng.next()];
    const sum = raw[0] + raw[1] + raw[2];
    probs.set(raw.map((v) => v / sum), i * 3);
  }
  return { round: 0, numClasses: 3, pool, labeled: Int32Array.from([0, 2, 3]), probs };
}

describe.each(STRATEGY_NAMES)('strategy %s', (name) => {
  const strategy = createStrategy(name);

  it('selects unique indices from the unlabelled pool', async () => {
    const ctx = context();
    const { indices } = await strategy.select(ctx, 4, createRng(1));
    expect(indices).toHaveLength(4);
    expect(new Set(indices).size).toBe(4);
    for (const i of indices) expect(Array.from(ctx.pool)).toContain(i);
  });

  it('gives the same selection for the same seed', async () => {
    const a = await strategy.select(context(), 5, createRng(2));
    const b = await strategy.select(context(), 5, createRng(2));
    expect(b.indices).toEqual(a.indices);
  });

  it('can take the whole pool, and throws PoolExhaustedError beyond it', async () => {
    expect((await strategy.select(context(), 10, createRng(3))).indices).toHaveLength(10);
    await expect(strategy.select(context(), 11, createRng(3))).rejects.toThrow(PoolExhaustedError);
  });
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
