/**
 * The loop's need provider and the pseudo-label path: each need arrives with the right shape, the
 * MC-dropout passes are seeded, auxiliary training refuses unlabelled rows, and CEAL's pseudo-labels
 * are recorded and used for training without being counted as labels.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/index.js';
import { buildSelectionContext, gatherRows } from '../../src/loop/needs.js';
import { trainModel } from '../../src/models/train.js';
import { createModel } from '../../src/models/zoo.js';
import { runCell } from '../../src/loop/run-cell.js';
import { predictProbs } from '../../src/models/predict.js';
import { createRng } from '../../src/rng.js';
import { cellId } from '../../src/spec/expand.js';
import type { ResolvedCell } from '../../src/spec/types.js';
import type { Need, Strategy } from '../../src/strategies/strategy.js';
import { disposeFixtureModel, fixtureCell, fixtureData, fixtureLabeled, fixtureModel, fixturePool } from '../strategies/fixture.js';
import { tinyDataset } from '../helpers/tiny-dataset.js';

beforeAll(async () => {
  await initBackend('wasm');
});
afterAll(disposeFixtureModel);

const probe = (needs: Need[], needOptions = {}): Strategy => ({ name: 'probe', needs: new Set(needs), needOptions, select: async () => ({ indices: [] }) });
const inputs = async (rng = createRng('needs')) => ({ cell: fixtureCell, data: fixtureData, model: await fixtureModel(), rng, round: 2, pool: fixturePool, labeled: fixtureLabeled });

// MC dropout samples the model's own dropout layers: the fixture MLP with dropout 0.5, trained the same way.
const dropoutCell: ResolvedCell = { ...fixtureCell, model: { name: 'mlp', dropout: 0.5 } };
let dropoutNet: tfl.LayersModel | undefined;
async function dropoutModel(): Promise<tfl.LayersModel> {
  if (!dropoutNet) {
    const rng = createRng('fixture');
    dropoutNet = createModel({ name: dropoutCell.model, inputShape: fixtureData.shape, numClasses: fixtureData.numClasses }, rng.fork('weights'));
    await trainModel(dropoutNet, gatherRows(fixtureData, fixtureLabeled), fixtureCell.training, (e) => rng.fork('shuffle', e));
  }
  return dropoutNet;
}
afterAll(() => dropoutNet?.dispose());
const mcInputs = async (rng = createRng('needs')) => ({ ...(await inputs(rng)), cell: dropoutCell, model: await dropoutModel() });

describe('buildSelectionContext', () => {
  it('computes only what is declared, with the documented shapes', async () => {
    const n = fixturePool.length;
    const c = fixtureData.numClasses;
    const bare = await buildSelectionContext(probe([]), await inputs());
    expect(bare.probs).toBeUndefined();
    expect(bare.mcProbs).toBeUndefined();
    expect(bare.trainModel).toBeUndefined();
    const ctx = await buildSelectionContext(probe(['mcProbs', 'embeddings', 'gradEmbeddings', 'committeeProbs', 'inputs'], { mcPasses: 3, committeeSize: 2 }), await mcInputs());
    expect(ctx.probs).toHaveLength(n * c);
    expect(ctx.mcProbs!.data).toHaveLength(3 * n * c);
    expect(ctx.committeeProbs!.data).toHaveLength(2 * n * c);
    expect(ctx.embeddings!.rows).toBe(n);
    expect(ctx.labeledEmbeddings!.rows).toBe(fixtureLabeled.length);
    expect(ctx.gradEmbeddings!.scale.dim).toBe(c);
    expect(ctx.inputs!.rows).toBe(fixtureData.train.n);
    // Committee member 0 is the task model itself.
    expect(Array.from(ctx.committeeProbs!.data.subarray(0, n * c))).toEqual(Array.from(ctx.probs!));
  });

  it('seeds the MC-dropout masks: same stream, same passes; a model without dropout is an error naming the fix', async () => {
    const a = await buildSelectionContext(probe(['mcProbs'], { mcPasses: 4 }), await mcInputs(createRng('s')));
    const b = await buildSelectionContext(probe(['mcProbs'], { mcPasses: 4 }), await mcInputs(createRng('s')));
    expect(Array.from(b.mcProbs!.data)).toEqual(Array.from(a.mcProbs!.data));
    const other = await buildSelectionContext(probe(['mcProbs'], { mcPasses: 4 }), await mcInputs(createRng('t')));
    expect(Array.from(other.mcProbs!.data)).not.toEqual(Array.from(a.mcProbs!.data));
    // The task-model probabilities are the deterministic (dropout-off) pass.
    const plain = await predictProbs(await dropoutModel(), fixtureData.train.x, fixtureData.shape, fixtureData.numClasses, fixturePool);
    expect(Array.from(a.probs!)).toEqual(Array.from(plain));
    await expect(buildSelectionContext(probe(['mcProbs'], { mcPasses: 2 }), await inputs())).rejects.toThrow(/has none; .*model: \{ name: cnn, dropout: 0\.5 \}/);
  });

  it('leaks no tensor', async () => {
    const strategy = probe(['mcProbs', 'embeddings', 'committeeProbs'], { mcPasses: 2, committeeSize: 2 });
    await buildSelectionContext(strategy, await mcInputs());
    const before = tf.memory().numTensors;
    await buildSelectionContext(strategy, await mcInputs());
    expect(tf.memory().numTensors).toBe(before);
  });

  it('trains auxiliary models on labelled rows only', async () => {
    const ctx = await buildSelectionContext(probe(['trainModel']), await inputs());
    await expect(ctx.trainModel!({ tag: 'x', rows: Int32Array.from([fixturePool[0]]) })).rejects.toThrow(/not a labelled training index/);
    const aux = await ctx.trainModel!({ tag: 'x', rows: fixtureLabeled, epochs: 1 });
    expect(await aux.probs(fixturePool)).toHaveLength(fixturePool.length * fixtureData.numClasses);
    aux.dispose();
  });
});

describe('pseudo-labels (CEAL)', () => {
  const data = tinyDataset({ train: 60, test: 30 });
  const cell = (strategy: string, strategyParams?: Record<string, number>): ResolvedCell => {
    const config = {
      dataset: { name: 'synthetic' as const },
      model: 'mlp' as const,
      strategy,
      ...(strategyParams ? { strategyParams } : {}),
      budget: 20,
      batchSize: 5,
      initialSize: 10,
      augmentation: 'none' as const,
      ssl: 'none' as const,
      seed: 0,
      training: { epochs: 5, batchSize: 8, learningRate: 0.01 },
    };
    return { ...config, id: cellId(config) };
  };

  it('are recorded, used for the next training, and never counted as labels', async () => {
    // δ₀ = 10 exceeds any entropy of 3 classes (ln 3 ≈ 1.1), so every unqueried pool row is pseudo-labelled.
    const ceal = await runCell(cell('ceal', { delta0: 10, decay: 0 }), data);
    const entropy = await runCell(cell('entropy'), data);
    expect(ceal.rounds.map((r) => r.labeled)).toEqual(entropy.rounds.map((r) => r.labeled));
    const first = ceal.rounds[0];
    expect(first.pseudoLabels!.indices).toHaveLength(60 - 10 - 5);
    expect(first.pseudoLabels!.indices.some((i) => first.selected.includes(i))).toBe(false);
    // Same batches as entropy in round 0 (CEAL queries by entropy), but the next model trained on more rows.
    expect(first.selected).toEqual(entropy.rounds[0].selected);
    // The round-1 model differs (it also saw the pseudo-labels), so its entropy ranking, and batch, differ.
    expect(ceal.rounds[1].selected).not.toEqual(entropy.rounds[1].selected);
    expect(ceal.rounds[ceal.rounds.length - 1].pseudoLabels).toBeUndefined();
  });
});
