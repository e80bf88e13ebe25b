/**
 * The small, fixed round every strategy is checked on (the contract test, the golden selections
 * and `albench test-strategy`): 24 training rows of three Gaussian blobs in 4 dimensions, 9 of
 * them labelled, an MLP trained on those for 3 epochs, and every need computed by the loop's own
 * provider (loop/needs.ts), so a strategy is checked on exactly what a run would hand it. A
 * strategy with training-time needs (epochProbs, jointTraining) gets its own model of the same
 * initial weights, trained by the loop's round training (models/protocol) with its hooks. An
 * MC-dropout strategy gets the same MLP with `dropout: 0.5`, trained the same way, since its passes
 * sample the dropout the model was trained with (models/mc-dropout.ts).
 * Everything is derived from fixed seeds; the data equal `tinyDataset({ train: 24, test: 6,
 * classes: 3, shape: [4], seed: 5 })` of the test helpers.
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Dataset } from '../data/dataset.js';
import { buildSelectionContext, gatherRows } from '../loop/needs.js';
import { hasTrainingNeeds, trainingNeedsFor } from '../loop/training-needs.js';
import { trainRound } from '../models/protocol/index.js';
import { trainModel } from '../models/train.js';
import { createModel } from '../models/zoo.js';
import { createRng } from '../rng.js';
import type { ResolvedCell } from '../spec/types.js';
import type { SelfsupFeatureProvider } from '../loop/selfsup-features.js';
import type { Matrix, SelectionContext, Strategy } from './strategy.js';

const TRAIN = 24;
/** The fixture model of MC-dropout strategies. */
const MC_MODEL = { name: 'mlp', dropout: 0.5 } as const;
const LABELED = 9;

/** Three blobs in 4-d, rows cycling through the classes; the test helpers' `tinyDataset` recipe. */
export function contractDataset(): Dataset {
  const classes = 3;
  const size = 4;
  const rng = createRng('tiny-5');
  const centers = Array.from({ length: classes }, () => Array.from({ length: size }, () => rng.next() * 4 - 2));
  const split = (n: number) => {
    const x = new Float32Array(n * size);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = i % classes;
      for (let j = 0; j < size; j++) x[i * size + j] = centers[y[i]][j] + (rng.next() - 0.5) * 0.8;
    }
    return { x, y, n };
  };
  return { name: 'tiny', shape: [size], numClasses: classes, train: split(TRAIN), test: split(6), checksum: 'tiny-5', source: 'contract fixture', flipPreservesLabel: false };
}

/**
 * Stands in for the SimCLR encoder (which needs image data; the real one is tested in
 * test/loop/selfsup-features.test.ts): a fixed, label-free nonlinear map of each input,
 * e_j = tanh(Σ_i x_i·W_ij), W from a fixed seed, 3 dimensions. Deterministic and cheap.
 */
export const fixtureSelfsup: SelfsupFeatureProvider = async (_cell, data) => {
  const d = data.shape.reduce((a, b) => a * b, 1);
  const dim = 3;
  const rng = createRng('fixture-selfsup');
  const w = Float64Array.from({ length: d * dim }, () => rng.next() * 2 - 1);
  const out = new Float32Array(data.train.n * dim);
  for (let r = 0; r < data.train.n; r++) {
    for (let j = 0; j < dim; j++) {
      let s = 0;
      for (let i = 0; i < d; i++) s += data.train.x[r * d + i] * w[i * dim + j];
      out[r * dim + j] = Math.tanh(s);
    }
  }
  return { data: out, rows: data.train.n, dim } satisfies Matrix;
};

/** The cell the fixture round belongs to (its training config sizes auxiliary models). */
export const CONTRACT_CELL: ResolvedCell = {
  id: 'fixture',
  dataset: { name: 'synthetic' },
  model: 'mlp',
  strategy: 'entropy',
  budget: 20,
  batchSize: 4,
  initialSize: LABELED,
  augmentation: 'none',
  ssl: 'none',
  seed: 0,
  training: { epochs: 3, batchSize: 8, learningRate: 0.01 },
};

export interface ContractFixture {
  readonly data: Dataset;
  /** Training-set indices of the unlabelled pool (15 rows). */
  readonly pool: Int32Array;
  readonly labeled: Int32Array;
  /** The context the loop would build for `strategy` in round 0. */
  contextFor(strategy: Strategy): Promise<SelectionContext>;
  /** Frees the trained model. */
  dispose(): void;
}

/** Trains the fixture's model (needs an initialised tfjs backend) and returns the fixture. */
export async function createContractFixture(): Promise<ContractFixture> {
  const data = contractDataset();
  const labeled = Int32Array.from({ length: LABELED }, (_, i) => i);
  const pool = Int32Array.from({ length: TRAIN - LABELED }, (_, i) => i + LABELED);
  const rng = createRng('fixture');
  const model: tfl.LayersModel = createModel({ name: 'mlp', inputShape: data.shape, numClasses: data.numClasses }, rng.fork('weights'));
  await trainModel(model, gatherRows(data, labeled), CONTRACT_CELL.training, (e) => rng.fork('shuffle', e));
  const dropoutModel = createModel({ name: MC_MODEL, inputShape: data.shape, numClasses: data.numClasses }, rng.fork('weights'));
  await trainModel(dropoutModel, gatherRows(data, labeled), CONTRACT_CELL.training, (e) => rng.fork('shuffle', e));
  const mcCell = { ...CONTRACT_CELL, model: MC_MODEL };
  const cellRng = createRng('fixture-cell');
  return {
    data,
    pool,
    labeled,
    contextFor: async (strategy) => {
      if (strategy.needs.has('mcProbs') && !hasTrainingNeeds(strategy)) {
        return buildSelectionContext(strategy, { cell: mcCell, data, model: dropoutModel, rng: cellRng, round: 0, pool, labeled, selfsup: fixtureSelfsup });
      }
      if (!hasTrainingNeeds(strategy)) return buildSelectionContext(strategy, { cell: CONTRACT_CELL, data, model, rng: cellRng, round: 0, pool, labeled, selfsup: fixtureSelfsup });
      const own = createModel({ name: 'mlp', inputShape: data.shape, numClasses: data.numClasses }, rng.fork('weights'));
      const training = trainingNeedsFor(strategy, { cell: CONTRACT_CELL, data, model: own, pool, rng: cellRng, round: 0 })!;
      try {
        await trainRound({ cell: CONTRACT_CELL, data, model: own, initialWeights: own.getWeights(), round: 0, labeled, rng: cellRng, hooks: training.hooks });
        return await buildSelectionContext(strategy, { cell: CONTRACT_CELL, data, model: own, rng: cellRng, round: 0, pool, labeled, training: training.observed(), selfsup: fixtureSelfsup });
      } finally {
        training.dispose();
        own.dispose();
      }
    },
    dispose: () => {
      model.dispose();
      dropoutModel.dispose();
    },
  };
}
