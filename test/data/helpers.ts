/** Writers for small data files in their real formats, so loaders are tested on real bytes. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** IDX bytes: 0x0000, dtype 0x08 (ubyte), ndims, big-endian uint32 dims, then the data. */
export function idxBytes(dims: readonly number[], data: ArrayLike<number>): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = 0x08;
  header[3] = dims.length;
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(Array.from(data))]);
}

export function gz(bytes: Uint8Array): Buffer {
  return gzipSync(bytes);
}

export function tempDir(prefix = 'albench-data-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
