/**
 * VAAL, variational adversarial active learning (Sinha, Ebrahimi & Darrell, ICCV 2019): a β-VAE
 * learns a latent space of labelled and unlabelled inputs while a discriminator learns to tell the
 * two sets apart in it; the VAE is trained adversarially to make them indistinguishable. The pool
 * points the discriminator is most sure are unlabelled, lowest D(μ(x)), are queried.
 *
 * Losses (their Eq. 1–4): VAE: ‖x − x̂‖² + β·KL(q(z|x) ‖ N(0, I)) on both sets, plus λ·BCE(D(z), 1)
 * on both sets (fool the discriminator); discriminator: BCE(D(z_L), 1) + BCE(D(z_U), 0). Adam at
 * 5e-4 as in the paper. The strategy owns both networks; they are small MLPs over the flattened raw
 * inputs (the paper uses a convolutional VAE for images), trained from scratch every round for
 * `steps` minibatch steps. Weights, reparameterisation noise and minibatches come from the
 * strategy's seeded stream.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../rng.js';
import { selectTopK } from './select.js';
import { checkBatch, required, type Matrix, type Strategy } from './strategy.js';
import { applyDense, denseLayer } from '../models/dense-layer.js';

export interface VaalParams {
  readonly steps: number;
  readonly latentDim: number;
  readonly beta: number;
  /** λ, weight of the VAE's adversarial term. */
  readonly adversary: number;
}

const HIDDEN = 256;
const MINIBATCH = 64;
const LEARNING_RATE = 5e-4;

const dense = denseLayer;
const apply = applyDense;

/** → pool scores, higher = more surely unlabelled. points rows 0..nPool-1 are the pool. */
export async function vaalScores(points: Matrix, nPool: number, params: VaalParams, rng: Rng): Promise<Float32Array> {
  const { data, rows, dim } = points;
  const nLab = rows - nPool;
  const z = params.latentDim;
  const enc = dense(rng, dim, HIDDEN);
  const mu = dense(rng, HIDDEN, z);
  const logVar = dense(rng, HIDDEN, z);
  const dec1 = dense(rng, z, HIDDEN);
  const dec2 = dense(rng, HIDDEN, dim);
  const disc1 = dense(rng, z, HIDDEN);
  const disc2 = dense(rng, HIDDEN, 1);
  const vaeVars = [enc, mu, logVar, dec1, dec2].flatMap((l) => [l.w, l.b]);
  const discVars = [disc1, disc2].flatMap((l) => [l.w, l.b]);
  const vaeOpt = tf.train.adam(LEARNING_RATE);
  const discOpt = tf.train.adam(LEARNING_RATE);
  const all = tf.tensor2d(data, [rows, dim]);
  const encode = (x: tf.Tensor2D) => {
    const h = tf.relu(apply(enc, x));
    return { mu: apply(mu, h), logVar: apply(logVar, h) };
  };
  const discriminate = (latent: tf.Tensor2D) => apply(disc2, tf.relu(apply(disc1, latent))); // logits
  const batchOf = (from: number, count: number) => tf.tensor1d(Int32Array.from({ length: Math.min(MINIBATCH, count) }, () => from + rng.int(count)), 'int32');
  try {
    for (let step = 0; step < params.steps; step++) {
      const noiseSeed = rng.tfSeed();
      tf.tidy(() => {
        const xl = tf.gather(all, nLab > 0 ? batchOf(nPool, nLab) : batchOf(0, nPool)) as tf.Tensor2D;
        const xu = tf.gather(all, batchOf(0, nPool)) as tf.Tensor2D;
        const x = tf.concat([xl, xu]);
        const isLabeled = tf.concat([tf.ones([xl.shape[0], 1]), tf.zeros([xu.shape[0], 1])]);
        vaeOpt.minimize(() => {
          const q = encode(x);
          const sample = tf.add(q.mu, tf.mul(tf.exp(tf.mul(0.5, q.logVar)), tf.randomNormal(q.mu.shape, 0, 1, 'float32', noiseSeed)));
          const recon = apply(dec2, tf.relu(apply(dec1, sample as tf.Tensor2D)));
          const mse = tf.mean(tf.sum(tf.square(tf.sub(recon, x)), 1));
          const kl = tf.mean(tf.mul(-0.5, tf.sum(tf.sub(tf.sub(tf.add(1, q.logVar), tf.square(q.mu)), tf.exp(q.logVar)), 1)));
          const fool = tf.losses.sigmoidCrossEntropy(tf.onesLike(isLabeled), discriminate(q.mu));
          return tf.add(tf.add(mse, tf.mul(params.beta, kl)), tf.mul(params.adversary, fool)) as tf.Scalar;
        }, false, vaeVars);
        discOpt.minimize(() => tf.losses.sigmoidCrossEntropy(isLabeled, discriminate(encode(x).mu)) as tf.Scalar, false, discVars);
      });
    }
    const probLabeled = tf.tidy(() => tf.reshape(tf.sigmoid(discriminate(encode(tf.slice(all, [0, 0], [nPool, dim])).mu)), [nPool]));
    const p = (await probLabeled.data()) as Float32Array;
    probLabeled.dispose();
    return Float32Array.from(p, (v) => 1 - v);
  } finally {
    tf.dispose([all, ...vaeVars, ...discVars]);
    vaeOpt.dispose();
    discOpt.dispose();
  }
}

export function vaalStrategy(params: VaalParams): Strategy {
  return {
    name: 'vaal',
    needs: new Set(['inputs']),
    async select(ctx, batchSize, rng) {
      checkBatch(ctx, batchSize);
      const inputs = required(ctx.inputs, 'vaal', 'inputs');
      const rows = [...ctx.pool, ...ctx.labeled];
      const dim = inputs.dim;
      const data = new Float32Array(rows.length * dim);
      rows.forEach((r, i) => data.set(inputs.data.subarray(r * dim, (r + 1) * dim), i * dim));
      const scores = await vaalScores({ data, rows: rows.length, dim }, ctx.pool.length, params, rng.fork('networks'));
      return { indices: selectTopK(scores, batchSize, rng).map((p) => ctx.pool[p]) };
    },
  };
}
