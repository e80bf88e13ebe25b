import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/index.js';
import { canonicalDatasetConfig, loadDataset } from '../../src/data/registry.js';
import type { Dataset } from '../../src/data/dataset.js';
import { evaluatePredictions } from '../../src/models/evaluate.js';
import { predictProbs } from '../../src/models/predict.js';
import { trainModel } from '../../src/models/train.js';
import { createModel } from '../../src/models/zoo.js';
import { createRng } from '../../src/rng.js';
import { CacheCorruptError, decodeCacheFile } from '../../src/selfsup/cache-file.js';
import { cachePaths, ENCODER_VERSION, encoderKey, loadOrPretrain, resolveCacheDir, type CacheEvent } from '../../src/selfsup/cache.js';
import { pretrainEncoder } from '../../src/selfsup/pretrain.js';
import { selfsupDataset } from '../../src/selfsup/representation.js';
import type { DatasetConfig, RepresentationConfig } from '../../src/spec/types.js';
import { HOST } from '../../src/store/atomic.js';

// A tiny encoder on a small digits pool: a few pretraining steps, seconds on wasm.
const CONFIG: RepresentationConfig = { name: 'selfsup', epochs: 2, temperature: 0.5, embeddingDim: 8, batchSize: 32, learningRate: 0.001 };
const DATASET: DatasetConfig = canonicalDatasetConfig({ name: 'digits', poolSize: 120, testSize: 60 });
let data: Dataset;

beforeAll(async () => {
  await initBackend('wasm');
  data = await loadDataset(DATASET);
});

const cacheDir = () => mkdtempSync(join(tmpdir(), 'albench-selfsup-'));
const events = (dir: string): CacheEvent[] =>
  readFileSync(cachePaths(dir, '').log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as CacheEvent);
const load = (dir: string, onEvent?: (e: CacheEvent) => void) =>
  loadOrPretrain({ cacheDir: dir, datasetConfig: DATASET, data, config: CONFIG, seed: 0, backend: 'wasm', onEvent, pollMs: 20 });

describe('pretrainEncoder', () => {
  it('lowers the NT-Xent loss, is deterministic per seed, and leaks no tensors', async () => {
    const config = { ...CONFIG, epochs: 3 };
    const first = await pretrainEncoder(data, config, 1);
    first.encoder.dispose();
    const before = tf.memory().numTensors;
    const second = await pretrainEncoder(data, config, 1);
    expect(second.lossByEpoch).toEqual(first.lossByEpoch);
    expect(second.steps).toBe(3 * Math.ceil(120 / 32));
    second.encoder.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(first.lossByEpoch[2]).toBeLessThan(first.lossByEpoch[0]);
  });
});

