/**
 * FixMatch (Sohn et al. 2020, "FixMatch: Simplifying Semi-Supervised Learning with Consistency and
 * Confidence", NeurIPS): the prediction on a weakly augmented view becomes a hard target where its
 * confidence is at least τ (0.95), and the student is trained with cross-entropy on a strongly
 * augmented view of the same rows; μ unlabelled rows per labelled row, weight λ_u.
 *
 * Weak = the `standard` policy (shift, flip where label-preserving), strong = `strong` (standard +
 * RandAugment + cutout), with their default parameters, whatever the cell's augmentation axis says:
 * the two views are part of the method. The axis governs the labelled batch.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { AUGMENTATION_PARAMS } from '../../data/augment/params.js';
import { methodParam, resolveMethod } from '../../spec/method-params.js';
import type { AugmentationSetting, SslSetting } from '../../spec/types.js';
import { confidenceMask, hardLabels, maskedCrossEntropy } from './losses.js';
import type { SslContext, SslMethod } from './method.js';

export const WEAK_VIEW: AugmentationSetting = resolveMethod('augmentation', 'standard', {}, AUGMENTATION_PARAMS).setting!;
export const STRONG_VIEW: AugmentationSetting = resolveMethod('augmentation', 'strong', {}, AUGMENTATION_PARAMS).setting!;

export function fixMatch(setting: SslSetting, ctx: SslContext): SslMethod {
  const threshold = methodParam(setting, 'threshold');
  const weight = methodParam(setting, 'weight');
  return {
    name: 'fixmatch',
    mu: methodParam(setting, 'mu'),
    threshold,
    weight: () => weight,
    start: () => {},
    prepare(model, unlabelled, rng) {
      const weak = ctx.augment(unlabelled, WEAK_VIEW, rng.fork('weak'));
      const strong = ctx.augment(unlabelled, STRONG_VIEW, rng.fork('strong'));
      const probs = tf.softmax(model.apply(weak, { training: false }) as tf.Tensor) as tf.Tensor2D;
      const targets = hardLabels(probs);
      const mask = confidenceMask(probs, threshold);
      return { studentInput: strong, loss: (logits) => maskedCrossEntropy(targets, mask, logits) };
    },
    afterStep: () => {},
    evalModel: (model: tfl.LayersModel) => model,
    dispose: () => {},
  };
}
