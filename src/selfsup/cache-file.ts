/**
 * The on-disk form of a pretrained encoder and its frozen embeddings: one file, so that one
 * atomic rename publishes all of it.
 *
 *   "ALBSSL01" (8 bytes) | header length L (uint32 LE) | header JSON (L bytes, UTF-8) | zero padding to 4 |
 *   payload: encoder weights (float32, in `header.weights` order) | train embeddings [nTrain, d] | test embeddings [nTest, d]
 *
 * The header carries the SHA-256 of the payload; `decodeCacheFile` recomputes it, so a truncated
 * or bit-flipped file is rejected with a reason instead of silently feeding wrong features to a run.
 */
import { createHash } from 'node:crypto';

const MAGIC = 'ALBSSL01';
export const CACHE_FORMAT = 'albench-selfsup/1';

/** Everything about a cache entry except the arrays. */
export interface CacheHeader {
  readonly format: typeof CACHE_FORMAT;
  /** The cache key (hash of dataset, encoder config, seed, backend): also the file's name. */
  readonly key: string;
  /** What the key hashes, for people reading the file. */
  readonly inputs: unknown;
  readonly embeddingDim: number;
  readonly trainRows: number;
  readonly testRows: number;
  readonly weights: readonly { readonly name: string; readonly shape: readonly number[] }[];
  /** SHA-256 (hex) of the payload: the encoder's content hash, recorded in every result that used it. */
  readonly sha256: string;
  readonly lossByEpoch: readonly number[];
  readonly steps: number;
  readonly pretrainMs: number;
  readonly createdAt: string;
  readonly createdBy: string;
}

export interface CacheContent {
  readonly weights: readonly Float32Array[];
  readonly train: Float32Array;
  readonly test: Float32Array;
}

/** Thrown when a cache file fails a check; the message names the file and what is wrong. */
export class CacheCorruptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CacheCorruptError';
  }
}

function payloadOf(content: CacheContent): Uint8Array {
  const parts = [...content.weights, content.train, content.test];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.byteLength, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(new Uint8Array(p.buffer, p.byteOffset, p.byteLength), offset);
    offset += p.byteLength;
  }
  return out;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Header fields minus the checksum (computed here) → the file's bytes. */
export function encodeCacheFile(header: Omit<CacheHeader, 'sha256'>, content: CacheContent): { bytes: Uint8Array; sha256: string } {
  const payload = payloadOf(content);
  const sha256 = sha256Hex(payload);
  const json = Buffer.from(JSON.stringify({ ...header, sha256 }), 'utf8');
  const pad = (4 - ((MAGIC.length + 4 + json.length) % 4)) % 4;
  const bytes = new Uint8Array(MAGIC.length + 4 + json.length + pad + payload.length);
  bytes.set(Buffer.from(MAGIC, 'ascii'), 0);
  new DataView(bytes.buffer).setUint32(MAGIC.length, json.length, true);
  bytes.set(json, MAGIC.length + 4);
  bytes.set(payload, MAGIC.length + 4 + json.length + pad);
  return { bytes, sha256 };
}

/** The file's bytes → header and arrays, after checking magic, key, sizes and the payload's SHA-256. */
export function decodeCacheFile(bytes: Uint8Array, expectedKey: string, path: string): { header: CacheHeader; content: CacheContent } {
  const bad = (why: string) => new CacheCorruptError(`selfsup cache file ${path} is corrupt: ${why}`);
  if (bytes.length < MAGIC.length + 4 || Buffer.from(bytes.subarray(0, MAGIC.length)).toString('ascii') !== MAGIC) throw bad(`it does not start with "${MAGIC}"`);
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(MAGIC.length, true);
  if (MAGIC.length + 4 + length > bytes.length) throw bad(`header length ${length} exceeds the file size ${bytes.length}`);
  let header: CacheHeader;
  try {
    header = JSON.parse(Buffer.from(bytes.subarray(MAGIC.length + 4, MAGIC.length + 4 + length)).toString('utf8')) as CacheHeader;
  } catch (err) {
    throw bad(`header is not valid JSON (${(err as Error).message})`);
  }
  if (header.format !== CACHE_FORMAT) throw bad(`format is ${JSON.stringify(header.format)}, expected ${CACHE_FORMAT}`);
  if (header.key !== expectedKey) throw bad(`it holds key ${header.key}, expected ${expectedKey}`);
  const start = MAGIC.length + 4 + length + ((4 - ((MAGIC.length + 4 + length) % 4)) % 4);
  const weightFloats = header.weights.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1), 0);
  const floats = weightFloats + (header.trainRows + header.testRows) * header.embeddingDim;
  if (bytes.length - start !== floats * 4) throw bad(`payload is ${bytes.length - start} bytes, the header describes ${floats * 4}`);
  const payload = bytes.subarray(start);
  const actual = sha256Hex(payload);
  if (actual !== header.sha256) throw bad(`payload SHA-256 is ${actual}, the header records ${header.sha256}`);
  // Copy into fresh aligned buffers: the file's buffer may not be 4-byte aligned where the payload starts.
  const all = new Float32Array(floats);
  new Uint8Array(all.buffer).set(payload);
  const weights: Float32Array[] = [];
  let offset = 0;
  for (const w of header.weights) {
    const size = w.shape.reduce((a, b) => a * b, 1);
    weights.push(all.subarray(offset, offset + size));
    offset += size;
  }
  const train = all.subarray(offset, offset + header.trainRows * header.embeddingDim);
  offset += train.length;
  const test = all.subarray(offset, offset + header.testRows * header.embeddingDim);
  return { header, content: { weights, train, test } };
}
