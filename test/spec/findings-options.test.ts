/** The spec's `findings:` field: per-finding overrides of the analysis that never enter a cell. */
import { describe, expect, it } from 'vitest';
import { SpecError } from '../../src/spec/errors.js';
import { expandStudy } from '../../src/spec/expand.js';
import { validateSpec } from '../../src/spec/validate.js';

const valid = {
  name: 'quick',
  dataset: 'digits',
  model: 'mlp',
  matrix: { strategy: ['random', 'entropy'], budget: [100], batchSize: [10], initialSize: 20, seed: [0, 1, 2] },
};

function issues(doc: unknown): string {
  try {
    validateSpec(doc, 'test.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(SpecError);
    return (err as SpecError).issues.map((i) => `${i.path}: ${i.message}`).join('\n');
  }
  throw new Error('expected the spec to be rejected');
}

describe('findings: { F1: { minEffect } }', () => {
  it('is carried to the study and leaves every cell id unchanged', () => {
    const plain = expandStudy(validateSpec(valid));
    const tuned = expandStudy(validateSpec({ ...valid, findings: { F1: { minEffect: 0.02 }, F7: { minEffect: 0.005 } } }));
    expect(tuned.findings).toEqual({ F1: { minEffect: 0.02 }, F7: { minEffect: 0.005 } });
    expect(tuned.cells.map((c) => c.id)).toEqual(plain.cells.map((c) => c.id));
    expect(plain.findings).toBeUndefined();
  });
  it('names the field, the bad value and the allowed values', () => {
    expect(issues({ ...valid, findings: { F13: { minEffect: 0.01 } } })).toMatch(/findings\.F13: unknown field.*allowed fields: F1, F2/);
    expect(issues({ ...valid, findings: { F1: { minEffct: 0.01 } } })).toMatch(/findings\.F1\.minEffct: unknown field \(did you mean "minEffect"\?\); allowed fields: minEffect/);
    expect(issues({ ...valid, findings: { F1: { minEffect: 0 } } })).toMatch(/findings\.F1\.minEffect: must be > 0 and ≤ 1, got 0/);
    expect(issues({ ...valid, findings: [1] })).toMatch(/findings: must be a mapping/);
  });
});
