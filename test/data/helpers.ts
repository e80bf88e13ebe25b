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

/** A .npy (format 1.0) file: magic, version, little-endian header length, padded dict header, data. */
export function npyBytes(descr: string, shape: readonly number[], values: ArrayLike<number> | ArrayBufferView, opts: { fortran?: boolean } = {}): Buffer {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': ${opts.fortran ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  // numpy pads the header with spaces so the data starts at a multiple of 64, ending in '\n'.
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 10 - 1, ' ') + '\n';
  const pre = Buffer.alloc(10);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]).copy(pre);
  pre.writeUInt16LE(header.length, 8);
  let data: Buffer;
  if (ArrayBuffer.isView(values)) data = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  else if (descr === '<f4') data = Buffer.from(Float32Array.from(values as ArrayLike<number>).buffer);
  else if (descr === '<i8') data = Buffer.from(BigInt64Array.from(Array.from(values as ArrayLike<number>, (v) => BigInt(v))).buffer);
  else if (descr === '<i4') data = Buffer.from(Int32Array.from(values as ArrayLike<number>).buffer);
  else if (descr === '|u1') data = Buffer.from(Uint8Array.from(values as ArrayLike<number>));
  else throw new Error(`npyBytes: no writer for ${descr}`);
  return Buffer.concat([pre, Buffer.from(header, 'latin1'), data]);
}

/** A ustar archive of regular files (what `tar -cf` writes), ending in two zero blocks. */
export function tarBytes(files: ReadonlyArray<{ path: string; data: Uint8Array }>): Buffer {
  const blocks: Buffer[] = [];
  for (const { path, data } of files) {
    const h = Buffer.alloc(512);
    h.write(path, 0, 100, 'utf8');
    h.write('0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write(data.length.toString(8).padStart(11, '0') + '\0', 124);
    h.write('00000000000\0', 136);
    h.write('        ', 148);
    h.write('0', 156);
    h.write('ustar\0', 257);
    h.write('00', 263);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
    blocks.push(h, Buffer.from(data), Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}
