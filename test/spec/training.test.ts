// The `training` block: the recipe options of issue 17 parse, fill defaults, leave out what equals
// the default (so cell ids of plain specs hold), and refuse bad combinations with one-line errors.
import { describe, expect, it } from 'vitest';
import { expandStudy } from '../../src/spec/expand.js';
import { SpecError } from '../../src/spec/errors.js';
import { validateSpec } from '../../src/spec/validate.js';

const base = {
  name: 't',
  dataset: 'digits',
  model: 'mlp',
  matrix: { strategy: ['random', 'entropy'], budget: 100, batchSize: 20, seed: [0, 1] },
};
const spec = (training: unknown) => validateSpec({ ...base, training });
const issues = (training: unknown): string[] => {
  try {
    spec(training);
  } catch (err) {
    expect(err).toBeInstanceOf(SpecError);
    return (err as SpecError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error('expected the spec to be rejected');
};

describe('training recipes', () => {
  it('the issue\'s example parses, with everything recorded', () => {
    const t = spec({
      steps: 3000,
      batchSize: 32,
      optimizer: { name: 'sgd', momentum: 0.9, nesterov: true },
      learningRate: 0.05,
      schedule: 'cosine',
      warmupSteps: 100,
      weightDecay: 5e-4,
    }).training;
    expect(t).toEqual({ steps: 3000, batchSize: 32, optimizer: { name: 'sgd', momentum: 0.9, nesterov: true }, learningRate: 0.05, schedule: 'cosine', warmupSteps: 100, weightDecay: 5e-4 });
    expect(spec({ until: { trainAccuracy: 0.99, maxEpochs: 200 } }).training).toEqual({ batchSize: 32, learningRate: 0.001, until: { trainAccuracy: 0.99, maxEpochs: 200 } });
    expect(spec({ epochs: 20, minSteps: 500 }).training).toEqual({ epochs: 20, minSteps: 500, batchSize: 32, learningRate: 0.001 });
    expect(spec({ optimizer: 'sgd' }).training.optimizer).toEqual({ name: 'sgd', momentum: 0, nesterov: false });
    expect(spec({ until: {} }).training.until).toEqual({ trainAccuracy: 0.99, maxEpochs: 200 });
  });

  it('spelling out the defaults (adam, constant, no decay, no warm-up) keeps the cell ids', () => {
    const plain = expandStudy(spec({ epochs: 30, batchSize: 32, learningRate: 0.001 })).cells.map((c) => c.id);
    const spelled = expandStudy(spec({ epochs: 30, batchSize: 32, learningRate: 0.001, optimizer: 'adam', schedule: 'constant', weightDecay: 0, warmupSteps: 0 })).cells;
    expect(spelled.map((c) => c.id)).toEqual(plain);
    expect(spelled[0].training).toEqual({ epochs: 30, batchSize: 32, learningRate: 0.001 });
    // And a used option does change them.
    expect(expandStudy(spec({ epochs: 30, schedule: 'cosine' })).cells[0].id).not.toBe(plain[0]);
  });

  it('tune fills its grid from the recipe where a list is left out', () => {
    expect(spec({ epochs: 5, weightDecay: 1e-4, tune: { learningRate: [3e-4, 1e-3] } }).training.tune).toEqual({ learningRate: [3e-4, 1e-3], weightDecay: [1e-4], folds: 3 });
    expect(spec({ epochs: 5, tune: { learningRate: [3e-4, 1e-3, 3e-3], weightDecay: [0, 5e-4], folds: 3 } }).training.tune).toEqual({ learningRate: [3e-4, 1e-3, 3e-3], weightDecay: [0, 5e-4], folds: 3 });
  });

  it('refuses bad values and combinations, naming the field, the value and what is allowed', () => {
    expect(issues({ steps: 10, epochs: 2 })).toEqual(['training.steps: cannot be combined with training.epochs; give exactly one of steps (optimizer steps per round) or epochs']);
    expect(issues({ steps: 0 })).toEqual(['training.steps: must be between 1 and 10000000, got 0']);
    expect(issues({ optimizer: 'rmsprop' })).toEqual(['training.optimizer: unknown optimizer "rmsprop"; allowed: adam, sgd']);
    expect(issues({ optimizer: { name: 'sgd', momentum: 1.5 } })).toEqual(['training.optimizer.momentum: must be ≥ 0 and ≤ 1, got 1.5']);
    expect(issues({ optimizer: { name: 'sgd', nesterov: 'yes', momentum: 0.9 } })).toEqual(['training.optimizer.nesterov: must be true or false, got "yes"']);
    expect(issues({ optimizer: { name: 'adam', momentum: 0.9 } })[0]).toMatch(/^training.optimizer.momentum: unknown parameter of optimizer adam/);
    expect(issues({ optimizer: { name: 'sgd', dampening: 0.1 } })[0]).toMatch(/^training.optimizer.dampening: unknown field; allowed fields: name, momentum, nesterov/);
    expect(issues({ schedule: 'step' })).toEqual(['training.schedule: unknown schedule "step"; allowed: constant, cosine']);
    expect(issues({ until: { trainAccuracy: 0.99 }, steps: 10 })[0]).toMatch(/^training.until: sets the round's length itself.*remove training.steps$/);
    expect(issues({ until: { maxEpochs: 0 } })).toEqual(['training.until.maxEpochs: must be between 1 and 10000, got 0']);
    expect(issues({ until: { trainAcuracy: 0.9 } })[0]).toMatch(/^training.until.trainAcuracy: unknown field \(did you mean "trainAccuracy"\?\)/);
    expect(issues({ epochs: 3, tune: { learningRate: [] } })).toEqual(['training.tune.learningRate: must not be an empty list; give at least one value']);
    expect(issues({ epochs: 3, tune: { learningRate: [0.001, -1] } })).toEqual(['training.tune.learningRate[1]: must be > 0 and ≤ 10, got -1']);
    expect(issues({ stepz: 3 })[0]).toMatch(/^training.stepz: unknown field \(did you mean "steps"\?\)/);
  });

  it('protocol.weightDecay is refused with where it moved', () => {
    let error: SpecError | undefined;
    try {
      validateSpec({ ...base, matrix: { ...base.matrix, protocol: ['retrain', { name: 'retrain', swaStart: 0.5, weightDecay: 5e-4 }] } });
    } catch (err) {
      error = err as SpecError;
    }
    expect(error?.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'matrix.protocol[1].weightDecay: has moved to training.weightDecay (decoupled for adam, L2 for sgd); write "training: { weightDecay: 0.0005 }" and remove it here',
    ]);
  });
});
