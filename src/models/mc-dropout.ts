/**
 * Monte-Carlo dropout (Gal & Ghahramani, ICML 2016; Gal, Islam & Ghahramani, ICML 2017): T
 * stochastic forward passes through the dropout layers the model was trained with.
 *
 * Which layers are stochastic: exactly the model's dropout layers (models/seeded-dropout.ts, placed
 * as models/zoo.ts says: in the cnn after the conv stack and before the logits, in the mlp after
 * each hidden layer, in the resnet before the logits), each at the rate it was trained with.
 * Everything else runs in inference mode, so batch norm keeps its frozen running statistics: a
 * pass samples dropout only. A model without dropout layers has no posterior to sample and is an
 * error (the spec validator rejects the pairing earlier; this catches plugin strategies).
 *
 * Consistent masks: a pass's mask is shared by every pool example ("consistent MC dropout",
 * Kirsch et al. 2019, BatchBALD §4), so each pass is one sampled model ω_t, which BatchBALD's joint
 * entropies need; BALD's per-example scores are unchanged in distribution. Seeds: one per pass and
 * dropout layer, drawn from `rng` before any batch, so the masks do not depend on the batch size.
 *
 * Cost: the layers before the first dropout layer are deterministic, so each prediction batch runs
 * them once and only the rest of the network T times.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Rng } from '../rng.js';
import { PREDICT_BATCH } from './predict.js';
import { dropoutLayers, SeededDropout } from './seeded-dropout.js';

/** The layers from the first dropout layer to the logits, checked to form a chain. */
function stochasticTail(model: tfl.LayersModel): tfl.layers.Layer[] {
  const dropouts = dropoutLayers(model);
  if (dropouts.length === 0) {
    throw new Error('MC dropout samples the dropout layers the model was trained with, and this model has none; give the cell a model with dropout, e.g. model: { name: cnn, dropout: 0.5 }');
  }
  const tail = model.layers.slice(model.layers.indexOf(dropouts[0]));
  tail.forEach((layer, i) => {
    const nodes = layer.inboundNodes;
    if (nodes.length !== 1 || (i > 0 && (nodes[0].inboundLayers.length !== 1 || nodes[0].inboundLayers[0] !== tail[i - 1]))) {
      throw new Error(`MC dropout needs the layers after the first dropout layer to form a chain; layer ${layer.name} (${layer.getClassName()}) does not`);
    }
  });
  return tail;
}

/** x: [N, ...shape], rows: [n] → probs [T, n, classes] row-major. */
export async function mcDropoutProbs(
  model: tfl.LayersModel,
  x: Float32Array,
  shape: readonly number[],
  numClasses: number,
  rows: Int32Array,
  passes: number,
  rng: Rng,
): Promise<Float32Array> {
  if (!Number.isInteger(passes) || passes < 1) throw new RangeError(`MC dropout passes must be a positive integer, got ${passes}`);
  const tail = stochasticTail(model);
  const stochastic = tail.filter((l): l is SeededDropout => l instanceof SeededDropout);
  const seeds = Array.from({ length: passes }, () => stochastic.map(() => rng.tfSeed()));
  const tailInput = (tail[0].input as tfl.SymbolicTensor).name;
  const size = shape.reduce((a, b) => a * b, 1);
  const n = rows.length;
  const out = new Float32Array(passes * n * numClasses);
  const batch = new Float32Array(Math.min(PREDICT_BATCH, Math.max(n, 1)) * size);
  try {
    for (let start = 0; start < n; start += PREDICT_BATCH) {
      const count = Math.min(PREDICT_BATCH, n - start);
      for (let i = 0; i < count; i++) batch.set(x.subarray(rows[start + i] * size, (rows[start + i] + 1) * size), i * size);
      const prefix = tf.tidy(() => model.execute(tf.tensor(batch.subarray(0, count * size), [count, ...shape]), tailInput) as tf.Tensor);
      try {
        for (let t = 0; t < passes; t++) {
          stochastic.forEach((layer, j) => layer.setMcSeed(seeds[t][j]));
          const probs = tf.tidy(() => {
            let h = prefix;
            for (const layer of tail) h = layer.apply(h, { training: false }) as tf.Tensor;
            return tf.softmax(h);
          });
          out.set(await probs.data(), (t * n + start) * numClasses);
          probs.dispose();
        }
      } finally {
        prefix.dispose();
      }
    }
  } finally {
    for (const layer of stochastic) layer.setMcSeed(undefined);
  }
  return out;
}
