/**
 * Process strategies through the real CLI: in a study, the crashing, hanging and lying scripts of
 * test/fixtures/strategies fail their own cells (with the named error in the result) while the
 * other cells complete, and the run exits 1; `albench test-strategy -- python3 script.py` runs the
 * contract checks on a command.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CellResult } from '../../src/store/schema.js';
import { albench, requireBuild, tempDir, writeSpec } from './cli.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/strategies', import.meta.url));
const hasNumpy = spawnSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;

beforeAll(requireBuild);

describe.skipIf(!hasNumpy)('process strategies from the CLI', () => {
  it('records failing scripts as failed cells with their named errors; the others complete; exit 1', () => {
    const dir = tempDir('pipe');
    const spec = writeSpec(
      dir,
      'pipe.yaml',
      `
name: pipe
dataset: { name: synthetic, classes: 3, dims: 4, samples: 120 }
model: mlp
matrix:
  strategy:
    - margin
    - { name: py-margin, command: [python3, ${join(FIXTURES, 'numpy_margin.py')}], needs: [probs] }
    - { name: crash, command: [python3, ${join(FIXTURES, 'crash.py')}] }
    - { name: hang, command: [python3, ${join(FIXTURES, 'hang.py')}], timeout: 1 }
    - { name: liar, command: [python3, ${join(FIXTURES, 'liar.py')}] }
  budget: 30
  batchSize: 5
  initialSize: 10
  seed: 0
training: { epochs: 2, batchSize: 8, learningRate: 0.01 }
`,
    );
    const results = join(dir, 'results');
    const run = albench(['run', spec, '--results', results, '--workers', '2']);
    expect(run.status, run.stderr).toBe(1);
    const cells = readdirSync(join(results, 'cells')).map((f) => JSON.parse(readFileSync(join(results, 'cells', f), 'utf8')) as CellResult);
    const by = Object.fromEntries(cells.map((c) => [c.cell.strategy, c]));
    expect(Object.keys(by).sort()).toEqual(['crash', 'hang', 'liar', 'margin', 'py-margin']);
    expect(by.margin.status).toBe('completed');
    expect(by['py-margin'].status).toBe('completed');
    expect(by['py-margin'].rounds.map((r) => r.selected)).toEqual(by.margin.rounds.map((r) => r.selected));
    const errorOf = (name: string) => {
      const r = by[name];
      return r.status === 'failed' ? r.error.message : `(${name} completed)`;
    };
    expect(errorOf('crash')).toMatch(/strategy process crash .* exited with code 1 before answering; its stderr ends:[\s\S]*ValueError: boom in round 1/);
    expect(errorOf('hang')).toMatch(/strategy process hang .* did not answer round 0 within 1 s/);
    expect(errorOf('liar')).toMatch(/strategy liar selected index \d+, which is not a distinct unlabelled pool index/);
  });

  it('test-strategy runs the contract checks on a command', () => {
    const ok = albench(['test-strategy', '--needs', 'probs', '--', 'python3', 'numpy_margin.py'], FIXTURES);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/command python3 .*numpy_margin\.py, needs: probs/);
    expect(ok.stdout).toMatch(/all 9 contract checks passed/);
    const liar = albench(['test-strategy', '--', 'python3', 'liar.py'], FIXTURES);
    expect(liar.status).toBe(1);
    expect(liar.stdout).toMatch(/FAIL {2}selects unique indices from the unlabelled pool: index 0 is not in the unlabelled pool/);
    const missing = albench(['test-strategy', '--', 'python3', 'nothere.py'], FIXTURES);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/the command "nothere\.py" not found \(resolved against the current directory/);
  });
});
