/**
 * `albench data fetch|verify|list` as library functions: find a data set on the search path,
 * verify it against the pins in sources.ts, or download it into the data directory.
 */
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { tempPathFor, writeFileAtomic } from '../store/atomic.js';
import { sha256Hex } from './checksum.js';
import { DatasetError } from './dataset.js';
import { downloadFirst, type DownloadOptions } from './download.js';
import { isGzip } from './idx.js';
import { datasetSearchPath, downloadDir, locateFiles } from './locate.js';
import type { DatasetSource, PinnedFile } from './sources.js';
import { tarEntries } from './tar.js';

/** The outcome of checking one file against its pin. */
export interface FileCheck {
  readonly file: PinnedFile;
  readonly path: string;
  readonly ok: boolean;
  readonly actual: string;
  /** `raw`, or `gzip` when the content was checked after gunzip. */
  readonly form: 'raw' | 'gzip';
}

export interface VerifyResult {
  readonly dir: string;
  readonly checks: readonly FileCheck[];
  readonly ok: boolean;
}

function contentOf(path: string): { content: Uint8Array; form: 'raw' | 'gzip' } {
  const bytes = readFileSync(path);
  if (!isGzip(bytes)) return { content: bytes, form: 'raw' };
  try {
    return { content: gunzipSync(bytes), form: 'gzip' };
  } catch (err) {
    throw new DatasetError(`${path}: cannot gunzip (${(err as Error).message}); the file is truncated or corrupt`);
  }
}

/**
 * Re-check the files found on the search path against their pinned content SHA-256. Throws a
 * `DatasetError` when the data set is missing or incomplete; returns each file's verdict otherwise.
 */
export function verifyDataset(source: DatasetSource, searchPath: readonly string[]): VerifyResult {
  const { dir, paths } = locateFiles(source, searchPath);
  const checks = source.files.map((file): FileCheck => {
    const path = paths[file.key];
    const { content, form } = contentOf(path);
    const actual = sha256Hex(content);
    return { file, path, ok: actual === file.contentSha256, actual, form };
  });
  return { dir, checks, ok: checks.every((c) => c.ok) };
}

/** Where a data set is present on the search path (not verified: listing must stay cheap), or undefined. */
export function findPresent(source: DatasetSource, searchPath: readonly string[]): { dir: string; bytes: number } | undefined {
  try {
    const { dir, paths } = locateFiles(source, searchPath);
    return { dir, bytes: Object.values(paths).reduce((s, p) => s + statSync(p).size, 0) };
  } catch {
    return undefined;
  }
}

export interface FetchOptions {
  /** Data root (`--data-dir`); files go to `<root>/<dirName>`. */
  readonly dataDir?: string;
  /** Replace the search path consulted before the network (tests). */
  readonly searchPath?: readonly string[];
  /** Replace the destination directory (tests). */
  readonly destDir?: string;
  /** Download even if a verified copy is on the search path. */
  readonly force?: boolean;
  /** Progress of each download: file name, bytes so far, total if known. */
  readonly onProgress?: (fileName: string, received: number, total: number | undefined) => void;
  readonly idleTimeoutMs?: number;
}

export type FetchResult =
  | { readonly status: 'present'; readonly dir: string }
  | { readonly status: 'downloaded'; readonly dir: string; readonly urls: readonly string[] };

/**
 * Make a data set available: if a copy on the search path verifies, use it and touch no network;
 * otherwise download every file from its official address (then mirrors), verify SHA-256, unpack
 * (archives) and move each file into `<data root>/<dirName>` atomically.
 */
export async function fetchDataset(source: DatasetSource, options: FetchOptions = {}): Promise<FetchResult> {
  const searchPath = options.searchPath ?? datasetSearchPath(source, options.dataDir);
  if (!options.force && findPresent(source, searchPath)) {
    const verified = verifyDataset(source, searchPath);
    if (verified.ok) return { status: 'present', dir: verified.dir };
    // A corrupt copy that the loader would pick first must be replaced, not shadowed.
  }
  const dir = options.destDir ?? downloadDir(source, options.dataDir);
  const urls: string[] = [];
  for (const remote of source.downloads) {
    const progress: DownloadOptions['onProgress'] = (received, total) => options.onProgress?.(remote.fileName, received, total);
    const common = { sha256: remote.sha256, bytes: remote.bytes, onProgress: progress, idleTimeoutMs: options.idleTimeoutMs };
    if (remote.members) {
      // Archive: download beside the destination, unpack the pinned members, drop the archive.
      const archive = tempPathFor(join(dir, remote.fileName));
      try {
        urls.push((await downloadFirst(remote.urls, archive, common)).url);
        extractMembers(source, remote.members, archive, dir);
      } finally {
        rmSync(archive, { force: true });
      }
    } else {
      const dest = join(dir, remote.fileName);
      urls.push((await downloadFirst(remote.urls, dest, common)).url);
      const pinned = source.files.find((f) => f.key === remote.unpacksTo);
      if (pinned) {
        // The archive hash already matched; checking the content too catches a wrong pin here.
        const { content } = contentOf(dest);
        const sha = sha256Hex(content);
        if (sha !== pinned.contentSha256) {
          rmSync(dest, { force: true });
          throw new DatasetError(`${dest}: content SHA-256 ${sha} does not match the pinned ${pinned.contentSha256}; removed`);
        }
      }
    }
  }
  return { status: 'downloaded', dir, urls };
}

function extractMembers(source: DatasetSource, members: Readonly<Record<string, string>>, archivePath: string, dir: string): void {
  let tar: Uint8Array;
  try {
    tar = gunzipSync(readFileSync(archivePath));
  } catch (err) {
    throw new DatasetError(`${archivePath}: cannot gunzip the downloaded archive (${(err as Error).message})`);
  }
  const wanted = new Map(Object.entries(members));
  const found = new Map<string, Uint8Array>();
  for (const entry of tarEntries(tar, archivePath)) {
    const key = wanted.get(entry.path);
    if (key) found.set(key, entry.data);
  }
  const missing = [...wanted].filter(([, key]) => !found.has(key)).map(([path]) => path);
  if (missing.length > 0) throw new DatasetError(`${archivePath}: archive lacks ${missing.join(', ')}`);
  // Verify every member before writing any, so a bad archive leaves the directory untouched.
  for (const [key, data] of found) {
    const pinned = source.files.find((f) => f.key === key)!;
    const sha = sha256Hex(data);
    if (sha !== pinned.contentSha256) {
      throw new DatasetError(`${archivePath}: member ${pinned.name} has SHA-256 ${sha}, expected ${pinned.contentSha256}`);
    }
  }
  for (const [key, data] of found) writeFileAtomic(join(dir, source.files.find((f) => f.key === key)!.name), data);
}
