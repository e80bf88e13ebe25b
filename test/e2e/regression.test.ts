/**
 * Regression checking end to end, through the built CLI, the way a researcher would use it:
 * a strategy as a plugin module, a baseline run, an unchanged re-run (compare must stay quiet),
 * the module edited to reverse entropy's direction (compare must flag it and exit 1), and verify
 * re-running recorded cells bit for bit.
 *
 * Study size: digits with a 600-row pool and 300 test rows, budget 80 in batches of 10 from 20,
 * 10 epochs, 6 seeds: the smallest study where the effect is certain and the test can speak
 * (the smallest exact two-sided Wilcoxon p is 2/2^n, below 0.05 only from 6 seeds on). About
 * 20 s per run on 2 cores; three runs plus two verified cells.
 */
import { copyFileSync, cpSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CompareReport } from '../../src/regression/compare-runs.js';
import { albench, requireBuild, tempDir, writeSpec } from './cli.js';

/** Entropy sampling written as a user would, without importing albench. SIGN = -1 reverses it. */
const entropyPlugin = (sign: 1 | -1) => `
const SIGN = ${sign};
export const myEntropy = {
  name: 'my-entropy',
  needs: new Set(['probs']),
  async select(ctx, batchSize, rng) {
    const n = ctx.pool.length;
    const c = ctx.numClasses;
    if (batchSize > n) {
      const err = new Error('Pool exhausted: asked for ' + batchSize + ' but only ' + n + ' remain');
      err.name = 'PoolExhaustedError';
      throw err;
    }
    const scores = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let h = 0;
      for (let k = 0; k < c; k++) {
        const p = ctx.probs[i * c + k];
        if (p > 0) h -= p * Math.log(p);
      }
      scores[i] = SIGN * h;
    }
    const order = Array.from(rng.permutation(n));
    order.sort((a, b) => scores[b] - scores[a]);
    return { indices: order.slice(0, batchSize).map((p) => ctx.pool[p]) };
  },
};
`;

const SPEC = `
name: regression-e2e
dataset: { name: digits, poolSize: 600, testSize: 300 }
model: mlp
matrix:
  strategy: [{ module: ./my-entropy.js, export: myEntropy }]
  budget: 80
  batchSize: 10
  initialSize: 20
  seed: [0, 1, 2, 3, 4, 5]
training: { epochs: 10, batchSize: 16, learningRate: 0.003 }
`;

beforeAll(requireBuild);

describe('regression checking', () => {
  const dir = tempDir('regression');
  const plugin = join(dir, 'my-entropy.js');
  writeFileSync(plugin, entropyPlugin(1));
  const spec = writeSpec(dir, 'study.yaml', SPEC);
  const base = join(dir, 'baseline');
  const rerun = join(dir, 'rerun');
  const broken = join(dir, 'broken');

  it('test-strategy runs the contract checks on the plugin', () => {
    const res = albench(['test-strategy', plugin]);
    expect(res.status, res.stderr + res.stdout).toBe(0);
    expect(res.stdout).toMatch(/all 9 contract checks passed/);
    expect(res.stdout).toMatch(/the same batch as albench's entropy on the golden pool/);
  });

  it('runs the plugin study twice', () => {
    for (const results of [base, rerun]) {
      const res = albench(['run', spec, '--results', results, '--workers', '2']);
      expect(res.status, res.stderr).toBe(0);
    }
  });

  it('compare does not flag an unchanged re-run', () => {
    const res = albench(['compare', base, rerun]);
    expect(res.status, res.stderr + res.stdout).toBe(0);
    expect(res.stdout).toMatch(/0 regressed, 0 improved, 2 unchanged: no regression \(exit 0\)/);
    expect(res.stdout).toMatch(/unchanged \(identical\)/);
  });

  it('compare flags entropy with its direction reversed, and exits 1', () => {
    writeFileSync(plugin, entropyPlugin(-1));
    const run = albench(['run', spec, '--results', broken, '--workers', '2']);
    expect(run.status, run.stderr).toBe(0);
    // The module's SHA-256 is in the config: the edited plugin ran as new cells.
    expect(readdirSync(join(broken, 'cells')).filter((f) => readdirSync(join(base, 'cells')).includes(f))).toEqual([]);

    const text = albench(['compare', base, broken]);
    expect(text.status, text.stderr + text.stdout).toBe(1);
    expect(text.stdout).toMatch(/myEntropy\s+AUBC\s+6 .* regressed/);
    expect(text.stdout).toMatch(/REGRESSION \(exit 1\)/);

    const json = albench(['compare', base, broken, '--format', 'json']);
    expect(json.status).toBe(1);
    const report = JSON.parse(json.stdout) as CompareReport;
    const aubc = report.rows.find((r) => r.quantity === 'aubc')!;
    expect(aubc.seeds).toEqual([0, 1, 2, 3, 4, 5]);
    expect(aubc.meanDiff).toBeLessThan(-0.05);
    expect(aubc.ci95![1]).toBeLessThan(0);
    expect(aubc.wilcoxonP).toBeCloseTo(0.03125, 10);

    const md = albench(['compare', base, broken, '--format', 'markdown']);
    expect(md.stdout).toMatch(/^### albench compare: ❌ regression/);
    expect(md.stdout).toContain('| **regressed** |');
  });

  it('compare names corrupt result files and cells missing on one side', () => {
    const damaged = join(dir, 'damaged');
    cpSync(rerun, damaged, { recursive: true });
    const victim = readdirSync(join(damaged, 'cells')).filter((f) => f.endsWith('.json'))[0];
    writeFileSync(join(damaged, 'cells', victim), '{"schemaVersion": 1, "status": "compl');
    const res = albench(['compare', base, damaged]);
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).toMatch(new RegExp(`Unreadable result files, skipped \\(1\\):\\n  .*${victim}: result file .* is not valid JSON`));
    expect(res.stdout).toMatch(/Missing in the candidate \(1\):/);
  });

  it('verify re-runs recorded cells bit for bit', () => {
    writeFileSync(plugin, entropyPlugin(1));
    const res = albench(['verify', base, '--sample', '2', '--workers', '2']);
    expect(res.status, res.stderr + res.stdout).toBe(0);
    expect(res.stdout).toMatch(/verified: all 2 re-runs identical bit for bit/);
  });

  it('verify refuses another backend, and names what differs when the code changed', () => {
    const refused = albench(['verify', base, '--backend', 'cpu']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/refused: cell \w+ was recorded on backend 'wasm(-native)?', and --backend cpu was asked for\. Backends round floating point differently/);

    const cellId = readdirSync(join(base, 'cells'))[0].replace(/\.json$/, '');
    copyFileSync(plugin, join(dir, 'keep.js'));
    writeFileSync(plugin, entropyPlugin(-1));
    const changed = albench(['verify', base, '--cell', cellId]);
    copyFileSync(join(dir, 'keep.js'), plugin);
    expect(changed.status).toBe(1);
    expect(changed.stdout).toMatch(/DIFF .*field status: recorded "completed", re-run "failed" \(the re-run failed: strategy module .* changed since the study was expanded/);
  });
});
