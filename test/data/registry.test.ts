import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/data/checksum.js';
import { tempDir } from './helpers.js';
import { DATASET_INFO, canonicalDatasetConfig, clearDatasetCache, loadDataset } from '../../src/data/registry.js';
import { DATASET_NAMES } from '../../src/spec/types.js';

describe('dataset registry', () => {
  it('describes every dataset name', () => {
    expect(Object.keys(DATASET_INFO).sort()).toEqual([...DATASET_NAMES].sort());
    for (const info of Object.values(DATASET_INFO)) {
      expect(info.description.length).toBeGreaterThan(10);
      expect(info.source.length).toBeGreaterThan(10);
    }
  });

  it('fills defaults and drops fields a dataset ignores', () => {
    expect(canonicalDatasetConfig({ name: 'digits' })).toEqual({ name: 'digits', testFraction: 0.25, splitSeed: 0 });
    expect(canonicalDatasetConfig({ name: 'fashion-mnist', testFraction: 0.3 })).toEqual({ name: 'fashion-mnist' });
    expect(canonicalDatasetConfig({ name: 'synthetic', classes: 4 })).toEqual({
      name: 'synthetic',
      classes: 4,
      dims: 2,
      samples: 600,
      imbalance: 1,
      testFraction: 0.25,
      splitSeed: 0,
    });
  });

  it('records variants only when they change the data, with a seed for official splits', () => {
    expect(canonicalDatasetConfig({ name: 'mnist', imbalance: 1, normalize: 'none' })).toEqual({ name: 'mnist' });
    expect(canonicalDatasetConfig({ name: 'fashion-mnist', poolSize: 500 })).toEqual({ name: 'fashion-mnist', poolSize: 500, splitSeed: 0 });
    expect(canonicalDatasetConfig({ name: 'cifar10', imbalance: 100, testSize: 1000, splitSeed: 3 })).toEqual({
      name: 'cifar10',
      imbalance: 100,
      testSize: 1000,
      splitSeed: 3,
    });
    expect(canonicalDatasetConfig({ name: 'digits', normalize: 'standardize' })).toEqual({ name: 'digits', testFraction: 0.25, splitSeed: 0, normalize: 'standardize' });
    expect(() => canonicalDatasetConfig({ name: 'digits', poolSize: 1.5 })).toThrow('dataset digits: poolSize must be an integer ≥ 2, got 1.5');
  });

  it('puts user data by absolute path and SHA-256 into the config, standardised by default', () => {
    const dir = tempDir();
    const text = 'a,b,label\n' + Array.from({ length: 8 }, (_, i) => `${i},${i * i},${i % 2}`).join('\n');
    writeFileSync(join(dir, 'd.csv'), text);
    expect(canonicalDatasetConfig({ name: 'csv', path: join(dir, 'd.csv') })).toEqual({
      name: 'csv',
      path: join(dir, 'd.csv'),
      testFraction: 0.25,
      splitSeed: 0,
      sha256: sha256Hex(text),
      normalize: 'standardize',
    });
  });

  it('loads a variant on top of the cached base data', async () => {
    clearDatasetCache();
    const base = await loadDataset({ name: 'digits' });
    const lt = await loadDataset({ name: 'digits', imbalance: 10, poolSize: 300 });
    expect(lt.train.n).toBe(300);
    const per = new Array(10).fill(0);
    for (const c of lt.train.y) per[c]++;
    expect(per[0]).toBeGreaterThan(5 * per[9]);
    expect(lt.test).toBe(base.test);
    expect(base.train.n).toBe(1346); // the cached base keeps its full pool
    const std = await loadDataset({ name: 'synthetic', classes: 3, imbalance: 5, normalize: 'standardize' });
    expect(std.normalization?.mean).toHaveLength(2);
  });

  it('dispatches on name and caches by canonical config', async () => {
    clearDatasetCache();
    const a = await loadDataset({ name: 'digits' });
    const b = await loadDataset({ name: 'digits', testFraction: 0.25, splitSeed: 0 });
    const c = await loadDataset({ name: 'digits', splitSeed: 3 });
    expect(a.name).toBe('digits');
    expect(b).toBe(a);
    // Identity checks via ===: vitest's not.toBe deep-compares equal objects, slowly.
    expect(c === a).toBe(false);
    const s = await loadDataset({ name: 'synthetic', classes: 4 });
    expect(s.numClasses).toBe(4);
    expect(await loadDataset({ name: 'synthetic', classes: 4, dims: 2 })).toBe(s);
    clearDatasetCache();
    expect((await loadDataset({ name: 'digits' })) === a).toBe(false);
  });

  it('does not cache failures', async () => {
    clearDatasetCache();
    await expect(loadDataset({ name: 'synthetic', imbalance: 0 })).rejects.toThrow(/imbalance/);
  });
});
