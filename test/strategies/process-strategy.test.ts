/**
 * Strategies run as another process (src/strategies/process-strategy.ts, python/albench_strategy.py):
 * a NumPy margin and a NumPy k-center greedy (test/fixtures/strategies) select exactly what the
 * built-in margin and coreset select in the same cells; a crashing, a hanging, a lying and a
 * stdout-printing script each fail their cell with the named error; paths, hashes and needs enter
 * the cell id.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/index.js';
import { runCell, type LoopOutput } from '../../src/loop/run-cell.js';
import { expandStudy } from '../../src/spec/expand.js';
import { validateSpec } from '../../src/spec/validate.js';
import { strategyForCell } from '../../src/strategies/plugin.js';
import { createStrategy } from '../../src/strategies/registry.js';
import { createRng } from '../../src/rng.js';
import { StrategyProcessError } from '../../src/strategies/process-strategy.js';
import type { ResolvedCell } from '../../src/spec/types.js';
import { tinyDataset } from '../helpers/tiny-dataset.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/strategies', import.meta.url));
const SPEC = join(FIXTURES, 'spec.yaml');
const hasNumpy = spawnSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;

const spec = (strategy: unknown, budget = 30) => ({
  name: 'pipe',
  dataset: { name: 'synthetic', classes: 3, dims: 4, samples: 60 },
  model: 'mlp',
  matrix: { strategy, budget, batchSize: 5, initialSize: 10, seed: [0, 1] },
  training: { epochs: 2, batchSize: 8, learningRate: 0.01 },
});
const cellsOf = (strategy: unknown, source = SPEC, budget?: number) => expandStudy(validateSpec(spec(strategy, budget), source)).cells;
const data = tinyDataset({ train: 60, test: 12, classes: 3, shape: [4], seed: 2 });
const runOne = (cell: ResolvedCell) => runCell(cell, data);
const failureOf = async (cell: ResolvedCell): Promise<Error & { partial?: LoopOutput }> => {
  try {
    await runOne(cell);
  } catch (err) {
    return err as Error;
  }
  throw new Error(`cell ${cell.strategy} did not fail`);
};

beforeAll(async () => {
  await initBackend('wasm');
});

describe('process strategies in a spec', () => {
  it('resolve paths against the spec folder and put command, script SHA-256 and needs in the cell', () => {
    const [cell] = cellsOf({ name: 'py-margin', command: ['python3', 'numpy_margin.py'], needs: ['probs'] });
    expect(cell.strategy).toBe('py-margin');
    expect(cell.command).toMatchObject({ argv: ['python3', join(FIXTURES, 'numpy_margin.py')], script: join(FIXTURES, 'numpy_margin.py'), needs: ['probs'] });
    expect(cell.command!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(cell.strategyParams).toBeUndefined();
  });

  it('change the cell id with the script, the command and the needs, and keep built-in ids', () => {
    const dir = mkdtempSync(join(tmpdir(), 'albench-pipe-'));
    copyFileSync(join(FIXTURES, 'numpy_margin.py'), join(dir, 'm.py'));
    const id = (entry: object) => cellsOf({ name: 'm', command: ['python3', 'm.py'], needs: ['probs'], ...entry }, join(dir, 'spec.yaml'))[0].id;
    const base = id({});
    expect(id({ needs: ['probs', 'embeddings'] })).not.toBe(base);
    expect(id({ command: ['python3', '-u', 'm.py'] })).not.toBe(base);
    writeFileSync(join(dir, 'm.py'), '# edited\n', { flag: 'a' });
    expect(id({})).not.toBe(base);
    // Needs are a set: order does not matter.
    expect(id({ needs: ['embeddings', 'probs'] })).toBe(id({ needs: ['probs', 'embeddings'] }));
    expect(cellsOf('margin')[0].command).toBeUndefined();
    expect(cellsOf(['margin', { name: 'm', command: ['python3', 'numpy_margin.py'] }])[0].id).toBe(cellsOf('margin')[0].id);
  });

  it('are rejected with the field, the value and what is allowed', () => {
    const check = (entry: unknown) => () => validateSpec(spec(entry), SPEC);
    expect(check({ name: 'x', command: ['python3', 'missing.py'] })).toThrow(/matrix\.strategy\.command: "missing\.py" not found \(resolved against the spec's directory/);
    expect(check({ name: 'x', command: 'python3 numpy_margin.py' })).toThrow(/matrix\.strategy\.command: must be a non-empty list of strings/);
    expect(check({ name: 'x', command: ['python3', '-c', 'pass'] })).toThrow(/command: names no script file/);
    expect(check({ name: 'x', command: ['python3', 'numpy_margin.py'], needs: ['trainModel'] })).toThrow(/needs: unknown need "trainModel" \(it is a callback into albench and cannot cross a pipe\); allowed: probs, labeledProbs/);
    expect(check({ name: 'x', command: ['python3', 'numpy_margin.py'], timeout: 0 })).toThrow(/timeout: must be the seconds one selection may take/);
    expect(check({ command: ['python3', 'numpy_margin.py'] })).toThrow(/matrix\.strategy\.name: must be a strategy name/);
    expect(check({ name: 'x', command: ['python3', 'numpy_margin.py'], passes: 2 })).toThrow(/matrix\.strategy\.passes: unknown field; allowed fields: name, command, needs, timeout/);
  });
});

describe.skipIf(!hasNumpy)('process strategies in the loop (python3 with NumPy)', () => {
  it('NumPy margin and k-center select exactly what built-in margin and coreset select', async () => {
    const cells = cellsOf([
      'margin',
      'coreset',
      { name: 'py-margin', command: ['python3', 'numpy_margin.py'], needs: ['probs'] },
      { name: 'py-kcenter', command: ['python3', 'numpy_kcenter.py'], needs: ['embeddings'] },
    ]);
    const selections = new Map<string, number[][]>();
    for (const cell of cells) selections.set(`${cell.strategy}/${cell.seed}`, (await runOne(cell)).rounds.map((r) => [...r.selected]));
    for (const seed of [0, 1]) {
      const margin = selections.get(`margin/${seed}`)!;
      expect(margin.flat()).toHaveLength(20);
      expect(selections.get(`py-margin/${seed}`)).toEqual(margin);
      expect(selections.get(`py-kcenter/${seed}`)).toEqual(selections.get(`coreset/${seed}`));
      // Not vacuous: the two built-ins disagree, so each twin matches its own method.
      expect(selections.get(`coreset/${seed}`)).not.toEqual(margin);
    }
  });

  it('breaks ties as the built-in does (tie_rank): all-equal scores still give the same batch', async () => {
    const n = 50;
    const ctx = {
      round: 0,
      numClasses: 2,
      pool: Int32Array.from({ length: n }, (_, i) => i + 5),
      labeled: Int32Array.from([0, 1, 2, 3, 4]),
      labeledY: Int32Array.from([0, 1, 0, 1, 0]),
      probs: new Float32Array(2 * n).fill(0.5),
    };
    const [cell] = cellsOf({ name: 'py-margin', command: ['python3', 'numpy_margin.py'], needs: ['probs'] });
    const py = await strategyForCell(cell);
    try {
      const builtIn = await createStrategy('margin').select(ctx, 7, createRng('ties'));
      const twin = await py.select(ctx, 7, createRng('ties'));
      expect(twin.indices).toEqual(builtIn.indices);
      // Not vacuous: every score ties, so pool order would give the first seven.
      expect(builtIn.indices).not.toEqual([5, 6, 7, 8, 9, 10, 11]);
    } finally {
      await py.dispose?.();
    }
  });

  it('leaks no tensor and leaves no process running', async () => {
    const [cell] = cellsOf({ name: 'py-margin', command: ['python3', 'numpy_margin.py'], needs: ['probs'] });
    await runOne(cell);
    const before = tf.memory().numTensors;
    await runOne(cell);
    expect(tf.memory().numTensors).toBe(before);
    // dispose() at the end of the cell stopped the script: no child of this process runs it.
    const children = spawnSync('pgrep', ['-P', String(process.pid), '-f', 'numpy_margin.py'], { encoding: 'utf8' });
    expect(children.stdout.trim()).toBe('');
  });

  it('a crashing script fails its cell with its exit and traceback, keeping the rounds before', async () => {
    const [cell] = cellsOf({ name: 'crash', command: ['python3', 'crash.py'] });
    const err = await failureOf(cell);
    expect(err.cause).toBeInstanceOf(StrategyProcessError);
    expect((err.cause as StrategyProcessError).kind).toBe('exited');
    expect(err.message).toMatch(/strategy process crash \(python3 .*crash\.py\) exited with code 1 before answering; its stderr ends:[\s\S]*ValueError: boom in round 1/);
    expect(err.partial!.rounds.map((r) => r.round)).toEqual([0]);
  });

  it('a hanging script is killed at the timeout', async () => {
    const [cell] = cellsOf({ name: 'hang', command: ['python3', 'hang.py'], timeout: 1 });
    const err = await failureOf(cell);
    expect((err.cause as StrategyProcessError).kind).toBe('timeout');
    expect(err.message).toMatch(/strategy process hang .* did not answer round 0 within 1 s \(the entry's timeout\) and was killed/);
  });

  it('a lying script meets the loop\'s selection check', async () => {
    const [cell] = cellsOf({ name: 'liar', command: ['python3', 'liar.py'] });
    const err = await failureOf(cell);
    expect(err.message).toMatch(/strategy liar selected index \d+, which is not a distinct unlabelled pool index/);
  });

  it('a script writing to stdout breaks the protocol with a clear error; print() through the helper does not', async () => {
    const [noisy] = cellsOf({ name: 'noisy', command: ['python3', 'noisy.py'] });
    const err = await failureOf(noisy);
    expect((err.cause as StrategyProcessError).kind).toBe('protocol');
    expect(err.message).toMatch(/strategy process noisy .* wrote to stdout outside the protocol: expected a response frame .* got "hello from a strategy/);
    const [printer] = cellsOf({ name: 'printer', command: ['python3', 'printer.py'] });
    expect((await runOne(printer)).rounds).toHaveLength(5);
  });

  it('refuses to run a script that changed since the cell was expanded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'albench-pipe-'));
    copyFileSync(join(FIXTURES, 'numpy_margin.py'), join(dir, 'm.py'));
    const [cell] = cellsOf({ name: 'm', command: ['python3', 'm.py'], needs: ['probs'] }, join(dir, 'spec.yaml'));
    writeFileSync(join(dir, 'm.py'), '# edited\n', { flag: 'a' });
    await expect(strategyForCell(cell)).rejects.toThrow(/strategy script .*m\.py changed since the study was expanded/);
  });
});
