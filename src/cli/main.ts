#!/usr/bin/env node
/** The `albench` command line. Exit codes (exit-codes.ts): 0 ok, 1 failed cells or runtime error, 2 input that cannot be used. */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { SpecError } from '../spec/errors.js';
import { DatasetError } from '../data/dataset.js';
import { ALBENCH_VERSION } from '../version.js';
import { EXIT_FAILED, EXIT_USAGE } from './exit-codes.js';
import { dataCommand } from './data.js';
import { listCommand } from './list.js';
import { planCommand } from './plan.js';
import { reportCommand } from './report.js';
import { runCommand, UsageError } from './run.js';
import { slurmCommand } from './slurm.js';
import { compareCommand } from './compare.js';
import { verifyCommand } from './verify.js';
import { testStrategyCommand } from './test-strategy.js';
import { exportCommand } from './export.js';
import { schemaCommand } from './schema.js';
import { ResultsDirError } from '../regression/read-results.js';

async function main(): Promise<void> {
  try {
    await yargs(hideBin(process.argv))
      .scriptName('albench')
      .usage('$0 <command> [options]\n\nReproducible active-learning benchmarks: query strategies against random sampling.')
      .command(runCommand)
      .command(planCommand)
      .command(reportCommand)
      .command(listCommand)
      .command(dataCommand)
      .command(slurmCommand)
      .command(compareCommand)
      .command(verifyCommand)
      .command(testStrategyCommand)
      .command(exportCommand)
      .command(schemaCommand)
      .demandCommand(1, 'Give a command: run, plan, report, export, list, data, slurm, compare, verify, test-strategy or schema')
      .strict()
      .version(ALBENCH_VERSION)
      .help()
      .wrap(Math.min(110, process.stdout.columns ?? 110))
      .epilogue(
        'Exit codes: 0 success; 1 cells ran and some failed, or a runtime error; 2 input that cannot be used (a bad spec or usage, data file, ' +
          'strategy module or command, or results path), nothing written.',
      )
      .fail((message, error) => {
        if (error) throw error;
        process.stderr.write(`${message}\nRun "albench --help" for usage.\n`);
        process.exit(EXIT_USAGE);
      })
      .parseAsync();
  } catch (err) {
    const error = err as Error;
    if (error instanceof SpecError || error instanceof UsageError || error instanceof ResultsDirError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(EXIT_USAGE);
    }
    process.stderr.write(error instanceof DatasetError ? `${error.message}\n` : `${error.stack ?? error.message}\n`);
    process.exit(EXIT_FAILED);
  }
}

void main();
