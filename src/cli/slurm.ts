import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Argv, CommandModule } from 'yargs';
import { BACKEND_NAMES, type BackendChoice } from '../backend/index.js';
import { buildSlurmScripts, SLURM_TIME_PATTERN } from '../runner/slurm-script.js';
import { writeFileAtomic } from '../store/atomic.js';
import { checkStudyAgainstData } from '../spec/check-data.js';
import { checkStudyStrategies } from '../spec/check-strategies.js';
import { loadStudy } from '../spec/load.js';
import { UsageError } from './run.js';

interface SlurmArgs {
  spec: string;
  array?: number;
  'cpus-per-task': number;
  time?: string;
  partition?: string;
  results?: string;
  out?: string;
  backend?: BackendChoice;
  'data-dir'?: string;
  submit: boolean;
}

const CLI_PATH = fileURLToPath(new URL('./main.js', import.meta.url));
/** Default array size: enough tasks to spread a study, few enough not to flood the queue. */
const DEFAULT_MAX_TASKS = 10;

export const slurmCommand: CommandModule<object, SlurmArgs> = {
  command: 'slurm <spec>',
  describe: 'Write (and with --submit, submit) a Slurm job array that runs a study in shards, plus a report job',
  builder: (y: Argv) =>
    y
      .positional('spec', { type: 'string', demandOption: true, describe: 'Study spec (YAML or JSON)' })
      .option('array', { type: 'number', describe: `Array tasks = shards [default: cells, at most ${DEFAULT_MAX_TASKS}]` })
      .option('cpus-per-task', { type: 'number', default: 4, describe: 'CPUs per array task; each runs that many worker processes' })
      .option('time', { type: 'string', describe: 'Time limit per array task, e.g. 4:00:00 [default: the partition\'s]' })
      .option('partition', { type: 'string', describe: 'Slurm partition' })
      .option('results', { type: 'string', describe: 'Results directory on a filesystem every node sees [default: results/<study name>]' })
      .option('out', { type: 'string', describe: 'Report directory [default: reports/<results dir name>]' })
      .option('backend', { choices: BACKEND_NAMES, describe: 'Passed to albench run' })
      .option('data-dir', { type: 'string', describe: 'Passed to albench run' })
      .option('submit', { type: 'boolean', default: false, describe: 'Submit the array and the report job (sbatch) and print their job ids' })
      .example('$0 slurm experiments/quick.yaml --array 3 --cpus-per-task 2 --submit', 'three shards of 2 CPUs, then the report')
      .epilogue('See docs/slurm.md for sizing, resuming and other schedulers.') as Argv<SlurmArgs>,
  handler: async (args) => {
    const study = await loadStudy(args.spec);
    await checkStudyAgainstData(study, args.spec, args['data-dir']);
    await checkStudyStrategies(study, args.spec);
    const tasks = args.array ?? Math.min(study.cells.length, DEFAULT_MAX_TASKS);
    if (!Number.isInteger(tasks) || tasks < 1) throw new UsageError(`--array must be a positive integer, got ${args.array}`);
    const cpus = args['cpus-per-task'];
    if (!Number.isInteger(cpus) || cpus < 1) throw new UsageError(`--cpus-per-task must be a positive integer, got ${cpus}`);
    if (args.time !== undefined && !SLURM_TIME_PATTERN.test(args.time)) {
      throw new UsageError(`--time ${JSON.stringify(args.time)} is not a Slurm time; allowed: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS`);
    }
    if (args.partition !== undefined && !/^[A-Za-z0-9_.,-]+$/.test(args.partition)) {
      throw new UsageError(`--partition ${JSON.stringify(args.partition)}: allowed are letters, digits and _ . , -`);
    }
    const resultsDir = resolve(args.results ?? join('results', study.name));
    const reportDir = resolve(args.out ?? join('reports', basename(resultsDir)));
    // #SBATCH lines are not shell: Slurm splits them on whitespace and expands % patterns.
    for (const [flag, path] of [['--results', resultsDir], ['--out', reportDir]] as const) {
      if (/[\s%]/.test(path)) throw new UsageError(`${flag} ${JSON.stringify(path)}: Slurm cannot take whitespace or % in these paths; choose another`);
    }
    if (tasks > study.cells.length) {
      process.stderr.write(`note: ${tasks} array tasks for ${study.cells.length} cells; ${tasks - study.cells.length} task(s) will find nothing to do\n`);
    }

    const scripts = buildSlurmScripts({
      studyName: study.name,
      specPath: resolve(args.spec),
      resultsDir,
      reportDir,
      workDir: process.cwd(),
      nodePath: process.execPath,
      cliPath: CLI_PATH,
      arrayTasks: tasks,
      cpusPerTask: cpus,
      time: args.time,
      partition: args.partition,
      backend: args.backend,
      dataDir: args['data-dir'] === undefined ? undefined : resolve(args['data-dir']),
    });
    const dir = join(resultsDir, 'slurm');
    mkdirSync(join(dir, 'logs'), { recursive: true });
    const files = { array: join(dir, 'array.sbatch'), report: join(dir, 'report.sbatch'), submit: join(dir, 'submit.sh') };
    writeFileAtomic(files.array, scripts.array);
    writeFileAtomic(files.report, scripts.report);
    writeFileAtomic(files.submit, scripts.submit);
    chmodSync(files.submit, 0o755);
    process.stdout.write(
      `study ${study.name}: ${study.cells.length} cells in ${tasks} array tasks of ${cpus} CPUs\n` +
        `wrote ${files.array}\n      ${files.report}\n      ${files.submit}\n`,
    );
    if (!args.submit) {
      process.stdout.write(`submit with: bash ${files.submit}   (or albench slurm ... --submit)\n`);
      return;
    }
    const arrayJob = sbatch([files.array]);
    const reportJob = sbatch([`--dependency=afterany:${arrayJob}`, files.report]);
    process.stdout.write(`submitted array job ${arrayJob} and report job ${reportJob}\n`);
  },
};

/** Runs sbatch --parsable and returns the job id (dropping a `;cluster` suffix). */
function sbatch(args: readonly string[]): string {
  const run = spawnSync('sbatch', ['--parsable', ...args], { encoding: 'utf8' });
  if (run.error) throw new Error(`cannot run sbatch (${run.error.message}); is Slurm installed and on PATH?`);
  if (run.status !== 0) throw new Error(`sbatch ${args.join(' ')} failed (exit ${run.status}): ${run.stderr.trim()}`);
  const id = run.stdout.trim().split(';')[0];
  if (!/^\d+$/.test(id)) throw new Error(`sbatch printed ${JSON.stringify(run.stdout.trim())}, expected a job id`);
  return id;
}
