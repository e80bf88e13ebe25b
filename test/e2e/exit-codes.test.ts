/**
 * Exit codes as documented (src/cli/exit-codes.ts), through the real CLI: input that cannot be
 * used exits 2 and writes nothing (a data file with a bad value, a plugin module whose import
 * fails, a command whose program is missing, a results path that is missing, a file, or empty);
 * 1 only when cells ran and some failed.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { albench, requireBuild, tempDir, writeSpec } from './cli.js';

beforeAll(requireBuild);

const study = (dataset: string, strategy: string) => `name: exits
dataset: ${dataset}
model: mlp
matrix: { strategy: ${strategy}, budget: 12, batchSize: 4, initialSize: 4, seed: 0 }
training: { epochs: 1, batchSize: 8, learningRate: 0.01 }
`;
const SYNTHETIC = '{ name: synthetic, classes: 3, dims: 4, samples: 60 }';

describe('exit 2: input that cannot be used, nothing written', () => {
  it('a data file with a bad value', () => {
    const dir = tempDir('exit-data');
    const rows = Array.from({ length: 30 }, (_, i) => `${i % 3},${i === 7 ? 'oops' : i % 5},${'abc'[i % 3]}`);
    writeFileSync(join(dir, 'points.csv'), `x1,x2,label\n${rows.join('\n')}\n`);
    const spec = writeSpec(dir, 'csv.yaml', study('{ name: csv, path: points.csv }', 'random'));
    const r = albench(['run', spec, '--results', join(dir, 'results')]);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/dataset: .*points\.csv: row 9, column 2 \("x2"\): "oops" is not a finite number/);
    expect(existsSync(join(dir, 'results'))).toBe(false);
  });

  it('a plugin module whose import fails, and a command whose program is missing', () => {
    const dir = tempDir('exit-module');
    writeFileSync(join(dir, 'broken.js'), "import 'no-such-package-anywhere';\nexport const s = {};\n");
    writeFileSync(join(dir, 'mine.py'), 'print(1)\n');
    const broken = writeSpec(dir, 'broken.yaml', study(SYNTHETIC, '[random, { module: ./broken.js, export: s }]'));
    const r = albench(['run', broken, '--results', join(dir, 'r1')]);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/matrix\.strategy: strategy "s": could not import strategy module .*broken\.js: Cannot find package 'no-such-package-anywhere'/);
    expect(existsSync(join(dir, 'r1'))).toBe(false);
    const missing = writeSpec(dir, 'missing.yaml', study(SYNTHETIC, '[random, { name: py, command: [no-such-python3, mine.py] }]'));
    const m = albench(['run', missing, '--results', join(dir, 'r2')]);
    expect(m.status, m.stderr).toBe(2);
    expect(m.stderr).toMatch(/strategy "py": program "no-such-python3" of its command not found/);
    expect(existsSync(join(dir, 'r2'))).toBe(false);
  });

  it('a results path that is missing, a file, or holds no results: report, export, compare and verify', () => {
    const dir = tempDir('exit-results');
    const file = join(dir, 'file.json');
    writeFileSync(file, '{}');
    const empty = join(dir, 'empty');
    mkdirSync(join(empty, 'cells'), { recursive: true });
    for (const path of [join(dir, 'nope'), file, empty]) {
      const out = join(dir, 'report-out');
      const report = albench(['report', path, '--out', out]);
      expect(report.status, `report ${path}: ${report.stderr}`).toBe(2);
      expect(existsSync(out)).toBe(false);
      const exported = albench(['export', path]);
      expect(exported.status, `export ${path}: ${exported.stderr}`).toBe(2);
      expect(existsSync(join(path, 'tidy.csv'))).toBe(false);
    }
    expect(albench(['compare', join(dir, 'nope'), empty]).status).toBe(2);
    expect(albench(['verify', join(dir, 'nope')]).status).toBe(2);
  });
});

describe('exit 1: only when cells ran and some failed', () => {
  it('a plugin that throws in select fails its cells; the others complete', () => {
    const dir = tempDir('exit-failed');
    writeFileSync(join(dir, 'bad.js'), "export const bad = { name: 'bad', needs: new Set(), async select() { throw new Error('select broke'); } };\n");
    const spec = writeSpec(dir, 'failing.yaml', study(SYNTHETIC, '[random, { module: ./bad.js, export: bad }]'));
    const r = albench(['run', spec, '--results', join(dir, 'results'), '--workers', '1']);
    expect(r.status, r.stderr).toBe(1);
    // The random cell is cut from nothing and runs; the plugin cell fails (its round-0 model may be shared).
    expect(r.stdout).toMatch(/2 cells; .*1 failed/);
    expect(r.stdout).toMatch(/select broke/);
  });
});
