/**
 * The contract every strategy keeps, built-in or plugin (DESIGN.md, "Seams"): a valid shape with
 * known needs; a batch of the asked size, unique, from the unlabelled pool; the same selection for
 * the same seed; no tensor leaked; its inputs left unchanged; the whole pool can be taken, and one
 * more throws PoolExhaustedError. The contract test runs it over the registry, and
 * `albench test-strategy` over a user's module, so both meet the same checks on the same round.
 */
import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '../rng.js';
import type { ContractFixture } from './contract-fixture.js';
import { existsSync } from 'node:fs';
import { GOLDEN_POOL_BATCH, GOLDEN_POOL_PATH, goldenPoolContext, readGoldenPool, type GoldenPoolFile } from './golden-pool.js';
import { randomStrategy } from './random.js';
import { uncertaintyStrategy } from './uncertainty.js';
import { entropyScores } from './uncertainty-scores.js';
import { strategyShapeProblem } from './plugin.js';
import type { SelectionContext, Strategy } from './strategy.js';

export interface ContractCheck {
  readonly name: string;
  readonly ok: boolean;
  /** What was found: the evidence when it passed, the problem when it failed. */
  readonly detail: string;
}

export const CONTRACT_CHECK_NAMES = [
  'has a name, known needs and a select method',
  'selects unique indices from the unlabelled pool',
  'gives the same selection for the same seed',
  'leaks no tensor',
  'leaves its inputs unchanged',
  'can take the whole pool',
  'throws PoolExhaustedError beyond the pool',
  "does not select random's batch on the golden pool",
  "does not select entropy's batch on the golden pool",
] as const;

/** Baselines a strategy is compared with on the golden pool (golden-pool.ts). */
export const BEHAVIOUR_BASELINES = ['random', 'entropy'] as const;

export interface ContractOptions {
  /**
   * For a registered strategy: the baselines it may legitimately pick the same batch as (random
   * itself; entropy and CEAL, whose query is entropy's). Given, a strategy that picks any other
   * baseline's batch fails: it is that baseline under another name. Absent (a plugin, e.g. a
   * researcher's own entropy checked against albench's), an equal batch is reported, not failed.
   */
  readonly mayEqual?: readonly (typeof BEHAVIOUR_BASELINES)[number][];
  /** The golden pool; read from the repository checkout when omitted, and the checks skipped if it is absent. */
  readonly goldenPool?: GoldenPoolFile | null;
}

/** Why `indices` is not `k` distinct members of `pool`, or undefined. */
function batchProblem(indices: unknown, k: number, pool: Int32Array): string | undefined {
  if (!Array.isArray(indices)) return `selection.indices is ${typeof indices}, expected an array`;
  if (indices.length !== k) return `asked for ${k}, got ${indices.length} indices`;
  const inPool = new Set(pool);
  const seen = new Set<number>();
  for (const i of indices as unknown[]) {
    if (typeof i !== 'number' || !Number.isInteger(i)) return `index ${JSON.stringify(i)} is not an integer`;
    if (!inPool.has(i)) return `index ${i} is not in the unlabelled pool`;
    if (seen.has(i)) return `index ${i} is selected twice`;
    seen.add(i);
  }
  return undefined;
}

const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Copies of the context's typed arrays, to see whether a strategy wrote into them. */
function snapshot(ctx: SelectionContext): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const [key, value] of Object.entries(ctx)) {
    if (ArrayBuffer.isView(value)) out.set(key, Array.from(value as unknown as ArrayLike<number>));
    else if (value && typeof value === 'object' && 'data' in value && ArrayBuffer.isView((value as { data: unknown }).data)) {
      out.set(`${key}.data`, Array.from((value as { data: ArrayLike<number> }).data));
    }
  }
  return out;
}

function changedInputs(before: Map<string, number[]>, after: Map<string, number[]>): string[] {
  return [...before.keys()].filter((k) => !same(before.get(k)!, after.get(k) ?? []));
}

function isPoolExhausted(err: unknown): boolean {
  // By name as well as class: a plugin may bundle its own copy of albench's error class.
  return err instanceof Error && err.name === 'PoolExhaustedError';
}

/**
 * Runs every contract check on `strategy` with the fixture's round. Never throws for a broken
 * strategy: each check reports its own failure, so one bug does not hide the others.
 */
