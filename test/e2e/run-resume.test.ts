/**
 * The runner end to end on a small synthetic study: results on disk, resume after SIGKILL with
 * finished cells untouched, bitwise-identical re-runs, and bad specs that write nothing.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CellResult } from '../../src/store/schema.js';
import { albench, albenchDetached, requireBuild, tempDir, writeSpec } from './cli.js';
import { nativeKernelsMissing } from '../../src/backend/native-kernels.js';

const SPEC = `
name: tiny
dataset: { name: synthetic, classes: 3, dims: 4, samples: 300 }
model: mlp
matrix:
  strategy: [random, entropy, margin]
  budget: 40
  batchSize: 10
  initialSize: 10
  seed: [0, 1]
training: { epochs: 3, batchSize: 16, learningRate: 0.01 }
`;

const readCells = (results: string) =>
  Object.fromEntries(
    readdirSync(join(results, 'cells')).map((f) => [f, readFileSync(join(results, 'cells', f), 'utf8')]),
  );

const withoutTiming = (text: string) => {
  const r = JSON.parse(text) as CellResult;
  return { cell: r.cell, status: r.status, initial: r.initial, rounds: r.rounds.map(({ trainMs: _t, queryMs: _q, ...rest }) => rest) };
};

beforeAll(requireBuild);

describe('albench run', () => {
  const dir = tempDir('run');
  const spec = writeSpec(dir, 'tiny.yaml', SPEC);
  const results = join(dir, 'results');

  it('runs every cell and writes one completed result per cell, recording the backend', () => {
    const run = albench(['run', spec, '--results', results, '--workers', '2']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/6 cells; 6 run now, 0 already done, 0 failed/);
    const cells = readCells(results);
    expect(Object.keys(cells)).toHaveLength(6);
    for (const text of Object.values(cells)) {
      const r = JSON.parse(text) as CellResult;
      expect(r.status).toBe('completed');
      // auto: wasm-native where npm install built the addon, else wasm.
      expect(r.env.backend).toBe(nativeKernelsMissing() === undefined ? 'wasm-native' : 'wasm');
      expect(r.rounds.map((x) => x.labeled)).toEqual([10, 20, 30, 40]);
    }
  });

  it('resumes: a second run skips completed cells and leaves their files byte-identical', () => {
    const before = readCells(results);
    const run = albench(['run', spec, '--results', results]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/0 run now, 6 already done/);
    expect(readCells(results)).toEqual(before);
  });

  it('--force re-runs every cell with identical metrics and selections', () => {
    const before = readCells(results);
    const run = albench(['run', spec, '--results', results, '--force', '--workers', '1']);
    expect(run.status, run.stderr).toBe(0);
    const after = readCells(results);
    for (const [file, text] of Object.entries(before)) expect(withoutTiming(after[file])).toEqual(withoutTiming(text));
  });

  it('a killed run resumes with only the remaining cells; finished cells stay byte-identical', async () => {
    const killed = join(dir, 'killed');
    const child = albenchDetached(['run', spec, '--results', killed, '--workers', '1']);
    const cellsDir = join(killed, 'cells');
    const finishedBeforeKill = await new Promise<number>((resolve, reject) => {
      const timer = setInterval(() => {
        const done = existsSync(cellsDir) ? readdirSync(cellsDir).filter((f) => f.endsWith('.json')).length : 0;
        if (done >= 2) {
          clearInterval(timer);
          process.kill(-child.pid!, 'SIGKILL'); // the whole process group: scheduler and workers
          resolve(done);
        }
      }, 20);
      child.on('exit', () => {
        clearInterval(timer);
        reject(new Error('run finished before it could be killed'));
      });
    });
    await new Promise((r) => setTimeout(r, 200));
    const survivors = readCells(killed);
    expect(Object.keys(survivors).length).toBeGreaterThanOrEqual(finishedBeforeKill);
    expect(Object.keys(survivors).length).toBeLessThan(6);
    for (const text of Object.values(survivors)) expect(() => JSON.parse(text)).not.toThrow();

    const resumed = albench(['run', spec, '--results', killed]);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(`${6 - Object.keys(survivors).length} run now, ${Object.keys(survivors).length} already done`);
    const final = readCells(killed);
    for (const [file, text] of Object.entries(survivors)) expect(final[file]).toBe(text);
    expect(readdirSync(cellsDir).filter((f) => f.startsWith('.'))).toEqual([]); // no temp files left
    // And the resumed study equals the uninterrupted one, timing aside.
    const reference = readCells(results);
    for (const [file, text] of Object.entries(final)) expect(withoutTiming(text)).toEqual(withoutTiming(reference[file]));
  });
});

describe('albench run refuses bad input with exit code 2 and writes nothing', () => {
  const dir = tempDir('bad');

  it.each([
    ['an unknown strategy', SPEC.replace('margin', 'margn'), /matrix\.strategy\[2\]: unknown strategy "margn" \(did you mean "margin"\?\)/],
    ['a budget larger than the pool', SPEC.replace('budget: 40', 'budget: 5000'), /budget 5000 exceeds the \d+ training examples/],
    ['a YAML syntax error', 'name: [oops', /\(syntax\)/],
  ])('%s', (_what, body, message) => {
    const spec = writeSpec(dir, 'bad.yaml', body);
    const results = join(dir, 'never');
    const run = albench(['run', spec, '--results', results]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(existsSync(results)).toBe(false);
  });

  it('an unknown option or backend', () => {
    const run = albench(['run', 'experiments/quick.yaml', '--backend', 'gpu']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/Choices: "auto", "tensorflow-gpu", "tensorflow", "wasm-native", "wasm", "cpu"/);
  });
});

describe('shared work across budgets and strategies', () => {
  it('cuts smaller-budget cells from larger ones and shares round 0, identical to running them (--no-reuse)', () => {
    const dir = tempDir('reuse');
    const spec = writeSpec(dir, 'budgets.yaml', SPEC.replace('budget: 40', 'budget: [20, 40]').replace('[random, entropy, margin]', '[random, margin]'));
    const shared = albench(['run', spec, '--results', join(dir, 'shared')]);
    expect(shared.status, shared.stderr).toBe(0);
    expect(shared.stdout).toMatch(/8 cells; 8 run now \(4 cut from larger budgets\)/);
    const alone = albench(['run', spec, '--results', join(dir, 'alone'), '--no-reuse']);
    expect(alone.status, alone.stderr).toBe(0);
    const a = readCells(join(dir, 'shared'));
    const b = readCells(join(dir, 'alone'));
    expect(Object.values(a).filter((t) => JSON.parse(t).derivedFrom)).toHaveLength(4);
    // Of the 4 cells run, one strategy per seed trained round 0 and the other loaded it.
    expect(Object.values(a).filter((t) => !JSON.parse(t).derivedFrom && JSON.parse(t).reusedRound0)).toHaveLength(2);
    expect(Object.values(b).filter((t) => JSON.parse(t).reusedRound0 || JSON.parse(t).derivedFrom)).toHaveLength(0);
    for (const [file, text] of Object.entries(a)) expect(withoutTiming(text)).toEqual(withoutTiming(b[file]));
    // The round-0 snapshots serve one run: a completed run removes them.
    expect(existsSync(join(dir, 'shared', '.round0'))).toBe(false);
  });
});
