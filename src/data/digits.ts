/**
 * The bundled UCI optical hand-written digits (1,797 8×8 images, CC BY 4.0): albench's default
 * data set, shipped in data/digits/ so a first run needs no download or install.
 * See data/digits/README.md for provenance and scripts/convert-digits.mjs for the conversion.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { DatasetConfig } from '../spec/types.js';
import { createRng } from '../rng.js';
import { recipeChecksum, sha256Hex } from './checksum.js';
import { DatasetError, type Dataset } from './dataset.js';
import { parseIdx } from './idx.js';
import { splitRows } from './split.js';

/** SHA-256 of data/digits/digits.idx.gz as written by scripts/convert-digits.mjs. */
export const DIGITS_SHA256 = '612316e4fe4ea941632a7bbb814c0f68096441de38576c65070bf73c4e8401ef';

/**
 * Resolved from this module's URL: src/data/digits.ts (vitest) and dist/data/digits.js (built)
 * both sit two levels below the package root, next to which data/ ships.
 */
export const DIGITS_FILE = fileURLToPath(new URL('../../data/digits/digits.idx.gz', import.meta.url));

export const DIGITS_DEFAULTS = { testFraction: 0.25, splitSeed: 0 } as const;

const ROWS = 1797;
const PIXELS = 64;
const MAX_PIXEL = 16;
const NUM_CLASSES = 10;

export interface DigitsOptions {
  /** Another copy of the bundled file (tests). */
  readonly file?: string;
  /** Override the pinned checksum (tests writing their own files). */
  readonly expectedSha256?: string;
}

const REINSTALL_HINT =
  'The file ships with albench; reinstall the package or restore data/digits/ from the repository ' +
  '(or regenerate it with `node scripts/convert-digits.mjs` after `apt-get install python3-sklearn`).';

export async function loadDigits(config: Partial<DatasetConfig> = {}, options: DigitsOptions = {}): Promise<Dataset> {
  const testFraction = config.testFraction ?? DIGITS_DEFAULTS.testFraction;
  const splitSeed = config.splitSeed ?? DIGITS_DEFAULTS.splitSeed;
  const file = options.file ?? DIGITS_FILE;
  const expectedSha = options.expectedSha256 ?? DIGITS_SHA256;

  let gz: Uint8Array;
  try {
    gz = await readFile(file);
  } catch (err) {
    throw new DatasetError(`${file}: cannot read the bundled digits file (${(err as NodeJS.ErrnoException).code ?? String(err)}). ${REINSTALL_HINT}`);
  }
  // The checksum comes first: the file is ours, so any difference at all means it is damaged.
  const sha = sha256Hex(gz);
  if (sha !== expectedSha) {
    throw new DatasetError(`${file}: SHA-256 mismatch: expected ${expectedSha}, got ${sha} (${gz.length} bytes); the file is corrupt or was modified. ${REINSTALL_HINT}`);
  }
  let content: Uint8Array;
  try {
    content = gunzipSync(gz);
  } catch (err) {
    throw new DatasetError(`${file}: cannot gunzip (${(err as Error).message}). ${REINSTALL_HINT}`);
  }
  const { dims, data } = parseIdx(content, file);
  if (dims.length !== 2 || dims[0] !== ROWS || dims[1] !== PIXELS + 1) {
    throw new DatasetError(`${file}: expected IDX dims [${ROWS}, ${PIXELS + 1}], found [${dims.join(', ')}]`);
  }

  // rows: [1797, 65] bytes → x: [1797, 64] floats in [0, 1], y: [1797]
  const x = new Float32Array(ROWS * PIXELS);
  const y = new Int32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const row = r * (PIXELS + 1);
    for (let p = 0; p < PIXELS; p++) x[r * PIXELS + p] = data[row + p] / MAX_PIXEL;
    y[r] = data[row + PIXELS];
    if (y[r] >= NUM_CLASSES) throw new DatasetError(`${file}: row ${r} has label ${y[r]}, expected 0..${NUM_CLASSES - 1}`);
  }

  const { train, test } = splitRows(x, y, PIXELS, testFraction, createRng(splitSeed).fork('dataset-split', 'digits'));
  return {
    name: 'digits',
    shape: [8, 8, 1],
    numClasses: NUM_CLASSES,
    train,
    test,
    checksum: recipeChecksum(sha, { split: 'stratified', testFraction, splitSeed }),
    source:
      `${file} (sha256 ${sha}): UCI optical recognition of hand-written digits (Alpaydin & Kaynak 1998, CC BY 4.0), ` +
      `via scikit-learn's digits.csv.gz in Debian python3-sklearn; stratified split testFraction=${testFraction} ` +
      `splitSeed=${splitSeed} → ${train.n} train / ${test.n} test`,
    flipPreservesLabel: false,
  };
}