export async function checkStrategyContract(strategy: Strategy, fixture: ContractFixture, options: ContractOptions = {}): Promise<ContractCheck[]> {
  const [shapeName, batchName, seedName, leakName, inputsName, wholeName, beyondName, randomName, entropyName] = CONTRACT_CHECK_NAMES;
  const checks: ContractCheck[] = [];
  const pass = (name: string, detail: string) => checks.push({ name, ok: true, detail });
  const fail = (name: string, detail: string) => checks.push({ name, ok: false, detail });
  const thrown = (err: unknown) => `threw ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`;

  const shape = strategyShapeProblem(strategy);
  if (shape) {
    fail(shapeName, `the strategy ${shape}`);
    return checks;
  }
  pass(shapeName, `name "${strategy.name}", needs: ${[...strategy.needs].join(', ') || '(none)'}`);

  let ctx: SelectionContext;
  try {
    ctx = await fixture.contextFor(strategy);
  } catch (err) {
    fail(batchName, `the loop could not build its needs: ${thrown(err)}`);
    return checks;
  }
  const n = fixture.pool.length;
  const before = snapshot(ctx);

  try {
    const { indices } = await strategy.select(ctx, 4, createRng(1));
    const problem = batchProblem(indices, 4, fixture.pool);
    if (problem) fail(batchName, problem);
    else pass(batchName, `selected ${JSON.stringify(indices)} from a pool of ${n}`);
  } catch (err) {
    fail(batchName, thrown(err));
  }

  try {
    const a = await strategy.select(ctx, 5, createRng(2));
    // Measured around a repeat call, after the first calls warmed up any cached kernels.
    const tensorsBefore = tf.memory().numTensors;
    const b = await strategy.select(ctx, 5, createRng(2));
    const leaked = tf.memory().numTensors - tensorsBefore;
    if (same(a.indices, b.indices)) pass(seedName, `${JSON.stringify(a.indices)} twice with seed 2`);
    else fail(seedName, `seed 2 gave ${JSON.stringify(a.indices)}, then ${JSON.stringify(b.indices)}; take all randomness from the rng argument`);
    if (leaked === 0) pass(leakName, 'tf.memory().numTensors unchanged by a select');
    else fail(leakName, `${leaked} tensor${leaked === 1 ? '' : 's'} left after one select; wrap tensor code in tf.tidy and dispose what you keep`);
  } catch (err) {
    fail(seedName, thrown(err));
    fail(leakName, 'not measured: select threw');
  }

  const changed = changedInputs(before, snapshot(ctx));
  if (changed.length === 0) pass(inputsName, `${before.size} input arrays unchanged`);
  else fail(inputsName, `wrote into ctx.${changed.join(', ctx.')}; the loop shares these arrays between strategies and rounds`);

  try {
    const { indices } = await strategy.select(ctx, n, createRng(3));
    const problem = batchProblem(indices, n, fixture.pool);
    if (problem) fail(wholeName, problem);
    else pass(wholeName, `all ${n} pool rows`);
  } catch (err) {
    fail(wholeName, thrown(err));
  }

  try {
    const { indices } = await strategy.select(ctx, n + 1, createRng(3));
    fail(beyondName, `asked for ${n + 1} of a pool of ${n}, returned ${indices.length} indices instead of throwing`);
  } catch (err) {
    if (isPoolExhausted(err)) pass(beyondName, `asked for ${n + 1} of ${n}: ${(err as Error).message}`);
    else fail(beyondName, `${thrown(err)}, expected PoolExhaustedError (exported by albench)`);
  }

  // Behaviour: on the golden pool, where every registered method picks its own batch, the strategy
  // must not pick what random (same rng) or entropy picks, unless it is allowed to.
  const pool = options.goldenPool === undefined ? (existsSync(GOLDEN_POOL_PATH) ? readGoldenPool() : null) : options.goldenPool;
  if (!pool) {
    pass(randomName, 'skipped: the golden pool (test/fixtures/golden-pool.json) is not in this installation');
    pass(entropyName, 'skipped: the golden pool is not in this installation');
    return checks;
  }
  try {
    const key = (v: readonly number[]) => [...v].sort((a, b) => a - b).join(',');
    const batchOf = async (s: Strategy) => key((await s.select(goldenPoolContext(pool, s), GOLDEN_POOL_BATCH, createRng('golden-pool'))).indices);
    const own = await batchOf(strategy);
    const randomBatch = await batchOf(randomStrategy);
    const entropyBatch = await batchOf(uncertaintyStrategy('entropy', entropyScores));
    const judge = (name: string, baseline: (typeof BEHAVIOUR_BASELINES)[number], batch: string) => {
      if (options.mayEqual?.includes(baseline)) pass(name, `may equal ${baseline}'s batch [${batch}]; picked [${own}]`);
      else if (own === batch && !options.mayEqual) pass(name, `picked [${own}], the same batch as albench's ${baseline} on the golden pool (fine if this is your ${baseline}; a registered strategy would fail here)`);
      else if (own === batch) fail(name, `picked [${own}], exactly ${baseline}'s batch on the golden pool: is this ${baseline} under another name?`);
      else pass(name, `picked [${own}], ${baseline} picks [${batch}]`);
    };
    judge(randomName, 'random', randomBatch);
    judge(entropyName, 'entropy', entropyBatch);
  } catch (err) {
    fail(randomName, `on the golden pool: ${thrown(err)}`);
    fail(entropyName, 'not measured: select threw on the golden pool');
  }
  return checks;
}
