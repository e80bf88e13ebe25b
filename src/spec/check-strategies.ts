/**
 * Loads what a study's own strategies need before anything is written: each plugin module is
 * imported (a syntax error or a missing import fails here, not in every cell), and each process
 * strategy's program must exist. A study that cannot start exits with 2 like a bad spec.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { loadPlugin } from '../strategies/plugin.js';
import { SpecError, type SpecIssue } from './errors.js';
import type { Study } from './types.js';

/** Whether `program` runs: a path to an executable, or a name found on PATH. */
export function findProgram(program: string, path = process.env.PATH ?? ''): string | undefined {
  const executable = (file: string) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (isAbsolute(program) || program.includes('/')) return executable(program) ? program : undefined;
  return path
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, program))
    .find(executable);
}

export async function checkStudyStrategies(study: Study, source: string): Promise<void> {
  const issues: SpecIssue[] = [];
  const seen = new Set<string>();
  for (const cell of study.cells) {
    if (seen.has(cell.strategy)) continue;
    seen.add(cell.strategy);
    if (cell.plugin) {
      try {
        await loadPlugin(cell.plugin);
      } catch (err) {
        issues.push({ path: 'matrix.strategy', message: `strategy "${cell.strategy}": ${(err as Error).message}` });
      }
    }
    if (cell.command && !findProgram(cell.command.argv[0])) {
      issues.push({
        path: 'matrix.strategy',
        message: `strategy "${cell.strategy}": program ${JSON.stringify(cell.command.argv[0])} of its command not found (not an executable path, nor on PATH); install it or give its full path`,
      });
    }
  }
  if (issues.length > 0) throw new SpecError(source, issues);
}
