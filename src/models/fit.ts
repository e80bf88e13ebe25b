/**
 * Evidence of fit: how well the trained model fits the rows it was trained on, on clean inputs
 * (no augmentation, no dropout), after training. A round that ends far below 100 % training
 * accuracy was underfitted, and a verdict that rests on it says more about the recipe than about
 * the strategy or treatment.
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Dataset } from '../data/dataset.js';
import { predictProbs } from './predict.js';

export interface Fit {
  /** Mean cross-entropy (natural log) of the labels. */
  readonly trainLoss: number;
  readonly trainAccuracy: number;
}

// Keeps −log finite for a probability that underflowed to 0 (float32 softmax).
const TINY = 1e-12;

/** probs: [n, classes] row-major, labels: [n] → mean cross-entropy and accuracy of the argmax. */
export function labelledFit(probs: Float32Array, labels: ArrayLike<number>, numClasses: number): Fit {
  const n = labels.length;
  if (n === 0) return { trainLoss: NaN, trainAccuracy: NaN };
  let loss = 0;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const row = i * numClasses;
    let best = 0;
    for (let k = 1; k < numClasses; k++) if (probs[row + k] > probs[row + best]) best = k;
    if (best === labels[i]) correct++;
    loss -= Math.log(Math.max(probs[row + labels[i]], TINY));
  }
  return { trainLoss: loss / n, trainAccuracy: correct / n };
}

/** The fit of `model` on the labelled training rows `rows` of `data`. */
export async function fitOn(model: tfl.LayersModel, data: Dataset, rows: Int32Array): Promise<Fit> {
  const probs = await predictProbs(model, data.train.x, data.shape, data.numClasses, rows);
  return labelledFit(probs, Array.from(rows, (i) => data.train.y[i]), data.numClasses);
}
