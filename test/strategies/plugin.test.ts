/**
 * Plugin strategies: `{ module, export }` in a spec resolves against the spec's directory, the
 * module's SHA-256 enters the cell id, a changed module is refused at run time, and the loop runs
 * a plugin like a built-in (needs computed, seeded rng handed over).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/index.js';
import { runCell } from '../../src/loop/run-cell.js';
import { expandStudy } from '../../src/spec/expand.js';
import { validateSpec } from '../../src/spec/validate.js';
import { loadPlugin, loadStrategyModule, strategyForCell, strategyShapeProblem } from '../../src/strategies/plugin.js';
import { tinyDataset } from '../helpers/tiny-dataset.js';

// Least-confident first, written without albench imports so the module can live anywhere.
const pluginSource = (version: number) => `
export const VERSION = ${version};
export const mine = {
  name: 'mine-v${version}',
  needs: new Set(['probs']),
  async select(ctx, k, rng) {
    const c = ctx.numClasses;
    const score = Array.from(ctx.pool, (_, i) => 1 - Math.max(...ctx.probs.subarray(i * c, (i + 1) * c)));
    const order = Array.from(rng.permutation(ctx.pool.length)).sort((a, b) => score[b] - score[a]);
    return { indices: order.slice(0, k).map((p) => ctx.pool[p]) };
  },
};
`;

const dir = mkdtempSync(join(tmpdir(), 'albench-plugin-'));
const modulePath = join(dir, 'mine.js');
const spec = (strategy: unknown) => ({
  name: 'p',
  dataset: { name: 'synthetic', classes: 3, dims: 4, samples: 60 },
  model: 'mlp',
  matrix: { strategy, budget: 20, batchSize: 5, initialSize: 10, seed: 0 },
  training: { epochs: 2, batchSize: 8, learningRate: 0.01 },
});

beforeAll(async () => {
  writeFileSync(modulePath, pluginSource(1));
  await initBackend('wasm');
});

describe('plugin strategies in a spec', () => {
  it('resolve against the spec directory and record path and SHA-256 in the cell', () => {
    const study = expandStudy(validateSpec(spec(['random', { module: './mine.js', export: 'mine' }]), join(dir, 'spec.yaml')));
    const cell = study.cells.find((c) => c.plugin)!;
    expect(cell.strategy).toBe('mine');
    expect(cell.plugin).toMatchObject({ module: modulePath, export: 'mine' });
    expect(cell.plugin!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(study.cells.find((c) => c.strategy === 'random')!.plugin).toBeUndefined();
  });

  it('change the cell id when the module changes', () => {
    const id = () => expandStudy(validateSpec(spec({ module: './mine.js', export: 'mine', name: 'm' }), join(dir, 'spec.yaml'))).cells[0].id;
    const before = id();
    writeFileSync(modulePath, pluginSource(2));
    const after = id();
    writeFileSync(modulePath, pluginSource(1));
    expect(after).not.toBe(before);
    expect(id()).toBe(before);
  });

  it('are rejected with the field, the value and what is allowed', () => {
    const check = (entry: unknown) => () => validateSpec(spec(entry), join(dir, 'spec.yaml'));
    expect(check({ module: './missing.js', export: 'mine' })).toThrow(/matrix\.strategy\.module: "\.\/missing\.js" not found \(resolved against the spec's directory/);
    expect(check({ module: './mine.ts', export: 'mine' })).toThrow(/must end in \.js, \.mjs, \.cjs \(compile TypeScript/);
    expect(check({ module: './mine.js' })).toThrow(/matrix\.strategy\.export: is required/);
    expect(check({ module: './mine.js', export: 'mine', passes: 3 })).toThrow(/matrix\.strategy\.passes: unknown field; allowed fields: module, export, name/);
    expect(check(['random', { module: './mine.js', export: 'mine', name: 'random' }])).toThrow(/strategy "random" is listed twice/);
  });
});

describe('loading a plugin', () => {
  it('finds the only Strategy export and explains a bad one', async () => {
    expect((await loadStrategyModule(modulePath)).exportName).toBe('mine');
    await expect(loadStrategyModule(modulePath, 'VERSION')).rejects.toThrow(/export "VERSION" .* is number, not a Strategy object/);
    await expect(loadStrategyModule(modulePath, 'nope')).rejects.toThrow(/has no export "nope"; its exports: VERSION, mine/);
    expect(strategyShapeProblem({ name: 'x', needs: ['probs'], select() {} })).toMatch(/an array \(wrap it: new Set/);
    expect(strategyShapeProblem({ name: 'x', needs: new Set(['labels']), select() {} })).toMatch(/unknown need "labels"; allowed: probs/);
  });

  it('refuses a module that changed since expansion, and never runs a stale cached copy', async () => {
    const cell = expandStudy(validateSpec(spec({ module: './mine.js', export: 'mine' }), join(dir, 'spec.yaml'))).cells[0];
    expect((await loadPlugin(cell.plugin!)).name).toBe('mine-v1');
    writeFileSync(modulePath, pluginSource(3));
    await expect(loadPlugin(cell.plugin!)).rejects.toThrow(/changed since the study was expanded/);
    const cell3 = expandStudy(validateSpec(spec({ module: './mine.js', export: 'mine' }), join(dir, 'spec.yaml'))).cells[0];
    // Same path, new content: a fresh import, not Node's cached first version.
    expect((await loadPlugin(cell3.plugin!)).name).toBe('mine-v3');
    writeFileSync(modulePath, pluginSource(1));
  });

  it('runs in the loop like a built-in: needs provided, same seed same selections', async () => {
    const cell = expandStudy(validateSpec(spec({ module: './mine.js', export: 'mine' }), join(dir, 'spec.yaml'))).cells[0];
    expect((await strategyForCell(cell)).name).toBe('mine-v1');
    const data = tinyDataset({ train: 40, test: 12, classes: 3, shape: [4], seed: 1 });
    const a = await runCell(cell, data);
    const b = await runCell(JSON.parse(JSON.stringify(cell)) as typeof cell, data);
    expect(a.rounds.map((r) => r.labeled)).toEqual([10, 15, 20]);
    expect(b.rounds.map((r) => r.selected)).toEqual(a.rounds.map((r) => r.selected));
  });
});