describe('the encoder cache', () => {
  it('pretrains once, then reuses the file: no second pretraining, file untouched', async () => {
    const dir = cacheDir();
    const seen: string[] = [];
    const a = await load(dir, (e) => seen.push(e.event));
    expect(a.outcome).toBe('computed');
    const mtime = statSync(a.path).mtimeMs;
    const b = await load(dir, (e) => seen.push(e.event));
    expect(b.outcome).toBe('hit');
    expect(seen).toEqual(['pretrained', 'hit']);
    expect(events(dir).filter((e) => e.event === 'pretrained')).toHaveLength(1);
    expect(statSync(a.path).mtimeMs).toBe(mtime);
    expect(b.header.sha256).toBe(a.header.sha256);
    expect(b.content.train).toEqual(a.content.train);
    expect(a.header.lossByEpoch).toHaveLength(2);
  });

  it('keys on everything the encoder depends on, and gives the same bits in a fresh cache', async () => {
    const base = { encoderVersion: ENCODER_VERSION, method: 'simclr' as const, dataset: DATASET, datasetChecksum: data.checksum, config: CONFIG, seed: 0, backend: 'wasm' };
    const keys = new Set([
      encoderKey(base),
      encoderKey({ ...base, seed: 1 }),
      encoderKey({ ...base, backend: 'cpu' }),
      encoderKey({ ...base, config: { ...CONFIG, temperature: 0.1 } }),
      encoderKey({ ...base, datasetChecksum: 'other' }),
    ]);
    expect(keys.size).toBe(5);
    await load(cacheDir()); // warm-up: kernels and backend caches
    const before = tf.memory().numTensors;
    const [x, y] = [await load(cacheDir()), await load(cacheDir())];
    expect(tf.memory().numTensors).toBe(before); // pretraining, embedding and caching leak nothing
    expect(x.header.key).toBe(encoderKey(base));
    expect(y.header.sha256).toBe(x.header.sha256);
  });

  it('two concurrent requests in one process pretrain once; the other waits for the file', async () => {
    const dir = cacheDir();
    const [a, b] = await Promise.all([load(dir), load(dir)]);
    expect([a.outcome, b.outcome].sort()).toEqual(['computed', 'waited']);
    expect(events(dir).filter((e) => e.event === 'pretrained')).toHaveLength(1);
    expect(existsSync(join(dir, 'selfsup', 'claims', `${a.header.key}.json`))).toBe(false);
  });

  it('detects a corrupt file by its checksum and recomputes it', async () => {
    const dir = cacheDir();
    const a = await load(dir);
    const bytes = readFileSync(a.path);
    bytes[bytes.length - 5] ^= 0xff; // flip bits in the test embeddings
    writeFileSync(a.path, bytes);
    expect(() => decodeCacheFile(bytes, a.header.key, a.path)).toThrow(CacheCorruptError);
    expect(() => decodeCacheFile(bytes, a.header.key, a.path)).toThrow(/payload SHA-256 is [0-9a-f]{64}, the header records/);
    expect(() => decodeCacheFile(bytes.subarray(0, 100), a.header.key, a.path)).toThrow(/corrupt/);
    const seen: string[] = [];
    const b = await load(dir, (e) => seen.push(e.event));
    expect(seen).toEqual(['corrupt', 'pretrained']);
    expect(b.outcome).toBe('computed');
    expect(b.header.sha256).toBe(a.header.sha256);
    expect((await load(dir)).outcome).toBe('hit');
  });

  it('takes over a lock left by a dead process', async () => {
    const dir = cacheDir();
    const key = encoderKey({ encoderVersion: ENCODER_VERSION, method: 'simclr', dataset: DATASET, datasetChecksum: data.checksum, config: CONFIG, seed: 0, backend: 'wasm' });
    mkdirSync(join(dir, 'selfsup', 'claims'), { recursive: true });
    // pid 2^22 + 1 is above Linux's default pid_max, so no process has it.
    writeFileSync(join(dir, 'selfsup', 'claims', `${key}.json`), JSON.stringify({ cellId: key, host: HOST, pid: 4194305, nonce: 'dead', claimedAt: new Date().toISOString() }));
    const seen: string[] = [];
    const a = await load(dir, (e) => seen.push(e.event));
    expect(seen).toEqual(['stale-lock', 'pretrained']);
    expect(a.outcome).toBe('computed');
  });

  it('lives in $ALBENCH_CACHE, else beside the results directory', () => {
    expect(resolveCacheDir('/r/results/quick', {})).toBe('/r/results/.albench-cache');
    expect(resolveCacheDir('/r/results/quick', { ALBENCH_CACHE: '/c' })).toBe('/c');
  });
});

describe('selfsupDataset', () => {
  it('replaces the inputs by standardised [d] embeddings a linear probe can learn from', async () => {
    const { dataset, encoder } = await selfsupDataset(data, DATASET, CONFIG, 0, { cacheDir: cacheDir(), backend: 'wasm' });
    expect(dataset.shape).toEqual([8]);
    expect(dataset.train.x).toHaveLength(120 * 8);
    expect(dataset.test.x).toHaveLength(60 * 8);
    expect(dataset.train.y).toBe(data.train.y);
    expect(encoder).toMatchObject({ method: 'simclr', embeddingDim: 8 });
    expect(encoder.sha256).toMatch(/^[0-9a-f]{64}$/);
    const mean0 = dataset.train.x.filter((_, i) => i % 8 === 0).reduce((s, v) => s + v, 0) / 120;
    expect(Math.abs(mean0)).toBeLessThan(1e-4);
    // Linear probe on the frozen features of this 2-epoch, d = 8 encoder: 3× chance (10 %) on digits (wasm gives 0.40).
    const rng = createRng(0);
    const model = createModel({ name: 'linear', inputShape: [8], numClasses: 10 }, rng.fork('weights'));
    await trainModel(model, { ...dataset.train, shape: [8], numClasses: 10 }, { epochs: 30, batchSize: 16, learningRate: 0.01 }, (e) => rng.fork('shuffle', e));
    const probs = await predictProbs(model, dataset.test.x, [8], 10);
    model.dispose();
    expect(evaluatePredictions(probs, dataset.test.y, 10).accuracy).toBeGreaterThan(0.3);
  });
});
