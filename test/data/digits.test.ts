import { copyFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/data/checksum.js';
import { DIGITS_FILE, DIGITS_SHA256, loadDigits } from '../../src/data/digits.js';
import { testCountForClass } from '../../src/data/split.js';
import { tempDir } from './helpers.js';

// Class counts of sklearn's digits (data/digits/README.md).
const CLASS_COUNTS = [178, 182, 177, 183, 181, 182, 181, 179, 174, 180];

function classCounts(y: Int32Array): number[] {
  const c = new Array(10).fill(0);
  for (const v of y) c[v]++;
  return c;
}

describe('digits (bundled)', () => {
  it('ships a small file whose SHA-256 is the pinned one', () => {
    expect(statSync(DIGITS_FILE).size).toBeLessThan(100_000);
    expect(sha256Hex(readFileSync(DIGITS_FILE))).toBe(DIGITS_SHA256);
  });

  it('loads 1,797 8×8 images in [0, 1] with a stratified 25 % test split', async () => {
    const t0 = performance.now();
    const d = await loadDigits();
    console.log(`digits load: ${(performance.now() - t0).toFixed(1)} ms`);
    expect(d.name).toBe('digits');
    expect(d.shape).toEqual([8, 8, 1]);
    expect(d.numClasses).toBe(10);
    expect(d.flipPreservesLabel).toBe(false);
    expect(d.train.n + d.test.n).toBe(1797);
    expect(d.train.x.length).toBe(d.train.n * 64);
    expect(d.test.x.length).toBe(d.test.n * 64);
    const all = [...d.train.x, ...d.test.x];
    expect(Math.min(...all)).toBe(0);
    expect(Math.max(...all)).toBe(1);
    // Every value is a multiple of 1/16.
    expect(all.every((v) => Number.isInteger(v * 16))).toBe(true);

    const trainCounts = classCounts(d.train.y);
    const testCounts = classCounts(d.test.y);
    CLASS_COUNTS.forEach((n, c) => {
      expect(trainCounts[c] + testCounts[c]).toBe(n);
      expect(testCounts[c]).toBe(testCountForClass(n, 0.25));
      expect(Math.abs(4 * testCounts[c] - n)).toBeLessThanOrEqual(2); // within half an example of n/4
    });
    expect(d.test.n).toBe(451); // per-class rounding: 449.25 exact, 451 rounded
    expect(d.source).toMatch(/CC BY 4\.0/);
  });

  it('split recipe is deterministic and part of the checksum', async () => {
    const a = await loadDigits({ splitSeed: 0 });
    const b = await loadDigits({ splitSeed: 0 });
    const c = await loadDigits({ splitSeed: 1 });
    const e = await loadDigits({ testFraction: 0.5 });
    expect(a.checksum).toBe(b.checksum);
    expect(a.test.y).toEqual(b.test.y);
    expect(a.test.x).toEqual(b.test.x);
    expect(c.checksum).not.toBe(a.checksum);
    expect(c.test.x).not.toEqual(a.test.x);
    expect(e.checksum).not.toBe(a.checksum);
    expect(e.test.n).toBeGreaterThan(890);
  });

  it('rejects a modified file, naming the file, both checksums and the fix', async () => {
    const file = join(tempDir(), 'digits.idx.gz');
    const bytes = readFileSync(DIGITS_FILE);
    bytes[bytes.length - 20] ^= 0xff;
    writeFileSync(file, bytes);
    const err = loadDigits({}, { file });
    await expect(err).rejects.toThrow(`${file}: SHA-256 mismatch: expected ${DIGITS_SHA256}, got ${sha256Hex(bytes)}`);
    await expect(err).rejects.toThrow(/convert-digits\.mjs/);
  });

  it('reports a missing file by path', async () => {
    const file = join(tempDir(), 'gone.idx.gz');
    await expect(loadDigits({}, { file })).rejects.toThrow(`${file}: cannot read the bundled digits file (ENOENT)`);
  });

  it('accepts a verified copy elsewhere (checksum, not location, is the identity)', async () => {
    const file = join(tempDir(), 'copy.idx.gz');
    copyFileSync(DIGITS_FILE, file);
    expect((await loadDigits({}, { file })).checksum).toBe((await loadDigits()).checksum);
  });
});
