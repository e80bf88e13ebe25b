/**
 * experiments/all-strategies.yaml lists every registered strategy, and every one runs end to end
 * through the built CLI. CI runs a shrunken copy (one query round, 10 epochs) to stay small; the
 * full study takes about 3 minutes on 2 cores (see the strategy-zoo note).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { STRATEGY_NAMES } from '../../src/strategies/registry.js';
import { ROOT, albench, requireBuild, tempDir, writeSpec } from './cli.js';

beforeAll(requireBuild);

const full = readFileSync(join(ROOT, 'experiments', 'all-strategies.yaml'), 'utf8');

it('lists every registered strategy', () => {
  const listed = [...full.matchAll(/^\s+- ([a-z-]+)\s*$/gm)].map((m) => m[1]);
  expect(listed.sort()).toEqual([...STRATEGY_NAMES].sort());
});

it('runs every strategy through the CLI (CI-sized: one query round)', () => {
  const small = full
    .replace(/^name: all-strategies$/m, 'name: all-strategies-ci')
    .replace(/^ {2}budget: 100$/m, '  budget: 40')
    .replace(/epochs: 30/, 'epochs: 10');
  expect(small).toMatch(/budget: 40/);
  const dir = tempDir('all-strategies');
  const spec = writeSpec(dir, 'all.yaml', small);
  const out = albench(['run', spec, '--workers', '2', '--results', join(dir, 'results')]);
  expect(out.status).toBe(0);
  const files = readdirSync(join(dir, 'results', 'cells'));
  expect(files).toHaveLength(STRATEGY_NAMES.length);
  for (const f of files) {
    const result = JSON.parse(readFileSync(join(dir, 'results', 'cells', f), 'utf8'));
    expect(result.status, `${result.cell.strategy}: ${result.error?.message}`).toBe('completed');
    expect(result.rounds[0].selected).toHaveLength(20);
  }
}, 600_000);
