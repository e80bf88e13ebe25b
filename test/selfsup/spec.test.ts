import { describe, expect, it } from 'vitest';
import { expandStudy } from '../../src/spec/expand.js';
import { SpecError } from '../../src/spec/errors.js';
import { validateSpec } from '../../src/spec/validate.js';

const doc = (matrix: Record<string, unknown> = {}, top: Record<string, unknown> = {}) => ({
  name: 's',
  dataset: 'digits',
  model: 'linear',
  matrix: { strategy: ['random', 'entropy'], budget: 40, batchSize: 10, seed: [0, 1], ...matrix },
  ...top,
});
const issues = (d: unknown) => {
  try {
    validateSpec(d);
  } catch (err) {
    return (err as SpecError).issues.map((i) => `${i.path}: ${i.message}`).join('\n');
  }
  return '';
};

describe('the representation axis', () => {
  it('raw cells keep the ids they had before the axis existed', () => {
    const before = expandStudy(validateSpec(doc()));
    const withAxis = expandStudy(validateSpec(doc({ representation: ['raw', 'selfsup'] })));
    const raw = withAxis.cells.filter((c) => c.representation === undefined);
    expect(raw.map((c) => c.id)).toEqual(before.cells.map((c) => c.id));
    expect(expandStudy(validateSpec(doc({ representation: 'raw' }))).cells.map((c) => c.id)).toEqual(before.cells.map((c) => c.id));
    expect(before.axes.representation).toBeUndefined();
    expect(withAxis.axes.representation).toEqual(['raw', expect.objectContaining({ name: 'selfsup' })]);
  });

  it('selfsup cells carry the encoder settings with defaults filled in, and they enter the id', () => {
    const cells = expandStudy(validateSpec(doc({ representation: { name: 'selfsup', epochs: 5 } }))).cells;
    expect(cells[0].representation).toEqual({ name: 'selfsup', epochs: 5, temperature: 0.5, embeddingDim: 64, batchSize: 256, learningRate: 0.001 });
    const other = expandStudy(validateSpec(doc({ representation: { name: 'selfsup', epochs: 6 } }))).cells;
    expect(other[0].id).not.toBe(cells[0].id);
    expect(expandStudy(validateSpec(doc({ representation: 'selfsup' }))).cells[0].representation).toMatchObject({ epochs: 30 });
  });

  it('rejects bad values and combinations, naming the field, the value and what is allowed', () => {
    expect(issues(doc({ representation: 'selfsupp' }))).toMatch(/matrix.representation: unknown representation "selfsupp" \(did you mean "selfsup"\?\); allowed: raw, selfsup/);
    expect(issues(doc({ representation: { name: 'selfsup', temperature: 0 } }))).toMatch(/matrix.representation.temperature: must be ≥ 0.01 and ≤ 10, got 0/);
    expect(issues(doc({ representation: { name: 'selfsup', epoch: 3 } }))).toMatch(/matrix.representation.epoch: unknown field \(did you mean "epochs"\?\)/);
    expect(issues(doc({ representation: { name: 'raw', epochs: 3 } }))).toMatch(/"raw" takes no parameters/);
    expect(issues(doc({ representation: ['raw', 'selfsup'] }, { model: 'cnn' }))).toMatch(/model: model "cnn" needs images.*use linear or mlp/);
    expect(issues(doc({ representation: 'selfsup', augmentation: 'strong' }))).toMatch(/matrix.augmentation: augmentation "strong" needs images.*allowed with selfsup: none/);
    expect(issues(doc({ representation: 'selfsup' }, { dataset: { name: 'synthetic' } }))).toMatch(/dataset synthetic holds feature vectors; allowed for it: raw/);
    expect(issues(doc({ representation: ['selfsup', { name: 'selfsup', epochs: 3 }] }))).toMatch(/lists selfsup twice/);
  });

  it('the linear model is known to the spec', () => {
    expect(issues(doc())).toBe('');
  });
});
