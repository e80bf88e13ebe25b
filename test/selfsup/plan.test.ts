/**
 * `albench plan`'s accounting of one-time encoder work (src/selfsup/plan.ts): which cells need an
 * encoder, that each distinct encoder (dataset × encoder settings × seed) is counted once however
 * many strategies, budgets and rounds share it, and what it costs. Expected values are counted by
 * hand in the comments.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { mkdtempSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encoderConfigOf, encoderJobs, isCached, pretrainSeconds, pretrainViews, cacheFileOf } from '../../src/selfsup/plan.js';
import { SELFSUP_DEFAULTS } from '../../src/selfsup/params.js';
import { createStrategy } from '../../src/strategies/registry.js';
import type { RepresentationConfig, ResolvedCell } from '../../src/spec/types.js';
import { tinyCell } from '../helpers/tiny-cell.js';

const strategyOf = (c: ResolvedCell) => createStrategy(c.strategy, c.strategyParams);
const DEFAULT_ENCODER = { name: 'selfsup', ...SELFSUP_DEFAULTS } as RepresentationConfig;
const cell = (strategy: string, overrides: Partial<ResolvedCell> = {}) => tinyCell({ strategy, ...overrides });

describe('encoderConfigOf', () => {
  it('typiclust and probcover need the default encoder; their -raw/-model variants and margin need none', () => {
    expect(encoderConfigOf(cell('typiclust'), createStrategy('typiclust'))).toEqual(DEFAULT_ENCODER);
    expect(encoderConfigOf(cell('probcover'), createStrategy('probcover'))).toEqual(DEFAULT_ENCODER);
    for (const name of ['typiclust-raw', 'probcover-model', 'margin', 'random']) expect(encoderConfigOf(cell(name), createStrategy(name))).toBeUndefined();
  });
  it("a strategy's encoder parameters change the encoder", () => {
    const c = encoderConfigOf(cell('typiclust'), createStrategy('typiclust', { encoderEpochs: 5, encoderEmbeddingDim: 16 }));
    expect(c).toEqual({ ...DEFAULT_ENCODER, epochs: 5, embeddingDim: 16 });
  });
  it("a cell on the selfsup representation needs the representation's encoder, whatever its strategy", () => {
    const representation = { ...DEFAULT_ENCODER, epochs: 2 };
    expect(encoderConfigOf(cell('random', { representation }), createStrategy('random'))).toBe(representation);
    expect(encoderConfigOf(cell('typiclust', { representation }), createStrategy('typiclust'))).toBe(representation);
  });
});

describe('encoderJobs: one per dataset × encoder settings × seed', () => {
  it('strategies and budgets of a seed share one encoder; seeds do not', () => {
    // 2 seeds × {random, margin, typiclust, probcover} × budgets {30, 60}: 16 cells, 8 of them need
    // the default encoder, on 2 seeds → 2 encoders.
    const cells = [0, 1].flatMap((seed) =>
      ['random', 'margin', 'typiclust', 'probcover'].flatMap((s) => [30, 60].map((budget) => cell(s, { seed, budget }))),
    );
    const jobs = encoderJobs(cells, strategyOf);
    expect(jobs.map((j) => j.seed)).toEqual([0, 1]);
    for (const j of jobs) expect(j.config).toEqual(DEFAULT_ENCODER);
  });
  it('different encoder settings or datasets are different encoders', () => {
    const cells = [
      cell('typiclust'),
      cell('probcover', { strategyParams: { encoderEpochs: 5 } }),
      cell('typiclust', { dataset: { name: 'synthetic', classes: 4 } }),
      cell('probcover'), // same as the first: no new encoder
    ];
    expect(encoderJobs(cells, strategyOf)).toHaveLength(3);
  });
  it('a representation encoder and a strategy encoder with equal settings are one encoder', () => {
    const cells = [cell('random', { representation: DEFAULT_ENCODER }), cell('typiclust')];
    expect(encoderJobs(cells, strategyOf)).toHaveLength(1);
  });
  it('plugins (no strategy object) need none', () => {
    expect(encoderJobs([cell('typiclust')], () => undefined)).toEqual([]);
  });
});

describe('pretraining cost', () => {
  const job = { dataset: { name: 'synthetic' as const }, config: { ...DEFAULT_ENCODER, epochs: 3 }, seed: 0 };
  it('views: epochs × pool × 2', () => {
    expect(pretrainViews(job, 100)).toBe(600); // 3 · 100 · 2
  });
  it('seconds: views at the pretraining speed, then pool and test set through the encoder', () => {
    // 600 views at 200/s = 3 s; (100 + 50) images at 300/s = 0.5 s.
    expect(pretrainSeconds(job, { trainRows: 100, testRows: 50 }, { viewsPerSecond: 200, embedRowsPerSecond: 300 })).toBeCloseTo(3.5, 12);
  });
  it('a job is cached when its file is in the cache for this backend, not for another', () => {
    const dir = mkdtempSync(join(tmpdir(), 'albench-plan-cache-'));
    const data = { checksum: 'abc' };
    expect(isCached(job, data, 'wasm', dir)).toBe(false);
    const { file } = cacheFileOf(job, data, 'wasm', dir);
    mkdirSync(join(dir, 'selfsup'), { recursive: true });
    writeFileSync(file, '');
    expect(isCached(job, data, 'wasm', dir)).toBe(true);
    expect(isCached(job, data, 'cpu', dir)).toBe(false);
    expect(isCached({ ...job, seed: 1 }, data, 'wasm', dir)).toBe(false);
  });
});
