/**
 * Every number docs/discussion/<preset>.md quotes is checked against the committed results
 * (results/<preset>/), with the analysis docs/FINDINGS.md is built from (issue 20), and no figure
 * is left without its query (the naked-number rule of src/report/discussion-numbers.ts).
 * After a re-run, look numbers up with `node scripts/discussion-value.mjs <preset> "<query>"` and
 * check a file with `node scripts/discussion-value.mjs --check docs/discussion/<preset>.md`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analysis/analyze.js';
import { checkDiscussion } from '../../src/report/discussion-numbers.js';
import { DEFAULT_BASELINE } from '../../src/report/learning-curve-spec.js';
import { readCellResults, readStudyFindings } from '../../src/report/write-report.js';
import { ROOT } from './cli.js';

const DIR = join(ROOT, 'docs', 'discussion');
// README.md documents the syntax; scripts/findings-doc.mjs only includes <preset>.md of its presets.
const files = readdirSync(DIR).filter((f) => f.endsWith('.md') && f !== 'README.md').sort();

describe('discussion numbers match the committed results', () => {
  it('there are discussion files to check', () => {
    expect(files.length).toBeGreaterThan(0);
  });
  for (const file of files) {
    const preset = file.replace(/\.md$/, '');
    it(`${file}: every annotated number is the results' value, and none is naked`, async () => {
      const dir = join(ROOT, 'results', preset);
      expect(existsSync(join(dir, 'cells')), `${file} has no results/${preset}/cells`).toBe(true);
      const { results } = await readCellResults(dir);
      const analysis = analyze(results, DEFAULT_BASELINE, await readStudyFindings(dir));
      const { checks, parseErrors, naked } = checkDiscussion(readFileSync(join(DIR, file), 'utf8'), { results, analysis });
      expect(checks.length).toBeGreaterThan(0);
      expect(parseErrors).toEqual([]);
      expect(checks.filter((c) => !c.ok).map((c) => `line ${c.line}: ${c.printed} <- ${c.query}: ${c.message}`)).toEqual([]);
      expect(naked.map((n) => `line ${n.line}: ${n.what} '${n.text}'`)).toEqual([]);
    }, 120_000);
  }
});
