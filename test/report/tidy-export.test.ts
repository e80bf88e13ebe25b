/**
 * The tidy export (src/report/tidy.ts, export-formats.ts, `albench export`): one row per cell ×
 * round, every axis a column (defaults named, parameters as sub-columns), any round field as a
 * column without being listed, and the Parquet file read back by hyparquet (the reader of the
 * library that wrote it) equal to the rows.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { exportTidy, tidyCsv, tidyJsonl } from '../../src/report/export-formats.js';
import { tidyRows } from '../../src/report/tidy.js';
import { writeCellResult } from '../../src/store/results.js';
import type { CellResult } from '../../src/store/schema.js';
import { albench, requireBuild, tempDir } from '../e2e/cli.js';
import { fakeCell, fakeResult } from '../regression/fake-results.js';

const plain = fakeResult(fakeCell('random', 0), [0.5, 0.6, 0.7]);
const rich: CellResult = (() => {
  const cell = fakeCell('bald', 1, {
    strategyParams: { passes: 10 },
    dataset: { name: 'synthetic', poolSize: 80 },
    augmentation: { name: 'standard', pad: 2, flip: 1 },
    ssl: { name: 'pseudo-label', threshold: 0.9, weight: 1 },
    protocol: { name: 'warm-start', weightDecay: 0.01 },
  });
  const r = fakeResult(cell, [0.4, 0.55, 0.65], 'failed');
  // Training evidence and SSL statistics as later round fields: columns without being listed.
  const rounds = r.rounds.map((x, i) => ({ ...x, trainLoss: 1 / (i + 1), steps: 100 * (i + 1), ssl: { threshold: 0.9, poolSize: 90 - i, fractionAboveThreshold: 0.5, pseudoLabelAccuracy: null } }));
  return { ...r, rounds };
})();

describe('tidy rows', () => {
  const { columns, rows } = tidyRows([plain, rich]);

  it('give one row per cell × round with every axis a column', () => {
    expect(rows).toHaveLength(6);
    for (const c of ['cell_id', 'dataset', 'model', 'strategy', 'budget', 'batchSize', 'initialSize', 'augmentation', 'ssl', 'protocol', 'representation', 'seed', 'backend', 'status', 'round', 'labeled', 'accuracy', 'macroF1', 'trainMs', 'queryMs']) {
      expect(columns).toContain(c);
    }
    // Hand-read from fakeResult: round 2 of random seed 0 has 30 labels and accuracy 0.7.
    expect(rows[2]).toMatchObject({ strategy: 'random', seed: 0, round: 2, labeled: 30, accuracy: 0.7, augmentation: 'none', protocol: 'retrain', representation: 'raw', status: 'completed', backend: 'wasm' });
    expect(rows[0].selected).toBe('[100,200]');
  });

  it('spread parameters into sub-columns and name defaults, never leaving "absent" in a value column', () => {
    expect(rows[3]).toMatchObject({
      strategy: 'bald',
      'strategy.passes': 10,
      dataset: 'synthetic',
      'dataset.poolSize': 80,
      augmentation: 'standard',
      'augmentation.pad': 2,
      ssl: 'pseudo-label',
      'ssl.threshold': 0.9,
      protocol: 'warm-start',
      'protocol.weightDecay': 0.01,
      status: 'failed',
      error: 'boom',
    });
    expect(rows[0]['strategy.passes']).toBeNull();
  });

  it('take any round field generically; one named like an axis goes under round.', () => {
    expect(rows[4]).toMatchObject({ trainLoss: 0.5, steps: 200, 'round.ssl.poolSize': 89, 'round.ssl.pseudoLabelAccuracy': null });
    expect(rows[1].trainLoss).toBeNull();
    // The SSL method's threshold is the cell's, not overwritten by the round statistics.
    expect(columns).toContain('round.ssl.threshold');
  });

  it('write CSV and JSON Lines with the same rows', () => {
    const csv = tidyCsv(columns, rows).trimEnd().split('\n');
    expect(csv).toHaveLength(7);
    expect(csv[0].split(',')).toEqual(columns);
    const jsonl = tidyJsonl(columns, rows).trimEnd().split('\n').map((l) => JSON.parse(l) as unknown);
    expect(jsonl).toEqual(rows);
  });

  it('write Parquet that reads back equal to the rows', async () => {
    const bytes = exportTidy('parquet', columns, rows) as Uint8Array;
    const read = await parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer });
    const asNumbers = read.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])));
    expect(asNumbers).toEqual(rows);
  });
});

describe('albench export', () => {
  it('writes csv, jsonl and parquet files of a results directory; a missing one exits 2', async () => {
    requireBuild();
    const dir = tempDir('export');
    const results = join(dir, 'results');
    writeCellResult(results, plain);
    writeCellResult(results, rich);
    for (const format of ['csv', 'jsonl', 'parquet']) {
      const run = albench(['export', results, '--format', format]);
      expect(run.status, run.stderr).toBe(0);
      expect(run.stderr).toMatch(new RegExp(`6 rows × \\d+ columns from 2 cells .* written to .*tidy\\.${format}`));
    }
    const file = readFileSync(join(results, 'tidy.parquet'));
    const read = await parquetReadObjects({ file: file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer });
    expect(read.map((r) => r.accuracy)).toEqual(rows().map((r) => r.accuracy));
    expect(readFileSync(join(results, 'tidy.csv'), 'utf8').split('\n')[0]).toMatch(/^cell_id,dataset,/);
    const missing = albench(['export', join(dir, 'nope')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/results directory not found: .*nope/);
  });
});

function rows() {
  return tidyRows([plain, rich].sort((a, b) => a.cell.id.localeCompare(b.cell.id))).rows;
}
