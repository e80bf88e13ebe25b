/**
 * RandAugment's photometric ops (Cubuk et al. 2020, "RandAugment: Practical automated data
 * augmentation with a reduced search space"), batched, on images scaled to [0, 1]. Each follows
 * PIL's definition (the reference implementations call PIL's ImageOps/ImageEnhance); `factor`,
 * `bits` and `threshold` are per image, one value per row of the batch.
 *
 * x: [b, h, w, c] in [0, 1] → [b, h, w, c] in [0, 1]. Call inside `tf.tidy`.
 */
import * as tf from '@tensorflow/tfjs-core';

const perImage = (values: readonly number[]) => tf.tensor4d(values as number[], [values.length, 1, 1, 1]);

/** PIL Image.blend(degenerate, x, factor) = degenerate + factor·(x − degenerate), clipped. */
function blend(degenerate: tf.Tensor, x: tf.Tensor4D, factor: readonly number[]): tf.Tensor4D {
  return tf.clipByValue(tf.add(degenerate, tf.mul(perImage(factor), tf.sub(x, degenerate))), 0, 1) as tf.Tensor4D;
}

/** ImageEnhance.Brightness: blend with black. */
export function brightness(x: tf.Tensor4D, factor: readonly number[]): tf.Tensor4D {
  return blend(tf.zerosLike(x), x, factor);
}

/** ImageEnhance.Contrast: blend with the image's mean grey level. */
export function contrast(x: tf.Tensor4D, factor: readonly number[]): tf.Tensor4D {
  return blend(tf.mean(x, [1, 2, 3], true), x, factor);
}

/** ImageEnhance.Sharpness: blend with PIL's SMOOTH filter ([[1,1,1],[1,5,1],[1,1,1]]/13); the 1-pixel border is kept. */
export function sharpness(x: tf.Tensor4D, factor: readonly number[]): tf.Tensor4D {
  const [, h, w, c] = x.shape;
  const k = [1, 1, 1, 1, 5, 1, 1, 1, 1].map((v) => v / 13);
  const filter = tf.tile(tf.tensor4d(k, [3, 3, 1, 1]), [1, 1, c, 1]) as tf.Tensor4D;
  const smooth = tf.depthwiseConv2d(x, filter, 1, 'same');
  const interior = new Float32Array(h * w);
  for (let r = 1; r < h - 1; r++) for (let q = 1; q < w - 1; q++) interior[r * w + q] = 1;
  const mask = tf.tensor4d(interior, [1, h, w, 1]);
  const degenerate = tf.add(tf.mul(mask, smooth), tf.mul(tf.sub(1, mask), x));
  return blend(degenerate, x, factor);
}

/** ImageOps.posterize: keep the top `bits` bits of each 8-bit value. */
export function posterize(x: tf.Tensor4D, bits: readonly number[]): tf.Tensor4D {
  const q = perImage(bits.map((b) => 2 ** (8 - b)));
  const v = tf.round(tf.mul(x, 255));
  return tf.div(tf.mul(tf.floor(tf.div(v, q)), q), 255) as tf.Tensor4D;
}

/** ImageOps.solarize: invert every value at or above the threshold. */
export function solarize(x: tf.Tensor4D, threshold: readonly number[]): tf.Tensor4D {
  return tf.where(tf.greaterEqual(x, perImage(threshold)), tf.sub(1, x), x) as tf.Tensor4D;
}

/** Rows of [b·c, h·w]: one per image channel, which is what PIL equalises and stretches. */
function channelRows(x: tf.Tensor4D): tf.Tensor2D {
  const [b, h, w, c] = x.shape;
  return tf.reshape(tf.transpose(x, [0, 3, 1, 2]), [b * c, h * w]);
}

function fromChannelRows(rows: tf.Tensor, shape: readonly [number, number, number, number]): tf.Tensor4D {
  const [b, h, w, c] = shape;
  return tf.transpose(tf.reshape(rows, [b, c, h, w]), [0, 2, 3, 1]);
}

/** ImageOps.autocontrast (cutoff 0): stretch each channel to the full range; a flat channel is left alone. */
export function autocontrast(x: tf.Tensor4D): tf.Tensor4D {
  const rows = channelRows(x);
  const lo = tf.min(rows, 1, true);
  const hi = tf.max(rows, 1, true);
  const span = tf.sub(hi, lo);
  const stretched = tf.div(tf.sub(rows, lo), tf.maximum(span, 1e-12));
  return fromChannelRows(tf.where(tf.greater(span, 0), stretched, rows), x.shape);
}

/**
 * ImageOps.equalize, per channel on 256 levels: step = ⌊(n − h[last])/255⌋,
 * lut[i] = ⌊(⌊step/2⌋ + Σ_{j<i} h[j]) / step⌋ (capped at 255); step 0 leaves the channel alone.
 */
export function equalize(x: tf.Tensor4D): tf.Tensor4D {
  const rows = channelRows(x);
  const [n, size] = rows.shape;
  const levels = tf.cast(tf.clipByValue(tf.round(tf.mul(rows, 255)), 0, 255), 'int32');
  // Histogram by one-hot sum: wasm has no UnsortedSegmentSum; only the images that drew equalize get here.
  // int32 one-hot then a cast: wasm's OneHot ignores the dtype argument and writes int bits into a float tensor.
  const oneHot = tf.cast(tf.oneHot(levels, 256), 'float32'); // [n, size, 256]
  const hist = tf.sum(oneHot, 1); // [n, 256]
  const before = tf.sub(tf.cumsum(hist, 1), hist);
  const lastLevel = tf.max(levels, 1);
  const hLast = tf.sum(tf.mul(tf.cast(tf.oneHot(lastLevel, 256), 'float32'), hist), 1, true); // [n, 1]
  const step = tf.floor(tf.div(tf.sub(size, hLast), 255));
  const lut = tf.minimum(255, tf.floor(tf.div(tf.add(before, tf.floor(tf.div(step, 2))), tf.maximum(step, 1))));
  const mapped = tf.div(tf.reshape(tf.matMul(oneHot, tf.reshape(lut, [n, 256, 1])), [n, size]), 255);
  return fromChannelRows(tf.where(tf.greater(tf.tile(step, [1, size]), 0), mapped, rows), x.shape);
}
