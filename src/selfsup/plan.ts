/**
 * What `albench plan` needs to account for selfsup cells: the distinct encoders their pending cells
 * need (one per dataset, encoder config and seed, shared by every strategy and budget), whether
 * each is already cached, and a measured pretraining speed to turn their size into seconds.
 */
import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import type { Dataset } from '../data/dataset.js';
import { createRng } from '../rng.js';
import { canonicalJson } from '../spec/canonical.js';
import type { DatasetConfig, RepresentationConfig, ResolvedCell } from '../spec/types.js';
import { cachePaths, ENCODER_VERSION, encoderKey } from './cache.js';
import { pretrainEncoder } from './pretrain.js';

export interface EncoderJob {
  readonly dataset: DatasetConfig;
  readonly config: RepresentationConfig;
  readonly seed: number;
}

/** The distinct encoders the given cells run on, in first-seen order. */
export function encoderJobs(cells: readonly ResolvedCell[]): EncoderJob[] {
  const jobs = new Map<string, EncoderJob>();
  for (const c of cells) {
    if (!c.representation) continue;
    const job = { dataset: c.dataset, config: c.representation, seed: c.seed };
    jobs.set(canonicalJson(job), job);
  }
  return [...jobs.values()];
}

/** Images passed through the encoder while pretraining: epochs × pool size × 2 views. */
export function pretrainCost(job: EncoderJob, trainRows: number): number {
  return job.config.epochs * trainRows * 2;
}

/** Whether the encoder is already in the cache for this backend (then it costs nothing). */
export function isCached(job: EncoderJob, data: Dataset, backend: string, cacheDir: string): boolean {
  const key = encoderKey({ encoderVersion: ENCODER_VERSION, method: 'simclr', dataset: job.dataset, datasetChecksum: data.checksum, config: job.config, seed: job.seed, backend });
  return existsSync(cachePaths(cacheDir, key).file);
}

/**
 * Pretraining speed in views per second on the active backend: a warm-up step, then two timed
 * steps of the real encoder on random images of the dataset's shape.
 */
export async function measurePretrainThroughput(shape: readonly number[], config: RepresentationConfig): Promise<number> {
  const rng = createRng('selfsup-throughput');
  const batch = Math.min(config.batchSize, 128);
  const size = shape.reduce((a, b) => a * b, 1);
  const fake = (n: number) => ({
    name: 'throughput',
    shape,
    flipPreservesLabel: false,
    train: { x: new Float32Array(n * size).map(() => rng.next()), y: new Int32Array(n), n },
  });
  const warm = await pretrainEncoder(fake(batch), { ...config, epochs: 1, batchSize: batch }, 0);
  warm.encoder.dispose();
  const start = performance.now();
  const timed = await pretrainEncoder(fake(2 * batch), { ...config, epochs: 1, batchSize: batch }, 0);
  const seconds = (performance.now() - start) / 1000;
  timed.encoder.dispose();
  tf.disposeVariables();
  return (2 * batch * 2) / seconds;
}
