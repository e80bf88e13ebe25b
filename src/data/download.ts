/**
 * One file over HTTP(S) into place, or nothing: the body streams into a temporary file in the
 * destination directory while it is hashed; only a complete transfer whose SHA-256 matches the pin
 * is fsynced and renamed into place. Any failure (HTTP error, refused connection, stall, short
 * body, wrong hash) removes the temporary file, so a data directory never holds a partial file.
 */
import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { tempPathFor } from '../store/atomic.js';
import { DatasetError } from './dataset.js';

export interface DownloadOptions {
  /** Pinned SHA-256 of the bytes as served. */
  readonly sha256: string;
  /** Expected size, used as the progress total when the server sends no Content-Length. */
  readonly bytes?: number;
  /** Called as bytes arrive: received so far and the total if known. */
  readonly onProgress?: (received: number, total: number | undefined) => void;
  /** Abort when no byte arrives for this long (default 60 s). */
  readonly idleTimeoutMs?: number;
}

/** Download `url` to `dest` atomically, verifying SHA-256. Returns the verified hash. */
export async function downloadFile(url: string, dest: string, options: DownloadOptions): Promise<string> {
  mkdirSync(dirname(dest), { recursive: true });
  const tmp = tempPathFor(dest);
  const idleMs = options.idleTimeoutMs ?? 60_000;
  const controller = new AbortController();
  let timer = setTimeout(() => controller.abort(), idleMs);
  const touch = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(), idleMs);
  };
  let fd: number | undefined;
  let received = 0;
  try {
    let response: Response;
    try {
      response = await fetch(url, { signal: controller.signal, redirect: 'follow' });
    } catch (err) {
      throw new DatasetError(`${url}: ${controller.signal.aborted ? `no response within ${idleMs} ms` : `cannot connect (${causeOf(err)})`}`);
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      throw new DatasetError(`${url}: HTTP ${response.status} ${response.statusText}`.trimEnd());
    }
    const header = response.headers.get('content-length');
    const declared = header !== null && /^\d+$/.test(header) ? Number(header) : undefined;
    const total = declared ?? options.bytes;
    const hash = createHash('sha256');
    fd = openSync(tmp, 'w');
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        touch();
        hash.update(chunk);
        writeSync(fd, chunk);
        received += chunk.length;
        options.onProgress?.(received, total);
      }
    } catch (err) {
      const why = controller.signal.aborted ? `stalled: no data for ${idleMs} ms` : causeOf(err);
      throw new DatasetError(`${url}: transfer broke off after ${received}${total ? ` of ${total}` : ''} bytes (${why}); nothing was kept`);
    }
    if (declared !== undefined && received !== declared) {
      throw new DatasetError(`${url}: truncated transfer: received ${received} of ${declared} bytes; nothing was kept`);
    }
    const sha = hash.digest('hex');
    if (sha !== options.sha256) {
      throw new DatasetError(
        `${url}: SHA-256 mismatch: expected ${options.sha256}, got ${sha} (${received} bytes); the download is corrupt or the server changed the file; nothing was kept`,
      );
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, dest);
    return sha;
  } finally {
    clearTimeout(timer);
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
  }
}

/** Try each address in turn; the error lists every attempt. */
export async function downloadFirst(urls: readonly string[], dest: string, options: DownloadOptions): Promise<{ url: string; sha256: string }> {
  const failures: string[] = [];
  for (const url of urls) {
    try {
      return { url, sha256: await downloadFile(url, dest, options) };
    } catch (err) {
      if (!(err instanceof DatasetError)) throw err;
      failures.push(err.message);
    }
  }
  throw new DatasetError(`could not download ${basename(dest)}:\n  - ${failures.join('\n  - ')}`);
}

function causeOf(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(err);
}
