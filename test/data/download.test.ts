/**
 * The download path against a local HTTP server on 127.0.0.1 (bounded: it serves a handful of
 * tiny responses and is closed after the tests). Every failure must leave no file behind.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/data/checksum.js';
import { downloadFile, downloadFirst } from '../../src/data/download.js';
import { fetchDataset, verifyDataset } from '../../src/data/fetch.js';
import { loadIdxFamily } from '../../src/data/mnist-family.js';
import { loadCifar10 } from '../../src/data/cifar10.js';
import { MNIST_SOURCE, CIFAR10_SOURCE, type DatasetSource } from '../../src/data/sources.js';
import { tarEntries } from '../../src/data/tar.js';
import { gz, idxBytes, tarBytes, tempDir } from './helpers.js';

const GOOD = Buffer.from('the quick brown fox '.repeat(500));
const GOOD_SHA = sha256Hex(GOOD);

// Tiny MNIST-format files and a tiny CIFAR-10-format archive, served under their real names.
const image = (n: number) => Array.from({ length: n * 784 }, (_, i) => i % 251);
const MNIST_RAW: Record<string, Buffer> = {
  trainImages: idxBytes([4, 28, 28], image(4)),
  trainLabels: idxBytes([4], [1, 2, 3, 4]),
  testImages: idxBytes([2, 28, 28], image(2)),
  testLabels: idxBytes([2], [5, 6]),
};
const MNIST_GZ = Object.fromEntries(Object.entries(MNIST_RAW).map(([k, v]) => [k, gz(v)]));
const cifarBatch = (labels: number[]) => Buffer.concat(labels.map((l, r) => Buffer.concat([Buffer.from([l]), Buffer.alloc(3072, r + l)])));
const CIFAR_FILES: Record<string, Buffer> = Object.fromEntries(
  ['data_batch_1', 'data_batch_2', 'data_batch_3', 'data_batch_4', 'data_batch_5', 'test_batch'].map((k, i) => [k, cifarBatch([i, (i + 1) % 10])]),
);
const CIFAR_TGZ = gz(tarBytes(Object.entries(CIFAR_FILES).map(([k, data]) => ({ path: `cifar-10-batches-bin/${k}.bin`, data }))));

let server: Server;
let base = '';
let hits = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    hits++;
    const url = req.url ?? '';
    if (url === '/good') {
      res.writeHead(200, { 'content-length': GOOD.length });
      res.end(GOOD);
    } else if (url === '/bad') {
      const bad = Buffer.from(GOOD);
      bad[10] ^= 1;
      res.writeHead(200, { 'content-length': bad.length });
      res.end(bad);
    } else if (url === '/truncated') {
      // Promise the whole file, send a third of it, then drop the connection.
      res.writeHead(200, { 'content-length': GOOD.length });
      res.write(GOOD.subarray(0, Math.floor(GOOD.length / 3)), () => res.socket?.destroy());
    } else if (url.startsWith('/mnist/')) {
      const key = MNIST_SOURCE.downloads.find((d) => url.endsWith(`/${d.fileName}`))?.unpacksTo;
      if (!key) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-length': MNIST_GZ[key].length });
      res.end(MNIST_GZ[key]);
    } else if (url === '/cifar/cifar-10-binary.tar.gz') {
      res.writeHead(200, { 'content-length': CIFAR_TGZ.length });
      res.end(CIFAR_TGZ);
    } else {
      res.writeHead(404, 'Not Found').end('no such file');
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
});

const opts = { sha256: GOOD_SHA, idleTimeoutMs: 5_000 };

describe('downloadFile against a local server', () => {
  it('downloads a good file into place, reporting progress, with no temp file left', async () => {
    const dir = tempDir();
    const seen: number[] = [];
    const sha = await downloadFile(`${base}/good`, join(dir, 'f.bin'), { ...opts, onProgress: (r) => seen.push(r) });
    expect(sha).toBe(GOOD_SHA);
    expect(readFileSync(join(dir, 'f.bin')).equals(GOOD)).toBe(true);
    expect(readdirSync(dir)).toEqual(['f.bin']);
    expect(seen.at(-1)).toBe(GOOD.length);
  });

  it('rejects a checksum mismatch, naming both hashes, and keeps nothing', async () => {
    const dir = tempDir();
    const p = downloadFile(`${base}/bad`, join(dir, 'f.bin'), opts);
    await expect(p).rejects.toThrow(new RegExp(`/bad: SHA-256 mismatch: expected ${GOOD_SHA}, got [0-9a-f]{64} \\(${GOOD.length} bytes\\).*nothing was kept`));
    expect(readdirSync(dir)).toEqual([]);
  });

  it('rejects a truncated transfer and keeps nothing', async () => {
    const dir = tempDir();
    await expect(downloadFile(`${base}/truncated`, join(dir, 'f.bin'), opts)).rejects.toThrow(/\/truncated: (truncated transfer|transfer broke off).*nothing was kept/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('reports a 404 with the address and keeps nothing', async () => {
    const dir = tempDir();
    await expect(downloadFile(`${base}/missing`, join(dir, 'f.bin'), opts)).rejects.toThrow(`${base}/missing: HTTP 404 Not Found`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('does not replace an existing good file when a re-download fails', async () => {
    const dir = tempDir();
    await downloadFile(`${base}/good`, join(dir, 'f.bin'), opts);
    await expect(downloadFile(`${base}/bad`, join(dir, 'f.bin'), opts)).rejects.toThrow(/SHA-256 mismatch/);
    expect(readFileSync(join(dir, 'f.bin')).equals(GOOD)).toBe(true);
  });

  it('falls back to the next address and lists every failure when all fail', async () => {
    const dir = tempDir();
    const got = await downloadFirst([`${base}/missing`, `${base}/good`], join(dir, 'f.bin'), opts);
    expect(got.url).toBe(`${base}/good`);
    const all = downloadFirst([`${base}/missing`, `${base}/bad`], join(dir, 'g.bin'), opts);
    await expect(all).rejects.toThrow(/could not download g\.bin:\n {2}- .*HTTP 404.*\n {2}- .*SHA-256 mismatch/);
    expect(existsSync(join(dir, 'g.bin'))).toBe(false);
  });
});

/** MNIST's real layout with the test files' hashes pinned instead of the official ones. */
function tinyMnistSource(urlBase: string): DatasetSource {
  return {
    ...MNIST_SOURCE,
    files: MNIST_SOURCE.files.map((f) => ({ ...f, contentSha256: sha256Hex(MNIST_RAW[f.key]), contentBytes: MNIST_RAW[f.key].length })),
    downloads: MNIST_SOURCE.downloads.map((d) => ({ ...d, urls: [`${urlBase}/${d.fileName}`], sha256: sha256Hex(MNIST_GZ[d.unpacksTo!]), bytes: MNIST_GZ[d.unpacksTo!].length })),
  };
}

