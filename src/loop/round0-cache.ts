/**
 * The round-0 model, trained once per study run and reused by every strategy that shares it.
 *
 * Round 0 trains on the initial labelled set from the initial weights, with the cell's training
 * settings; neither the strategy, nor the budget, nor the AL batch size enters it (the paired
 * design of DESIGN.md makes the initial set, weights and data order strategy-free). So every cell
 * with the same `round0Key` ends round 0 with the same weights, bit for bit, and all but the first
 * can load them instead of training. Strategies that take part in training (training-time needs:
 * epoch observers, joint modules) train their own round 0.
 *
 * Snapshots live beside the results (`<results>/.round0/<key>.round0`), so both workers of a run
 * and a resumed run share them; the runner removes the folder when a run completes. A file that
 * cannot be read is ignored and round 0 trained again, which gives the same weights.
 *
 * File layout: 4-byte little-endian header length, the header (UTF-8 JSON: key, weight shapes,
 * the round's training record), zero padding to a multiple of 4 bytes, then the float32 weights
 * back to back.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { roundExamplePasses } from '../models/recipe.js';
import type { RoundTrainingRecord } from '../models/protocol/index.js';
import { canonicalJson } from '../spec/canonical.js';
import type { ResolvedCell } from '../spec/types.js';
import { writeFileAtomic } from '../store/atomic.js';

/** One weight tensor of the model, as stored. */
export interface StoredWeight {
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/** The model's state and the round's record fields after round 0. */
export interface Round0Snapshot {
  readonly weights: readonly StoredWeight[];
  readonly trained: RoundTrainingRecord;
}

/** Folder of the snapshots of one results directory. */
export function round0Dir(resultsDir: string): string {
  return join(resultsDir, '.round0');
}

/**
 * Everything round 0's training depends on: the cell without its strategy, budget, AL batch size
 * and id. 16 hex digits of SHA-256 over the canonical JSON.
 */
export function round0Key(cell: ResolvedCell): string {
  const { dataset, model, initialSize, augmentation, ssl, protocol, representation, seed, training } = cell;
  const basis = canonicalJson({ dataset, model, initialSize, augmentation, ssl, protocol, representation, seed, training });
  return createHash('sha256').update(basis).digest('hex').slice(0, 16);
}

function fileFor(dir: string, key: string): string {
  return join(dir, `${key}.round0`);
}

export function writeRound0(dir: string, key: string, snapshot: Round0Snapshot): void {
  const header = Buffer.from(JSON.stringify({ key, shapes: snapshot.weights.map((w) => w.shape), trained: snapshot.trained }), 'utf8');
  const start = 4 + header.length + ((4 - ((4 + header.length) % 4)) % 4);
  const floats = snapshot.weights.reduce((n, w) => n + w.values.length, 0);
  const bytes = new Uint8Array(start + 4 * floats);
  new DataView(bytes.buffer).setUint32(0, header.length, true);
  bytes.set(header, 4);
  const values = new Float32Array(bytes.buffer, start, floats);
  let at = 0;
  for (const w of snapshot.weights) {
    values.set(w.values, at);
    at += w.values.length;
  }
  mkdirSync(dir, { recursive: true });
  writeFileAtomic(fileFor(dir, key), bytes);
}

/** The stored snapshot, or undefined when there is none or it is unreadable (then round 0 is retrained). */
export function readRound0(dir: string, key: string): Round0Snapshot | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(fileFor(dir, key));
  } catch {
    return undefined;
  }
  try {
    const headerLength = bytes.readUInt32LE(0);
    const header = JSON.parse(bytes.subarray(4, 4 + headerLength).toString('utf8')) as { key: string; shapes: number[][]; trained: RoundTrainingRecord };
    if (header.key !== key || !Array.isArray(header.shapes)) return undefined;
    const start = 4 + headerLength + ((4 - ((4 + headerLength) % 4)) % 4);
    const sizes = header.shapes.map((s) => s.reduce((a, b) => a * b, 1));
    const floats = sizes.reduce((a, b) => a + b, 0);
    if (bytes.length !== start + 4 * floats) return undefined;
    // A copy into an aligned buffer: the Buffer's own offset need not be a multiple of 4.
    const all = new Float32Array(floats);
    new Uint8Array(all.buffer).set(bytes.subarray(start));
    let at = 0;
    const weights = header.shapes.map((shape, i) => {
      const values = all.subarray(at, at + sizes[i]);
      at += sizes[i];
      return { shape, values };
    });
    return { weights, trained: header.trained };
  } catch {
    return undefined;
  }
}

/**
 * Training example-passes a run saves by sharing round 0 among `cells` (those it will train):
 * within each key, every cell that can share but the first loads round 0 instead of training it.
 * `shares` says whether a cell's strategy can (no training-time needs).
 */
export function round0Savings(cells: readonly ResolvedCell[], shares: (cell: ResolvedCell) => boolean): number {
  const seen = new Set<string>();
  let saved = 0;
  for (const cell of cells) {
    if (!shares(cell)) continue;
    const key = round0Key(cell);
    if (seen.has(key)) saved += roundExamplePasses(cell.training, cell.initialSize);
    seen.add(key);
  }
  return saved;
}
