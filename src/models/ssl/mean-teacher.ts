/**
 * Mean Teacher (Tarvainen & Valpola 2017, "Mean teachers are better role models: Weight-averaged
 * consistency targets improve semi-supervised deep learning results", NeurIPS): a teacher network
 * whose weights are an exponential moving average of the student's, and a consistency loss (squared
 * softmax difference) between the student and the teacher on two differently augmented views of
 * each unlabelled row, with the weight ramped up as exp(−5(1 − t)²).
 *
 * Both views use the `standard` policy (the paper's translations and flips; a model with `dropout`
 * adds its noise to the student). The round evaluates the teacher, as the paper reports it is the
 * better model. Batch-norm running statistics (resnet18) are averaged like the weights: the teacher
 * runs in inference mode, so its own would otherwise stay at their initial values.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { methodParam } from '../../spec/method-params.js';
import type { SslSetting } from '../../spec/types.js';
import { WEAK_VIEW } from './fixmatch.js';
import { consistencyLoss, emaDecay, emaUpdate } from './losses.js';
import type { SslContext, SslMethod } from './method.js';
import { sigmoidRampUp } from './ramps.js';

/** Confidence level at which the per-round pool statistics are read (FixMatch's τ; mean teacher has none). */
export const MEAN_TEACHER_REPORT_THRESHOLD = 0.95;

export function meanTeacher(setting: SslSetting, ctx: SslContext): SslMethod {
  const ema = methodParam(setting, 'ema');
  const weight = methodParam(setting, 'weight');
  const rampUp = methodParam(setting, 'rampUp');
  let teacher: tfl.LayersModel | undefined;
  const variables = (m: tfl.LayersModel) => m.trainableWeights.map((w) => w.read() as tf.Variable);
  const statistics = (m: tfl.LayersModel) => m.nonTrainableWeights.map((w) => w.read() as tf.Variable);
  const need = () => {
    if (!teacher) throw new Error('mean-teacher: start() must run before training');
    return teacher;
  };
  return {
    name: 'mean-teacher',
    mu: methodParam(setting, 'mu'),
    threshold: MEAN_TEACHER_REPORT_THRESHOLD,
    weight: (t) => sigmoidRampUp(t, rampUp, weight),
    start(model) {
      teacher?.dispose();
      teacher = ctx.makeModel();
      teacher.setWeights(model.getWeights());
    },
    prepare(model, unlabelled, rng) {
      const studentView = ctx.augment(unlabelled, WEAK_VIEW, rng.fork('student'));
      const teacherView = ctx.augment(unlabelled, WEAK_VIEW, rng.fork('teacher'));
      const targets = tf.softmax(need().apply(teacherView, { training: false }) as tf.Tensor) as tf.Tensor2D;
      return { studentInput: studentView, loss: (logits) => consistencyLoss(logits, targets) };
    },
    afterStep(model, step) {
      emaUpdate(variables(need()), variables(model), emaDecay(step, ema));
      if (model.nonTrainableWeights.length > 0) emaUpdate(statistics(need()), statistics(model), emaDecay(step, ema));
    },
    evalModel: () => need(),
    dispose() {
      teacher?.dispose();
      teacher = undefined;
    },
  };
}
