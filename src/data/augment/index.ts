/**
 * Training-input augmentation: `none`, `standard` (pad+crop shift, plus a horizontal flip where
 * the dataset declares it label-preserving) and `strong` (standard + RandAugment at N ops of
 * magnitude M + cutout). One call augments a whole minibatch with a few batched kernels.
 *
 * Every random choice is drawn in JS from the caller's seeded stream (`rng.fork('augment', round,
 * epoch)` in the training loop) and uploaded as small tensors: no tfjs random op is involved, so
 * the same stream gives the same pixels on every backend and machine. Only training inputs are
 * augmented; evaluation and strategy scoring always see clean inputs.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../rng.js';
import { methodName, methodParam } from '../../spec/method-params.js';
import type { AugmentationSetting } from '../../spec/types.js';
import { cutout, cutoutCorners } from './cutout.js';
import { compose, transformRow } from './geometry.js';
import { applyPixelOps, drawOps, geometricInv } from './randaugment.js';
import { standardInv } from './standard.js';

export { AUGMENTATION_PARAMS } from './params.js';

/** What augmentation needs to know about the data. */
export interface AugmentContext {
  /** Dataset name, for error messages. */
  readonly dataset: string;
  /** Shape of one example; augmentation needs `[height, width, channels]`. */
  readonly shape: readonly number[];
  /** Dataset.flipPreservesLabel: whether a horizontal flip may be applied. */
  readonly flipPreservesLabel: boolean;
  /** The data's value range (the ops work on [0, 1]; standardised data is mapped there and back). */
  readonly lo: number;
  readonly hi: number;
}

/** Thrown for an augmentation that cannot apply to the data, e.g. image ops on feature vectors. */
export class AugmentationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AugmentationError';
  }
}

/** Fails unless `setting` can augment data of this shape; `none` always can. */
export function checkAugmentable(setting: AugmentationSetting, dataset: string, shape: readonly number[]): void {
  if (setting !== 'none' && shape.length !== 3) {
    throw new AugmentationError(
      `augmentation "${methodName(setting)}" needs image data [height, width, channels]; dataset ${dataset} has shape [${shape.join(', ')}]; allowed for it: none`,
    );
  }
}

/** Min and max of the values: the range the ops map to [0, 1]. */
export function valueRange(x: Float32Array): { lo: number; hi: number } {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return hi > lo ? { lo, hi } : { lo: 0, hi: 1 };
}

/**
 * x: [b, h, w, c] → augmented [b, h, w, c], same value range. Draws from `rng` in a fixed order
 * (per image: standard geometry, then RandAugment ops, then the cutout corner), so one stream gives
 * the same pixels every time. Returns `x` itself for `none`.
 */
export function augmentBatch(x: tf.Tensor4D, setting: AugmentationSetting, ctx: AugmentContext, rng: Rng): tf.Tensor4D {
  if (setting === 'none') return x;
  checkAugmentable(setting, ctx.dataset, ctx.shape);
  return tf.tidy(() => {
    const [b, h, w] = x.shape;
    const strong = setting.name === 'strong';
    const translate = methodParam(setting, 'translate');
    const n = strong ? methodParam(setting, 'n') : 0;
    const m = strong ? methodParam(setting, 'm') : 0;
    const cutSide = strong ? Math.round(methodParam(setting, 'cutout') * Math.min(h, w)) : 0;

    const rows: number[] = [];
    const draws = [];
    for (let i = 0; i < b; i++) {
      let inv = standardInv(h, w, translate, ctx.flipPreservesLabel, rng);
      if (strong) {
        const d = drawOps(n, rng);
        draws.push(d);
        // Content: standard shift/flip first, then the RandAugment geometry.
        inv = compose(inv, geometricInv(d, m, h, w));
      }
      rows.push(...transformRow(inv));
    }
    const corners = cutSide > 0 ? cutoutCorners(b, h, w, cutSide, rng) : undefined;

    const scale = ctx.hi - ctx.lo;
    const unit = ctx.lo === 0 && ctx.hi === 1 ? x : (tf.div(tf.sub(x, ctx.lo), scale) as tf.Tensor4D);
    // Integer shifts and flips are exact under 'nearest'; rotations and shears need 'bilinear'.
    let out = tf.image.transform(unit, tf.tensor2d(rows, [b, 8]), strong ? 'bilinear' : 'nearest', 'constant', 0);
    if (strong) out = applyPixelOps(tf.clipByValue(out, 0, 1) as tf.Tensor4D, draws, m);
    if (corners) out = cutout(out, corners, cutSide);
    return unit === x ? out : (tf.add(tf.mul(out, scale), ctx.lo) as tf.Tensor4D);
  });
}
