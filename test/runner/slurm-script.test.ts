import { describe, expect, it } from 'vitest';
import { parseFailpoints } from '../../src/runner/failpoints.js';
import { buildSlurmScripts, shQuote, SLURM_TIME_PATTERN } from '../../src/runner/slurm-script.js';

const base = {
  studyName: 'quick',
  specPath: '/home/u/exp/quick.yaml',
  resultsDir: '/shared/results/quick',
  reportDir: '/shared/reports/quick',
  workDir: '/home/u/albench',
  nodePath: '/usr/bin/node',
  cliPath: '/home/u/albench/dist/cli/main.js',
  arrayTasks: 4,
  cpusPerTask: 8,
};

describe('buildSlurmScripts', () => {
  it('writes an array whose task i runs shard i/N with the task’s CPUs as workers, requeueable', () => {
    const { array } = buildSlurmScripts({ ...base, time: '2:00:00', partition: 'cpu' });
    expect(array).toContain('#SBATCH --array=0-3\n');
    expect(array).toContain('#SBATCH --cpus-per-task=8\n');
    expect(array).toContain('#SBATCH --time=2:00:00\n');
    expect(array).toContain('#SBATCH --partition=cpu\n');
    expect(array).toContain('#SBATCH --requeue\n');
    expect(array).toContain(
      'exec /usr/bin/node /home/u/albench/dist/cli/main.js run /home/u/exp/quick.yaml --shard "$SLURM_ARRAY_TASK_ID/4" --workers "${SLURM_CPUS_PER_TASK:-1}" --results /shared/results/quick\n',
    );
  });

  it('chains the report on the array with afterany in the submit script', () => {
    const { report, submit } = buildSlurmScripts(base);
    expect(report).toContain('report /shared/results/quick --out /shared/reports/quick');
    expect(report).not.toContain('--time');
    expect(submit).toContain('--dependency=afterany:$array');
  });

  it('quotes paths for the shell', () => {
    expect(shQuote('/a/b-c_d.yaml')).toBe('/a/b-c_d.yaml');
    expect(shQuote("it's here")).toBe(`'it'\\''s here'`);
    expect(buildSlurmScripts({ ...base, specPath: '/my specs/q.yaml' }).array).toContain("run '/my specs/q.yaml'");
  });

  it('accepts Slurm’s time formats only', () => {
    for (const ok of ['30', '10:00', '2:00:00', '1-12', '1-12:30', '1-12:30:00']) expect(SLURM_TIME_PATTERN.test(ok), ok).toBe(true);
    for (const bad of ['2h', '', '1:2', 'x']) expect(SLURM_TIME_PATTERN.test(bad), bad).toBe(false);
  });
});

describe('failpoints', () => {
  it('parses the three kinds and refuses anything else, naming what is allowed', () => {
    expect(parseFailpoints(undefined)).toEqual([]);
    expect(parseFailpoints('throw:abc,kill-once:def:/tmp/x:y')).toEqual([
      { action: 'throw', cellId: 'abc' },
      { action: 'kill-once', cellId: 'def', marker: '/tmp/x:y' },
    ]);
    expect(() => parseFailpoints('explode:abc')).toThrow(/allowed: throw:<cellId>, kill:<cellId>, kill-once/);
  });
});
