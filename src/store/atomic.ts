import { closeSync, fsyncSync, openSync, readdirSync, renameSync, statSync, unlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { dirname, basename, join } from 'node:path';
import { isProcessAlive } from './process-alive.js';

/** Prefix of in-flight temp files; readers skip them and a crash leaves nothing that looks like a result. */
export const TEMP_PREFIX = '.albench-tmp-';

/** Host names go into temp and claim files; dots would make the name ambiguous to parse back. */
export const HOST = hostname().replace(/[^A-Za-z0-9_-]/g, '_');

/** `.albench-tmp-<target>~<host>~<pid>~<random>`: who wrote it, so a sweep can tell abandoned from in flight. */
export function tempPathFor(path: string): string {
  // The random part only avoids collisions between processes; it never reaches a result.
  return join(dirname(path), `${TEMP_PREFIX}${basename(path)}~${HOST}~${process.pid}~${randomBytes(4).toString('hex')}`);
}

/**
 * Writes `content` so that readers see either the old file or the whole new one, never a part:
 * write a temp file in the same directory, fsync it, rename it over the target, fsync the directory.
 * On any failure (full disk, permissions) the temp file is removed before the error propagates, so
 * a failed write leaves no partial file behind.
 */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const tmp = tempPathFor(path);
  try {
    const fd = openSync(tmp, 'w');
    try {
      writeFileSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    removeQuietly(tmp);
    throw err;
  }
  fsyncDir(dir);
}

export function fsyncDir(dir: string): void {
  const dirFd = openSync(dir, 'r');
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
}

export function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone (or never created): nothing to clean up.
  }
}

/**
 * Removes temp files abandoned by killed writers: on this host, those whose writer pid is dead; from
 * other hosts (a shared filesystem), only those untouched for `foreignAfterMs`, since we cannot see
 * their processes. Returns the removed paths.
 */
export function sweepTempFiles(dir: string, foreignAfterMs: number, now = Date.now()): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(TEMP_PREFIX)) continue;
    const path = join(dir, name);
    const [, host, pid] = name.split('~');
    let abandoned: boolean;
    if (host === HOST && pid !== undefined && /^\d+$/.test(pid)) {
      abandoned = !isProcessAlive(Number(pid));
    } else {
      try {
        abandoned = now - statSync(path).mtimeMs > foreignAfterMs;
      } catch {
        continue;
      }
    }
    if (abandoned) {
      removeQuietly(path);
      removed.push(path);
    }
  }
  return removed;
}
