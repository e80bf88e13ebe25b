/**
 * Golden selections: for every built-in strategy, the batch it picks in the contract fixture's
 * round (src/strategies/contract-fixture.ts: 24 rows of three blobs, 9 labelled, a 3-epoch MLP,
 * wasm backend) with batch size 4 and the rng stream 'golden'.
 *
 * Where the expected values come from: `selections.json` was recorded by this test in update
 * mode (`npm run golden:update`) from the implementations as they stood when it was written. They
 * are a regression net, not a truth (the hand-checkable uncertainty case lives in
 * test/strategies/contract.test.ts): any change in any selection fails here with a per-strategy
 * diff. If the change is intended, regenerate on purpose and review the JSON diff in the commit.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/index.js';
import { createRng } from '../../src/rng.js';
import { createContractFixture, type ContractFixture } from '../../src/strategies/contract-fixture.js';
import { STRATEGY_NAMES, createStrategy } from '../../src/strategies/registry.js';

const FILE = fileURLToPath(new URL('./selections.json', import.meta.url));
const UPDATE = process.env.ALBENCH_GOLDEN_UPDATE === '1';
const BATCH = 4;

interface GoldenFile {
  readonly note: string;
  readonly backend: string;
  readonly batchSize: number;
  readonly selections: Readonly<Record<string, readonly number[]>>;
}

let fixture: ContractFixture;
let backend: string;
beforeAll(async () => {
  backend = await initBackend('wasm');
  fixture = await createContractFixture();
});
afterAll(() => fixture.dispose());

/** One line per strategy whose selection changed, appeared or disappeared. */
export function goldenDiff(expected: Readonly<Record<string, readonly number[]>>, actual: Readonly<Record<string, readonly number[]>>): string[] {
  const lines: string[] = [];
  for (const name of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
    const e = expected[name];
    const a = actual[name];
    if (!e) lines.push(`  ${name}: no golden selection yet (got [${a.join(', ')}])`);
    else if (!a) lines.push(`  ${name}: in selections.json but no longer a registered strategy`);
    else if (e.join() !== a.join()) lines.push(`  ${name}: expected [${e.join(', ')}], got [${a.join(', ')}]`);
  }
  return lines;
}

it('every built-in strategy picks its golden batch', async () => {
  const actual: Record<string, number[]> = {};
  for (const name of STRATEGY_NAMES) {
    const strategy = createStrategy(name);
    const ctx = await fixture.contextFor(strategy);
    actual[name] = [...(await strategy.select(ctx, BATCH, createRng('golden'))).indices];
  }
  if (UPDATE) {
    const file: GoldenFile = {
      note: 'Recorded by test/golden/selections.test.ts (npm run golden:update); see that file for the fixture and why these values are what they are.',
      backend,
      batchSize: BATCH,
      selections: actual,
    };
    // One line per strategy, so a change reads as a one-line diff in review.
    const lines = Object.entries(file.selections).map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
    const head = JSON.stringify({ note: file.note, backend: file.backend, batchSize: file.batchSize }, null, 2).slice(0, -2);
    writeFileSync(FILE, `${head},\n  "selections": {\n${lines.join(',\n')}\n  }\n}\n`);
    return;
  }
  const golden = JSON.parse(readFileSync(FILE, 'utf8')) as GoldenFile;
  expect(golden.batchSize).toBe(BATCH);
  const diff = goldenDiff(golden.selections, actual);
  expect(
    diff,
    `selections changed for ${diff.length} strategies:\n${diff.join('\n')}\n` +
      'If this change is intended, run "npm run golden:update" and review the diff of test/golden/selections.json.',
  ).toEqual([]);
});

it('reports changed, new and removed strategies on separate lines', () => {
  expect(goldenDiff({ a: [1, 2], b: [3], gone: [0] }, { a: [1, 2], b: [4], fresh: [5] })).toEqual([
    '  b: expected [3], got [4]',
    '  gone: in selections.json but no longer a registered strategy',
    '  fresh: no golden selection yet (got [5])',
  ]);
});
