import { resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { BACKEND_NAMES, initBackend, type BackendChoice } from '../backend/index.js';
import { checkStrategyContract } from '../strategies/contract.js';
import { createContractFixture } from '../strategies/contract-fixture.js';
import { loadStrategyModule } from '../strategies/plugin.js';
import { EXIT_FAILED, EXIT_OK } from './exit-codes.js';
import { UsageError } from './run.js';

interface TestStrategyArgs {
  module: string;
  export?: string;
  backend: BackendChoice;
}

export const testStrategyCommand: CommandModule<object, TestStrategyArgs> = {
  command: 'test-strategy <module>',
  describe: "Run the built-in strategies' contract checks on your strategy module",
  builder: (y: Argv) =>
    y
      .positional('module', { type: 'string', demandOption: true, describe: 'ES module (.js/.mjs) exporting a Strategy' })
      .option('export', { type: 'string', describe: "Export holding the Strategy [default: the module's only Strategy export, or default]" })
      .option('backend', { choices: BACKEND_NAMES, default: 'auto' as BackendChoice, describe: 'tfjs backend of the check' })
      .example('$0 test-strategy ./my-strategy.js --export myStrategy', 'check one export')
      .epilogue(
        'Checks: a name, known needs and a select method; a batch of unique pool indices; the same selection for the same seed; ' +
          'no leaked tensor; inputs left unchanged; the whole pool can be taken and one more throws PoolExhaustedError. ' +
          'Exit codes: 0 all checks pass; 1 a check failed; 2 the module cannot be loaded.',
      ) as Argv<TestStrategyArgs>,
  handler: async (args) => {
    let loaded;
    try {
      loaded = await loadStrategyModule(resolve(args.module), args.export);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const backend = await initBackend(args.backend);
    const fixture = await createContractFixture();
    try {
      const checks = await checkStrategyContract(loaded.strategy, fixture);
      process.stdout.write(`strategy "${loaded.strategy.name}" (export ${loaded.exportName} of ${resolve(args.module)}), backend ${backend}:\n`);
      for (const c of checks) process.stdout.write(`  ${c.ok ? 'pass' : 'FAIL'}  ${c.name}: ${c.detail}\n`);
      const failed = checks.filter((c) => !c.ok).length;
      process.stdout.write(failed === 0 ? `all ${checks.length} contract checks passed\n` : `${failed} of ${checks.length} contract checks failed\n`);
      process.exitCode = failed === 0 ? EXIT_OK : EXIT_FAILED;
    } finally {
      fixture.dispose();
    }
  },
};
