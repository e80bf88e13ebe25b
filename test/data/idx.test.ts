import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatasetError } from '../../src/data/dataset.js';
import { parseIdx, readIdxFile } from '../../src/data/idx.js';
import { gz, idxBytes, tempDir } from './helpers.js';

describe('parseIdx', () => {
  it('decodes dims and data of a ubyte array', () => {
    const idx = parseIdx(idxBytes([2, 3], [0, 1, 2, 3, 4, 255]), 'mem');
    expect(idx.dims).toEqual([2, 3]);
    expect(Array.from(idx.data)).toEqual([0, 1, 2, 3, 4, 255]);
  });

  it('rejects a bad magic number, naming the file and the magic', () => {
    const bytes = idxBytes([2], [1, 2]);
    bytes[0] = 0x1f;
    expect(() => parseIdx(bytes, '/x/labels')).toThrow(/\/x\/labels: not an IDX file: magic number 0x1f000801/);
  });

  it('rejects dtypes other than ubyte, naming the dtype', () => {
    const bytes = idxBytes([2], [1, 2]);
    bytes[2] = 0x0d;
    expect(() => parseIdx(bytes, 'f')).toThrow(/f: IDX dtype 0x0d \(float\) is not supported/);
  });

  it('rejects truncated data and trailing bytes with expected and actual lengths', () => {
    const bytes = idxBytes([2, 3], [1, 2, 3, 4, 5, 6]);
    expect(() => parseIdx(bytes.subarray(0, bytes.length - 1), 'f')).toThrow(
      /f: IDX file truncated: dims \[2, 3\] need 18 bytes, found 17/,
    );
    expect(() => parseIdx(Buffer.concat([bytes, Buffer.from([0])]), 'f')).toThrow(/has trailing bytes: .* need 18 bytes, found 19/);
    expect(() => parseIdx(bytes.subarray(0, 6), 'f')).toThrow(/truncated IDX header/);
    expect(() => parseIdx(bytes.subarray(0, 2), 'f')).toThrow(DatasetError);
  });
});

describe('readIdxFile', () => {
  it('reads raw and gzipped files to the same content', async () => {
    const dir = tempDir();
    const bytes = idxBytes([3], [7, 8, 9]);
    writeFileSync(join(dir, 'a'), bytes);
    writeFileSync(join(dir, 'a.gz'), gz(bytes));
    const raw = await readIdxFile(join(dir, 'a'));
    const zipped = await readIdxFile(join(dir, 'a.gz'));
    expect(raw.gzipped).toBe(false);
    expect(zipped.gzipped).toBe(true);
    expect(Buffer.from(zipped.content).equals(bytes)).toBe(true);
    expect(Array.from(zipped.idx.data)).toEqual([7, 8, 9]);
  });

  it('reports a truncated gzip file by path', async () => {
    const dir = tempDir();
    const z = gz(idxBytes([100], new Array(100).fill(3)));
    const path = join(dir, 'cut.gz');
    writeFileSync(path, z.subarray(0, z.length - 10));
    await expect(readIdxFile(path)).rejects.toThrow(`${path}: cannot gunzip`);
  });

  it('reports a missing file by path', async () => {
    const path = join(tempDir(), 'nope');
    await expect(readIdxFile(path)).rejects.toThrow(`${path}: cannot read file (ENOENT)`);
  });
});
