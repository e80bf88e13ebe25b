/**
 * The encoder cache, shared by every cell, worker and runner that points at the same directory:
 *
 *   <cacheDir>/selfsup/<key>.albssl        encoder weights + frozen embeddings (cache-file.ts)
 *   <cacheDir>/selfsup/claims/<key>.json   lock while one process pretrains (store/claims.ts)
 *   <cacheDir>/selfsup/events.log          one JSON line per event: pretrained, hit, waited, corrupt, stale lock
 *
 * `<key>` hashes everything the encoder depends on: the dataset config and checksum, the encoder
 * settings, the seed, the tfjs backend (float results differ between backends, and results must be
 * bitwise reproducible per backend) and the encoder code's version.
 *
 * Computed once even when workers race: the first to create the claim (link(2), atomic) pretrains;
 * the others poll until the file appears. A claim whose owner died, or whose heartbeat stopped, is
 * stale and taken over (store/claims.ts). The file is written atomically (temp + fsync + rename),
 * so readers see all of it or nothing, and its payload SHA-256 is checked on every load: a corrupt
 * file is logged and recomputed, never used.
 *
 * Where: `$ALBENCH_CACHE` if set, else `<results dir>/../.albench-cache` (for the default
 * `results/<study>` that is `results/.albench-cache`, shared by all studies under `results/`).
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Dataset } from '../data/dataset.js';
import { shortHash } from '../spec/canonical.js';
import type { DatasetConfig, RepresentationConfig } from '../spec/types.js';
import { HOST, sweepTempFiles, writeFileAtomic } from '../store/atomic.js';
import { touchClaim, tryClaim } from '../store/claims.js';
import { CACHE_FORMAT, CacheCorruptError, decodeCacheFile, encodeCacheFile, type CacheContent, type CacheHeader } from './cache-file.js';
import { embed, pretrainEncoder } from './pretrain.js';

/** Bump when the encoder, its training or the file format changes: old entries then miss instead of being reused. */
export const ENCODER_VERSION = 1;

/** Cache directory: `$ALBENCH_CACHE`, else the `.albench-cache` folder beside the results directory. */
export function resolveCacheDir(resultsDir: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.ALBENCH_CACHE ? resolve(env.ALBENCH_CACHE) : join(dirname(resolve(resultsDir)), '.albench-cache');
}

export interface EncoderKeyInputs {
  readonly encoderVersion: number;
  readonly method: 'simclr';
  readonly dataset: DatasetConfig;
  readonly datasetChecksum: string;
  readonly config: RepresentationConfig;
  readonly seed: number;
  readonly backend: string;
}

export function encoderKey(inputs: EncoderKeyInputs): string {
  return shortHash(inputs);
}

export type CacheEventType = 'pretrained' | 'hit' | 'waiting' | 'corrupt' | 'stale-lock';

export interface CacheEvent {
  readonly event: CacheEventType;
  readonly key: string;
  readonly host: string;
  readonly pid: number;
  readonly at: string;
  readonly detail?: string;
}

export interface LoadOrPretrainOptions {
  readonly cacheDir: string;
  readonly datasetConfig: DatasetConfig;
  readonly data: Dataset;
  readonly config: RepresentationConfig;
  readonly seed: number;
  readonly backend: string;
  readonly onEvent?: (event: CacheEvent) => void;
  /** How often a waiting process looks for the file (ms). */
  readonly pollMs?: number;
  /** A lock whose heartbeat is older than this is taken over (ms). */
  readonly staleAfterMs?: number;
}

export interface CachedEncoder {
  readonly header: CacheHeader;
  readonly content: CacheContent;
  readonly path: string;
  /** How this process got it: read from disk, computed here, or read after waiting for another process. */
  readonly outcome: 'hit' | 'computed' | 'waited';
}

const HEARTBEAT_MS = 5_000;

export function cachePaths(cacheDir: string, key: string): { dir: string; file: string; log: string } {
  const dir = join(cacheDir, 'selfsup');
  return { dir, file: join(dir, `${key}.albssl`), log: join(dir, 'events.log') };
}

