import type { Argv, CommandModule } from 'yargs';
import { compareRuns, DEFAULT_ALPHA, DEFAULT_MIN_EFFECT } from '../regression/compare-runs.js';
import { COMPARE_FORMATS, formatCompare, type CompareFormat } from '../regression/format-compare.js';
import { readResultsDir, ResultsDirError } from '../regression/read-results.js';
import { EXIT_FAILED, EXIT_OK } from './exit-codes.js';
import { UsageError } from './run.js';

interface CompareArgs {
  baseline: string;
  candidate: string;
  alpha: number;
  'min-effect': number;
  format: CompareFormat;
}

export const compareCommand: CommandModule<object, CompareArgs> = {
  command: 'compare <baseline> <candidate>',
  describe: 'Compare two runs of a study cell by cell (paired by seed) and say whether anything regressed',
  builder: (y: Argv) =>
    y
      .positional('baseline', { type: 'string', demandOption: true, describe: 'Results directory of the reference run, e.g. results/before' })
      .positional('candidate', { type: 'string', demandOption: true, describe: 'Results directory of the run to check, e.g. results/after' })
      .option('alpha', { type: 'number', default: DEFAULT_ALPHA, describe: 'Significance level of the two-sided Wilcoxon signed-rank test' })
      .option('min-effect', {
        type: 'number',
        default: DEFAULT_MIN_EFFECT,
        describe: 'Smallest mean difference (accuracy units; 0.01 = one point) that counts as regressed or improved',
      })
      .option('format', { choices: COMPARE_FORMATS, default: 'text' as CompareFormat, describe: 'text, markdown (for a PR comment) or json' })
      .example('$0 compare results/before results/after', 'exit 1 when a strategy got significantly worse')
      .example('$0 compare results/before results/after --format markdown > comment.md', 'a table for a pull request')
      .epilogue(
        'Cells are matched by their resolved config (env and a plugin module\'s path and SHA-256 ignored) and paired by seed. ' +
          'Per setting and strategy: AUBC and final accuracy, candidate − baseline, with the 95 % t interval and the Wilcoxon p. ' +
          'Exit codes: 0 nothing regressed; 1 something regressed (or now fails); 2 bad usage or nothing to compare.',
      ) as Argv<CompareArgs>,
  handler: (args) => {
    if (!(args.alpha > 0 && args.alpha < 1)) throw new UsageError(`--alpha must be between 0 and 1 (exclusive), got ${args.alpha}`);
    if (!(args['min-effect'] >= 0 && Number.isFinite(args['min-effect']))) throw new UsageError(`--min-effect must be a number ≥ 0, got ${args['min-effect']}`);
    let report, sources;
    try {
      const baseline = readResultsDir(args.baseline);
      const candidate = readResultsDir(args.candidate);
      report = compareRuns(baseline.results, candidate.results, { alpha: args.alpha, minEffect: args['min-effect'] });
      sources = {
        baseline: { dir: args.baseline, cells: baseline.results.length, skipped: baseline.skipped },
        candidate: { dir: args.candidate, cells: candidate.results.length, skipped: candidate.skipped },
      };
    } catch (err) {
      // Not a results directory, or two versions of one cell on a side: the user must fix the inputs.
      if (err instanceof ResultsDirError || /hold two cells with the same config/.test((err as Error).message)) throw new UsageError((err as Error).message);
      throw err;
    }
    process.stdout.write(formatCompare(args.format, report, sources));
    if (report.rows.length === 0 && report.failedInCandidate.length === 0) {
      throw new UsageError('nothing to compare: no cell completed on both sides (see the lists above)');
    }
    process.exitCode = report.regressed ? EXIT_FAILED : EXIT_OK;
  },
};
