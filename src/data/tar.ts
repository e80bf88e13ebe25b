/**
 * Minimal reader for (ustar / GNU) tar archives, enough to unpack the CIFAR-10 binary archive
 * without a dependency: 512-byte headers, octal sizes, data padded to 512 bytes, two zero blocks
 * at the end. Only regular files are returned; links and directories are skipped.
 */
import { DatasetError } from './dataset.js';

const BLOCK = 512;

function field(header: Uint8Array, offset: number, length: number): string {
  const raw = header.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return Buffer.from(end === -1 ? raw : raw.subarray(0, end)).toString('utf8');
}

/** Each regular file in the archive: its path (ustar prefix joined) and a view of its bytes. */
export function* tarEntries(archive: Uint8Array, name = 'archive'): Generator<{ path: string; data: Uint8Array }> {
  let off = 0;
  let longName: string | undefined;
  while (off + BLOCK <= archive.length) {
    const header = archive.subarray(off, off + BLOCK);
    if (header.every((b) => b === 0)) return;
    const sizeText = field(header, 124, 12).trim();
    const size = parseInt(sizeText || '0', 8);
    if (!Number.isFinite(size) || size < 0) throw new DatasetError(`${name}: corrupt tar header at byte ${off} (size field ${JSON.stringify(sizeText)})`);
    const type = String.fromCharCode(header[156] || 0x30);
    const dataStart = off + BLOCK;
    if (dataStart + size > archive.length) {
      throw new DatasetError(`${name}: tar archive truncated: entry at byte ${off} needs ${size} bytes, archive ends at ${archive.length}`);
    }
    const data = archive.subarray(dataStart, dataStart + size);
    off = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'L') {
      // GNU long name: the next entry's path is this entry's data.
      longName = field(data, 0, data.length);
      continue;
    }
    const prefix = field(header, 345, 155);
    const path = longName ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
    longName = undefined;
    if (type === '0' || type === '\0') yield { path: path.replace(/^\.\//, ''), data };
  }
  throw new DatasetError(`${name}: tar archive ends without its end-of-archive blocks; it is truncated`);
}
