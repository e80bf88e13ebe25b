/**
 * scripts/findings-doc.mjs end to end: a tiny real study (synthetic blobs, random vs entropy,
 * 3 seeds, a few seconds) is run with the built CLI into a temp results folder, then the script
 * writes the doc and the SVG figures from it; a second preset without results must show as
 * "not run yet". The Markdown rules themselves are unit-tested in test/report/findings-doc.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { ROOT, albench, requireBuild, tempDir, writeSpec } from './cli.js';

beforeAll(requireBuild);

const TINY = `# Tiny: a test preset standing in for a critique paper.
# 1. Claims: F3 and F7 on blobs.
name: tiny
dataset: { name: synthetic, classes: 3, dims: 4, samples: 300 }
model: mlp
matrix:
  strategy: [random, entropy]
  budget: 50
  batchSize: 10
  initialSize: 10
  seed: [0, 1, 2]
training: { epochs: 5, batchSize: 16, learningRate: 0.01 }
`;

it('writes FINDINGS.md with verdicts and figures from a results folder, and "not run yet" without one', () => {
  const dir = tempDir('findings-doc');
  const experiments = join(dir, 'experiments');
  mkdirSync(experiments);
  const spec = writeSpec(experiments, 'tiny.yaml', TINY);
  writeSpec(experiments, 'absent.yaml', TINY.replace('name: tiny', 'name: absent').replace('# Tiny:', '# Absent:'));
  const results = join(dir, 'results');
  const run = albench(['run', spec, '--results', join(results, 'tiny'), '--workers', '2']);
  expect(run.status, run.stderr).toBe(0);

  const out = join(dir, 'docs', 'FINDINGS.md');
  const script = spawnSync(
    process.execPath,
    [join(ROOT, 'scripts', 'findings-doc.mjs'), '--results', results, '--experiments', experiments, '--out', out, '--preset', 'tiny', '--preset', 'absent'],
    { cwd: ROOT, encoding: 'utf8', timeout: 120_000 },
  );
  expect(script.status, script.stderr).toBe(0);
  const md = readFileSync(out, 'utf8');

  const tiny = md.slice(md.indexOf('## tiny'), md.indexOf('## absent'));
  expect(tiny).toContain('Tiny: a test preset standing in for a critique paper.');
  expect(tiny).toContain('**Cells:** 6 of 6 (6 completed, 0 failed); seeds per configuration: 3.');
  expect(tiny).not.toContain('Partial run');
  expect(tiny).toMatch(/albench \d+\.\d+\.\d+\S* on the (wasm-native|wasm|tensorflow|cpu) backend/);
  expect(tiny).toContain(`albench run ${experiments.split('\\').join('/')}/tiny.yaml`);
  // F3 (AL vs random at low budget) is covered by any study with random and a curve.
  expect(tiny).toMatch(/\| F3 [^|]+ \| (supported|not supported|inconclusive) — /);
  expect(tiny).toContain('dataset synthetic (full) · model mlp');

  // Every linked figure exists beside the doc and is an SVG.
  const links = [...tiny.matchAll(/\]\((findings\/tiny\/[^)]+\.svg)\)/g)].map((m) => m[1]);
  expect(links.length).toBeGreaterThan(0);
  for (const link of links) expect(readFileSync(join(dirname(out), link), 'utf8')).toMatch(/^<svg/);

  const absent = md.slice(md.indexOf('## absent'));
  expect(absent).toContain('**Not run yet.**');
  expect(absent).toContain('albench run');
  expect(existsSync(join(dirname(out), 'findings', 'absent'))).toBe(false);
});
