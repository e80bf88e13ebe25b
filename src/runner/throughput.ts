/**
 * Measures training throughput (examples/s) of a model on the active backend, for `albench plan`'s
 * time estimate. Random inputs are fine here: speed does not depend on the values.
 */
import * as tf from '@tensorflow/tfjs-core';
import { trainModel } from '../models/train.js';
import { createModel } from '../models/zoo.js';
import { createRng } from '../rng.js';
import type { ModelSetting, TrainingConfig } from '../spec/types.js';

export async function measureTrainingThroughput(
  model: ModelSetting,
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
    const config = { ...training, epochs: 1 };
    await trainModel(net, data, config, (e) => rng.fork('shuffle', e)); // warm-up: kernels, wasm memory
    const epochs = 3;
    const start = performance.now();
    await trainModel(net, data, { ...training, epochs }, (e) => rng.fork('shuffle', e));
    return (n * epochs) / ((performance.now() - start) / 1000);
  } finally {
    net.dispose();
    tf.disposeVariables();
  }
}
