/**
 * The selfsup regime end to end through the built CLI: a tiny encoder pretrained on digits once and
 * shared by the cells and workers of a run, reused by a second run (no retraining: the events log
 * holds one `pretrained` line and the file is untouched), computed once when two runs race for it,
 * recorded in every selfsup result, accounted for by `plan`, and F11 in the report.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CacheEvent } from '../../src/selfsup/cache.js';
import type { CellResult } from '../../src/store/schema.js';
import { CLI, ROOT, requireBuild, tempDir, writeSpec } from './cli.js';

// 4 cells (2 strategies × raw/selfsup, one seed), one encoder: 1 epoch of 5 steps on 150 digits.
const SPEC = `
name: selfsup-e2e
dataset: { name: digits, poolSize: 150, testSize: 60 }
model: linear
matrix:
  strategy: [random, entropy]
  budget: 30
  batchSize: 10
  representation: [raw, { name: selfsup, epochs: 1, embeddingDim: 8, batchSize: 32 }]
  seed: 0
training: { epochs: 5, batchSize: 16, learningRate: 0.01 }
`;

// TypiClust on the same encoder settings as the spec above's representation (default features: selfsup).
const TYPICLUST_SPEC = `
name: selfsup-e2e-typiclust
dataset: { name: digits, poolSize: 150, testSize: 60 }
model: linear
matrix:
  strategy: [random, { name: typiclust, encoderEpochs: 1, encoderEmbeddingDim: 8, encoderBatchSize: 32 }]
  budget: 30
  batchSize: 10
  seed: 0
training: { epochs: 5, batchSize: 16, learningRate: 0.01 }
`;

/** Runs the CLI with extra environment variables; resolves with its exit code and output. */
function run(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (status) => resolve({ status, out }));
  });
}

const results = (dir: string): CellResult[] =>
  readdirSync(join(dir, 'cells'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, 'cells', f), 'utf8')) as CellResult);