describe('fetchDataset', () => {
  it('downloads the four MNIST-format files, verifies them, and the loader reads them', async () => {
    const dir = tempDir();
    const source = tinyMnistSource(`${base}/mnist`);
    const result = await fetchDataset(source, { searchPath: [dir], destDir: dir, idleTimeoutMs: 5_000 });
    expect(result.status).toBe('downloaded');
    expect(readdirSync(dir).sort()).toEqual(MNIST_SOURCE.downloads.map((d) => d.fileName).sort());
    expect(verifyDataset(source, [dir]).ok).toBe(true);
    const expectedSha256 = Object.fromEntries(source.files.map((f) => [f.key, f.contentSha256]));
    const d = await loadIdxFamily(source, 'tiny', { searchPath: [dir], expectedSha256 });
    expect([d.train.n, d.test.n, ...d.train.y]).toEqual([4, 2, 1, 2, 3, 4]);
  });

  it('uses a verified copy on the search path without touching the network', async () => {
    const dir = tempDir();
    const source = tinyMnistSource(`${base}/mnist`);
    await fetchDataset(source, { searchPath: [dir], destDir: dir });
    const before = hits;
    const again = await fetchDataset(source, { searchPath: [dir], destDir: tempDir() });
    expect(again).toEqual({ status: 'present', dir });
    expect(hits).toBe(before);
  });

  it('leaves no partial data set when one file of several fails', async () => {
    const dir = tempDir();
    const source = tinyMnistSource(`${base}/mnist`);
    const broken = { ...source, downloads: source.downloads.map((d, i) => (i === 2 ? { ...d, urls: [`${base}/truncated`] } : d)) };
    await expect(fetchDataset(broken, { searchPath: [dir], destDir: dir, idleTimeoutMs: 5_000 })).rejects.toThrow(/could not download t10k-images-idx3-ubyte\.gz/);
    // Files that completed are whole and verified; the failed one is absent, never partial.
    expect(readdirSync(dir).sort()).toEqual(['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz']);
  });

  it('downloads the CIFAR-10 archive, verifies and unpacks the six batches, drops the archive', async () => {
    const dir = tempDir();
    const pins = Object.fromEntries(Object.entries(CIFAR_FILES).map(([k, v]) => [k, sha256Hex(v)]));
    const source: DatasetSource = {
      ...CIFAR10_SOURCE,
      files: CIFAR10_SOURCE.files.map((f) => ({ ...f, contentSha256: pins[f.key], contentBytes: CIFAR_FILES[f.key].length })),
      downloads: CIFAR10_SOURCE.downloads.map((d) => ({ ...d, urls: [`${base}/cifar/${d.fileName}`], sha256: sha256Hex(CIFAR_TGZ), bytes: CIFAR_TGZ.length })),
    };
    const result = await fetchDataset(source, { searchPath: [dir], destDir: dir, idleTimeoutMs: 5_000 });
    expect(result.status).toBe('downloaded');
    expect(readdirSync(dir).sort()).toEqual(CIFAR10_SOURCE.files.map((f) => f.name).sort());
    const d = await loadCifar10({ searchPath: [dir], expectedSha256: pins });
    expect([d.train.n, d.test.n]).toEqual([10, 2]);
    expect(Array.from(d.test.y)).toEqual([5, 6]);
  });
});

describe('tar reader', () => {
  it('reads members by path and rejects a truncated archive', () => {
    const tar = tarBytes([{ path: 'a/b.bin', data: Buffer.from('hello') }, { path: 'c.txt', data: Buffer.alloc(600, 7) }]);
    const entries = [...tarEntries(tar)];
    expect(entries.map((e) => [e.path, e.data.length])).toEqual([['a/b.bin', 5], ['c.txt', 600]]);
    expect(() => [...tarEntries(tar.subarray(0, 1636), 'x.tar')]).toThrow(/x\.tar: tar archive truncated: entry at byte 1024 needs 600 bytes/);
    expect(() => [...tarEntries(tar.subarray(0, 1024), 'y.tar')]).toThrow(/y\.tar: tar archive ends without its end-of-archive blocks/);
  });
});
