/**
 * A bare dense layer as two variables, for the small auxiliary networks strategies own (VAAL's
 * VAE and discriminator, learning loss's loss-prediction module), which are trained with custom
 * losses outside tfjs-layers.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../rng.js';

export interface Dense {
  readonly w: tf.Variable;
  readonly b: tf.Variable;
}

/** Glorot-uniform weights from the stream, zero bias: the same initialiser the zoo's layers use. */
export function denseLayer(rng: Rng, inDim: number, outDim: number): Dense {
  const limit = Math.sqrt(6 / (inDim + outDim));
  // tidy frees the initial values; a variable keeps its own copy of the data.
  return tf.tidy(() => ({
    w: tf.variable(tf.randomUniform([inDim, outDim], -limit, limit, 'float32', rng.tfSeed())),
    b: tf.variable(tf.zeros([outDim])),
  }));
}

/** x: [n, in] → [n, out] */
export const applyDense = (layer: Dense, x: tf.Tensor2D): tf.Tensor2D => tf.add(tf.matMul(x, layer.w), layer.b);
