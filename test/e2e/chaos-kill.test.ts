/**
 * scripts/chaos-kill on a small study: SIGKILL the whole process tree at seeded random moments,
 * resume after each kill; the script itself compares the final results with an uninterrupted run
 * (timing fields aside) and checks for partial JSON, temp files and leftover claims.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { requireBuild, ROOT, tempDir, writeSpec } from './cli.js';

// 12 cells of about a second each, so that kills land among cells in flight.
const SPEC = `
name: chaos
dataset: { name: synthetic, classes: 3, dims: 4, samples: 300 }
model: mlp
matrix:
  strategy: [random, entropy, margin, least-confidence]
  budget: 40
  batchSize: 10
  initialSize: 10
  seed: [0, 1, 2]
training: { epochs: 15, batchSize: 16, learningRate: 0.01 }
`;

beforeAll(requireBuild);

it('survives seeded SIGKILLs of the whole process tree with nothing lost, redone wrongly or left behind', () => {
  const dir = tempDir('chaos');
  const spec = writeSpec(dir, 'chaos.yaml', SPEC);
  const r = spawnSync(join(ROOT, 'scripts', 'chaos-kill'), [spec, '--kills', '4', '--seed', '7', '--dir', join(dir, 'work')], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 400_000,
  });
  expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
  const figures = JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, number>;
  expect(figures.cells).toBe(12);
  expect(figures.killsDelivered).toBeGreaterThanOrEqual(1); // the test is not vacuous
  expect(figures.killsSurvived).toBe(figures.killsDelivered);
  expect(figures.cellsLost).toBe(0);
  expect(figures.cellsDiffering).toBe(0);
  expect(figures.tempFilesLeft).toBe(0);
}, 420_000);
