/**
 * Pseudo-Label (Lee 2013, "Pseudo-Label: The Simple and Efficient Semi-Supervised Learning Method
 * for Deep Neural Networks", ICML workshop): unlabelled rows whose current prediction is confident
 * (max probability ≥ τ) are trained on as if their argmax were the label, with the weight α(t)
 * annealed from 0 (Lee's T1, T2, α_f). Targets are recomputed every step from the current network
 * on the same view the student trains on (the cell's augmentation), with no gradient through them.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { methodParam } from '../../spec/method-params.js';
import type { SslSetting } from '../../spec/types.js';
import { confidenceMask, hardLabels, maskedCrossEntropy } from './losses.js';
import type { SslContext, SslMethod } from './method.js';
import { linearRamp } from './ramps.js';

export function pseudoLabel(setting: SslSetting, ctx: SslContext): SslMethod {
  const threshold = methodParam(setting, 'threshold');
  const [start, end, weight] = ['rampStart', 'rampEnd', 'weight'].map((p) => methodParam(setting, p));
  return {
    name: 'pseudo-label',
    mu: methodParam(setting, 'mu'),
    threshold,
    weight: (t) => linearRamp(t, start, end, weight),
    start: () => {},
    prepare(model, unlabelled, rng) {
      const view = ctx.augment(unlabelled, ctx.cellAugmentation, rng);
      const probs = tf.softmax(model.apply(view, { training: false }) as tf.Tensor) as tf.Tensor2D;
      const targets = hardLabels(probs);
      const mask = confidenceMask(probs, threshold);
      return { studentInput: view, loss: (logits) => maskedCrossEntropy(targets, mask, logits) };
    },
    afterStep: () => {},
    evalModel: (model: tfl.LayersModel) => model,
    dispose: () => {},
  };
}
