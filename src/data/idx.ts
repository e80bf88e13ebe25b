/**
 * Reader for the IDX container used by MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/):
 *
 *   bytes 0-1  0x0000
 *   byte  2    dtype (only 0x08 = unsigned byte is used by these data sets, so only it is supported)
 *   byte  3    number of dims
 *   then one big-endian uint32 per dim, then the values in row-major order.
 *
 * The reader is strict: the payload must be exactly as long as the dims say, because a truncated
 * download would otherwise surface much later as a silently shorter data set.
 */
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { DatasetError } from './dataset.js';

/** Async gunzip runs on libuv's thread pool, so several files decompress in parallel. */
const gunzipAsync = promisify(gunzip);

const DTYPE_UBYTE = 0x08;
const DTYPE_NAMES: Record<number, string> = {
  0x08: 'ubyte',
  0x09: 'byte',
  0x0b: 'short',
  0x0c: 'int',
  0x0d: 'float',
  0x0e: 'double',
};

/** A decoded IDX array of unsigned bytes. `data` views the file's bytes (no copy). */
export interface IdxArray {
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

/** What `readIdxFile` found: the array, the decompressed bytes (for checksums) and the file's own hash input. */
export interface IdxFile {
  readonly path: string;
  /** The bytes on disk (gzipped or not). */
  readonly fileBytes: Uint8Array;
  /** The IDX bytes after transparent gunzip; identical to `fileBytes` for uncompressed files. */
  readonly content: Uint8Array;
  readonly gzipped: boolean;
  readonly idx: IdxArray;
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function hex(n: number, width = 2): string {
  return '0x' + n.toString(16).padStart(width, '0');
}

/**
 * Decode IDX bytes. `name` (usually the file path) goes into every error message.
 * Throws `DatasetError` for a bad magic number, an unsupported dtype, or a length that does not
 * match the dims exactly.
 */
export function parseIdx(bytes: Uint8Array, name: string): IdxArray {
  if (bytes.length < 4) {
    throw new DatasetError(`${name}: not an IDX file: only ${bytes.length} bytes, the header alone needs 4 (file truncated?)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new DatasetError(
      `${name}: not an IDX file: magic number ${hex(magic, 8)} does not start with 0x0000 (expected e.g. 0x00000803 for images, 0x00000801 for labels)`,
    );
  }
  const dtype = bytes[2];
  if (dtype !== DTYPE_UBYTE) {
    const dname = DTYPE_NAMES[dtype] ?? 'unknown';
    throw new DatasetError(`${name}: IDX dtype ${hex(dtype)} (${dname}) is not supported; only ${hex(DTYPE_UBYTE)} (ubyte) is`);
  }
  const ndims = bytes[3];
  if (ndims === 0) throw new DatasetError(`${name}: IDX header declares 0 dims`);
  const headerBytes = 4 + 4 * ndims;
  if (bytes.length < headerBytes) {
    throw new DatasetError(`${name}: truncated IDX header: ${ndims} dims need ${headerBytes} header bytes, file has ${bytes.length}`);
  }
  const dims: number[] = [];
  for (let i = 0; i < ndims; i++) dims.push(view.getUint32(4 + 4 * i));
  const expected = headerBytes + dims.reduce((a, b) => a * b, 1);
  if (bytes.length !== expected) {
    const what = bytes.length < expected ? 'truncated' : 'has trailing bytes';
    throw new DatasetError(
      `${name}: IDX file ${what}: dims [${dims.join(', ')}] need ${expected} bytes, found ${bytes.length}`,
    );
  }
  return { dims, data: bytes.subarray(headerBytes) };
}

/** Read an IDX file from disk, gunzipping it first if it is gzip data (detected by its magic, not its name). */
export async function readIdxFile(path: string): Promise<IdxFile> {
  let fileBytes: Uint8Array;
  try {
    fileBytes = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new DatasetError(`${path}: cannot read file (${code ?? String(err)})`);
  }
  const gzipped = isGzip(fileBytes);
  let content = fileBytes;
  if (gzipped) {
    try {
      content = await gunzipAsync(fileBytes);
    } catch (err) {
      throw new DatasetError(`${path}: cannot gunzip (${(err as Error).message}); the file is truncated or corrupt`);
    }
  }
  return { path, fileBytes, content, gzipped, idx: parseIdx(content, path) };
}
