/**
 * Parameters of the `selfsup` representation (no tfjs here: the spec validator reads this table).
 * They go into the cell config, so changing any of them gives new cells and a new encoder.
 *
 * Defaults follow SimCLR (Chen et al. 2020, "A Simple Framework for Contrastive Learning of Visual
 * Representations", ICML) scaled down to a small CNN: τ = 0.5 is the paper's CIFAR-10 temperature;
 * Adam at 1e-3 replaces LARS, which only pays off at batch sizes in the thousands.
 */
import type { MethodParamSpec } from '../spec/method-params.js';

export const SELFSUP_PARAMS: Readonly<Record<string, MethodParamSpec>> = {
  epochs: { default: 30, min: 1, max: 10_000, integer: true, description: 'passes of contrastive pretraining over the training pool' },
  temperature: { default: 0.5, min: 0.01, max: 10, integer: false, description: 'NT-Xent temperature τ' },
  embeddingDim: { default: 64, min: 2, max: 4096, integer: true, description: 'size d of the frozen embedding the heads and strategies see' },
  batchSize: { default: 256, min: 2, max: 65_536, integer: true, description: 'images per pretraining step (2 views each, so 2·batchSize rows in the loss)' },
  learningRate: { default: 0.001, min: 1e-6, max: 1, integer: false, description: 'Adam learning rate of the encoder and projection head' },
};

/** The defaults as a resolved config (for `representation: selfsup` without parameters). */
export const SELFSUP_DEFAULTS: Readonly<Record<string, number>> = Object.fromEntries(
  Object.entries(SELFSUP_PARAMS).map(([k, spec]) => [k, spec.default]),
);
