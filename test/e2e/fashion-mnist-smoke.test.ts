/**
 * The shipped Fashion-MNIST smoke study, end to end on the wasm backend: IDX loading with SHA-256
 * checks, the CNN (which trains only thanks to our Conv2DBackpropFilter kernel), pool scoring over
 * 60,000 images, and the report. About 2 minutes on 2 cores.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import type { CellResult } from '../../src/store/schema.js';
import { albench, requireBuild, tempDir } from './cli.js';

const FASHION_DIR = '/usr/share/datasets/fashion-mnist';
const available = existsSync(FASHION_DIR) || Boolean(process.env.ALBENCH_DATA);

beforeAll(requireBuild);

it.skipIf(!available)(
  `fashion-mnist-smoke.yaml runs on wasm and reports (skipped without ${FASHION_DIR}: apt-get install dataset-fashion-mnist)`,
  () => {
    const dir = tempDir('fmnist');
    const results = join(dir, 'results');
    const run = albench(['run', 'experiments/fashion-mnist-smoke.yaml', '--backend', 'wasm', '--results', results]);
    expect(run.status, run.stderr).toBe(0);
    const files = readdirSync(join(results, 'cells'));
    expect(files).toHaveLength(4);
    for (const f of files) {
      const r = JSON.parse(readFileSync(join(results, 'cells', f), 'utf8')) as CellResult;
      expect(r.status).toBe('completed');
      expect(r.env.backend).toBe('wasm');
      expect(r.data.trainSize).toBe(60_000);
      expect(r.data.testSize).toBe(10_000);
      expect(r.rounds.map((x) => x.labeled)).toEqual([50, 100, 150]);
      // 150 labels of 10 classes: well above chance (0.1) only if the CNN really trains.
      expect(r.rounds[2].accuracy).toBeGreaterThan(0.3);
    }
    const report = albench(['report', results, '--out', join(dir, 'report')]);
    expect(report.status, report.stderr).toBe(0);
    expect(readFileSync(join(dir, 'report', 'index.html'), 'utf8')).toContain('fashion-mnist');
  },
  600_000,
);
