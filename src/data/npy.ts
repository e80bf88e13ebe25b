/**
 * User data as NumPy .npy files (format spec: numpy.lib.format, versions 1.0–3.0): a directory with
 * x.npy (float32/float64, or uint8 pixels scaled to [0, 1]) and y.npy (integer class ids 0..K−1),
 * optionally x_test.npy + y_test.npy as the fixed test set. x is [n, d] (vectors), [n, h, w]
 * (grey images) or [n, h, w, c] (channels last). Errors name the file, the shape and the dtype.
 */
import { basename } from 'node:path';
import type { DatasetConfig } from '../spec/types.js';
import { createRng } from '../rng.js';
import { recipeChecksum, sha256Hex } from './checksum.js';
import { DatasetError, featureSize, type Dataset, type Split } from './dataset.js';
import { splitRows } from './split.js';
import { checkUserDataSha256, readUserFile, userDataFiles } from './user-files.js';

export const NPY_DEFAULTS = { testFraction: 0.25, splitSeed: 0 } as const;

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** Supported little-endian (or byte-sized) dtypes and their element sizes. */
const DTYPES: Record<string, { bytes: number; read: (v: DataView, o: number) => number; int: boolean }> = {
  '<f4': { bytes: 4, read: (v, o) => v.getFloat32(o, true), int: false },
  '<f8': { bytes: 8, read: (v, o) => v.getFloat64(o, true), int: false },
  '|u1': { bytes: 1, read: (v, o) => v.getUint8(o), int: true },
  '|i1': { bytes: 1, read: (v, o) => v.getInt8(o), int: true },
  '<i2': { bytes: 2, read: (v, o) => v.getInt16(o, true), int: true },
  '<u2': { bytes: 2, read: (v, o) => v.getUint16(o, true), int: true },
  '<i4': { bytes: 4, read: (v, o) => v.getInt32(o, true), int: true },
  '<u4': { bytes: 4, read: (v, o) => v.getUint32(o, true), int: true },
  '<i8': { bytes: 8, read: (v, o) => Number(v.getBigInt64(o, true)), int: true },
  '<u8': { bytes: 8, read: (v, o) => Number(v.getBigUint64(o, true)), int: true },
};

/** A decoded array: dtype string, shape, values as float64 (exact for every supported dtype within 2^53). */
export interface NpyArray {
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly values: Float64Array;
}

export function parseNpy(bytes: Uint8Array, path: string): NpyArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new DatasetError(`${path}: not a .npy file (missing the \\x93NUMPY magic); save arrays with numpy.save`);
  }
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (major < 1 || major > 3) throw new DatasetError(`${path}: .npy format version ${major}.${bytes[7]} is not supported (1.0–3.0 are)`);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  if (start + headerLen > bytes.length) throw new DatasetError(`${path}: truncated .npy header`);
  const header = Buffer.from(bytes.subarray(start, start + headerLen)).toString(major === 3 ? 'utf8' : 'latin1');
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined) throw new DatasetError(`${path}: cannot read the .npy header ${JSON.stringify(header.trim())}`);
  const dtype = DTYPES[descr.replace(/^=/, '<').replace(/^<(u1|i1)$/, '|$1')];
  if (!dtype) {
    const hint = descr.startsWith('>') ? ' (big-endian: convert with arr.astype(arr.dtype.newbyteorder("<")))' : '';
    throw new DatasetError(`${path}: dtype ${descr} is not supported${hint}; allowed: ${Object.keys(DTYPES).join(', ')}`);
  }
  if (fortran === 'True') throw new DatasetError(`${path}: array is stored in Fortran order; save np.ascontiguousarray(arr) instead`);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new DatasetError(`${path}: bad shape (${shapeText})`);
  const count = shape.reduce((a, b) => a * b, 1);
  const dataStart = start + headerLen;
  const expected = count * dtype.bytes;
  if (bytes.length - dataStart !== expected) {
    throw new DatasetError(
      `${path}: shape [${shape.join(', ')}] of ${descr} needs ${expected} data bytes, found ${bytes.length - dataStart} (${bytes.length - dataStart < expected ? 'truncated' : 'trailing bytes'})`,
    );
  }
  const values = new Float64Array(count);
  for (let i = 0; i < count; i++) values[i] = dtype.read(view, dataStart + i * dtype.bytes);
  return { dtype: descr, shape, values };
}

function exampleShape(x: NpyArray, path: string): number[] {
  const rest = x.shape.slice(1);
  if (x.shape.length < 2 || x.shape.length > 4) {
    throw new DatasetError(`${path}: x has shape [${x.shape.join(', ')}]; expected [n, d], [n, h, w] or [n, h, w, c]`);
  }
  return rest.length === 2 ? [...rest, 1] : rest;
}

