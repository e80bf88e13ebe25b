import { resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { BACKEND_NAMES, initBackend, type BackendChoice } from '../backend/index.js';
import { checkStrategyContract } from '../strategies/contract.js';
import { createContractFixture } from '../strategies/contract-fixture.js';
import { basename } from 'node:path';
import { loadStrategyModule, PLUGIN_EXTENSIONS } from '../strategies/plugin.js';
import { CommandEntryError, PIPE_NEEDS, processStrategy, resolveCommand } from '../strategies/process-strategy.js';
import type { Strategy } from '../strategies/strategy.js';
import { EXIT_FAILED, EXIT_OK } from './exit-codes.js';
import { UsageError } from './run.js';

interface TestStrategyArgs {
  module?: string;
  args?: (string | number)[];
  _: (string | number)[];
  export?: string;
  needs?: string;
  timeout?: number;
  backend: BackendChoice;
}

export const testStrategyCommand: CommandModule<object, TestStrategyArgs> = {
  command: 'test-strategy [module] [args..]',
  describe: "Run the built-in strategies' contract checks on your strategy module",
  builder: (y: Argv) =>
    y
      .positional('module', { type: 'string', describe: 'ES module (.js/.mjs) exporting a Strategy, or the program of a strategy command (e.g. python3)' })
      .positional('args', { type: 'string', array: true, describe: "The command's arguments (after --), e.g. -- python3 my_strategy.py" })
      .option('needs', { type: 'string', describe: `A command's needs, comma-separated (allowed: ${PIPE_NEEDS.join(', ')})` })
      .option('timeout', { type: 'number', describe: "Seconds a command may take per selection [default: the spec's default]" })
      .option('export', { type: 'string', describe: "Export holding the Strategy [default: the module's only Strategy export, or default]" })
      .option('backend', { choices: BACKEND_NAMES, default: 'auto' as BackendChoice, describe: 'tfjs backend of the check' })
      .example('$0 test-strategy ./my-strategy.js --export myStrategy', 'check one export')
      .example('$0 test-strategy --needs probs -- python3 strategies/my_margin.py', 'check a strategy that runs as a process (python/albench_strategy.py)')
      .epilogue(
        'Checks: a name, known needs and a select method; a batch of unique pool indices; the same selection for the same seed; ' +
          'no leaked tensor; inputs left unchanged; the whole pool can be taken and one more throws PoolExhaustedError. ' +
          'Exit codes: 0 all checks pass; 1 a check failed; 2 the module cannot be loaded or the command names no script.',
      ) as Argv<TestStrategyArgs>,
  handler: async (args) => {
    let loaded: { strategy: Strategy; what: string };
    try {
      loaded = await strategyUnderTest(args);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const backend = await initBackend(args.backend);
    const fixture = await createContractFixture();
    try {
      const checks = await checkStrategyContract(loaded.strategy, fixture);
      process.stdout.write(`strategy "${loaded.strategy.name}" (${loaded.what}), backend ${backend}:\n`);
      for (const c of checks) process.stdout.write(`  ${c.ok ? 'pass' : 'FAIL'}  ${c.name}: ${c.detail}\n`);
      const failed = checks.filter((c) => !c.ok).length;
      process.stdout.write(failed === 0 ? `all ${checks.length} contract checks passed\n` : `${failed} of ${checks.length} contract checks failed\n`);
      process.exitCode = failed === 0 ? EXIT_OK : EXIT_FAILED;
    } finally {
      fixture.dispose();
      await loaded.strategy.dispose?.();
    }
  },
};

/** A JS module's Strategy export, or a command run as a process strategy when `module` is no .js file. */
async function strategyUnderTest(args: TestStrategyArgs): Promise<{ strategy: Strategy; what: string }> {
  // After `--`, yargs leaves the words in `_` (behind the command's own name).
  const words = [args.module, ...(args.args ?? []), ...args._.slice(1)].filter((w) => w !== undefined).map(String);
  if (words.length === 0) throw new Error('name a strategy module (my-strategy.js) or a command (-- python3 my_strategy.py)');
  const module = words[0];
  const isModule = (PLUGIN_EXTENSIONS as readonly string[]).some((ext) => module.endsWith(ext)) && words.length === 1;
  if (isModule) {
    const { strategy, exportName } = await loadStrategyModule(resolve(module), args.export);
    return { strategy, what: `export ${exportName} of ${resolve(module)}` };
  }
  const needs = args.needs ? args.needs.split(',').map((n) => n.trim()).filter(Boolean) : [];
  try {
    const command = resolveCommand({ command: words, needs, timeout: args.timeout }, process.cwd(), 'the current directory');
    return { strategy: processStrategy(basename(command.script), command), what: `command ${command.argv.join(' ')}, needs: ${command.needs.join(', ') || '(none)'}` };
  } catch (err) {
    if (err instanceof CommandEntryError) throw new Error(`${err.field === 'command' ? 'the command' : `--${err.field}`} ${err.message}`, { cause: err });
    throw err;
  }
}
