/**
 * A real selection context for the strategy tests: a tiny dataset, an MLP trained for a few epochs,
 * and every need computed by the loop's own provider (loop/needs.ts), so strategies are tested on
 * what they will receive in a run.
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import * as tf from '@tensorflow/tfjs-core';
import { buildSelectionContext, gatherRows } from '../../src/loop/needs.js';
import { trainModel } from '../../src/models/train.js';
import { createModel } from '../../src/models/zoo.js';
import { createRng } from '../../src/rng.js';
import type { ResolvedCell } from '../../src/spec/types.js';
import type { SelectionContext, Strategy } from '../../src/strategies/strategy.js';
import { tinyDataset } from '../helpers/tiny-dataset.js';

export const fixtureData = tinyDataset({ train: 24, test: 6, classes: 3, shape: [4], seed: 5 });
export const fixtureLabeled = Int32Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8]);
export const fixturePool = Int32Array.from({ length: 24 - 9 }, (_, i) => i + 9);

export const fixtureCell: ResolvedCell = {
  id: 'fixture',
  dataset: { name: 'synthetic' },
  model: 'mlp',
  strategy: 'entropy',
  budget: 20,
  batchSize: 4,
  initialSize: 9,
  augmentation: 'none',
  ssl: 'none',
  seed: 0,
  training: { epochs: 3, batchSize: 8, learningRate: 0.01 },
};

let model: tfl.LayersModel | undefined;

/** The fixture's trained task model (built once per test file). */
export async function fixtureModel(): Promise<tfl.LayersModel> {
  if (!model) {
    const rng = createRng('fixture');
    model = createModel({ name: 'mlp', inputShape: fixtureData.shape, numClasses: fixtureData.numClasses }, rng.fork('weights'));
    await trainModel(model, gatherRows(fixtureData, fixtureLabeled), fixtureCell.training, (e) => rng.fork('shuffle', e));
  }
  return model;
}

export function disposeFixtureModel(): void {
  model?.dispose();
  model = undefined;
  void tf;
}

/** The context the loop would build for `strategy` in round 0 of the fixture. */
export async function fixtureContext(strategy: Strategy): Promise<SelectionContext> {
  return buildSelectionContext(strategy, {
    cell: fixtureCell,
    data: fixtureData,
    model: await fixtureModel(),
    rng: createRng('fixture-cell'),
    round: 0,
    pool: fixturePool,
    labeled: fixtureLabeled,
  });
}
