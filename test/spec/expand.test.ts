import { describe, expect, it } from 'vitest';
import { cellId, expandStudy } from '../../src/spec/expand.js';
import { canonicalJson } from '../../src/spec/canonical.js';
import { validateSpec } from '../../src/spec/validate.js';

const spec = validateSpec({
  name: 'quick',
  dataset: 'digits',
  model: 'mlp',
  matrix: { strategy: ['random', 'entropy'], budget: [100, 300], batchSize: [10, 50], seed: [0, 1, 2] },
});

describe('expandStudy', () => {
  it('gives the full cross product with resolved defaults', () => {
    const study = expandStudy(spec);
    expect(study.cells).toHaveLength(2 * 2 * 2 * 3);
    expect(study.cells[0]).toMatchObject({ strategy: 'random', budget: 100, batchSize: 10, initialSize: 10, seed: 0, augmentation: 'none', ssl: 'none' });
    expect(new Set(study.cells.map((c) => c.id)).size).toBe(study.cells.length);
    expect(study.axes.initialSize).toEqual([10, 50]);
  });

  it('returns frozen cells', () => {
    const cell = expandStudy(spec).cells[0];
    expect(Object.isFrozen(cell)).toBe(true);
    expect(() => ((cell as { budget: number }).budget = 1)).toThrow();
  });

  it('ids hash the config only: stable across runs, key order and added axis values', () => {
    const a = expandStudy(spec);
    const more = expandStudy(validateSpec({
      name: 'other-name',
      model: 'mlp',
      dataset: 'digits',
      matrix: { seed: [2, 1, 0, 3], batchSize: [50, 10], budget: [300, 100], strategy: ['margin', 'entropy', 'random'] },
    }));
    const ids = new Set(more.cells.map((c) => c.id));
    for (const cell of a.cells) expect(ids.has(cell.id)).toBe(true);
  });

  it('pins the id of a known config, so an accidental change to hashing is caught', () => {
    const { id, ...config } = expandStudy(spec).cells[0];
    expect(cellId(config)).toBe(id);
    // Computed once from this config; it must never change (results on disk are keyed by it).
    expect(canonicalJson(config)).toBe(
      '{"augmentation":"none","batchSize":10,"budget":100,"dataset":{"name":"digits","splitSeed":0,"testFraction":0.25},"initialSize":10,"model":"mlp","seed":0,"ssl":"none","strategy":"random","training":{"batchSize":32,"epochs":30,"learningRate":0.001}}',
    );
    // sha256 of that string, first 12 hex digits (node -e "crypto.createHash('sha256')…").
    expect(id).toBe('92bb2e435dba');
  });

  it('augmentation, SSL and protocol values enter the cell; plain cells keep the ids they had', () => {
    const study = expandStudy(validateSpec({
      name: 'aug',
      dataset: 'digits',
      model: 'mlp',
      matrix: { strategy: 'random', budget: 100, batchSize: 10, augmentation: ['none', 'standard'], ssl: ['none', 'fixmatch'], protocol: ['retrain', 'warm-start'], seed: 0 },
    }));
    expect(study.cells).toHaveLength(8);
    const plain = study.cells.find((c) => c.augmentation === 'none' && c.ssl === 'none' && !c.protocol)!;
    expect(plain.id).toBe('92bb2e435dba'); // the pinned id above: the new axes add nothing to it
    expect(study.cells.filter((c) => c.protocol?.name === 'warm-start')).toHaveLength(4);
    expect(study.cells.find((c) => c.ssl !== 'none')!.ssl).toEqual({ name: 'fixmatch', threshold: 0.95, mu: 7, weight: 1 });
    expect(new Set(study.cells.map((c) => c.id)).size).toBe(8);
    expect(study.axes.protocol).toEqual([{ name: 'retrain' }, { name: 'warm-start' }]);
  });

  it('canonical JSON sorts keys recursively and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: undefined, x: 0 }], c: 3 } })).toBe('{"a":{"c":3,"d":[2,{"x":0,"z":1}]},"b":1}');
  });
});
