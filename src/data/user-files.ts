/**
 * Identity of user data (csv, npy): which files a config reads and the SHA-256 that goes into the
 * cell config, so editing a file can never reuse results computed on the old bytes.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DatasetConfig } from '../spec/types.js';
import { sha256Hex } from './checksum.js';
import { DatasetError } from './dataset.js';

export const NPY_FILES = { x: 'x.npy', y: 'y.npy', xTest: 'x_test.npy', yTest: 'y_test.npy' } as const;

/** The files a csv/npy config reads, in a fixed order: [train, test?] or [x, y, x_test?, y_test?]. */
export function userDataFiles(config: DatasetConfig): string[] {
  if (!config.path) throw new DatasetError(`dataset ${config.name}: "path" is required (the ${config.name === 'csv' ? 'CSV file' : 'directory with x.npy and y.npy'})`);
  const path = resolve(config.path);
  if (config.name === 'csv') return config.test ? [path, resolve(config.test)] : [path];
  if (!existsSync(path) || !statSync(path).isDirectory()) {
    throw new DatasetError(`${path}: not a directory; dataset npy needs "path" to name a directory holding ${NPY_FILES.x} and ${NPY_FILES.y}`);
  }
  const files = [join(path, NPY_FILES.x), join(path, NPY_FILES.y)];
  const xTest = join(path, NPY_FILES.xTest);
  const yTest = join(path, NPY_FILES.yTest);
  if (existsSync(xTest) !== existsSync(yTest)) {
    throw new DatasetError(`${path}: has only one of ${NPY_FILES.xTest} and ${NPY_FILES.yTest}; give both (a fixed test set) or neither (split by testFraction)`);
  }
  if (existsSync(xTest)) files.push(xTest, yTest);
  return files;
}

/** Whether a user data set comes with its own fixed test set. */
export function hasOwnTestSet(config: DatasetConfig): boolean {
  return config.name === 'csv' ? config.test !== undefined : userDataFiles(config).length === 4;
}

export function readUserFile(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new DatasetError(`${path}: cannot read file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}

/**
 * SHA-256 of the user's files: one file's own SHA-256 (what `sha256sum` prints), or, for several,
 * the SHA-256 of their SHA-256s joined by newlines in `userDataFiles` order.
 */
export function combinedSha256(fileShas: readonly string[]): string {
  return fileShas.length === 1 ? fileShas[0] : sha256Hex(fileShas.join('\n'));
}

export function userDataSha256(config: DatasetConfig): string {
  return combinedSha256(userDataFiles(config).map((f) => sha256Hex(readUserFile(f))));
}

/** Loaders call this with the hashes of the bytes they actually read. */
export function checkUserDataSha256(config: DatasetConfig, files: readonly string[], fileShas: readonly string[]): string {
  const sha = combinedSha256(fileShas);
  if (config.sha256 !== undefined && config.sha256 !== sha) {
    throw new DatasetError(
      `${files.join(', ')}: SHA-256 ${sha} does not match the dataset's sha256 ${config.sha256} (pinned in the spec, or recorded when the study was expanded); the data changed — restore it, or update/remove the pin`,
    );
  }
  return sha;
}
