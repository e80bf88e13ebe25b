#!/usr/bin/env node
/**
 * One-off conversion of scikit-learn's bundled copy of the UCI optical hand-written digits
 * (digits.csv.gz from Debian's python3-sklearn) into the file albench ships in data/digits/.
 *
 *   node scripts/convert-digits.mjs [path/to/digits.csv.gz]
 *
 * Output: data/digits/digits.idx.gz, a gzipped IDX file (ubyte, dims [1797, 65]). Each row is the
 * 64 pixel values (0..16, row-major 8×8) followed by the label — the CSV's row layout in binary.
 * IDX is used so the same reader serves digits and Fashion-MNIST; gzip keeps it well under 100 KB.
 * Also writes data/digits/README.md with provenance, licence and the SHA-256 that
 * src/data/digits.ts pins (update DIGITS_SHA256 there if this output ever changes).
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { gunzipSync, gzipSync, constants } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const SOURCE_DEFAULT = '/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz';
// sha256 of digits.csv.gz in Debian bookworm's python3-sklearn 1.2.1+dfsg-1: recorded for provenance.
const SOURCE_SHA256 = '46abec6b12486ad9e51943373abcf22bbea1b5a51a1619b361570d8893f1464a';
const ROWS = 1797;
const COLS = 65; // 64 pixels + label

const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

const sourcePath = process.argv[2] ?? SOURCE_DEFAULT;
const outDir = fileURLToPath(new URL('../data/digits/', import.meta.url));
const outFile = 'digits.idx.gz';

const gz = readFileSync(sourcePath);
const sourceSha = sha256(gz);
if (sourceSha !== SOURCE_SHA256) {
  console.warn(`warning: ${sourcePath} has sha256 ${sourceSha}, expected ${SOURCE_SHA256}; converting anyway`);
}

const lines = gunzipSync(gz).toString('utf8').trim().split('\n');
if (lines.length !== ROWS) throw new Error(`${sourcePath}: expected ${ROWS} rows, found ${lines.length}`);

// IDX header: 0x0000, dtype 0x08 (ubyte), 2 dims, then the dims as big-endian uint32.
const header = Buffer.alloc(4 + 2 * 4);
header.writeUInt8(0x08, 2);
header.writeUInt8(2, 3);
header.writeUInt32BE(ROWS, 4);
header.writeUInt32BE(COLS, 8);
const body = Buffer.alloc(ROWS * COLS);
const classCounts = new Array(10).fill(0);
lines.forEach((line, r) => {
  const values = line.split(',').map(Number);
  if (values.length !== COLS) throw new Error(`${sourcePath}: row ${r + 1} has ${values.length} values, expected ${COLS}`);
  values.forEach((v, c) => {
    const max = c < 64 ? 16 : 9;
    if (!Number.isInteger(v) || v < 0 || v > max) {
      throw new Error(`${sourcePath}: row ${r + 1} column ${c + 1} is ${v}, expected an integer in 0..${max}`);
    }
    body[r * COLS + c] = v;
  });
  classCounts[values[64]]++;
});

// Node's gzip writes mtime 0 and no file name, so the output depends only on the data and zlib.
const out = gzipSync(Buffer.concat([header, body]), { level: constants.Z_BEST_COMPRESSION });
const outSha = sha256(out);
mkdirSync(outDir, { recursive: true });
writeFileSync(outDir + outFile, out);

const readme = `# digits (bundled)

\`${outFile}\` is the UCI ML hand-written digits data set ("Optical Recognition of Handwritten
Digits", test part as distributed with scikit-learn): ${ROWS} grey-scale 8×8 images of the digits 0–9,
each pixel an integer count 0..16. It is albench's bundled default data set and needs no install step.

- **Source:** \`digits.csv.gz\` from Debian's \`python3-sklearn\` package
  (\`${SOURCE_DEFAULT}\`, SHA-256 \`${SOURCE_SHA256}\`), which is
  scikit-learn's copy of https://archive.ics.uci.edu/dataset/80/optical+recognition+of+handwritten+digits
- **Authors:** E. Alpaydin and C. Kaynak (1998).
- **Licence:** Creative Commons Attribution 4.0 International (CC BY 4.0),
  https://creativecommons.org/licenses/by/4.0/ — the licence the UCI repository gives this data set.
- **Converted by:** \`node scripts/convert-digits.mjs\` (values unchanged; only the container differs).

## Format

Gzipped IDX (the MNIST container): magic \`00 00 08 02\` (unsigned bytes, 2 dims), dims
\`[${ROWS}, ${COLS}]\` as big-endian uint32, then ${ROWS} rows of ${COLS} bytes: the 64 pixels in row-major
8×8 order followed by the label 0..9 (the CSV's row layout).

Class counts: ${classCounts.map((n, k) => `${k}: ${n}`).join(', ')}.

## Checksum

SHA-256 of \`${outFile}\` (${out.length} bytes), pinned as \`DIGITS_SHA256\` in \`src/data/digits.ts\`:

    ${outSha}
`;
writeFileSync(outDir + 'README.md', readme);

console.log(`source  ${sourcePath} sha256 ${sourceSha}`);
console.log(`wrote   ${outDir}${outFile} (${out.length} bytes) sha256 ${outSha}`);
console.log(`classes ${classCounts.join(' ')}`);
