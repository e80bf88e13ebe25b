/**
 * `albench list`: the axes with every method's parameters (defaults and ranges from the same
 * tables the spec validator reads), the protocol axis with its options, and every strategy.
 */
import { beforeAll, expect, it } from 'vitest';
import { AUGMENTATION_PARAMS } from '../../src/data/augment/params.js';
import { SSL_PARAMS } from '../../src/models/ssl/params.js';
import { PROTOCOL_OPTIONS } from '../../src/spec/protocol-options.js';
import { STRATEGY_NAMES } from '../../src/strategies/registry.js';
import { albench, requireBuild } from './cli.js';

beforeAll(requireBuild);

it('list axes shows the protocol axis and every augmentation/SSL parameter with its default', () => {
  const r = albench(['list', 'axes']);
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/^protocol: retrain, warm-start$/m);
  for (const name of Object.keys(PROTOCOL_OPTIONS)) expect(r.stdout).toMatch(new RegExp(`^ {4}${name}(=\\d+)? `, 'm'));
  expect(r.stdout).toMatch(/^ {4}patience=5 +integer \[1, 10000\]/m);
  expect(r.stdout).toMatch(/^training \(not an axis\): epochs \| steps \| until, .*weightDecay, tune$/m);
  for (const table of [AUGMENTATION_PARAMS, SSL_PARAMS]) {
    for (const [method, params] of Object.entries(table)) {
      expect(r.stdout).toMatch(new RegExp(`^ {2}${method}:$`, 'm'));
      for (const [k, p] of Object.entries(params)) expect(r.stdout).toContain(`${k}=${p.default}`);
    }
  }
  expect(r.stdout).toMatch(/^ {4}mu=7 +integer \[1, 64\] +μ: unlabelled rows/m);
});

it('list strategies shows every registered strategy with its needs', () => {
  const r = albench(['list', 'strategies']);
  expect(r.status, r.stderr).toBe(0);
  for (const name of STRATEGY_NAMES) expect(r.stdout).toMatch(new RegExp(`^${name} `, 'm'));
  expect(r.stdout).toMatch(/^label-dispersion .*needs: epochProbs/m);
  expect(r.stdout).toMatch(/^learning-loss .*needs: jointTraining .*stopGradient=0\.6/m);
});

it('list strategies --check: no two names pick identical selections on the golden pool', () => {
  const r = albench(['list', 'strategies', '--check']);
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/^golden pool check: all \d+ strategies pick distinct selections/m);
}, 120_000);

