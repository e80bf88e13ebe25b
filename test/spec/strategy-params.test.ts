/** Strategy axis entries with parameters: `{ name, ...params }`, validated and part of the cell id. */
import { describe, expect, it } from 'vitest';
import { SpecError } from '../../src/spec/errors.js';
import { expandStudy } from '../../src/spec/expand.js';
import { validateSpec } from '../../src/spec/validate.js';

const spec = (strategy: unknown) => ({
  name: 's',
  dataset: 'digits',
  model: { name: 'mlp', dropout: 0.5 },
  matrix: { strategy, budget: 100, batchSize: 20, seed: 0 },
});

function messages(doc: unknown): string[] {
  try {
    validateSpec(doc, 'test.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(SpecError);
    return (err as SpecError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error('expected the spec to be rejected');
}

describe('strategy parameters in a spec', () => {
  it('fills defaults for parametrised strategies and puts them in the cell config and id', () => {
    const study = expandStudy(validateSpec(spec(['entropy', 'bald', { name: 'qbc-kl', members: 3 }])));
    const [entropy, bald, qbc] = study.cells;
    expect(entropy.strategyParams).toBeUndefined();
    expect(bald.strategyParams).toEqual({ passes: 20, dropoutRate: 0.5 });
    expect(qbc.strategyParams).toEqual({ members: 3 });
    const other = expandStudy(validateSpec(spec([{ name: 'qbc-kl', members: 4 }]))).cells[0];
    expect(other.id).not.toBe(qbc.id);
    expect(study.axes.strategy).toEqual(['entropy', 'bald', 'qbc-kl']);
  });

  it('leaves the ids of strategies without parameters unchanged by the new field', () => {
    const plain = expandStudy(validateSpec(spec('entropy'))).cells[0];
    const mapped = expandStudy(validateSpec(spec({ name: 'entropy' }))).cells[0];
    expect(mapped.id).toBe(plain.id);
    expect(plain).not.toHaveProperty('strategyParams');
  });

  it('rejects unknown parameters, bad values and a name listed twice, naming the field and the allowed values', () => {
    expect(messages(spec([{ name: 'bald', passe: 10 }]))).toEqual([
      'matrix.strategy[0].passe: unknown parameter of strategy bald; allowed: passes, dropoutRate, candidates',
    ]);
    expect(messages(spec({ name: 'bald', passes: 1.5 }))[0]).toMatch(/^matrix\.strategy\.passes: must be an integer in \[2, 1000\].*got 1\.5/);
    expect(messages(spec([{ name: 'entropy', passes: 3 }]))[0]).toMatch(/allowed: candidates$/);
    expect(messages(spec(['bald', { name: 'bald', passes: 5 }]))[0]).toMatch(/^matrix\.strategy\[1\]: strategy "bald" is listed twice/);
    expect(messages(spec([{ name: 'bladd' }]))[0]).toMatch(/^matrix\.strategy\[0\]\.name: unknown strategy "bladd" \(did you mean "bald"\?\)/);
  });
});

describe('the candidates parameter every strategy accepts', () => {
  it('is validated and recorded only when given', async () => {
    const { validateSpec } = await import('../../src/spec/validate.js');
    const { expandStudy } = await import('../../src/spec/expand.js');
    const base = { name: 'c', dataset: 'digits', model: 'mlp', matrix: { budget: 40, batchSize: 10, seed: 0 } };
    const study = expandStudy(validateSpec({ ...base, matrix: { ...base.matrix, strategy: [{ name: 'entropy', candidates: 500 }, 'margin'] } }));
    expect(study.cells[0].strategyParams).toEqual({ candidates: 500 });
    expect(study.cells[1].strategyParams).toBeUndefined();
    expect(() => validateSpec({ ...base, matrix: { ...base.matrix, strategy: [{ name: 'entropy', candidates: 0 }] } })).toThrow(/candidates.*in \[1, 100000000\].*got 0/);
  });
});
