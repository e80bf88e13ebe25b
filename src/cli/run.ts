import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { BACKEND_NAMES, type BackendChoice } from '../backend/index.js';
import { runStudy } from '../runner/run-study.js';
import { checkStudyAgainstData } from '../spec/check-data.js';
import { loadStudy } from '../spec/load.js';
import { EXIT_FAILED, EXIT_OK } from './exit-codes.js';
import { createProgress, describeCell, formatSeconds } from './progress.js';

interface RunArgs {
  spec: string;
  workers: number;
  results?: string;
  backend: BackendChoice;
  force: boolean;
  'retry-failed': boolean;
  'data-dir'?: string;
}

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run <spec>',
  describe: 'Run every pending cell of a study spec; resumes where a previous run stopped',
  builder: (y: Argv) =>
    y
      .positional('spec', { type: 'string', demandOption: true, describe: 'Study spec (YAML or JSON), e.g. experiments/quick.yaml' })
      .option('workers', { type: 'number', default: availableParallelism(), describe: 'Worker processes running cells in parallel' })
      .option('results', { type: 'string', describe: 'Results directory [default: results/<study name>]' })
      .option('backend', { choices: BACKEND_NAMES, default: 'auto' as BackendChoice, describe: 'tfjs backend; auto tries tensorflow (tfjs-node), then wasm, then cpu' })
      .option('force', { type: 'boolean', default: false, describe: 'Re-run cells that already have a result' })
      .option('retry-failed', { type: 'boolean', default: false, describe: 'Re-run cells whose stored result is failed' })
      .option('data-dir', { type: 'string', describe: 'Directory searched first for dataset files (also $ALBENCH_DATA)' })
      .example('$0 run experiments/quick.yaml', 'run the quick study on all cores')
      .example('$0 run experiments/quick.yaml --workers 1 --backend cpu', 'one worker on the pure-JS backend') as Argv<RunArgs>,
  handler: async (args) => {
    const study = await loadStudy(args.spec);
    if (!Number.isInteger(args.workers) || args.workers < 1) {
      throw new UsageError(`--workers must be a positive integer, got ${args.workers}`);
    }
    await checkStudyAgainstData(study, args.spec, args['data-dir']);
    const resultsDir = args.results ?? join('results', study.name);
    const progress = createProgress(study.cells);
    const started = Date.now();
    const summary = await runStudy(
      study,
      { resultsDir, workers: args.workers, backend: args.backend, dataDir: args['data-dir'], force: args.force, retryFailed: args['retry-failed'] },
      progress.listener,
    );
    progress.stop();
    const lines = [
      `study ${study.name}: ${summary.total} cells; ${summary.completed} run now, ${summary.skipped} already done, ${summary.failed.length} failed` +
        (summary.keptFailed ? `, ${summary.keptFailed} failed earlier (re-run with --retry-failed)` : ''),
      `backend ${summary.backend ?? '(no cell run)'}, ${args.workers} workers, ${formatSeconds((Date.now() - started) / 1000)}`,
      `results in ${resultsDir}; next: albench report ${resultsDir}`,
    ];
    for (const f of summary.failed) lines.push(`  FAILED ${f.cell.id} ${describeCell(f.cell)}: ${f.error}`);
    process.stdout.write(`${lines.join('\n')}\n`);
    process.exitCode = summary.failed.length > 0 ? EXIT_FAILED : EXIT_OK;
  },
};

/** A usage problem found after yargs parsed the arguments; exits with code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
