/**
 * Cutout (DeVries & Taylor 2017, "Improved Regularization of Convolutional Neural Networks with
 * Cutout"): one square of side `size` per image, centred anywhere in the image (so it may be
 * clipped by the border, as in the paper), filled with 0 (the bottom of the value range).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../rng.js';

/** Top-left corners (may be negative) of one `size`-sided square per image, drawn row then column. */
export function cutoutCorners(b: number, height: number, width: number, size: number, rng: Rng): { rows: number[]; cols: number[] } {
  const rows: number[] = [];
  const cols: number[] = [];
  for (let i = 0; i < b; i++) {
    rows.push(rng.int(height) - Math.floor(size / 2));
    cols.push(rng.int(width) - Math.floor(size / 2));
  }
  return { rows, cols };
}

/** x: [b, h, w, c] → the same with each image's square zeroed. Call inside `tf.tidy`. */
export function cutout(x: tf.Tensor4D, corners: { rows: readonly number[]; cols: readonly number[] }, size: number): tf.Tensor4D {
  const [b, h, w] = x.shape;
  if (size <= 0) return x;
  const r = tf.tensor4d(Array.from({ length: h }, (_, i) => i), [1, h, 1, 1]);
  const q = tf.tensor4d(Array.from({ length: w }, (_, i) => i), [1, 1, w, 1]);
  const r0 = tf.tensor4d(corners.rows as number[], [b, 1, 1, 1]);
  const q0 = tf.tensor4d(corners.cols as number[], [b, 1, 1, 1]);
  const inRows = tf.logicalAnd(tf.greaterEqual(r, r0), tf.less(r, tf.add(r0, size)));
  const inCols = tf.logicalAnd(tf.greaterEqual(q, q0), tf.less(q, tf.add(q0, size)));
  const keep = tf.sub(1, tf.cast(tf.logicalAnd(inRows, inCols), 'float32'));
  return tf.mul(x, keep) as tf.Tensor4D;
}
