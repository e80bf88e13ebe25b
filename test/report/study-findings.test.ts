/** study.json's `findings` (written by `albench run` from the spec) reaches the analysis. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readStudyFindings } from '../../src/report/write-report.js';

function dirWith(study: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'albench-study-findings-'));
  writeFileSync(join(dir, 'study.json'), JSON.stringify(study));
  return dir;
}

describe('readStudyFindings', () => {
  it('returns the overrides, or undefined when study.json has none', async () => {
    expect(await readStudyFindings(dirWith({ name: 'x', findings: { F3: { minEffect: 0.02 } } }))).toEqual({ F3: { minEffect: 0.02 } });
    expect(await readStudyFindings(dirWith({ name: 'x' }))).toBeUndefined();
    expect(await readStudyFindings(mkdtempSync(join(tmpdir(), 'albench-none-')))).toBeUndefined();
  });
  it('rejects a hand-edited value, naming it', async () => {
    await expect(readStudyFindings(dirWith({ findings: { F3: { minEffect: -1 } } }))).rejects.toThrow(/findings\.F3\.minEffect must be a number > 0 and ≤ 1, got -1/);
    await expect(readStudyFindings(dirWith({ findings: { X: {} } }))).rejects.toThrow(/findings\.X is not a finding; allowed: F1/);
  });
});
