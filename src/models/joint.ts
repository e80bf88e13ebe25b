/**
 * Training hooks: the one way a strategy takes part in the task model's training, used only when
 * it declares the need (`epochProbs`, `jointTraining` in src/strategies/strategy.ts; the loop
 * builds the hooks in src/loop/training-needs.ts). Without hooks, training runs exactly as before.
 *
 * - `onEpochEnd` observes the model after every epoch (label dispersion, Bengar et al. 2021). It
 *   only predicts, so the trained weights are bitwise those of a run without it.
 * - `joint` is a module trained together with the task model, minibatch by minibatch, on the task
 *   model's intermediate features and per-example loss (learning loss, Yoo & Kweon, CVPR 2019).
 *   Its loss joins the task loss inside the same gradient tape, so its gradient reaches the
 *   backbone until the module itself stops it.
 *
 * Feature taps: the features a joint module sees are the input of every weighted layer (Dense,
 * Conv2D) after the first, i.e. the output of each block: for the zoo MLP the two hidden layers
 * (256, 128); for the CNN the two pooled conv maps ([h/2, w/2, 16], [h/4, w/4, 32]; the map before
 * Flatten, not the flattened vector) and the dense 64. Yoo & Kweon tap the output of each ResNet
 * block the same way. A model with one weighted layer (`linear`) has no block; its tap is the
 * head's input, a frozen representation with no backbone behind it.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { PREDICT_BATCH } from './predict.js';
import { SeededDropout } from './seeded-dropout.js';

/** A module trained jointly with the task model. Its owner (a strategy) defines it; the loop disposes it. */
export interface JointModule {
  /** Its trainable variables; the task model's optimiser updates them in the same steps. */
  readonly variables: readonly tf.Variable[];
  /**
   * Its loss on one minibatch, added to the task loss inside the task model's gradient tape.
   * taps: the task model's feature taps `[b, ...]`; exampleLoss: the per-example task loss `[b]`.
   * `epoch` of `epochs` lets the module stop its gradient into the backbone late in training.
   */
  loss(taps: readonly tf.Tensor[], exampleLoss: tf.Tensor1D, progress: { readonly epoch: number; readonly epochs: number }): tf.Scalar;
  /** Its output per row: taps `[b, ...]` → `[b]`. Called inside tidy. */
  predict(taps: readonly tf.Tensor[]): tf.Tensor1D;
  /** Frees its variables. */
  dispose(): void;
}

/** Optional participation of a strategy in one round's training. */
export interface TrainingHooks {
  /** After every epoch, with the model whose predictions the round evaluates. Must not change weights. */
  readonly onEpochEnd?: (model: tfl.LayersModel, epoch: number) => Promise<void>;
  /** A module trained jointly with the task model (forces the extended training loop). */
  readonly joint?: JointModule;
}

const WEIGHTED = new Set(['Dense', 'Conv2D']);

/**
 * Index into the layer outputs of each tap: −1 is the model input, j ≥ 0 the output of layer j.
 * See the file header for the rule.
 */
function tapSources(model: tfl.LayersModel): number[] {
  const layers = model.layers;
  // Taps are read off a layer-by-layer pass, which a graph with skip connections (resnet18) has not.
  if (layers.some((l) => l.inboundNodes.some((node) => node.inboundLayers.length > 1))) {
    throw new Error('feature taps need a sequential model (mlp, cnn); this model has merge layers (resnet18 is not supported by jointly trained modules yet)');
  }
  const weighted = layers.map((l, i) => (WEIGHTED.has(l.getClassName()) ? i : -1)).filter((i) => i >= 0);
  if (weighted.length === 0) throw new Error('feature taps need a model with Dense or Conv2D layers');
  // The input of layer i is the output of layer i−1; step back over a Flatten to the map it
  // flattens and over dropout to the features it masks (the tap is the layer's clean output).
  const inputOf = (i: number) => {
    let j = i - 1;
    if (j >= 0 && layers[j].getClassName() === 'Flatten') j--;
    if (j >= 0 && layers[j] instanceof SeededDropout) j--;
    return j;
  };
  const taps = weighted.slice(1).map(inputOf);
  return taps.length > 0 ? taps : [inputOf(weighted[0])];
}

/** Shapes of the model's feature taps, without the batch axis. */
export function tapShapes(model: tfl.LayersModel): number[][] {
  return tapSources(model).map((j) => {
    const shape = (j < 0 ? model.inputs[0].shape : model.layers[j].outputShape) as (number | null)[];
    return shape.slice(1) as number[];
  });
}

/** One forward pass layer by layer: x `[b, ...]` → logits `[b, classes]` and the feature taps. */
export function applyWithTaps(model: tfl.LayersModel, x: tf.Tensor, training: boolean): { logits: tf.Tensor2D; taps: tf.Tensor[] } {
  const sources = tapSources(model);
  const outputs: tf.Tensor[] = [];
  let t = x;
  for (const layer of model.layers) {
    t = layer.apply(t, { training }) as tf.Tensor;
    outputs.push(t);
  }
  return { logits: t as tf.Tensor2D, taps: sources.map((j) => (j < 0 ? x : outputs[j])) };
}

/**
 * The joint module's output on rows of x, in prediction-sized batches.
 *
 * x: [N, ...shape], rows: [n] → [n]
 */
export async function predictJoint(model: tfl.LayersModel, joint: JointModule, x: Float32Array, shape: readonly number[], rows: Int32Array): Promise<Float32Array> {
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(rows.length);
  const batch = new Float32Array(Math.min(PREDICT_BATCH, Math.max(rows.length, 1)) * size);
  for (let start = 0; start < rows.length; start += PREDICT_BATCH) {
    const count = Math.min(PREDICT_BATCH, rows.length - start);
    for (let i = 0; i < count; i++) batch.set(x.subarray(rows[start + i] * size, (rows[start + i] + 1) * size), i * size);
    const y = tf.tidy(() => joint.predict(applyWithTaps(model, tf.tensor(batch.subarray(0, count * size), [count, ...shape]), false).taps));
    out.set(await y.data(), start);
    y.dispose();
  }
  return out;
}

const detach = tf.customGrad((x) => ({
  value: tf.clone(x as tf.Tensor),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
}));

/** x unchanged forward, no gradient backward: the stop-gradient of the autodiff frameworks. */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  return detach(x) as T;
}
