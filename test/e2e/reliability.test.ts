/**
 * Reliability end to end, on the built CLI and a 6-cell synthetic study: concurrent runners, stale
 * claims, failing cells and --retry-failed, dying workers, corrupt result and data files, and
 * unwritable or full results directories. Faults a real run meets only by bad luck come from the
 * worker's failpoints ($ALBENCH_FAILPOINTS, src/runner/failpoints.ts).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { HOST } from '../../src/store/atomic.js';
import type { CellResult } from '../../src/store/schema.js';
import { loadStudy } from '../../src/spec/load.js';
import { albench, CLI, requireBuild, ROOT, tempDir, writeSpec } from './cli.js';

const SPEC = `
name: rel
dataset: { name: synthetic, classes: 3, dims: 4, samples: 300 }
model: mlp
matrix:
  strategy: [random, entropy, margin]
  budget: 40
  batchSize: 10
  initialSize: 10
  seed: [0, 1]
training: { epochs: 3, batchSize: 16, learningRate: 0.01 }
`;

const dir = tempDir('reliability');
const spec = writeSpec(dir, 'rel.yaml', SPEC);
const reference = join(dir, 'reference');
let ids: string[] = [];

const cellFiles = (results: string) => readdirSync(join(results, 'cells')).filter((f) => f.endsWith('.json') && !f.startsWith('.'));
const read = (results: string, id: string) => JSON.parse(readFileSync(join(results, 'cells', `${id}.json`), 'utf8')) as CellResult;
const withoutTiming = (r: CellResult) => ({
  cell: r.cell,
  status: r.status,
  initial: r.initial,
  rounds: r.rounds.map(({ trainMs: _t, queryMs: _q, ...rest }) => rest),
});
// Temp files and claims left behind. `.round0/` is not debris: a run that ends with failures keeps
// its round-0 snapshots for the resume (src/loop/round0-cache.ts), which removes them.
const debris = (results: string) =>
  ['', 'cells', 'claims'].flatMap((sub) =>
    existsSync(join(results, sub)) ? readdirSync(join(results, sub)).filter((f) => (f.startsWith('.') && f !== '.round0') || sub === 'claims') : [],
  );
const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 300_000 });
const runAsync = (args: string[]) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
const expectSameAsReference = (results: string) => {
  expect(cellFiles(results).sort()).toEqual(cellFiles(reference).sort());
  for (const id of ids) expect(withoutTiming(read(results, id)), id).toEqual(withoutTiming(read(reference, id)));
};

beforeAll(async () => {
  requireBuild();
  ids = (await loadStudy(spec)).cells.map((c) => c.id);
  const r = albench(['run', spec, '--results', reference, '--workers', '2']);
  expect(r.status, r.stderr).toBe(0);
}, 300_000);

describe('concurrent runners on one results directory', () => {
  it('each cell runs once, both finish, results equal a single run', async () => {
    const results = join(dir, 'concurrent');
    const [a, b] = await Promise.all([0, 1].map(() => runAsync(['run', spec, '--results', results, '--workers', '1'])));
    expect(a.status, a.stderr).toBe(0);
    expect(b.status, b.stderr).toBe(0);
    // Every cell id appears in exactly one runner's progress lines.
    const ran = [a, b].flatMap((r) => [...r.stderr.matchAll(/\] ([0-9a-f]{12}) .* done in/g)].map((m) => m[1]));
    expect(ran.sort()).toEqual([...ids].sort());
    const runNow = [a, b].map((r) => Number(/; (\d+) run now/.exec(r.stdout)![1]));
    expect(runNow[0] + runNow[1]).toBe(6);
    expectSameAsReference(results);
    expect(debris(results)).toEqual([]);
  }, 300_000);

  it('a stale claim of a dead pid is taken over; a fresh claim of another host is respected', () => {
    const results = join(dir, 'stale');
    mkdirSync(join(results, 'claims'), { recursive: true });
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    const claim = (id: string, host: string, pid: number) =>
      writeFileSync(join(results, 'claims', `${id}.json`), JSON.stringify({ cellId: id, host, pid, nonce: `n${id}`, claimedAt: '' }));
    claim(ids[0], HOST, dead);
    claim(ids[1], 'another-node', 12345);
    const first = run(['run', spec, '--results', results, '--workers', '2']);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/5 run now, 0 already done, 0 failed, 1 run by another runner/);
    expect(first.stdout).toContain('took over 1 stale claim');
    expect(existsSync(join(results, 'cells', `${ids[1]}.json`))).toBe(false);
    // That host's runner never comes back: with a short timeout its claim goes stale and is taken over.
    const second = run(['run', spec, '--results', results, '--claim-timeout', '0.001']);
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/1 run now, 5 already done/);
    expectSameAsReference(results);
    expect(debris(results)).toEqual([]);
  }, 300_000);
});

describe('failing cells', () => {
  it('are recorded as failed with the error; the study goes on; exit 1; --retry-failed re-runs only them', () => {
    const results = join(dir, 'failing');
    const failing = ids[2];
    const r = run(['run', spec, '--results', results, '--workers', '2'], { ALBENCH_FAILPOINTS: `throw:${failing}` });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/6 cells; 5 run now, 0 already done, 1 failed/);
    expect(r.stdout).toContain(`FAILED ${failing}`);
    expect(r.stdout).toContain('failpoint: injected failure');
    const stored = read(results, failing);
    expect(stored.status).toBe('failed');
    if (stored.status === 'failed') expect(stored.error.message).toContain('failpoint: injected failure');
    expect(stored.rounds).toHaveLength(1); // the round before the failure is kept

    const others = Object.fromEntries(ids.filter((id) => id !== failing).map((id) => [id, readFileSync(join(results, 'cells', `${id}.json`), 'utf8')]));
    const plain = run(['run', spec, '--results', results]);
    expect(plain.stdout).toMatch(/0 run now, 5 already done, 0 failed, 1 failed earlier \(re-run with --retry-failed\)/);
    const retry = run(['run', spec, '--results', results, '--retry-failed']);
    expect(retry.status, retry.stderr).toBe(0);
    expect(retry.stdout).toMatch(/1 run now, 5 already done, 0 failed/);
    for (const [id, text] of Object.entries(others)) expect(readFileSync(join(results, 'cells', `${id}.json`), 'utf8')).toBe(text);
    expectSameAsReference(results);
  }, 300_000);
});

describe('dying workers', () => {
  it('a worker killed once: detected, replaced, its cell retried and completed', () => {
    const results = join(dir, 'die-once');
    const r = run(['run', spec, '--results', results, '--workers', '2'], { ALBENCH_FAILPOINTS: `kill-once:${ids[1]}:${join(dir, 'marker')}` });
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(dir, 'marker'))).toBe(true); // the kill did happen
    expect(r.stderr).toMatch(new RegExp(`${ids[1]} .*worker process died \\(SIGKILL\\).*retrying on a fresh worker`));
    expect(r.stdout).toContain('1 cell(s) re-run after their worker died');
    expectSameAsReference(results);
  }, 300_000);

  it('a cell that kills its worker every time is recorded as failed after one retry; the rest complete', () => {
    const results = join(dir, 'die-always');
    const r = run(['run', spec, '--results', results, '--workers', '2'], { ALBENCH_FAILPOINTS: `kill:${ids[4]}` });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/5 run now, 0 already done, 1 failed/);
    const stored = read(results, ids[4]);
    expect(stored.status).toBe('failed');
    if (stored.status === 'failed') expect(stored.error.message).toMatch(/worker process died \(SIGKILL\).*2 attempts/);
    for (const id of ids.filter((x) => x !== ids[4])) expect(read(results, id).status).toBe('completed');
  }, 300_000);
});

describe('corrupt files', () => {
  it('a truncated result file is named, and its cell is run again', () => {
    const results = join(dir, 'corrupt');
    const r0 = run(['run', spec, '--results', results]);
    expect(r0.status, r0.stderr).toBe(0);
    const path = join(results, 'cells', `${ids[3]}.json`);
    writeFileSync(path, readFileSync(path, 'utf8').slice(0, 100));
    const r = run(['run', spec, '--results', results]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`warning: unreadable result file ${path}`);
    expect(r.stdout).toMatch(/1 run now, 5 already done/);
    expectSameAsReference(results);
  }, 300_000);

  it('a corrupt result file is named and skipped by report', () => {
    const results = join(dir, 'corrupt-report');
    const r0 = run(['run', spec, '--results', results]);
    expect(r0.status, r0.stderr).toBe(0);
    const path = join(results, 'cells', `${ids[0]}.json`);
    writeFileSync(path, '{"schemaVersion": 1, "status": "compl');
    const out = join(dir, 'corrupt-report-out');
    const r = run(['report', results, '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`skipped ${path}`);
    expect(r.stdout).toMatch(/report of 5 cells/);
    expect(existsSync(join(out, 'index.html'))).toBe(true);
  }, 300_000);

  it('a corrupt dataset file gives an error naming the file, and nothing is written', () => {
    const data = join(dir, 'fmnist');
    mkdirSync(data, { recursive: true });
    for (const f of ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) {
      writeFileSync(join(data, `${f}.gz`), Buffer.from([0x1f, 0x8b, 8, 0, 0, 0])); // a gzip header, then nothing
    }
    const fm = writeSpec(dir, 'fm.yaml', 'name: fm\ndataset: fashion-mnist\nmodel: mlp\nmatrix: { strategy: random, budget: 40, batchSize: 10, seed: 0 }\n');
    const results = join(dir, 'fm-results');
    const r = run(['run', fm, '--results', results, '--data-dir', data]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(new RegExp(`${data}/[a-z0-9-]+-ubyte\\.gz`));
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(results)).toBe(false);
  }, 60_000);
});

describe('unwritable or full results directories', () => {
  it('a results path through a regular file: clear error, exit 2, nothing written', () => {
    const file = join(dir, 'plain-file');
    writeFileSync(file, 'x');
    const r = run(['run', spec, '--results', join(file, 'results')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/cannot write to results directory .*plain-file\/results: .*ENOTDIR/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  // Read-only and full filesystems need a tmpfs mount, so root.
  const mountable = process.getuid?.() === 0 && spawnSync('sh', ['-c', 'command -v mount && command -v umount']).status === 0;
  const withTmpfs = (options: string, body: (mnt: string) => void) => {
    const mnt = join(dir, `mnt-${options.replace(/[^a-z0-9]/g, '')}`);
    mkdirSync(mnt, { recursive: true });
    const m = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', mnt], { encoding: 'utf8' });
    if (m.status !== 0) {
      console.warn(`skipping: cannot mount a tmpfs (${m.stderr.trim()})`);
      return;
    }
    try {
      body(mnt);
    } finally {
      spawnSync('umount', [mnt]);
    }
  };

  it.skipIf(!mountable)('a read-only filesystem: clear error, exit 2', () => {
    withTmpfs('ro,size=1m', (mnt) => {
      const r = run(['run', spec, '--results', join(mnt, 'results')]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/cannot write to results directory .*: the filesystem is read-only \(EROFS\)/);
      expect(readdirSync(mnt)).toEqual([]);
    });
  });

  it.skipIf(!mountable)('a full filesystem: clear error, exit 2, no partial files', () => {
    withTmpfs('size=64k', (mnt) => {
      const fill = spawnSync('sh', ['-c', `dd if=/dev/zero of=${mnt}/filler bs=4k count=100 2>/dev/null; true`]);
      expect(fill.status).toBe(0);
      const r = run(['run', spec, '--results', join(mnt, 'results')]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/cannot write to results directory .*: the filesystem is full \(ENOSPC\)/);
      const left = spawnSync('find', [mnt, '-type', 'f'], { encoding: 'utf8' }).stdout.trim().split('\n');
      expect(left).toEqual([`${mnt}/filler`]);
    });
  });

  it.skipIf(!mountable)('a filesystem that fills up mid-run: cells that cannot be stored fail cleanly, no partial JSON, resume completes', () => {
    withTmpfs('size=24k', (mnt) => {
      const results = join(mnt, 'results');
      const r = run(['run', spec, '--results', results, '--workers', '1']);
      expect(r.status).toBe(1);
      expect(r.stdout).toMatch(/could not store the result: ENOSPC/);
      const stored = cellFiles(results);
      expect(stored.length).toBeLessThan(6);
      for (const f of stored) expect(() => JSON.parse(readFileSync(join(results, 'cells', f), 'utf8'))).not.toThrow();
      expect(debris(results)).toEqual([]);
      // Room again (remount bigger): the resume runs exactly the unstored cells.
      expect(spawnSync('mount', ['-o', 'remount,size=1m', mnt]).status).toBe(0);
      const resumed = run(['run', spec, '--results', results]);
      expect(resumed.status, resumed.stderr).toBe(0);
      expect(resumed.stdout).toContain(`${6 - stored.length} run now, ${stored.length} already done`);
      expectSameAsReference(results);
      expect(existsSync(join(results, '.round0'))).toBe(false);
    });
  });
});
