/**
 * The `model` entry as `name | { name, ...params }` (src/models/model-params.ts): parameters at
 * their default vanish so plain specs keep their cell ids, bad values get one-line errors, and an
 * MC-dropout strategy paired with a model without dropout is a spec error naming the fix.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { modelLabel } from '../../src/models/model-params.js';
import { SpecError } from '../../src/spec/errors.js';
import { cellId, expandStudy } from '../../src/spec/expand.js';
import { validateSpec } from '../../src/spec/validate.js';

const spec = (model: unknown, strategy: unknown = 'random', dataset: unknown = 'digits') => ({
  name: 'm',
  dataset,
  model,
  matrix: { strategy, budget: 100, batchSize: 10, seed: 0 },
});
const cell = (model: unknown, strategy?: unknown) => expandStudy(validateSpec(spec(model, strategy))).cells[0];

function messages(doc: unknown): string[] {
  try {
    validateSpec(doc, 'test.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(SpecError);
    return (err as SpecError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error('expected the spec to be rejected');
}

describe('model entries', () => {
  it('a bare name, { name } and parameters at their default are one model with the id cells had before', () => {
    const plain = cell('mlp');
    expect(plain.model).toBe('mlp');
    expect(plain.id).toBe('92bb2e435dba'); // pinned in expand.test.ts from before models took parameters
    expect(cell({ name: 'mlp' }).id).toBe(plain.id);
    expect(cell({ name: 'mlp', dropout: 0 }).id).toBe(plain.id);
    expect(cell({ name: 'resnet18', width: 64, depth: 2 }).model).toBe('resnet18');
  });

  it('records parameters that differ from the default, and they change the id', () => {
    const dropped = cell({ name: 'mlp', dropout: 0.5 });
    expect(dropped.model).toEqual({ name: 'mlp', dropout: 0.5 });
    expect(dropped.id).not.toBe(cell('mlp').id);
    expect(cell({ name: 'resnet18', width: 16, depth: 2 }).model).toEqual({ name: 'resnet18', width: 16 });
    expect(modelLabel({ name: 'resnet18', width: 16, depth: 1 })).toBe('resnet18 depth=1 width=16');
  });

  it('committed results keep their ids: their model entries (bare names stay strings) resolve to themselves', () => {
    const root = join(__dirname, '../../results');
    for (const study of readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory())) {
      const dir = join(root, study.name, 'cells');
      for (const file of readdirSync(dir).slice(0, 3)) {
        const { id, ...config } = JSON.parse(readFileSync(join(dir, file), 'utf8')).cell;
        expect(cellId(config)).toBe(id);
        // A bare name must stay a bare string (pinned ids hash it as one); an object resolves to an equal object.
        if (typeof config.model === 'string') expect(cell(config.model).model).toBe(config.model);
        else expect(cell(config.model).model).toEqual(config.model);
      }
    }
  });

  it('rejects unknown parameters, bad values and duplicates, naming the field and what is allowed', () => {
    expect(messages(spec({ name: 'cnn', dropot: 0.5 }))).toEqual(['model.dropot: unknown parameter of model cnn; allowed: dropout']);
    expect(messages(spec({ name: 'linear', dropout: 0.5 }))).toEqual(['model.dropout: unknown parameter of model linear; allowed: (none)']);
    expect(messages(spec({ name: 'cnn', dropout: 1 }))[0]).toMatch(/^model\.dropout: must be a number in \[0, 0\.9\] .*got 1$/);
    expect(messages(spec({ name: 'resnet18', width: 2.5 }))[0]).toMatch(/^model\.width: must be an integer in \[1, 512\]/);
    expect(messages(spec({ name: 'resnett' }))[0]).toMatch(/^model\.name: unknown model "resnett" \(did you mean "resnet18"\?\); allowed: mlp, cnn, linear, resnet18/);
    expect(messages(spec(['cnn', { name: 'cnn', dropout: 0 }]))[0]).toMatch(/^model: lists the same model twice/);
  });

  it('an MC-dropout strategy needs a model with dropout, and samples its rate', () => {
    expect(messages(spec('cnn', ['random', 'bald']))).toEqual([
      `model: strategy "bald" samples the model's dropout layers (MC dropout), but model "cnn" has no dropout; use e.g. model: { name: cnn, dropout: 0.5 }`,
    ]);
    expect(messages(spec('linear', 'batchbald'))[0]).toMatch(/model "linear" has no dropout; use e\.g\. model: \{ name: mlp, dropout: 0\.5 \}/);
    expect(messages(spec({ name: 'cnn', dropout: 0.3 }, 'bald'))[0]).toMatch(/^matrix\.strategy: strategy "bald" has dropoutRate 0\.5, but its passes sample model "cnn dropout=0\.3"'s own dropout \(0\.3\)/);
    expect(cell({ name: 'cnn', dropout: 0.3 }, { name: 'bald', dropoutRate: 0.3 }).model).toEqual({ name: 'cnn', dropout: 0.3 });
    expect(messages(spec({ name: 'resnet18', width: 4 }, 'learning-loss'))[0]).toMatch(/^model: strategy "learning-loss" trains a module .*allowed with it: mlp, cnn$/);
    // A strategy run as another process that declares mcProbs is held to the same rule.
    const py = { name: 'py', command: ['python3', 'test/fixtures/strategies/numpy_margin.py'], needs: ['mcProbs'] };
    expect(messages(spec('mlp', [py]))[0]).toMatch(/^model: strategy "py" samples the model's dropout layers .*model: \{ name: mlp, dropout: 0\.5 \}/);
    // Strategies without MC passes take any model.
    expect(cell('cnn', 'entropy').model).toBe('cnn');
  });

  it('resnet18 needs images, like cnn, when the representation gives vectors', () => {
    const doc = { ...spec('resnet18'), matrix: { ...spec('resnet18').matrix, representation: 'selfsup' } };
    expect(messages(doc)[0]).toMatch(/^model: model "resnet18" needs images, but representation "selfsup" gives feature vectors/);
  });
});
