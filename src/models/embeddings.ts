/**
 * Penultimate-layer embeddings and softmax outputs in one forward pass. Every zoo model ends in a
 * dense logits layer, so the embedding is that layer's input: the representation core-set
 * (Sener & Savarese 2018), BADGE (Ash et al. 2020) and CAL (Margatina et al. 2021) work in. For
 * the resnet that is the global-average-pooled feature vector.
 *
 * The pass runs the model's graph in inference mode (`execute` passes no `training` flag): batch
 * norm uses its frozen running statistics and dropout is the identity.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { PREDICT_BATCH } from './predict.js';

export interface FeatureOutput {
  /** `[rows, dim]` row-major. */
  readonly embeddings: Float32Array;
  readonly dim: number;
  /** `[rows, classes]` row-major. */
  readonly probs: Float32Array;
}

/** The final dense (logits) layer, checked. */
export function logitsLayer(model: tfl.LayersModel): tfl.layers.Layer {
  const head = model.layers[model.layers.length - 1];
  if (head.getClassName() !== 'Dense') throw new Error(`model must end in a Dense logits layer, found ${head.getClassName()}`);
  return head;
}

/** x: [N, ...shape], rows: [n] (all when omitted) → embeddings [n, dim] and probs [n, classes]. */
export async function predictFeatures(
  model: tfl.LayersModel,
  x: Float32Array,
  shape: readonly number[],
  numClasses: number,
  rows?: Int32Array,
): Promise<FeatureOutput> {
  const head = logitsLayer(model);
  const fetches = [(head.input as tfl.SymbolicTensor).name, model.outputs[0].name];
  const size = shape.reduce((a, b) => a * b, 1);
  const n = rows ? rows.length : x.length / size;
  const dim = (head.getWeights()[0].shape as number[])[0];
  const embeddings = new Float32Array(n * dim);
  const probs = new Float32Array(n * numClasses);
  const batch = new Float32Array(Math.min(PREDICT_BATCH, Math.max(n, 1)) * size);
  for (let start = 0; start < n; start += PREDICT_BATCH) {
    const count = Math.min(PREDICT_BATCH, n - start);
    for (let i = 0; i < count; i++) {
      const row = rows ? rows[start + i] : start + i;
      batch.set(x.subarray(row * size, (row + 1) * size), i * size);
    }
    const [h, p] = tf.tidy(() => {
      const [features, logits] = model.execute(tf.tensor(batch.subarray(0, count * size), [count, ...shape]), fetches) as tf.Tensor[];
      return [features, tf.softmax(logits)];
    });
    embeddings.set(await h.data(), start * dim);
    probs.set(await p.data(), start * numClasses);
    tf.dispose([h, p]);
  }
  return { embeddings, dim, probs };
}
