import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadNpy, parseNpy } from '../../src/data/npy.js';
import { npyBytes, tempDir } from './helpers.js';

function writeDir(files: Record<string, Buffer>): string {
  const dir = tempDir();
  mkdirSync(dir, { recursive: true });
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
  return dir;
}

const labels8 = [0, 1, 2, 0, 1, 2, 0, 1];

describe('npy parsing', () => {
  it('reads the header, shape and little-endian values', () => {
    const a = parseNpy(npyBytes('<f4', [2, 3], [1, 2, 3, 4, 5, 6.5]), 'a.npy');
    expect(a.shape).toEqual([2, 3]);
    expect(Array.from(a.values)).toEqual([1, 2, 3, 4, 5, 6.5]);
    expect(Array.from(parseNpy(npyBytes('<i8', [3], [5, -1, 2]), 'b.npy').values)).toEqual([5, -1, 2]);
  });

  it('names the file and what is wrong', () => {
    expect(() => parseNpy(Buffer.from('hello world'), 'x.npy')).toThrow('x.npy: not a .npy file');
    const full = npyBytes('<f4', [2, 3], [1, 2, 3, 4, 5, 6]);
    expect(() => parseNpy(full.subarray(0, full.length - 4), 'x.npy')).toThrow('x.npy: shape [2, 3] of <f4 needs 24 data bytes, found 20 (truncated)');
    expect(() => parseNpy(npyBytes('<f4', [2], [1, 2], { fortran: true }), 'x.npy')).toThrow(/Fortran order/);
    const be = Buffer.from(npyBytes('<f4', [1], [1]).toString('latin1').replace("'<f4'", "'>f4'"), 'latin1');
    expect(() => parseNpy(be, 'x.npy')).toThrow(/dtype >f4 is not supported \(big-endian/);
  });
});

describe('npy loader on small files it writes', () => {
  it('loads float32 vectors with int64 labels and splits stratified', () => {
    const dir = writeDir({ 'x.npy': npyBytes('<f4', [8, 2], Array.from({ length: 16 }, (_, i) => i)), 'y.npy': npyBytes('<i8', [8], labels8) });
    const d = loadNpy({ name: 'npy', path: dir, testFraction: 0.3 });
    expect(d.shape).toEqual([2]);
    expect(d.numClasses).toBe(3);
    expect(d.train.n + d.test.n).toBe(8);
    expect(new Set(d.test.y)).toEqual(new Set([0, 1, 2]));
  });

  it('scales uint8 images to [0, 1], adds a channel to [n, h, w], uses fixed test files', () => {
    const dir = writeDir({
      'x.npy': npyBytes('|u1', [8, 2, 2], Array.from({ length: 32 }, (_, i) => i * 8)),
      'y.npy': npyBytes('|u1', [8], labels8),
      'x_test.npy': npyBytes('|u1', [1, 2, 2], [255, 0, 0, 0]),
      'y_test.npy': npyBytes('<i4', [1], [2]),
    });
    const d = loadNpy({ name: 'npy', path: dir });
    expect(d.shape).toEqual([2, 2, 1]);
    expect([d.train.n, d.test.n]).toEqual([8, 1]);
    expect(d.train.x[1]).toBeCloseTo(8 / 255, 7);
    expect(d.test.x[0]).toBe(1);
  });

  it('checks shapes and labels, naming file and shape', () => {
    const x = npyBytes('<f4', [8, 2], new Array(16).fill(0));
    const short = writeDir({ 'x.npy': x, 'y.npy': npyBytes('<i8', [7], labels8.slice(1)) });
    expect(() => loadNpy({ name: 'npy', path: short })).toThrow(`${join(short, 'y.npy')}: labels have shape [7], expected [8] to match x.npy's 8 rows`);
    const floatY = writeDir({ 'x.npy': x, 'y.npy': npyBytes('<f4', [8], labels8) });
    expect(() => loadNpy({ name: 'npy', path: floatY })).toThrow(/labels have dtype <f4; allowed: integer dtypes/);
    const gap = writeDir({ 'x.npy': x, 'y.npy': npyBytes('<i8', [8], [0, 2, 0, 2, 0, 2, 0, 2]) });
    expect(() => loadNpy({ name: 'npy', path: gap })).toThrow(/class\(es\) 1 of 0..2 never occur/);
    const vector = writeDir({ 'x.npy': npyBytes('<f4', [8], labels8), 'y.npy': npyBytes('<i8', [8], labels8) });
    expect(() => loadNpy({ name: 'npy', path: vector })).toThrow(/x has shape \[8\]; expected \[n, d\], \[n, h, w\] or \[n, h, w, c\]/);
    const testShape = writeDir({ 'x.npy': x, 'y.npy': npyBytes('<i8', [8], labels8), 'x_test.npy': npyBytes('<f4', [1, 3], [1, 2, 3]), 'y_test.npy': npyBytes('<i8', [1], [0]) });
    expect(() => loadNpy({ name: 'npy', path: testShape })).toThrow(/x_test\.npy: examples have shape \[3\], but x\.npy's have \[2\]/);
    const onlyX = writeDir({ 'x.npy': x, 'y.npy': npyBytes('<i8', [8], labels8), 'x_test.npy': x });
    expect(() => loadNpy({ name: 'npy', path: onlyX })).toThrow(/has only one of x_test\.npy and y_test\.npy/);
  });
});
