/**
 * Inverted dropout (Srivastava et al. 2014) whose masks all come from seeded streams.
 *
 * tfjs-layers' own `dropout({ seed })` reuses one seed on every call, so every training step would
 * drop the same units: a fixed sub-network, not dropout. This layer draws a fresh seed per training
 * call from its stream instead. The trainer sets the stream at the start of each round
 * (`setDropoutStreams(model, rng.fork('dropout', round))`), so a round's masks depend only on the
 * cell seed and the round, not on what the model did before (a round-0 model loaded from the shared
 * cache continues exactly as one trained in the cell).
 *
 * Three modes:
 * - `training: true`: a new per-example mask each call (training).
 * - MC pass (`setMcSeed(model, seed)`, `training: false`): one mask per pass broadcast over the
 *   batch axis, so every pool example sees the same sampled sub-network ω_t (consistent MC dropout,
 *   Kirsch et al. 2019), whatever the prediction batch size. Everything else (batch norm) runs in
 *   inference mode: MC dropout samples dropout only.
 * - otherwise the identity (evaluation, scoring, embeddings).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { Rng } from '../rng.js';

export interface SeededDropoutArgs {
  readonly rate: number;
  /** Default stream (until the trainer sets one): seeds of the training masks, one per call. */
  readonly stream: Rng;
  readonly name?: string;
}

export class SeededDropout extends tfl.layers.Layer {
  static readonly className = 'AlbenchSeededDropout';
  readonly rate: number;
  private stream: Rng;
  private mcSeed: number | undefined;

  constructor(args: SeededDropoutArgs) {
    super({ name: args.name });
    if (!(args.rate > 0 && args.rate < 1)) throw new RangeError(`dropout rate must be in (0, 1), got ${args.rate}`);
    this.rate = args.rate;
    this.stream = args.stream;
    this.supportsMasking = true;
  }

  setStream(stream: Rng): void {
    this.stream = stream;
  }

  setMcSeed(seed: number | undefined): void {
    this.mcSeed = seed;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape | tfl.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (kwargs.training === true) return tf.dropout(x, this.rate, undefined, this.stream.tfSeed());
    if (this.mcSeed !== undefined) return tf.dropout(x, this.rate, [1, ...x.shape.slice(1)], this.mcSeed);
    return tf.clone(x);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate };
  }

  override getClassName(): string {
    return SeededDropout.className;
  }
}

/** The model's dropout layers, input to output. */
export function dropoutLayers(model: tfl.LayersModel): SeededDropout[] {
  return model.layers.filter((l): l is SeededDropout => l instanceof SeededDropout);
}

/** Gives dropout layer i the stream `rng.fork(i)`: call at the start of each round's training. */
export function setDropoutStreams(model: tfl.LayersModel, rng: Rng): void {
  dropoutLayers(model).forEach((layer, i) => layer.setStream(rng.fork(i)));
}

/** Puts every dropout layer in MC mode with its own seed drawn from `rng`, or (undefined) back to identity. */
export function setMcSeeds(model: tfl.LayersModel, rng: Rng | undefined): void {
  for (const layer of dropoutLayers(model)) layer.setMcSeed(rng?.tfSeed());
}