function toFeatures(x: NpyArray, path: string): Float32Array {
  const uint8 = x.dtype === '|u1' || x.dtype === '<u1';
  if (!uint8 && !x.dtype.includes('f')) {
    throw new DatasetError(`${path}: features have dtype ${x.dtype}; allowed: float32 (<f4), float64 (<f8) or uint8 (|u1, scaled to [0, 1])`);
  }
  const out = new Float32Array(x.values.length);
  for (let i = 0; i < out.length; i++) {
    const v = x.values[i];
    if (!Number.isFinite(v)) {
      const row = Math.floor(i / Math.max(1, featureSize(x.shape.slice(1))));
      throw new DatasetError(`${path}: value ${v} at row ${row} (flat index ${i}) is not finite`);
    }
    out[i] = uint8 ? v / 255 : v;
  }
  return out;
}

function toLabels(y: NpyArray, path: string, n: number, xPath: string): Int32Array {
  const ok = (y.shape.length === 1 && y.shape[0] === n) || (y.shape.length === 2 && y.shape[0] === n && y.shape[1] === 1);
  if (!ok) throw new DatasetError(`${path}: labels have shape [${y.shape.join(', ')}], expected [${n}] to match ${basename(xPath)}'s ${n} rows`);
  if (!DTYPES[y.dtype.replace(/^=/, '<').replace(/^<(u1|i1)$/, '|$1')]?.int) {
    throw new DatasetError(`${path}: labels have dtype ${y.dtype}; allowed: integer dtypes (int8..int64, uint8..uint64)`);
  }
  return Int32Array.from(y.values, (v, i) => {
    if (v < 0 || v > 0x7fffffff) throw new DatasetError(`${path}: label ${v} at index ${i} is negative or too large; labels are class ids 0..K−1`);
    return v;
  });
}

export function loadNpy(config: DatasetConfig): Dataset {
  const files = userDataFiles(config);
  const bytes = files.map(readUserFile);
  const sha = checkUserDataSha256(config, files, bytes.map((b) => sha256Hex(b)));
  const arrays = bytes.map((b, i) => parseNpy(b, files[i]));
  const shape = exampleShape(arrays[0], files[0]);
  const n = arrays[0].shape[0];
  const x = toFeatures(arrays[0], files[0]);
  const y = toLabels(arrays[1], files[1], n, files[0]);
  const numClasses = Math.max(...y) + 1;
  const counts = new Array<number>(numClasses).fill(0);
  for (const c of y) counts[c]++;
  const empty = counts.map((c, k) => (c === 0 ? k : -1)).filter((k) => k >= 0);
  if (empty.length > 0) throw new DatasetError(`${files[1]}: labels must be 0..K−1 with every class present; class(es) ${empty.join(', ')} of 0..${numClasses - 1} never occur`);
  if (numClasses < 2) throw new DatasetError(`${files[1]}: all labels are 0; classification needs at least 2 classes`);

  let train: Split;
  let test: Split;
  let recipe: Record<string, unknown>;
  if (arrays.length === 4) {
    const testShape = exampleShape(arrays[2], files[2]);
    if (testShape.join(',') !== shape.join(',')) {
      throw new DatasetError(`${files[2]}: examples have shape [${testShape.join(', ')}], but ${basename(files[0])}'s have [${shape.join(', ')}]`);
    }
    const yTest = toLabels(arrays[3], files[3], arrays[2].shape[0], files[2]);
    const bad = yTest.findIndex((c) => c >= numClasses);
    if (bad >= 0) throw new DatasetError(`${files[3]}: label ${yTest[bad]} at index ${bad} does not occur in the training labels (0..${numClasses - 1})`);
    train = { x, y, n };
    test = { x: toFeatures(arrays[2], files[2]), y: yTest, n: yTest.length };
    recipe = { split: 'fixed-test-files' };
  } else {
    const testFraction = config.testFraction ?? NPY_DEFAULTS.testFraction;
    const splitSeed = config.splitSeed ?? NPY_DEFAULTS.splitSeed;
    ({ train, test } = splitRows(x, y, featureSize(shape), testFraction, createRng(splitSeed).fork('dataset-split', 'npy')));
    recipe = { split: 'stratified', testFraction, splitSeed };
  }
  return {
    name: 'npy',
    shape,
    numClasses,
    train,
    test,
    checksum: recipeChecksum(sha, recipe),
    source:
      `NPY ${files.join(' + ')} (sha256 ${sha}); x ${arrays[0].dtype} [${arrays[0].shape.join(', ')}], ${numClasses} classes; ` +
      `${arrays.length === 4 ? 'fixed test files' : `stratified split testFraction=${recipe.testFraction} splitSeed=${recipe.splitSeed}`} → ${train.n} train / ${test.n} test`,
    flipPreservesLabel: false,
  };
}
