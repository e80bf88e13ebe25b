/**
 * The `selfsup` representation of a cell: the raw dataset replaced by the frozen embeddings h = f(x)
 * of its SimCLR encoder (Chen et al. 2020), shape [d], so the AL loop, the heads (linear, mlp) and
 * every strategy run unchanged on them. This is the regime of Bengar et al. (ICCV 2021, "Reducing
 * Label Effort: Self-Supervised meets Active Learning") and Chan et al. (ICASSP 2021, "On the
 * marginal benefit of active learning: does self-supervision eat its cake?").
 *
 * Features are standardised with the training pool's per-feature mean and std, as is usual for a
 * linear probe; a constant feature (a ReLU unit that never fires) becomes 0.
 */
import { createHash } from 'node:crypto';
import type { Dataset } from '../data/dataset.js';
import type { DatasetConfig, RepresentationConfig } from '../spec/types.js';
import { loadOrPretrain, type CacheEvent, type CachedEncoder } from './cache.js';

/** What a result records about the encoder it ran on. */
export interface EncoderRecord {
  readonly method: 'simclr';
  /** Cache key: hash of dataset, encoder settings, seed, backend and encoder version. */
  readonly key: string;
  /** SHA-256 of the encoder's weights and embeddings (the cache file's payload). */
  readonly sha256: string;
  readonly embeddingDim: number;
}

export interface SelfsupOptions {
  readonly cacheDir: string;
  readonly backend: string;
  readonly onEvent?: (event: CacheEvent) => void;
}

export async function selfsupDataset(
  raw: Dataset,
  datasetConfig: DatasetConfig,
  config: RepresentationConfig,
  seed: number,
  options: SelfsupOptions,
): Promise<{ dataset: Dataset; encoder: EncoderRecord; cached: CachedEncoder }> {
  const cached = await loadOrPretrain({ cacheDir: options.cacheDir, datasetConfig, data: raw, config, seed, backend: options.backend, onEvent: options.onEvent });
  const d = config.embeddingDim;
  const { mean, std } = featureStats(cached.content.train, d);
  const dataset: Dataset = {
    name: raw.name,
    shape: [d],
    numClasses: raw.numClasses,
    train: { x: standardize(cached.content.train, mean, std), y: raw.train.y, n: raw.train.n },
    test: { x: standardize(cached.content.test, mean, std), y: raw.test.y, n: raw.test.n },
    checksum: createHash('sha256').update(`${raw.checksum}\nselfsup ${cached.header.sha256}`).digest('hex'),
    source: `${raw.source}; frozen SimCLR embeddings (d = ${d}, encoder ${cached.header.sha256.slice(0, 12)})`,
    flipPreservesLabel: false,
    normalization: { mean, std },
  };
  return { dataset, encoder: { method: 'simclr', key: cached.header.key, sha256: cached.header.sha256, embeddingDim: d }, cached };
}

/** x: [n, d] → per-feature mean and std (population), in double precision. */
export function featureStats(x: Float32Array, d: number): { mean: number[]; std: number[] } {
  const n = x.length / d;
  const mean = new Array<number>(d).fill(0);
  const sq = new Array<number>(d).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += x[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) sq[j] += (x[i * d + j] - mean[j]) ** 2;
  return { mean, std: sq.map((s) => Math.sqrt(s / n)) };
}

/** (x − mean) / std per feature; constant features (std ≈ 0) become 0. */
export function standardize(x: Float32Array, mean: readonly number[], std: readonly number[]): Float32Array {
  const d = mean.length;
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const j = i % d;
    out[i] = std[j] > 1e-8 ? (x[i] - mean[j]) / std[j] : 0;
  }
  return out;
}
