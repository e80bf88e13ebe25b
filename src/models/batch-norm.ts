/**
 * tfjs-layers' `BatchNormalization` with its training-mode pass on albench's batch-norm kernels
 * (backend/batch-norm.ts: one forward and one closed-form backward kernel, instead of tfjs's
 * moments + batchNorm ops whose gradients tile [C] tensors to the activations' shape). Same
 * weights, config, class name and inference path as the stock layer; the moving statistics are
 * updated with the stock layer's formula. It falls back to the stock layer where the kernels are
 * missing (tfjs-node) or the layer is not the plain channels-last, centred and scaled case.
 *
 * Numerics differ from the stock layer (sums in double, another evaluation order): float32
 * tolerance, not bitwise (test/backend/batch-norm.test.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { BatchNormalization, BatchNormalizationLayerArgs } from '@tensorflow/tfjs-layers/dist/layers/normalization.js';

import { batchNormTraining } from '../backend/batch-norm.js';

/** The stock layer's private state that the training pass needs. */
interface Internals {
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly gamma: tfl.LayerVariable;
  readonly beta: tfl.LayerVariable;
  readonly movingMean: tfl.LayerVariable;
  readonly movingVariance: tfl.LayerVariable;
}

// tfjs-layers exports the class only as a type; its constructor is in the serialization registry.
const StockBatchNormalization = tf.serialization.SerializationMap.getMap().classNameMap.BatchNormalization[0] as unknown as typeof BatchNormalization;

export class KernelBatchNormalization extends StockBatchNormalization {
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    const s = this as unknown as Internals;
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const lastAxis = s.axis === -1 || s.axis === x.rank - 1;
    if (kwargs.training !== true || !lastAxis || !s.center || !s.scale) return super.call(inputs, kwargs);
    const out = tf.tidy(() => {
      const bn = batchNormTraining(x, s.gamma.read(), s.beta.read(), s.epsilon);
      if (bn === undefined) return undefined;
      // The stock layer's update: moving ← moving − (moving − batch)·(1 − momentum).
      for (const [variable, value] of [
        [s.movingMean, bn.mean],
        [s.movingVariance, bn.variance],
      ] as const) {
        const orig = variable.read();
        variable.write(tf.sub(orig, tf.mul(tf.sub(orig, value), 1 - s.momentum)));
      }
      tf.dispose([bn.mean, bn.variance]);
      return bn.y;
    });
    return out ?? super.call(inputs, kwargs);
  }
}

/** `tfl.layers.batchNormalization` on albench's kernels. */
export function batchNormalization(args: BatchNormalizationLayerArgs): KernelBatchNormalization {
  return new KernelBatchNormalization(args);
}