/** The encoder for these inputs, from the cache or pretrained now (once, whoever else is asking). */
export async function loadOrPretrain(options: LoadOrPretrainOptions): Promise<CachedEncoder> {
  const { data, config, seed, backend } = options;
  const pollMs = options.pollMs ?? 250;
  const staleAfterMs = options.staleAfterMs ?? 120_000;
  const inputs: EncoderKeyInputs = {
    encoderVersion: ENCODER_VERSION,
    method: 'simclr',
    dataset: options.datasetConfig,
    datasetChecksum: data.checksum,
    config,
    seed,
    backend,
  };
  const key = encoderKey(inputs);
  const { dir, file, log } = cachePaths(options.cacheDir, key);
  mkdirSync(dir, { recursive: true });
  sweepTempFiles(dir, staleAfterMs);
  const emit = (event: CacheEventType, detail?: string) => {
    const e: CacheEvent = { event, key, host: HOST, pid: process.pid, at: new Date().toISOString(), ...(detail ? { detail } : {}) };
    // One short line per append: O_APPEND writes of this size are not interleaved between processes.
    appendFileSync(log, `${JSON.stringify(e)}\n`);
    options.onEvent?.(e);
  };

  let waited = false;
  let reportedCorrupt = '';
  for (;;) {
    const read = tryRead(file, key);
    if (read.ok) {
      emit('hit', waited ? 'after waiting for another process' : undefined);
      return { ...read.value, path: file, outcome: waited ? 'waited' : 'hit' };
    }
    if (read.corrupt && read.corrupt !== reportedCorrupt) {
      reportedCorrupt = read.corrupt;
      emit('corrupt', read.corrupt);
    }
    const claim = tryClaim(dir, key, { staleAfterMs });
    if (claim.claimed) {
      try {
        if (claim.recovered) emit('stale-lock', `took over from ${claim.recovered.host} pid ${claim.recovered.pid}`);
        // Someone may have finished between our read and our claim.
        const again = tryRead(file, key);
        if (again.ok) {
          emit('hit', waited ? 'after waiting for another process' : undefined);
          return { ...again.value, path: file, outcome: waited ? 'waited' : 'hit' };
        }
        const computed = await computeEntry(inputs, key, options, () => touchClaim(dir, key));
        writeFileAtomic(file, computed.bytes);
        emit('pretrained', `${computed.header.pretrainMs.toFixed(0)} ms, ${computed.header.steps} steps`);
        return { header: computed.header, content: computed.content, path: file, outcome: 'computed' };
      } finally {
        claim.release();
      }
    }
    if (!waited) emit('waiting', claim.holder ? `held by ${claim.holder.host} pid ${claim.holder.pid}` : undefined);
    waited = true;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

type ReadOutcome = { ok: true; value: { header: CacheHeader; content: CacheContent } } | { ok: false; corrupt?: string };

function tryRead(file: string, key: string): ReadOutcome {
  if (!existsSync(file)) return { ok: false };
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch {
    return { ok: false };
  }
  try {
    return { ok: true, value: decodeCacheFile(bytes, key, file) };
  } catch (err) {
    if (err instanceof CacheCorruptError) return { ok: false, corrupt: err.message };
    throw err;
  }
}

async function computeEntry(
  inputs: EncoderKeyInputs,
  key: string,
  options: LoadOrPretrainOptions,
  heartbeat: () => void,
): Promise<{ header: CacheHeader; content: CacheContent; bytes: Uint8Array }> {
  const { data, config } = options;
  let last = Date.now();
  const beat = () => {
    if (Date.now() - last < HEARTBEAT_MS) return;
    last = Date.now();
    heartbeat();
  };
  const start = performance.now();
  const { encoder, lossByEpoch, steps } = await pretrainEncoder(data, config, inputs.seed, beat);
  try {
    const weights = weightArrays(encoder);
    const train = await embed(encoder, data.train.x, data.shape, config.embeddingDim, beat);
    const test = await embed(encoder, data.test.x, data.shape, config.embeddingDim, beat);
    const content: CacheContent = { weights: weights.map((w) => w.values), train, test };
    const pretrainMs = performance.now() - start;
    const partial = {
      format: CACHE_FORMAT,
      key,
      inputs,
      embeddingDim: config.embeddingDim,
      trainRows: data.train.n,
      testRows: data.test.n,
      weights: weights.map((w) => ({ name: w.name, shape: w.shape })),
      lossByEpoch,
      steps,
      pretrainMs,
      createdAt: new Date().toISOString(),
      createdBy: `${HOST} pid ${process.pid}`,
    } as const;
    const { bytes, sha256 } = encodeCacheFile(partial, content);
    return { header: { ...partial, sha256 }, content, bytes };
  } finally {
    encoder.dispose();
  }
}

function weightArrays(model: tfl.LayersModel): { name: string; shape: number[]; values: Float32Array }[] {
  return model.weights.map((w) => {
    const t = w.read();
    // A copy: some backends hand out views of their own memory.
    return { name: w.name, shape: [...t.shape], values: Float32Array.from(t.dataSync() as Float32Array) };
  });
}
