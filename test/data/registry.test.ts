import { describe, expect, it } from 'vitest';
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
