import { describe, expect, it } from 'vitest';
import {
  aggregateCurves,
  canonicalJson,
  finalPoints,
  settingKey,
  settingLabel,
  varyingAxes,
} from '../../src/analysis/curves.js';
import { fakeCell, fakeResult, fakeStudy } from './fixtures.js';

// Expected numbers: fakeStudy() spreads the three seeds by exactly 0.1 around the mean, so at
// every point std = 0.1 and the 95 % half-width = t(0.975, 2) · 0.1 / √3 = 4.302653 · 0.0577350
// = 0.248414 (t from the df = 2 closed form, 4.303 in printed tables).
const CI_3_SEEDS_STD_01 = 0.248414;

describe('aggregateCurves', () => {
  const rows = aggregateCurves(fakeStudy());

  it('gives one row per setting × strategy × labelled count, failed cells left out', () => {
    expect(rows).toHaveLength(2 * 2 * 3);
    expect(new Set(rows.map((r) => r.strategy))).toEqual(new Set(['random', 'entropy']));
    expect(rows.map((r) => `${r.setting}/${r.strategy}/${r.labeled}`).slice(0, 4)).toEqual([
      'digits/entropy/20',
      'digits/entropy/30',
      'digits/entropy/40',
      'digits/random/20',
    ]);
  });

  it('summarises accuracy and macro-F1 over seeds with a Student-t interval', () => {
    const row = rows.find((r) => r.setting === 'digits' && r.strategy === 'entropy' && r.labeled === 30)!;
    // 0.5 + 0.1·1 (round 1) + 0.05 (entropy lift), seeds at −0.1, 0, +0.1.
    expect(row.accuracy.mean).toBeCloseTo(0.65, 12);
    expect(row.accuracy.std).toBeCloseTo(0.1, 12);
    expect(row.accuracy.n).toBe(3);
    expect(row.accuracy.ci95).toBeCloseTo(CI_3_SEEDS_STD_01, 6);
    expect(row.macroF1.mean).toBeCloseTo(0.55, 12); // fixture: macro-F1 = accuracy − 0.1
    expect(row.macroF1.ci95).toBeCloseTo(CI_3_SEEDS_STD_01, 6);
    expect(row.seeds).toEqual([0, 1, 2]);

    const synthetic = rows.find((r) => r.setting === 'synthetic' && r.strategy === 'random' && r.labeled === 40)!;
    expect(synthetic.accuracy.mean).toBeCloseTo(0.8, 12); // 0.5 + 0.2 + 0.1 (synthetic offset)
  });

  it('does not depend on the order of the results', () => {
    const shuffled = [...fakeStudy()].reverse();
    expect(aggregateCurves(shuffled)).toEqual(rows);
  });

  it('counts only the seeds that reached a labelled count', () => {
    const results = [
      fakeResult(fakeCell({ seed: 0 }), [0.5, 0.6, 0.7]),
      fakeResult(fakeCell({ seed: 1 }), [0.7, 0.8]), // stopped a round early
    ];
    const out = aggregateCurves(results);
    expect(out.map((r) => [r.labeled, r.accuracy.n])).toEqual([[20, 2], [30, 2], [40, 1]]);
    const last = out[2];
    expect(last.accuracy).toEqual({ mean: 0.7, std: null, n: 1, ci95: null });
    // n = 2: t(0.975, 1) = 12.7062 (Cauchy closed form), std = 0.1414214, half-width = 12.7062·0.1 = 1.27062.
    expect(out[0].accuracy.ci95).toBeCloseTo(1.270620, 5);
  });

  it('refuses two results for the same seed, which would fake a narrower interval', () => {
    const a = fakeResult(fakeCell({ seed: 0, id: 'a' }), [0.5]);
    const b = fakeResult(fakeCell({ seed: 0, id: 'b' }), [0.6]);
    expect(() => aggregateCurves([a, b])).toThrow(/Duplicate results .*seed 0.*cells a and b/);
  });

  it('labels settings with the axes passed in', () => {
    const out = aggregateCurves(fakeStudy(), { varyingAxes: ['dataset.name', 'model'] });
    expect(new Set(out.map((r) => r.setting))).toEqual(new Set(['digits · mlp', 'synthetic · mlp']));
  });
});

describe('finalPoints', () => {
  it('keeps the largest labelled count of each setting × strategy', () => {
    const finals = finalPoints(aggregateCurves(fakeStudy()));
    expect(finals).toHaveLength(4);
    expect(finals.every((r) => r.labeled === 40)).toBe(true);
  });
});

describe('settings', () => {
  it('ignore strategy, seed and id, and key order', () => {
    const a = fakeCell({ strategy: 'random', seed: 1 });
    const b = fakeCell({ strategy: 'entropy', seed: 7 });
    expect(settingKey(a)).toBe(settingKey(b));
    expect(settingKey(a)).not.toMatch(/strategy|seed|"id"/);
    expect(canonicalJson({ b: 1, a: { d: 2, c: [3, { f: 4, e: 5 }] } })).toBe('{"a":{"c":[3,{"e":5,"f":4}],"d":2},"b":1}');
    expect(settingKey(fakeCell({ batchSize: 5 }))).not.toBe(settingKey(a));
  });

  it('find the axes that vary, in config order', () => {
    const cells = [
      fakeCell({ training: { epochs: 3 }, batchSize: 5 }),
      fakeCell({ training: { epochs: 9 }, batchSize: 10, dataset: { name: 'synthetic', testFraction: undefined } }),
      fakeCell({ strategy: 'entropy', seed: 4 }),
    ];
    expect(varyingAxes(cells)).toEqual(['dataset.name', 'dataset.testFraction', 'batchSize', 'training.epochs']);
    expect(varyingAxes([fakeCell(), fakeCell({ strategy: 'x', seed: 3 })])).toEqual([]);
  });

  it('read as short labels', () => {
    const cell = fakeCell({ batchSize: 5, training: { learningRate: 0.01 } });
    expect(settingLabel(cell, [])).toBe('digits · mlp');
    expect(settingLabel(cell, ['dataset.name', 'batchSize'])).toBe('digits · batch 5');
    expect(settingLabel(cell, ['budget', 'initialSize', 'training.learningRate', 'training.epochs'])).toBe(
      'budget 40 · init 20 · lr 0.01 · 5 epochs',
    );
    expect(settingLabel(cell, ['dataset.imbalance'])).toBe('imbalance=default');
    expect(settingLabel(cell, ['dataset'])).toBe('digits (testFraction=0.2, splitSeed=0)');
  });

  it('name the training protocol: plain retrain cells carry no protocol field', () => {
    const axes = ['protocol.name', 'protocol.swaStart'];
    expect(settingLabel(fakeCell(), axes)).toBe('retrain · no SWA');
    expect(settingLabel(fakeCell({ protocol: { name: 'retrain', swaStart: 0.75 } }), axes)).toBe('retrain · SWA from 0.75');
    expect(settingLabel(fakeCell({ protocol: { name: 'warm-start' } }), ['protocol.name'])).toBe('warm-start');
  });
});
