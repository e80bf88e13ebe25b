/**
 * RandAugment (Cubuk et al. 2020, "RandAugment: Practical automated data augmentation with a
 * reduced search space"): every image gets N ops drawn uniformly from a fixed list, all at one
 * magnitude M. The list keeps the ops that make sense on grayscale images (colour, invert-free):
 * rotate, shear, translate, contrast, brightness, sharpness, posterize, solarize, equalize,
 * autocontrast. Ranges at M = 30 follow torchvision's RandAugment (31 bins): rotate ±30°, shear
 * ±0.3, translate ±150/331 of the side, enhance factors 1 ± 0.9, posterize to 4 bits, solarize at 0.
 *
 * Batched, so a step costs a handful of kernels rather than one per image:
 * - the N ops of an image are distinct and applied in the list's order (the paper draws with
 *   replacement in random order; with N ≪ 10 the distributions are close);
 * - all geometric ops of an image fold into one affine map, applied with the standard policy's
 *   shift/flip in a single bilinear `tf.image.transform` over the batch;
 * - each photometric op runs once, on just the images that drew it (gather, op, scatter back).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../rng.js';
import { compose, IDENTITY, rotateInv, shearInv, translateInv, type Affine } from './geometry.js';
import { autocontrast, brightness, contrast, equalize, posterize, sharpness, solarize } from './pixel-ops.js';

export const RANDAUGMENT_OPS = [
  'rotate',
  'shear',
  'translate',
  'contrast',
  'brightness',
  'sharpness',
  'posterize',
  'solarize',
  'equalize',
  'autocontrast',
] as const;
export type RandAugmentOp = (typeof RANDAUGMENT_OPS)[number];

/** One image's draw: its ops, each with a sign (±) and, for shear/translate, an axis. */
export interface OpDraw {
  readonly op: RandAugmentOp;
  readonly sign: 1 | -1;
  readonly axis: 0 | 1;
}

/** Draws N distinct ops for one image (partial Fisher–Yates), in list order. */
export function drawOps(n: number, rng: Rng): OpDraw[] {
  const idx: number[] = RANDAUGMENT_OPS.map((_, i) => i);
  const k = Math.min(n, idx.length);
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(idx.length - i);
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return idx
    .slice(0, k)
    .sort((a, b) => a - b)
    .map((i) => ({ op: RANDAUGMENT_OPS[i], sign: rng.next() < 0.5 ? -1 : 1, axis: rng.next() < 0.5 ? 0 : 1 }));
}

/** Strength of an op at magnitude m on the 0–30 scale: the signed parameter it is applied with. */
export function opValue(d: OpDraw, m: number, side: number): number {
  const f = m / 30;
  switch (d.op) {
    case 'rotate':
      return d.sign * 30 * f; // degrees
    case 'shear':
      return d.sign * 0.3 * f;
    case 'translate':
      return d.sign * (150 / 331) * f * side; // pixels
    case 'contrast':
    case 'brightness':
    case 'sharpness':
      return 1 + d.sign * 0.9 * f; // enhance factor
    case 'posterize':
      return 8 - Math.round(4 * f); // bits kept
    case 'solarize':
      return 1 - f; // threshold
    default:
      return 0; // equalize, autocontrast: no magnitude
  }
}

/** The image's geometric ops folded into one inverse map (rotate, then shear, then translate). */
export function geometricInv(draws: readonly OpDraw[], m: number, height: number, width: number): Affine {
  let inv = IDENTITY;
  for (const d of draws) {
    if (d.op === 'rotate') inv = compose(inv, rotateInv(opValue(d, m, 0), height, width));
    else if (d.op === 'shear') inv = compose(inv, shearInv(opValue(d, m, 0), d.axis, height, width));
    else if (d.op === 'translate') {
      const t = opValue(d, m, d.axis === 0 ? width : height);
      inv = compose(inv, d.axis === 0 ? translateInv(t, 0) : translateInv(0, t));
    }
  }
  return inv;
}

const PIXEL_OPS: Partial<Record<RandAugmentOp, (x: tf.Tensor4D, v: number[]) => tf.Tensor4D>> = {
  contrast,
  brightness,
  sharpness,
  posterize,
  solarize,
  equalize: (x) => equalize(x),
  autocontrast: (x) => autocontrast(x),
};

/** Applies `op` to the listed rows of `x` only: gather them, transform, and scatter back by one gather. */
export function onRows(x: tf.Tensor4D, rows: readonly number[], op: (sub: tf.Tensor4D) => tf.Tensor4D): tf.Tensor4D {
  if (rows.length === 0) return x;
  const b = x.shape[0];
  const changed = op(tf.gather(x, rows as number[]));
  const index = Int32Array.from({ length: b }, (_, i) => i);
  rows.forEach((row, j) => (index[row] = b + j));
  return tf.gather(tf.concat([x, changed]), index) as tf.Tensor4D;
}

/** The photometric ops of every image's draw, op by op in list order. x in [0, 1]. Call inside `tf.tidy`. */
export function applyPixelOps(x: tf.Tensor4D, draws: readonly (readonly OpDraw[])[], m: number): tf.Tensor4D {
  let out = x;
  for (const op of RANDAUGMENT_OPS) {
    const fn = PIXEL_OPS[op];
    if (!fn) continue;
    const rows: number[] = [];
    const values: number[] = [];
    draws.forEach((list, i) => {
      const d = list.find((e) => e.op === op);
      if (d) {
        rows.push(i);
        values.push(opValue(d, m, 0));
      }
    });
    out = onRows(out, rows, (sub) => fn(sub, values));
  }
  return out;
}
