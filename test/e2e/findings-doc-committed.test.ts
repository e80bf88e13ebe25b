/**
 * docs/FINDINGS.md is generated: regenerating it from the committed results (results/<preset>/)
 * must give the committed file byte for byte, so no sentence in it outlives the data behind it.
 * Regenerate with `npm run findings:doc` after any change to the findings or the results.
 * The script runs in a scratch folder that links results/ and experiments/ and copies
 * docs/discussion/, so the paths it prints are the repository's and nothing in docs/ is touched.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { ROOT, requireBuild, tempDir } from './cli.js';

beforeAll(requireBuild);

it('docs/FINDINGS.md is what scripts/findings-doc.mjs makes of the committed results', () => {
  const dir = tempDir('findings-doc-committed');
  symlinkSync(join(ROOT, 'results'), join(dir, 'results'));
  symlinkSync(join(ROOT, 'experiments'), join(dir, 'experiments'));
  mkdirSync(join(dir, 'docs'));
  if (existsSync(join(ROOT, 'docs', 'discussion'))) cpSync(join(ROOT, 'docs', 'discussion'), join(dir, 'docs', 'discussion'), { recursive: true });
  const run = spawnSync(process.execPath, [join(ROOT, 'scripts', 'findings-doc.mjs')], { cwd: dir, encoding: 'utf8', timeout: 300_000 });
  expect(run.status, run.stderr).toBe(0);
  const fresh = readFileSync(join(dir, 'docs', 'FINDINGS.md'), 'utf8');
  const committed = readFileSync(join(ROOT, 'docs', 'FINDINGS.md'), 'utf8');
  // On a mismatch, run `npm run findings:doc` and commit docs/FINDINGS.md with docs/findings/.
  expect(fresh).toBe(committed);
}, 300_000);
