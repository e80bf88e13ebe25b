import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/data/checksum.js';
import { loadMnist } from '../../src/data/mnist.js';
import { MNIST_SOURCE } from '../../src/data/sources.js';
import { gz, idxBytes, tempDir } from './helpers.js';

describe('mnist loader on small IDX files', () => {
  it('reads the four gzipped files, checks content hashes, keeps the official split', async () => {
    const dir = tempDir();
    const raw: Record<string, Buffer> = {
      trainImages: idxBytes([3, 28, 28], Array.from({ length: 3 * 784 }, (_, i) => i % 256)),
      trainLabels: idxBytes([3], [7, 0, 7]),
      testImages: idxBytes([1, 28, 28], new Array(784).fill(255)),
      testLabels: idxBytes([1], [3]),
    };
    for (const f of MNIST_SOURCE.files) writeFileSync(join(dir, `${f.name}.gz`), gz(raw[f.key]));
    const expectedSha256 = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, sha256Hex(v)]));
    const d = await loadMnist({ searchPath: [dir], expectedSha256 });
    expect(d.name).toBe('mnist');
    expect([d.train.n, d.test.n]).toEqual([3, 1]);
    expect(Array.from(d.train.y)).toEqual([7, 0, 7]);
    expect(d.test.x[0]).toBe(1);
    // A mirrored digit is a different (or no) digit.
    expect(d.flipPreservesLabel).toBe(false);
    await expect(loadMnist({ searchPath: [dir] })).rejects.toThrow(/SHA-256 mismatch: expected ba891046.*not the official MNIST file.*albench data fetch mnist/);
  });
});
