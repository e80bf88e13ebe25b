import { basename, join } from 'node:path';
import type { Argv, CommandModule } from 'yargs';

interface ReportArgs {
  results: string;
  out?: string;
}

export const reportCommand: CommandModule<object, ReportArgs> = {
  command: 'report <results>',
  describe: 'Write the offline HTML report of a results directory',
  builder: (y: Argv) =>
    y
      .positional('results', { type: 'string', demandOption: true, describe: 'Results directory, e.g. results/quick' })
      .option('out', { type: 'string', describe: 'Output directory [default: reports/<results dir name>]' })
      .example('$0 report results/quick', 'writes reports/quick/index.html') as Argv<ReportArgs>,
  handler: async (args) => {
    const outDir = args.out ?? join('reports', basename(args.results.replace(/\/+$/, '')));
    // Loaded on demand: the report pulls in vega, which other commands never need.
    const { writeReport } = await import('../report/write-report.js');
    const { htmlPath, cells } = await writeReport(args.results, outDir);
    process.stdout.write(`report of ${cells} cells written to ${htmlPath}\n`);
  },
};
