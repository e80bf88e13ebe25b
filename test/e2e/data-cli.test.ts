/** `albench data …` and user data declared in a spec, through the built CLI. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { albench, requireBuild, tempDir, writeSpec } from './cli.js';

beforeAll(() => requireBuild());

describe('albench data', () => {
  it('lists every dataset with what is present and what can be fetched', () => {
    const empty = tempDir('data-list');
    const r = albench(['data', 'list', '--data-dir', empty]);
    expect(r.status, r.stderr).toBe(0);
    for (const name of ['digits', 'mnist', 'fashion-mnist', 'cifar10', 'synthetic', 'csv', 'npy']) expect(r.stdout).toMatch(new RegExp(`^${name} `, 'm'));
    expect(r.stdout).toMatch(/^mnist +missing +`albench data fetch mnist` downloads 11\.6 MB/m);
    expect(r.stdout).toMatch(/^digits +bundled/m);
  });

  it('verify names the corrupt file and exits 1; unknown or file-less datasets are refused', () => {
    const root = tempDir('data-verify');
    const dir = join(root, 'mnist');
    mkdirSync(dir);
    for (const f of ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) writeFileSync(join(dir, f), 'not mnist');
    const r = albench(['data', 'verify', 'mnist', '--data-dir', root]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`MISMATCH ${join(dir, 'train-images-idx3-ubyte')} (file) sha256`);
    expect(r.stdout).toContain('expected ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db');
    const none = albench(['data', 'verify', 'cifar10', '--data-dir', tempDir('data-none')]);
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/CIFAR-10 files not found; searched .*albench data fetch cifar10/);
    const digits = albench(['data', 'fetch', 'digits']);
    expect(digits.status).toBe(1);
    expect(digits.stderr).toContain('"digits" has no files to fetch');
  });
});

describe('user CSV data in a spec', () => {
  it('resolves the path against the spec file and runs', () => {
    const dir = tempDir('csv-spec');
    const rows = Array.from({ length: 60 }, (_, i) => `${(i % 3) + 0.1 * (i % 7)},${(i % 3) * 2 - 0.05 * (i % 5)},${['a', 'b', 'c'][i % 3]}`);
    writeFileSync(join(dir, 'points.csv'), `x1,x2,kind\n${rows.join('\n')}\n`);
    const spec = writeSpec(
      dir,
      'csv.yaml',
      `name: csv-e2e
dataset: { name: csv, path: points.csv, label: kind, poolSize: 30 }
model: mlp
matrix: { strategy: [random, entropy], budget: 12, batchSize: 4, initialSize: 4, seed: 0 }
training: { epochs: 3, batchSize: 8, learningRate: 0.01 }
`,
    );
    const results = join(dir, 'results');
    const r = albench(['run', spec, '--results', results, '--workers', '1']);
    expect(r.status, r.stderr).toBe(0);
    const bad = writeSpec(dir, 'bad.yaml', `name: bad\ndataset: { name: csv, path: nowhere.csv }\nmodel: mlp\nmatrix: { strategy: random, budget: 12, batchSize: 4, seed: 0 }\n`);
    const b = albench(['run', bad, '--results', join(dir, 'r2')]);
    expect(b.status).toBe(2);
    expect(b.stderr).toContain(`dataset.path: "nowhere.csv" not found (resolved against the spec's directory to ${join(dir, 'nowhere.csv')})`);
  }, 120_000);
});
