/**
 * How two runs' cells are paired. A cell matches the cell with the same resolved config, with
 * its id (which hashes the rest), its env and its strategy's implementation left out: for a plugin
 * the module path and SHA-256 are exactly what a regression check changes, so they cannot be part
 * of the match. Built-in strategies carry no implementation hash; their cells keep their ids.
 */
import { canonicalJson } from '../spec/canonical.js';
import type { ResolvedCell } from '../spec/types.js';

/** The config that must be equal for two cells to be compared: everything but id and the strategy's implementation (plugin, command). */
export function comparableConfig(cell: ResolvedCell): Omit<ResolvedCell, 'id' | 'plugin' | 'command'> {
  const { id: _id, plugin: _plugin, command: _command, ...rest } = cell;
  return rest;
}

/** Key of a cell's comparable config. */
export function matchKey(cell: ResolvedCell): string {
  return canonicalJson(comparableConfig(cell));
}

/** The setting a cell belongs to: its comparable config without strategy (and parameters) and seed. */
export function settingConfig(cell: ResolvedCell): Omit<ResolvedCell, 'id' | 'plugin' | 'command' | 'strategy' | 'strategyParams' | 'seed'> {
  const { id: _id, plugin: _plugin, command: _command, strategy: _s, strategyParams: _p, seed: _seed, ...rest } = cell;
  return rest;
}

export function settingKeyOf(cell: ResolvedCell): string {
  return canonicalJson(settingConfig(cell));
}

/** Groups one side's items by match key; throws naming both cells when a key occurs twice. */
export function indexByMatchKey<T extends { readonly cell: ResolvedCell }>(items: readonly T[], side: string): Map<string, T> {
  const out = new Map<string, T>();
  for (const item of items) {
    const key = matchKey(item.cell);
    const other = out.get(key);
    if (other) {
      throw new Error(
        `the ${side} results hold two cells with the same config, ${other.cell.id} and ${item.cell.id} (strategy ${item.cell.strategy}, seed ${item.cell.seed})` +
          `${item.cell.plugin || other.cell.plugin ? ': two versions of a plugin module in one results directory' : ''}; ` +
          'keep one version per results directory (run each version with its own --results)',
      );
    }
    out.set(key, item);
  }
  return out;
}
