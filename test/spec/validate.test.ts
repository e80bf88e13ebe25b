import { describe, expect, it } from 'vitest';
import { SpecError } from '../../src/spec/errors.js';
import { parseSpecText } from '../../src/spec/parse.js';
import { validateSpec } from '../../src/spec/validate.js';

const valid = {
  name: 'quick',
  dataset: 'digits',
  model: 'mlp',
  matrix: { strategy: ['random', 'entropy'], budget: [100, 300], batchSize: [10, 50], initialSize: 20, seed: [0, 1, 2] },
  training: { epochs: 30, batchSize: 32, learningRate: 0.001 },
};

/** The valid spec with `patch` applied at a dotted path (`undefined` deletes the field). */
function withField(path: string, value: unknown): unknown {
  const doc = structuredClone(valid) as Record<string, unknown>;
  const keys = path.split('.');
  let obj = doc;
  for (const k of keys.slice(0, -1)) obj = obj[k] as Record<string, unknown>;
  if (value === undefined) delete obj[keys[keys.length - 1]];
  else obj[keys[keys.length - 1]] = value;
  return doc;
}

function errorOf(doc: unknown): SpecError {
  try {
    validateSpec(doc, 'test.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(SpecError);
    return err as SpecError;
  }
  throw new Error('expected the spec to be rejected');
}

describe('validateSpec accepts', () => {
  it('augmentation, SSL and protocol entries, filling in the methods\' defaults', () => {
    const spec = validateSpec(
      withField('matrix', {
        ...valid.matrix,
        augmentation: ['none', 'standard', { name: 'strong', n: 3 }],
        ssl: ['none', 'pseudo-label', 'fixmatch', { name: 'mean-teacher', ema: 0.999 }],
        protocol: ['retrain', 'warm-start', { name: 'retrain', swaStart: 0.75 }, { name: 'warm-start', validationFraction: 0.2 }],
      }),
    );
    expect(spec.augmentations).toEqual(['none', { name: 'standard', translate: 0.125 }, { name: 'strong', translate: 0.125, n: 3, m: 9, cutout: 0.5 }]);
    expect(spec.ssls).toEqual([
      'none',
      { name: 'pseudo-label', threshold: 0.95, mu: 3, weight: 3, rampStart: 0.2, rampEnd: 0.6 },
      { name: 'fixmatch', threshold: 0.95, mu: 7, weight: 1 },
      { name: 'mean-teacher', ema: 0.999, weight: 10, rampUp: 0.4, mu: 3 },
    ]);
    // Plain retrain is undefined: no protocol field, so the cell ids of older studies hold.
    expect(spec.protocols).toEqual([
      undefined,
      { name: 'warm-start' },
      { name: 'retrain', swaStart: 0.75 },
      { name: 'warm-start', validationFraction: 0.2, patience: 5 },
    ]);
    expect(validateSpec(valid).protocols).toBeUndefined();
  });

  it('the documented example, filling defaults', () => {
    const spec = validateSpec(valid);
    expect(spec.strategies).toEqual(['random', 'entropy']);
    expect(spec.augmentations).toEqual(['none']);
    expect(spec.ssls).toEqual(['none']);
    expect(spec.initialSizes).toEqual([20]);
    expect(spec.datasets).toEqual([{ name: 'digits' }]);
  });

  it('scalars as single-value axes, and a dataset given as an object', () => {
    const spec = validateSpec({
      name: 's',
      dataset: { name: 'synthetic', classes: 4, dims: 3, imbalance: 10 },
      model: ['mlp'],
      matrix: { strategy: 'margin', budget: 50, batchSize: 5, seed: 0 },
    });
    expect(spec.datasets[0]).toEqual({ name: 'synthetic', classes: 4, dims: 3, imbalance: 10 });
    expect(spec.initialSizes).toEqual([undefined]);
    expect(spec.training).toEqual({ epochs: 30, batchSize: 32, learningRate: 0.001 });
  });
});

// Each malformed spec: [what is wrong, the document, the field path, a fragment of the message].
const malformed: Array<[string, unknown, string, RegExp]> = [
  ['not a mapping', ['a', 'b'], '(root)', /must be a mapping/],
  ['missing name', withField('name', undefined), 'name', /study name/],
  ['name with a slash', withField('name', '../escape'), 'name', /letters, digits/],
  ['unknown top-level field', { ...valid, strategies: ['x'] }, 'strategies', /unknown field.*allowed fields: name, description, dataset/],
  ['unknown dataset', withField('dataset', 'mnits'), 'dataset', /unknown dataset "mnits" \(did you mean "mnist"\?\); allowed: digits, mnist, fashion-mnist, cifar10, synthetic, csv, npy/],
  ['csv without a path', withField('dataset', 'csv'), 'dataset', /dataset "csv" needs a path/],
  ['csv file that does not exist', withField('dataset', { name: 'csv', path: 'no-such-file.csv' }), 'dataset.path', /"no-such-file.csv" not found \(resolved against the spec's directory/],
  ['path on a built-in dataset', withField('dataset', { name: 'digits', path: 'x.csv' }), 'dataset.path', /applies only to dataset "csv" or "npy", not "digits"/],
  ['fractional pool size', withField('dataset', { name: 'mnist', poolSize: 10.5 }), 'dataset.poolSize', /must be an integer.*got 10.5/],
  ['imbalance below 1', withField('dataset', { name: 'cifar10', imbalance: 0.5 }), 'dataset.imbalance', /must be ≥ 1 and ≤ 1000, got 0.5/],
  ['unknown normalization', withField('dataset', { name: 'digits', normalize: 'zscore' }), 'dataset.normalize', /unknown normalization "zscore"; allowed: none, standardize/],
  ['unknown model', withField('model', 'resnet'), 'model', /unknown model "resnet" \(did you mean "resnet18"\?\); allowed: mlp, cnn/],
  ['unknown strategy with a typo', withField('matrix.strategy', ['random', 'entropyy']), 'matrix.strategy[1]', /did you mean "entropy"\?.*allowed: random, least-confidence, margin, entropy/],
  ['empty strategy list', withField('matrix.strategy', []), 'matrix.strategy', /must not be an empty list/],
  ['duplicate seed', withField('matrix.seed', [0, 1, 1]), 'matrix.seed[2]', /duplicate value 1/],
  ['negative budget', withField('matrix.budget', [-5]), 'matrix.budget[0]', /between 2 and .*got -5/],
  ['zero budget', withField('matrix.budget', 0), 'matrix.budget', /between 2 and .*got 0/],
  ['budget as a string', withField('matrix.budget', ['100']), 'matrix.budget[0]', /must be an integer.*got "100"/],
  ['fractional batch size', withField('matrix.batchSize', 2.5), 'matrix.batchSize', /must be an integer.*got 2.5/],
  ['budget not above the initial set', withField('matrix.initialSize', 300), 'matrix.budget', /budget 100 must exceed initialSize 300/],
  ['default initial size equal to the budget', { ...valid, matrix: { strategy: 'random', budget: 50, batchSize: 50, seed: 0 } }, 'matrix.budget', /defaults to batchSize 50/],
  ['missing seed', withField('matrix.seed', undefined), 'matrix.seed', /is required/],
  ['negative seed', withField('matrix.seed', -1), 'matrix.seed', /between 0 and 2147483647, got -1/],
  ['unknown augmentation', withField('matrix.augmentation', 'stronger'), 'matrix.augmentation', /unknown augmentation "stronger" \(did you mean "strong"\?\); allowed: none, standard, strong/],
  ['unknown ssl', withField('matrix.ssl', 'fixmatcher'), 'matrix.ssl', /unknown ssl method "fixmatcher" \(did you mean "fixmatch"\?\); allowed: none, pseudo-label, fixmatch, mean-teacher/],
  ['augmentation parameter out of range', withField('matrix.augmentation', { name: 'strong', m: 31 }), 'matrix.augmentation.m', /in \[0, 30\].*got 31/],
  ['unknown ssl parameter', withField('matrix.ssl', [{ name: 'fixmatch', tau: 0.9 }]), 'matrix.ssl[0].tau', /unknown parameter of ssl method fixmatch; allowed: threshold, mu, weight/],
  ['parameters on none', withField('matrix.ssl', { name: 'none', mu: 3 }), 'matrix.ssl.mu', /"none" takes no parameters/],
  ['ssl method listed twice', withField('matrix.ssl', ['fixmatch', { name: 'fixmatch', mu: 3 }]), 'matrix.ssl[1]', /listed twice/],
  ['augmentation on feature vectors', { ...valid, dataset: 'synthetic', matrix: { ...valid.matrix, augmentation: ['none', 'standard'] } }, 'matrix.augmentation', /augmentation "standard" needs image data \[height, width, channels\]; dataset synthetic holds feature vectors; allowed for it: none/],
  ['fixmatch on feature vectors', { ...valid, dataset: 'synthetic', matrix: { ...valid.matrix, ssl: 'fixmatch' } }, 'matrix.ssl', /ssl method "fixmatch" perturbs images; dataset synthetic .*allowed for it: none, pseudo-label/],
  ['unknown protocol', withField('matrix.protocol', 'finetune'), 'matrix.protocol', /unknown protocol "finetune"; allowed: retrain, warm-start/],
  ['swa with early stopping', withField('matrix.protocol', { name: 'retrain', swaStart: 0.5, validationFraction: 0.2 }), 'matrix.protocol.swaStart', /cannot be combined with early stopping/],
  ['patience without a split', withField('matrix.protocol', { name: 'retrain', patience: 3 }), 'matrix.protocol.patience', /applies only with validationFraction/],
  ['the same protocol twice', withField('matrix.protocol', ['retrain', { name: 'retrain' }]), 'matrix.protocol', /lists the same protocol twice/],
  ['unknown matrix axis', withField('matrix.sed', [0]), 'matrix.sed', /did you mean "seed"/],
  ['zero learning rate', withField('training.learningRate', 0), 'training.learningRate', /must be > 0 and ≤ 10, got 0/],
  ['epochs as text', withField('training.epochs', 'ten'), 'training.epochs', /integer between 1 and 10000, got "ten"/],
  ['unknown training field', withField('training.momentum', 0.9), 'training.momentum', /unknown field; allowed fields: epochs, steps, minSteps, batchSize, optimizer, learningRate/],
  ['synthetic option on a real dataset', withField('dataset', { name: 'digits', classes: 3 }), 'dataset.classes', /applies only to dataset "synthetic"/],
  ['test fraction on fashion-mnist', withField('dataset', { name: 'fashion-mnist', testFraction: 0.2 }), 'dataset.testFraction', /official test set; remove testFraction \(use testSize/],
  ['test fraction of 1', withField('dataset', { name: 'digits', testFraction: 1 }), 'dataset.testFraction', /> 0 and ≤ 0.9, got 1/],
  ['matrix not a mapping', withField('matrix', 'all'), 'matrix', /must be a mapping/],
];

describe('validateSpec rejects malformed specs with the field path, bad value and allowed values', () => {
  it('has a corpus of at least 15 malformed specs', () => expect(malformed.length).toBeGreaterThanOrEqual(15));

  it.each(malformed)('%s', (_what, doc, path, message) => {
    const err = errorOf(doc);
    const issue = err.issues.find((i) => i.path === path);
    expect(issue, `issues were: ${JSON.stringify(err.issues)}`).toBeDefined();
    expect(issue!.message).toMatch(message);
    expect(err.message).toContain('test.yaml');
  });

  it('reports every problem at once, not just the first', () => {
    const err = errorOf({ ...valid, model: 'resnet', matrix: { ...valid.matrix, seed: -1 } });
    expect(err.issues.map((i) => i.path).sort()).toEqual(['matrix.seed', 'model']);
  });
});

describe('parseSpecText', () => {
  it('reads YAML and JSON', () => {
    expect(parseSpecText('name: a\nmatrix: { seed: [0, 1] }\n', 'a.yaml')).toEqual({ name: 'a', matrix: { seed: [0, 1] } });
    expect(parseSpecText('{"name": "a"}', 'a.json')).toEqual({ name: 'a' });
  });

  it('names the file on a syntax error and on duplicate keys', () => {
    expect(() => parseSpecText('name: [unclosed', 'bad.yaml')).toThrow(/bad.yaml[\s\S]*\(syntax\)/);
    expect(() => parseSpecText('name: a\nname: b\n', 'dup.yaml')).toThrow(/dup.yaml[\s\S]*(unique|duplicate)/i);
    expect(() => parseSpecText('{"name": }', 'bad.json')).toThrow(/bad.json/);
  });
});
