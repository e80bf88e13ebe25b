import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

/** Rows scored per forward pass: large enough to amortise dispatch, small enough to bound memory. */
export const PREDICT_BATCH = 512;

/**
 * Softmax probabilities of `model` on the rows of `x` selected by `rows` (all rows when omitted).
 *
 * x: [N, ...shape], rows: [n] → probs: [n, classes] row-major
 */
export async function predictProbs(
  model: tfl.LayersModel,
  x: Float32Array,
  shape: readonly number[],
  numClasses: number,
  rows?: Int32Array,
): Promise<Float32Array> {
  const size = shape.reduce((a, b) => a * b, 1);
  const n = rows ? rows.length : x.length / size;
  const out = new Float32Array(n * numClasses);
  const batch = new Float32Array(Math.min(PREDICT_BATCH, n) * size);
  for (let start = 0; start < n; start += PREDICT_BATCH) {
    const count = Math.min(PREDICT_BATCH, n - start);
    for (let i = 0; i < count; i++) {
      const row = rows ? rows[start + i] : start + i;
      batch.set(x.subarray(row * size, (row + 1) * size), i * size);
    }
    const probs = tf.tidy(() => {
      const input = tf.tensor(batch.subarray(0, count * size), [count, ...shape]);
      // apply, not predict: predict re-slices into batches of 32 and concatenates, which costs time.
      return tf.softmax(model.apply(input, { training: false }) as tf.Tensor);
    });
    out.set(await probs.data(), start * numClasses);
    probs.dispose();
  }
  return out;
}
