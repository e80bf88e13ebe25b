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

/**
 * The keep mask, [b, h, w, 1]: 0 inside each image's square, 1 elsewhere. Built in JS: as broadcast
 * comparisons it took ~20 tfjs kernels per batch on wasm (a third of a strong augmentation).
 */
export function cutoutMask(b: number, h: number, w: number, corners: { rows: readonly number[]; cols: readonly number[] }, size: number): Float32Array {
  const keep = new Float32Array(b * h * w).fill(1);
  for (let i = 0; i < b; i++) {
    for (let r = Math.max(0, corners.rows[i]); r < Math.min(h, corners.rows[i] + size); r++) {
      const row = (i * h + r) * w;
      keep.fill(0, row + Math.max(0, corners.cols[i]), row + Math.max(0, Math.min(w, corners.cols[i] + size)));
    }
  }
  return keep;
}

/** x: [b, h, w, c] → the same with each image's square zeroed. Call inside `tf.tidy`. */
export function cutout(x: tf.Tensor4D, corners: { rows: readonly number[]; cols: readonly number[] }, size: number): tf.Tensor4D {
  const [b, h, w] = x.shape;
  if (size <= 0) return x;
  return tf.mul(x, tf.tensor4d(cutoutMask(b, h, w, corners, size), [b, h, w, 1])) as tf.Tensor4D;
}
