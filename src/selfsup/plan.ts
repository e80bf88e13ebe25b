/**
 * What `albench plan` needs to account for the self-supervised encoders of a study: one-time work,
 * counted once per encoder and never per cell or per query.
 *
 * An encoder is needed by a `representation: selfsup` cell and by a strategy on self-supervised
 * features (TypiClust, ProbCover: the `selfsupEmbeddings` need, loop/selfsup-features.ts). Both
 * come from the same cache, keyed by dataset, encoder settings, seed and backend (cache.ts), so
 * every strategy, budget and worker of a seed shares one, and one already in the cache costs 0.
 *
 * Its cost is estimated, not run: a short pretraining (two steps at the encoder's batch size on
 * real images of the pool) gives views per second, scaled by epochs × pool size × 2 views, plus
 * the embedding of the training pool and the test set that follows pretraining (cache.ts). The
 * short pretraining's encoder also gives `albench plan` stand-in embeddings of the real pool, so a
 * query can be timed with the encoder already there (runner/throughput.ts: measurePretrainSpeed,
 * measureQuerySeconds). The pure counting is here; the measuring there.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Dataset } from '../data/dataset.js';
import { canonicalJson } from '../spec/canonical.js';
import type { DatasetConfig, RepresentationConfig, ResolvedCell } from '../spec/types.js';
import type { Matrix, Strategy } from '../strategies/strategy.js';
import { decodeCacheFile } from './cache-file.js';
import { cachePaths, ENCODER_VERSION, encoderKey } from './cache.js';
import { SELFSUP_DEFAULTS } from './params.js';
import { featureStats, standardize } from './representation.js';

export interface EncoderJob {
  readonly dataset: DatasetConfig;
  readonly config: RepresentationConfig;
  readonly seed: number;
}

/**
 * The encoder a cell runs on, if any: its representation's, else the one its strategy's
 * `selfsupEmbeddings` need asks for (the same settings resolve to the same config, so a
 * representation and a strategy with equal settings share one encoder). A strategy on the
 * selfsup representation gets the representation's features (loop/selfsup-features.ts): no second encoder.
 */
export function encoderConfigOf(cell: Pick<ResolvedCell, 'representation'>, strategy: Pick<Strategy, 'needs' | 'needOptions'> | undefined): RepresentationConfig | undefined {
  if (cell.representation) return cell.representation;
  if (!strategy?.needs.has('selfsupEmbeddings')) return undefined;
  return { name: 'selfsup', ...SELFSUP_DEFAULTS, ...strategy.needOptions?.selfsup } as RepresentationConfig;
}

/** The key a job is counted under: one per dataset × encoder settings × seed (the backend is the plan's). */
export function jobKey(job: EncoderJob): string {
  return canonicalJson(job);
}

/** The distinct encoders the given cells need, in first-seen order; `strategyOf` gives each cell's strategy (undefined for plugins). */
export function encoderJobs(cells: readonly ResolvedCell[], strategyOf: (cell: ResolvedCell) => Strategy | undefined): EncoderJob[] {
  const jobs = new Map<string, EncoderJob>();
  for (const c of cells) {
    const config = encoderConfigOf(c, c.representation ? undefined : strategyOf(c));
    if (!config) continue;
    const job = { dataset: c.dataset, config, seed: c.seed };
    if (!jobs.has(jobKey(job))) jobs.set(jobKey(job), job);
  }
  return [...jobs.values()];
}

/** Images passed through the encoder while pretraining: epochs × pool size × 2 views. */
export function pretrainViews(job: EncoderJob, trainRows: number): number {
  return job.config.epochs * trainRows * 2;
}

/** Measured speeds of one encoder setting on one dataset. */
export interface PretrainSpeed {
  /** Augmented views per CPU second through a pretraining step (forward, NT-Xent, backward, Adam). */
  readonly viewsPerSecond: number;
  /** Images per CPU second through the frozen encoder (the embedding of pool and test set after pretraining). */
  readonly embedRowsPerSecond: number;
}

/** CPU seconds of one encoder: its pretraining views at the measured rate, then embedding the pool and the test set. */
export function pretrainSeconds(job: EncoderJob, rows: { readonly trainRows: number; readonly testRows: number }, speed: PretrainSpeed): number {
  return pretrainViews(job, rows.trainRows) / speed.viewsPerSecond + (rows.trainRows + rows.testRows) / speed.embedRowsPerSecond;
}

/** Cache path of a job's encoder on this backend. */
export function cacheFileOf(job: EncoderJob, data: Pick<Dataset, 'checksum'>, backend: string, cacheDir: string): { key: string; file: string } {
  const key = encoderKey({ encoderVersion: ENCODER_VERSION, method: 'simclr', dataset: job.dataset, datasetChecksum: data.checksum, config: job.config, seed: job.seed, backend });
  return { key, file: cachePaths(cacheDir, key).file };
}

/** Whether the encoder is already in the cache for this backend (then it costs nothing). */
export function isCached(job: EncoderJob, data: Pick<Dataset, 'checksum'>, backend: string, cacheDir: string): boolean {
  return existsSync(cacheFileOf(job, data, backend, cacheDir).file);
}

/**
 * The cached encoder's training-pool features, standardised as the loop sees them, read without
 * touching the cache's lock or events log (`plan` writes nothing); undefined if absent or corrupt.
 */
export function readCachedFeatures(job: EncoderJob, data: Dataset, backend: string, cacheDir: string): Matrix | undefined {
  const { key, file } = cacheFileOf(job, data, backend, cacheDir);
  if (!existsSync(file)) return undefined;
  try {
    const { content } = decodeCacheFile(readFileSync(file), key, file);
    const d = job.config.embeddingDim;
    const { mean, std } = featureStats(content.train, d);
    return { data: standardize(content.train, mean, std), rows: data.train.n, dim: d };
  } catch {
    return undefined;
  }
}
