/**
 * Strategies from the user's own ES module, named in a spec as
 * `{ module: './my-strategy.js', export: 'myStrategy' }`.
 *
 * The module path is resolved against the spec file's directory and recorded in the cell config
 * together with the SHA-256 of the file's bytes, so the cell id changes when the module does and
 * an old result is never reused for new code. Cells reach worker processes as JSON; a worker
 * loads the module again from that record (`strategyForCell`) and refuses to run when the file
 * no longer has the recorded hash, because the result would then be filed under the wrong id.
 *
 * Only the module file itself is hashed: a plugin that imports helpers from other local files
 * should bump something in its main file (a version constant will do) when they change.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ResolvedCell, StrategyPlugin } from '../spec/types.js';
import { processStrategyForCell } from './process-strategy.js';
import { createStrategy } from './registry.js';
import { NEED_NAMES, type Strategy } from './strategy.js';

/** File extensions Node can import as a module without a loader. */
export const PLUGIN_EXTENSIONS = ['.js', '.mjs', '.cjs'] as const;

/** A spec's plugin entry before resolution. */
export interface PluginEntry {
  readonly module: string;
  readonly export: string;
}

/** SHA-256 (hex) of a file's bytes. */
export function fileSha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/**
 * Resolves a plugin entry against `baseDir` and hashes the module. Throws an error that names
 * the field, the value and what is allowed; the spec validator turns it into a spec issue.
 */
export function resolvePlugin(entry: PluginEntry, baseDir: string): StrategyPlugin {
  if (typeof entry.module !== 'string' || entry.module === '') {
    throw new PluginError('module', `must be a path to an ES module (relative to the spec file), got ${JSON.stringify(entry.module)}`);
  }
  if (typeof entry.export !== 'string' || !/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(entry.export)) {
    throw new PluginError('export', `must be the name of the module's export holding the Strategy (an identifier, or "default"), got ${JSON.stringify(entry.export)}`);
  }
  const path = resolve(baseDir, entry.module);
  const ext = extname(path);
  if (!(PLUGIN_EXTENSIONS as readonly string[]).includes(ext)) {
    const hint = ext === '.ts' || ext === '.mts' ? ' (compile TypeScript to .js first, e.g. with tsc)' : '';
    throw new PluginError('module', `${JSON.stringify(entry.module)} must end in ${PLUGIN_EXTENSIONS.join(', ')}${hint}`);
  }
  if (!existsSync(path)) throw new PluginError('module', `${JSON.stringify(entry.module)} not found (resolved against the spec's directory to ${path})`);
  if (!statSync(path).isFile()) throw new PluginError('module', `${path} is not a file`);
  return { module: path, export: entry.export, sha256: fileSha256(path) };
}

/** A problem with one field of a plugin entry. */
export class PluginError extends Error {
  constructor(
    readonly field: 'module' | 'export',
    message: string,
  ) {
    super(message);
    this.name = 'PluginError';
  }
}

/**
 * Why `value` is not a Strategy, or undefined when it is one. Checked at load time so a plugin
 * with a typo fails before its first round, with the reason, not deep inside the loop.
 */
export function strategyShapeProblem(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return `is ${value === null ? 'null' : typeof value}, not a Strategy object ({ name, needs, select })`;
  const s = value as Partial<Record<keyof Strategy, unknown>>;
  if (typeof s.name !== 'string' || s.name === '') return `has no 'name' string`;
  if (!(s.needs instanceof Set)) return `'needs' must be a Set of need names (allowed: ${NEED_NAMES.join(', ')}), got ${describe(s.needs)}`;
  for (const need of s.needs) {
    if (!(NEED_NAMES as readonly unknown[]).includes(need)) return `'needs' holds unknown need ${JSON.stringify(need)}; allowed: ${NEED_NAMES.join(', ')}`;
  }
  if (typeof s.select !== 'function') return `has no 'select(ctx, batchSize, rng)' method`;
  if (s.dispose !== undefined && typeof s.dispose !== 'function') return `'dispose' must be a method when given`;
  if (s.needOptions !== undefined && (s.needOptions === null || typeof s.needOptions !== 'object')) return `'needOptions' must be an object when given`;
  if (s.needs.has('jointTraining') && typeof s.jointModule !== 'function') return `declares the 'jointTraining' need but has no 'jointModule(spec)' method building the module to train`;
  return undefined;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array (wrap it: new Set([...]))';
  return value === undefined ? 'nothing' : typeof value;
}

/**
 * Imports a module and returns its Strategy export. `exportName` defaults to the module's only
 * Strategy-shaped export (or `default`), so `albench test-strategy my.js` works without `--export`.
 * `cacheKey` goes into the import URL: Node caches modules by URL, and a long-lived worker must
 * not run an old copy of a module that has since changed on disk.
 */
export async function loadStrategyModule(path: string, exportName?: string, cacheKey?: string): Promise<{ strategy: Strategy; exportName: string }> {
  const abs = resolve(path);
  if (!existsSync(abs)) throw new Error(`strategy module ${abs} not found`);
  const url = pathToFileURL(abs);
  if (cacheKey) url.search = `sha256=${cacheKey}`;
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url.href)) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`could not import strategy module ${abs}: ${(err as Error).message}`, { cause: err });
  }
  let name = exportName;
  if (name === undefined) {
    const candidates = Object.keys(mod).filter((k) => strategyShapeProblem(mod[k]) === undefined);
    if (candidates.length === 1) name = candidates[0];
    else if (candidates.includes('default')) name = 'default';
    else {
      throw new Error(
        candidates.length === 0
          ? `strategy module ${abs} exports no Strategy object ({ name, needs: Set, select }); its exports: ${Object.keys(mod).join(', ') || '(none)'}`
          : `strategy module ${abs} exports several strategies (${candidates.join(', ')}); name one with --export`,
      );
    }
  }
  if (!(name in mod)) {
    throw new Error(`strategy module ${abs} has no export ${JSON.stringify(name)}; its exports: ${Object.keys(mod).join(', ') || '(none)'}`);
  }
  const problem = strategyShapeProblem(mod[name]);
  if (problem) throw new Error(`export ${JSON.stringify(name)} of ${abs} ${problem}`);
  return { strategy: mod[name] as Strategy, exportName: name };
}

/** Loads a cell's plugin strategy after checking the module still has the recorded SHA-256. */
export async function loadPlugin(plugin: StrategyPlugin): Promise<Strategy> {
  if (!existsSync(plugin.module)) {
    throw new Error(`strategy module ${plugin.module} (export ${plugin.export}) no longer exists; the cell was expanded from it`);
  }
  const now = fileSha256(plugin.module);
  if (now !== plugin.sha256) {
    throw new Error(
      `strategy module ${plugin.module} changed since the study was expanded (SHA-256 ${now.slice(0, 12)}…, recorded ${plugin.sha256.slice(0, 12)}…); ` +
        're-run "albench run <spec>" so the changed module gets new cell ids',
    );
  }
  return (await loadStrategyModule(plugin.module, plugin.export, plugin.sha256)).strategy;
}

/** The strategy a cell runs: its process or plugin when it has one, else the registry's strategy by name. */
export async function strategyForCell(cell: Pick<ResolvedCell, 'strategy' | 'strategyParams' | 'plugin' | 'command'>): Promise<Strategy> {
  if (cell.command) return processStrategyForCell(cell.strategy, cell.command);
  return cell.plugin ? loadPlugin(cell.plugin) : createStrategy(cell.strategy, cell.strategyParams);
}
