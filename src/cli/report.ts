import { basename, join } from 'node:path';
import type { Argv, CommandModule } from 'yargs';

interface ReportArgs {
  results: string;
  out?: string;
  baseline: string;
  figures: boolean;
  summary: boolean;
}

export const reportCommand: CommandModule<object, ReportArgs> = {
  command: 'report <results>',
  describe: 'Write the offline HTML report of a results directory, with figures, tables and summary.md',
  builder: (y: Argv) =>
    y
      .positional('results', { type: 'string', demandOption: true, describe: 'Results directory, e.g. results/quick' })
      .option('out', { type: 'string', describe: 'Output directory [default: reports/<results dir name>]' })
      .option('baseline', { type: 'string', default: 'random', describe: 'Strategy every comparison is measured against' })
      .option('figures', { type: 'boolean', default: true, describe: 'Write figures/<chart>.svg and .png (--no-figures skips them)' })
      .option('summary', { type: 'boolean', default: false, describe: 'Also print summary.md (findings and headline tables) to stdout' })
      .example('$0 report results/quick', 'writes reports/quick/index.html, summary.md, figures/ and tables/')
      .example('$0 report results/quick --summary', 'the same, then prints the Markdown summary') as Argv<ReportArgs>,
  handler: async (args) => {
    const outDir = args.out ?? join('reports', basename(args.results.replace(/\/+$/, '')));
    // Loaded on demand: the report pulls in vega, which other commands never need.
    const { writeReport } = await import('../report/write-report.js');
    const res = await writeReport(args.results, outDir, {
      baseline: args.baseline,
      figures: args.figures,
      onSkip: (s) => process.stderr.write(`skipped ${s.path}: ${s.reason}\n`),
    });
    const skipped = res.skipped.length ? `, ${res.skipped.length} unreadable file${res.skipped.length === 1 ? '' : 's'} skipped` : '';
    process.stdout.write(`report of ${res.cells} cells${skipped} written to ${res.htmlPath}\n`);
    if (args.summary) {
      const { readFile } = await import('node:fs/promises');
      process.stdout.write(`\n${await readFile(res.summaryPath, 'utf8')}`);
    }
  },
};
