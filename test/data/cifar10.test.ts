import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/data/checksum.js';
import { loadCifar10, parseCifarBatches } from '../../src/data/cifar10.js';
import { CIFAR10_SOURCE } from '../../src/data/sources.js';
import { tempDir } from './helpers.js';

/** One CIFAR-10 binary record: label, then red, green, blue 32×32 planes; pixel value = f(channel, index). */
function record(label: number, f: (c: number, p: number) => number): Buffer {
  const b = Buffer.alloc(3073);
  b[0] = label;
  for (let c = 0; c < 3; c++) for (let p = 0; p < 1024; p++) b[1 + c * 1024 + p] = f(c, p);
  return b;
}

function writeBatches(dir: string, skip?: string): Record<string, string> {
  mkdirSync(dir, { recursive: true });
  const shas: Record<string, string> = {};
  CIFAR10_SOURCE.files.forEach((f, i) => {
    if (f.key === skip) return;
    const bytes = Buffer.concat([record(i, (c) => 10 * c + i), record(9 - i, (_c, p) => p % 256)]);
    writeFileSync(join(dir, f.name), bytes);
    shas[f.key] = sha256Hex(bytes);
  });
  return shas;
}

describe('cifar10 loader on small files in the binary format', () => {
  it('interleaves the CHW planes into HWC and scales to [0, 1]', () => {
    const bytes = record(7, (c, p) => (c === 0 ? p % 256 : c === 1 ? 100 : 200));
    const split = parseCifarBatches([{ path: 'b.bin', bytes }]);
    expect(split.n).toBe(1);
    expect(split.y[0]).toBe(7);
    // Pixel (row 1, col 2) = index 34; HWC offset 34·3 + channel.
    expect(split.x[34 * 3 + 0]).toBeCloseTo(34 / 255, 7);
    expect(split.x[34 * 3 + 1]).toBeCloseTo(100 / 255, 7);
    expect(split.x[34 * 3 + 2]).toBeCloseTo(200 / 255, 7);
  });

  it('loads five training batches and the test batch in order, from the archive folder too', async () => {
    const root = tempDir();
    const shas = writeBatches(join(root, 'cifar10', 'cifar-10-batches-bin'));
    const d = await loadCifar10({ dataDir: root, expectedSha256: shas });
    expect(d.shape).toEqual([32, 32, 3]);
    expect([d.train.n, d.test.n]).toEqual([10, 2]);
    expect(Array.from(d.train.y)).toEqual([0, 9, 1, 8, 2, 7, 3, 6, 4, 5]);
    expect(Array.from(d.test.y)).toEqual([5, 4]);
    expect(d.flipPreservesLabel).toBe(true);
    expect(d.source).toContain('data_batch_1.bin');
  });

  it('rejects files that are not the pinned ones, a truncated batch and a missing batch', async () => {
    const dir = tempDir();
    const shas = writeBatches(dir);
    await expect(loadCifar10({ searchPath: [dir] })).rejects.toThrow(
      `${join(dir, 'data_batch_1.bin')}: SHA-256 mismatch: expected ${CIFAR10_SOURCE.files[0].contentSha256}`,
    );
    const truncated = Buffer.alloc(3073 + 100);
    writeFileSync(join(dir, 'test_batch.bin'), truncated);
    await expect(loadCifar10({ searchPath: [dir], expectedSha256: { ...shas, test_batch: sha256Hex(truncated) } })).rejects.toThrow(
      /test_batch\.bin: 3173 bytes is not a whole number of 3073-byte CIFAR-10 records/,
    );
    const partial = tempDir();
    writeBatches(partial, 'data_batch_3');
    await expect(loadCifar10({ searchPath: [partial] })).rejects.toThrow(`CIFAR-10 is incomplete in ${partial}: missing ${join(partial, 'data_batch_3.bin')}`);
  });

  it('rejects an out-of-range label by file and record', () => {
    expect(() => parseCifarBatches([{ path: 'b.bin', bytes: Buffer.concat([record(1, () => 0), record(12, () => 0)]) }])).toThrow(
      'b.bin: record 1 has label 12, expected 0..9',
    );
  });
});