const events = (cache: string): CacheEvent[] =>
  readFileSync(join(cache, 'selfsup', 'events.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as CacheEvent);
const count = (cache: string, event: string) => events(cache).filter((e) => e.event === event).length;

beforeAll(requireBuild);

describe('selfsup end to end', () => {
  const dir = tempDir('selfsup');
  const spec = writeSpec(dir, 'selfsup.yaml', SPEC);
  const cache = join(dir, 'results', '.albench-cache');

  it('pretrains one encoder for the run, records its hash, and reuses it in a second run', async () => {
    const first = await run(['run', spec, '--results', join(dir, 'results', 'a'), '--workers', '2']);
    expect(first.status).toBe(0);
    const a = results(join(dir, 'results', 'a'));
    expect(a).toHaveLength(4);
    const selfsup = a.filter((r) => r.cell.representation);
    expect(selfsup).toHaveLength(2);
    for (const r of selfsup) expect(r.encoder).toMatchObject({ method: 'simclr', embeddingDim: 8, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(new Set(selfsup.map((r) => r.encoder!.sha256)).size).toBe(1);
    for (const r of a.filter((x) => !x.cell.representation)) expect(r.encoder).toBeUndefined();
    // The default cache sits beside the results directory; its file's payload hash is what results record.
    const file = join(cache, 'selfsup', `${selfsup[0].encoder!.key}.albssl`);
    expect(existsSync(file)).toBe(true);
    expect(count(cache, 'pretrained')).toBe(1);
    const mtime = statSync(file).mtimeMs;

    const second = await run(['run', spec, '--results', join(dir, 'results', 'b'), '--workers', '1']);
    expect(second.status).toBe(0);
    expect(count(cache, 'pretrained')).toBe(1); // no retraining
    expect(count(cache, 'hit')).toBeGreaterThanOrEqual(3);
    expect(statSync(file).mtimeMs).toBe(mtime);
    const b = results(join(dir, 'results', 'b'));
    expect(b.filter((r) => r.cell.representation).map((r) => r.encoder!.sha256)).toEqual([selfsup[0].encoder!.sha256, selfsup[0].encoder!.sha256]);
    // Same encoder, same features: the selfsup curves are bitwise equal across the two runs.
    const curve = (rs: CellResult[]) => rs.filter((r) => r.cell.representation).map((r) => r.rounds.map((x) => x.accuracy));
    expect(curve(b)).toEqual(curve(a));
  });

  it('plan counts the encoder and knows it is cached', async () => {
    const plan = await run(['plan', spec, '--results', join(dir, 'results', 'fresh'), '--workers', '1']);
    expect(plan.status).toBe(0);
    expect(plan.out).toMatch(/one-time selfsup pretraining: 1 encoder .* 300 augmented views/);
    expect(plan.out).toMatch(/selfsup encoders: 1 cached in .*\.albench-cache \(cost 0\), 0 to pretrain/);
    expect(plan.out).toMatch(/one-time selfsup pretraining 0s;/);
    const cold = await run(['plan', spec, '--results', join(dir, 'results', 'fresh'), '--workers', '1'], { ALBENCH_CACHE: join(dir, 'empty-cache') });
    expect(cold.out).toMatch(/selfsup encoders: 0 cached .* 1 to pretrain: about/);
    expect(cold.out).toMatch(/measured on [\w-]+: selfsup pretraining \(1 epochs, batch 32, d 8\) on digits: [\d,]+ views\/s/);
  });

  it('plan counts the encoder of a strategy on selfsup features once, and times its query with the encoder ready', async () => {
    // The first test's run left the representation's encoder in the cache; TypiClust with the same
    // encoder settings shares it (same key), so it is cached here and its features time the query.
    const tspec = writeSpec(dir, 'typiclust.yaml', TYPICLUST_SPEC);
    const warm = await run(['plan', tspec, '--results', join(dir, 'results', 'typiclust'), '--workers', '2', '--workers', '64']);
    expect(warm.status, warm.out).toBe(0);
    // One estimate per worker count (one machine, a cluster array), from the same measurements.
    expect(warm.out).toMatch(/estimated time: .* on 2 workers[^\n]*\nestimated time: .* on 64 workers/);
    expect(warm.out).toMatch(/one-time selfsup pretraining: 1 encoder \(one per dataset × encoder settings × seed, shared by typiclust\), 300 augmented views/);
    expect(warm.out).toMatch(/selfsup encoders: 1 cached in .* 0 to pretrain/);
    expect(warm.out).toMatch(/typiclust query \(batch 10, encoder features ready\)/);
    const cold = await run(['plan', tspec, '--results', join(dir, 'results', 'typiclust'), '--workers', '2'], { ALBENCH_CACHE: join(dir, 'empty-cache-2') });
    expect(cold.status, cold.out).toBe(0);
    expect(cold.out).toMatch(/selfsup encoders: 0 cached .* 1 to pretrain: about/);
    expect(cold.out).toMatch(/typiclust query \(batch 10, encoder features ready\)/);
    // plan writes nothing into the cache it reads.
    expect(existsSync(join(dir, 'empty-cache-2'))).toBe(false);
  });

  it('the report carries finding F11', async () => {
    const out = join(dir, 'report');
    const report = await run(['report', join(dir, 'results', 'a'), '--out', out, '--no-figures']);
    expect(report.status).toBe(0);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).toContain('id="finding-f11"');
    expect(html).toContain('Self-supervised features eat the gain of AL over random');
  });

  it('two runs racing for the same encoder compute it once', async () => {
    const shared = join(dir, 'race-cache');
    const [x, y] = await Promise.all([
      run(['run', spec, '--results', join(dir, 'race', 'x'), '--workers', '1'], { ALBENCH_CACHE: shared }),
      run(['run', spec, '--results', join(dir, 'race', 'y'), '--workers', '1'], { ALBENCH_CACHE: shared }),
    ]);
    expect([x.status, y.status]).toEqual([0, 0]);
    expect(count(shared, 'pretrained')).toBe(1);
    expect(count(shared, 'hit')).toBe(3);
    const sha = (d: string) => new Set(results(d).filter((r) => r.cell.representation).map((r) => r.encoder!.sha256));
    expect([...sha(join(dir, 'race', 'x'))]).toEqual([...sha(join(dir, 'race', 'y'))]);
  });
});
