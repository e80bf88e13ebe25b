/**
 * Measures training throughput (examples/s) of a model on the active backend, for `albench plan`'s
 * time estimate. Random inputs are fine here: speed does not depend on the values.
 */
import * as tf from '@tensorflow/tfjs-core';
import { scaledTraining } from '../models/recipe.js';
import { trainModel } from '../models/train.js';
import { createModel } from '../models/zoo.js';
import { createRng } from '../rng.js';
import type { ModelName, TrainingConfig } from '../spec/types.js';

export async function measureTrainingThroughput(
  model: ModelName,
  shape: readonly number[],
  numClasses: number,
  training: TrainingConfig,
): Promise<number> {
  const rng = createRng('throughput');
  const n = 256;
  const size = shape.reduce((a, b) => a * b, 1);
  const x = new Float32Array(n * size).map(() => rng.next());
  const y = new Int32Array(n).map(() => rng.int(numClasses));
  const net = createModel({ name: model, inputShape: shape, numClasses }, rng.fork('weights'));
  const data = { x, y, n, shape, numClasses };
  try {
    // Whole epochs of the recipe's optimizer and schedule (its steps or until rule would fix the length instead).
    await trainModel(net, data, scaledTraining(training, 1, 1), (e) => rng.fork('shuffle', e)); // warm-up: kernels, wasm memory
    const epochs = 3;
    const start = performance.now();
    await trainModel(net, data, scaledTraining(training, 1, epochs), (e) => rng.fork('shuffle', e));
    return (n * epochs) / ((performance.now() - start) / 1000);
  } finally {
    net.dispose();
    tf.disposeVariables();
  }
}
