import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/data/checksum.js';
import { loadCsv, parseCsv } from '../../src/data/csv.js';
import { tempDir } from './helpers.js';

function write(name: string, text: string, dir = tempDir()): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** 12 rows, two numeric features, string labels a/b/c, 4 of each. */
const TRAIN = ['f1,f2,species', ...Array.from({ length: 12 }, (_, i) => `${i},${i * 0.5},${'abc'[i % 3]}`)].join('\n') + '\n';

describe('CSV parsing', () => {
  it('handles quotes, embedded commas and newlines, CRLF and blank lines, with line numbers', () => {
    const rows = parseCsv('a,"b,c"\r\n\r\n"multi\nline",2\n"say ""hi""",3', 'f.csv');
    expect(rows.map((r) => [r.line, r.fields])).toEqual([
      [1, ['a', 'b,c']],
      [3, ['multi\nline', '2']],
      [5, ['say "hi"', '3']],
    ]);
    expect(() => parseCsv('a,"open\n', 'f.csv')).toThrow('f.csv: row 1: a quoted field is never closed');
  });
});

describe('csv loader on small files it writes', () => {
  it('reads a header, finds the label column by name, maps names to ids, splits stratified', () => {
    const path = write('train.csv', TRAIN);
    const d = loadCsv({ name: 'csv', path, label: 'species', testFraction: 0.25, splitSeed: 0 });
    expect(d.shape).toEqual([2]);
    expect(d.numClasses).toBe(3);
    expect(d.train.n + d.test.n).toBe(12);
    expect(d.test.n).toBe(3);
    expect(new Set(d.test.y)).toEqual(new Set([0, 1, 2]));
    expect(d.source).toContain('ids 0..2 = a, b, c');
    expect(d.source).toContain(sha256Hex(TRAIN));
  });

  it('defaults to a column named label, else the last; takes an index; reads headerless files', () => {
    const named = write('n.csv', 'label,x\n1,0.5\n0,0.25\n1,1\n0,2\n');
    const d1 = loadCsv({ name: 'csv', path: named, testFraction: 0.5 });
    expect(d1.shape).toEqual([1]);
    expect([...d1.train.x, ...d1.test.x].sort()).toEqual([0.25, 0.5, 1, 2]);
    const bare = write('b.csv', '0.5,3,1\n0.25,4,0\n1,5,1\n2,6,0\n');
    expect(loadCsv({ name: 'csv', path: bare, testFraction: 0.5 }).shape).toEqual([2]);
    const first = loadCsv({ name: 'csv', path: bare, label: 1, testFraction: 0.5 });
    expect(first.numClasses).toBe(4);
  });

  it('uses a fixed test file with the same columns', () => {
    const dir = tempDir();
    const path = write('train.csv', TRAIN, dir);
    const test = write('test.csv', 'f1,f2,species\n1,2,c\n3,4,a\n', dir);
    const d = loadCsv({ name: 'csv', path, test });
    expect([d.train.n, d.test.n]).toEqual([12, 2]);
    expect(Array.from(d.test.y)).toEqual([2, 0]);
    expect(Array.from(d.test.x)).toEqual([1, 2, 3, 4]);
  });

  it('names the row and column of a bad value, a short row, and an unknown test label', () => {
    const dir = tempDir();
    const bad = write('bad.csv', 'f1,f2,label\n1,2,0\n3,oops,1\n', dir);
    expect(() => loadCsv({ name: 'csv', path: bad })).toThrow(`${bad}: row 3, column 2 ("f2"): "oops" is not a finite number`);
    const short = write('short.csv', 'f1,f2,label\n1,2,0\n3,1\n', dir);
    expect(() => loadCsv({ name: 'csv', path: short })).toThrow(`${short}: row 3 has 2 fields, expected 3 (as in the header)`);
    const train = write('t.csv', 'f,label\n1,0\n2,1\n3,0\n4,1\n', dir);
    const test = write('u.csv', 'f,label\n1,0\n2,5\n', dir);
    expect(() => loadCsv({ name: 'csv', path: train, test })).toThrow(`${test}: row 3, column 2 ("label"): label "5" does not occur in the training file; known: 0, 1`);
    expect(() => loadCsv({ name: 'csv', path: train, label: 'class' })).toThrow(`${train}: no column named "class"; columns: f, label`);
    expect(() => loadCsv({ name: 'csv', path: train, label: 9 })).toThrow(/label column index 9 is out of range; the file has 2 columns/);
  });

  it('refuses data that changed since its SHA-256 was recorded', () => {
    const path = write('t.csv', 'f,label\n1,0\n2,1\n3,0\n4,1\n');
    expect(() => loadCsv({ name: 'csv', path, sha256: '0'.repeat(64) })).toThrow(/does not match the dataset's sha256 0{64}/);
  });
});
