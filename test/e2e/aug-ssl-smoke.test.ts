/**
 * The shipped augmentation × SSL smoke study end to end: every policy and method runs on the
 * bundled digits data through the built CLI, records its per-round SSL statistics, and the report
 * draws the learning curves in augmentation × SSL panels. About 1 minute on 2 cores.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import type { CellResult } from '../../src/store/schema.js';
import { albench, requireBuild, tempDir } from './cli.js';

beforeAll(requireBuild);

const label = (s: unknown) => (typeof s === 'string' ? s : (s as { name: string }).name);

it(
  'aug-ssl-smoke.yaml runs every augmentation × SSL cell and the report facets by both',
  () => {
    const dir = tempDir('aug-ssl');
    const results = join(dir, 'results');
    const run = albench(['run', 'experiments/aug-ssl-smoke.yaml', '--backend', 'wasm', '--results', results]);
    expect(run.status, run.stderr).toBe(0);
    const cells = readdirSync(join(results, 'cells')).map((f) => JSON.parse(readFileSync(join(results, 'cells', f), 'utf8')) as CellResult);
    expect(cells).toHaveLength(2 * 3 * 4);
    const combos = new Set(cells.map((r) => `${label(r.cell.augmentation)}×${label(r.cell.ssl)}`));
    expect(combos.size).toBe(12);
    for (const r of cells) {
      expect(r.status, `${r.cell.id}: ${r.status === 'failed' ? r.error.message : ''}`).toBe('completed');
      expect(r.rounds.map((x) => x.labeled)).toEqual([20, 40, 60]);
      for (const round of r.rounds) {
        if (r.cell.ssl === 'none') {
          expect(round.ssl).toBeUndefined();
        } else {
          // The pool is every unlabelled training row: 1,347 digits minus the labels so far.
          expect(round.ssl!.poolSize).toBe(r.data.trainSize - round.labeled);
          expect(round.ssl!.fractionAboveThreshold).toBeGreaterThanOrEqual(0);
          expect(round.ssl!.fractionAboveThreshold).toBeLessThanOrEqual(1);
        }
      }
    }
    // The plain cells are the cells of a study without these axes: same ids as quick.yaml's config would give.
    expect(cells.filter((r) => r.cell.augmentation === 'none' && r.cell.ssl === 'none')).toHaveLength(2);

    const report = albench(['report', results, '--out', join(dir, 'report')]);
    expect(report.status, report.stderr).toBe(0);
    const html = readFileSync(join(dir, 'report', 'index.html'), 'utf8');
    expect(html).toContain('"row":{"field":"augmentation"');
    expect(html).toContain('"column":{"field":"ssl"');
  },
  600_000,
);
