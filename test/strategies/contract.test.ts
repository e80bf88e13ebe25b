/**
 * The contract every registered strategy keeps, checked for all of them on the same small inputs:
 * the same seed gives the same selection; indices are unique and from the unlabelled pool; a batch
 * larger than the pool throws PoolExhaustedError; selecting leaks no tensor. The context is built
 * by the loop's own need provider on a tiny trained model (fixture.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/index.js';
import { createRng } from '../../src/rng.js';
import { STRATEGIES, STRATEGY_NAMES, createStrategy } from '../../src/strategies/registry.js';
import { NEED_NAMES, PoolExhaustedError, type SelectionContext } from '../../src/strategies/strategy.js';
import { disposeFixtureModel, fixtureContext, fixturePool } from './fixture.js';

beforeAll(async () => {
  await initBackend('wasm');
});
afterAll(disposeFixtureModel);

describe.each(STRATEGY_NAMES)('strategy %s', (name) => {
  const strategy = createStrategy(name);
  let ctx: SelectionContext;
  const n = fixturePool.length;

  beforeAll(async () => {
    ctx = await fixtureContext(strategy);
  });

  it('is registered with a citation, a family and known needs', () => {
    expect(STRATEGIES[name].citation.length).toBeGreaterThan(10);
    expect(strategy.name).toBe(name);
    for (const need of strategy.needs) expect(NEED_NAMES).toContain(need);
  });

  it('selects unique indices from the unlabelled pool', async () => {
    const { indices } = await strategy.select(ctx, 4, createRng(1));
    expect(indices).toHaveLength(4);
    expect(new Set(indices).size).toBe(4);
    for (const i of indices) expect(Array.from(ctx.pool)).toContain(i);
  });

  it('gives the same selection for the same seed, and leaks no tensor', async () => {
    const a = await strategy.select(ctx, 5, createRng(2));
    const before = tf.memory().numTensors;
    const b = await strategy.select(ctx, 5, createRng(2));
    expect(tf.memory().numTensors).toBe(before);
    expect(b.indices).toEqual(a.indices);
  });

  it('can take the whole pool, and throws PoolExhaustedError beyond it', async () => {
    expect((await strategy.select(ctx, n, createRng(3))).indices).toHaveLength(n);
    await expect(strategy.select(ctx, n + 1, createRng(3))).rejects.toThrow(PoolExhaustedError);
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
