/**
 * `albench slurm --submit` on a real single-node Slurm (Debian's slurmctld + slurmd): a small study
 * as a 3-task job array plus the report job chained with afterany. Every cell must complete exactly
 * once across the tasks, and the report must exist. Skipped, with the reason, where Slurm cannot
 * run (not root, or not installed; `.ci/run` installs it).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CellResult } from '../../src/store/schema.js';
import { CLI, requireBuild, ROOT, tempDir, writeSpec } from './cli.js';
import { slurmUnavailableReason, startSlurmCluster, waitForJobs, type SlurmCluster } from './slurm-cluster.js';

// 6 cells of a few seconds each: the smallest study that still gives every one of 3 shards work.
const SPEC = `
name: slurm-e2e
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

const reason = slurmUnavailableReason();
if (reason) console.warn(`skipping the Slurm e2e test: ${reason}`);

describe.skipIf(reason !== undefined)('albench slurm on a real single-node Slurm', () => {
  const dir = tempDir('slurm');
  const results = join(dir, 'results');
  const reports = join(dir, 'report');
  let cluster: SlurmCluster | undefined;

  beforeAll(async () => {
    requireBuild();
    cluster = await startSlurmCluster(join(dir, 'cluster'), 2);
  }, 60_000);

  afterAll(async () => {
    await cluster?.stop();
    for (const pid of cluster?.pids ?? []) expect(() => process.kill(pid, 0)).toThrow(); // daemons gone
  }, 30_000);

  it('runs a 3-task array and the afterany report job; every cell completes exactly once', async () => {
    const spec = writeSpec(dir, 'study.yaml', SPEC);
    const submit = spawnSync(
      process.execPath,
      [CLI, 'slurm', spec, '--array', '3', '--cpus-per-task', '1', '--time', '10:00', '--results', results, '--out', reports, '--submit'],
      { cwd: ROOT, env: cluster!.env, encoding: 'utf8' },
    );
    expect(submit.status, submit.stderr).toBe(0);
    const [, arrayJob, reportJob] = /submitted array job (\d+) and report job (\d+)/.exec(submit.stdout) ?? [];
    expect(arrayJob, submit.stdout).toBeDefined();
    const arrayScript = readFileSync(join(results, 'slurm', 'array.sbatch'), 'utf8');
    expect(arrayScript).toContain('#SBATCH --array=0-2');
    expect(arrayScript).toContain('--shard "$SLURM_ARRAY_TASK_ID/3" --workers "${SLURM_CPUS_PER_TASK:-1}"');

    await waitForJobs(cluster!.env, [arrayJob, reportJob], 240_000);

    const logsDir = join(results, 'slurm', 'logs');
    const logs = readdirSync(logsDir).map((f) => [f, readFileSync(join(logsDir, f), 'utf8')] as const);
    const taskLogs = logs.filter(([f]) => f.startsWith(`${arrayJob}_`));
    expect(taskLogs.map(([f]) => f).sort(), JSON.stringify(logs)).toEqual([0, 1, 2].map((i) => `${arrayJob}_${i}.out`));

    // Exactly once: each cell has one completed result, and exactly one task's log ran it.
    const files = readdirSync(join(results, 'cells'));
    expect(files).toHaveLength(6);
    const ranIn = taskLogs.flatMap(([, text]) => [...text.matchAll(/\] ([0-9a-f]{12}) .* done in/g)].map((m) => m[1]));
    expect(ranIn.sort()).toEqual(files.map((f) => f.replace('.json', '')).sort());
    for (const f of files) {
      const r = JSON.parse(readFileSync(join(results, 'cells', f), 'utf8')) as CellResult;
      expect(r.status).toBe('completed');
    }
    for (const [, text] of taskLogs) expect(text).toMatch(/shard \d\/3: 2 cells; 2 run now/);
    expect(existsSync(join(reports, 'index.html'))).toBe(true);
    expect(readdirSync(join(results, 'claims'))).toEqual([]); // every claim released
  }, 300_000);
});
