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

/** tf.round's rule on every backend: half to even. */
function roundHalfEven(v: number): number {
  const base = Math.floor(v);
  const frac = v - base;
  if (frac < 0.5) return base;
  if (frac > 0.5) return base + 1;
  return base % 2 === 0 ? base : base + 1;
}

/**
 * ImageOps.equalize, per channel on 256 levels: step = ⌊(n − h[last])/255⌋,
 * lut[i] = ⌊(⌊step/2⌋ + Σ_{j<i} h[j]) / step⌋ (capped at 255); step 0 leaves the channel alone.
 *
 * A histogram is integer work, so it runs in plain JS on the read-back pixels: the tensor-op version
 * (a one-hot [n, h·w, 256] summed and multiplied by the lut) took about half of a strong-augmentation
 * batch. Every float step is rounded to float32 as the kernels round it (level = round-half-even of
 * fround(x·255); one division per lut entry and per output value, each exactly rounded), so the output
 * is bit for bit the tensor version's; test/data/augment/ops.test.ts keeps that version as the reference.
 */
export function equalize(x: tf.Tensor4D): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  const src = x.dataSync() as Float32Array;
  const out = new Float32Array(src);
  const size = h * w;
  const levels = new Int32Array(size);
  const hist = new Int32Array(256);
  const lut = new Float32Array(256);
  for (let image = 0; image < b; image++) {
    for (let ch = 0; ch < c; ch++) {
      const at = (p: number) => (image * size + p) * c + ch;
      hist.fill(0);
      let last = 0;
      for (let p = 0; p < size; p++) {
        const level = Math.min(255, Math.max(0, roundHalfEven(Math.fround(src[at(p)] * 255))));
        levels[p] = level;
        hist[level]++;
        if (level > last) last = level;
      }
      const step = Math.floor(Math.fround((size - hist[last]) / 255));
      if (step <= 0) continue; // PIL returns the channel unchanged
      const half = Math.floor(step / 2);
      for (let i = 0, before = 0; i < 256; before += hist[i], i++) lut[i] = Math.min(255, Math.floor(Math.fround((before + half) / step)));
      for (let p = 0; p < size; p++) out[at(p)] = lut[levels[p]] / 255;
    }
  }
  return tf.tensor4d(out, [b, h, w, c]);
}
