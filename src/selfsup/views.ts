/**
 * The two augmented views of SimCLR (Chen et al. 2020) from albench's `strong` augmentation policy
 * (src/data/augment: shift/flip + RandAugment + cutout, default parameters). SimCLR's own recipe is
 * random resized crop + colour jitter + blur; on small grayscale images the strong policy covers the
 * same ground (geometry, contrast/brightness, occlusion). This file is the only contact with the
 * augmentation module, so a change of its API is absorbed here.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { augmentBatch, valueRange, type AugmentContext } from '../data/augment/index.js';
import { AUGMENTATION_PARAMS } from '../data/augment/params.js';
import type { Dataset } from '../data/dataset.js';
import type { Rng } from '../rng.js';
import { resolveMethod } from '../spec/method-params.js';
import type { AugmentationSetting } from '../spec/types.js';

/** The strong policy with its defaults filled in, exactly as `augmentation: strong` in a spec. */
export const SELFSUP_VIEW: AugmentationSetting = resolveMethod('augmentation', 'strong', {}, AUGMENTATION_PARAMS).setting!;

/** What the augmentation ops need to know about the training pool. */
export function viewContext(data: Pick<Dataset, 'name' | 'shape' | 'flipPreservesLabel' | 'train'>): AugmentContext {
  return { dataset: data.name, shape: data.shape, flipPreservesLabel: data.flipPreservesLabel, ...valueRange(data.train.x) };
}

/** x: [b, h, w, c] → two independently augmented views, each [b, h, w, c]. Call inside `tf.tidy`. */
export function twoViews(x: tf.Tensor4D, ctx: AugmentContext, rng: Rng): [tf.Tensor4D, tf.Tensor4D] {
  return [augmentBatch(x, SELFSUP_VIEW, ctx, rng.fork(0)), augmentBatch(x, SELFSUP_VIEW, ctx, rng.fork(1))];
}
