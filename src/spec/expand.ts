import { canonicalDatasetConfig } from '../data/registry.js';
import { shortHash } from './canonical.js';
import type { ResolvedCell, Study } from './types.js';
import type { StudySpec } from './validate.js';

/**
 * The cross product of every axis, in a fixed order (dataset, model, strategy, budget, batchSize,
 * initialSize, augmentation, ssl, seed). Each cell's id hashes its config, never its position, so
 * adding a value to an axis leaves the other cells' ids, and their results, valid.
 */
export function expandStudy(spec: StudySpec): Study {
  const cells: ResolvedCell[] = [];
  // Dataset defaults (split fraction and seed, synthetic parameters) are filled in, so they are
  // recorded in every result and a change of default can never reuse old results under the same id.
  for (const dataset of spec.datasets.map(canonicalDatasetConfig))
    for (const model of spec.models)
      for (const strategy of spec.strategies)
        for (const budget of spec.budgets)
          for (const batchSize of spec.batchSizes)
            for (const initialSize of spec.initialSizes)
              for (const augmentation of spec.augmentations)
                for (const ssl of spec.ssls)
                  for (const protocol of spec.protocols ?? [undefined])
                  for (const representation of spec.representations ?? [undefined])
                  for (const seed of spec.seeds) {
                    const params = spec.strategyParams?.[strategy] ?? {};
                    const plugin = spec.strategyPlugins?.[strategy];
                    const command = spec.strategyCommands?.[strategy];
                    const config = {
                      dataset,
                      model,
                      strategy,
                      // Only parametrised strategies carry the field, so other cell ids are unchanged.
                      ...(Object.keys(params).length > 0 ? { strategyParams: params } : {}),
                      // A plugin's module path and SHA-256 enter the id: edit the module, get new cells.
                      ...(plugin ? { plugin } : {}),
                      // A process strategy's command, script SHA-256 and needs enter the id likewise.
                      ...(command ? { command } : {}),
                      budget,
                      batchSize,
                      initialSize: initialSize ?? batchSize,
                      augmentation,
                      ssl,
                      // Plain retrain leaves the field out, so cells from before the protocol axis keep their ids.
                      ...(protocol ? { protocol } : {}),
                      // Raw inputs leave the field out, so cells from before the representation axis keep their ids.
                      ...(representation ? { representation } : {}),
                      seed,
                      training: spec.training,
                    };
                    cells.push(Object.freeze({ id: cellId(config), ...config }));
                  }
  return {
    name: spec.name,
    ...(spec.findings ? { findings: spec.findings } : {}),
    ...(spec.description !== undefined ? { description: spec.description } : {}),
    cells: Object.freeze(cells),
    axes: {
      dataset: spec.datasets.map((d) => d.name),
      model: spec.models,
      strategy: spec.strategies,
      budget: spec.budgets,
      batchSize: spec.batchSizes,
      initialSize: [...new Set(cells.map((cell) => cell.initialSize))],
      augmentation: spec.augmentations,
      ssl: spec.ssls,
      ...(spec.protocols ? { protocol: spec.protocols.map((p) => p ?? { name: 'retrain' }) } : {}),
      ...(spec.representations ? { representation: spec.representations.map((r) => r ?? 'raw') } : {}),
      seed: spec.seeds,
    },
  };
}

/** A cell's id: a short hash of its canonical config. Same config, same id, on every machine. */
export function cellId(config: Omit<ResolvedCell, 'id'>): string {
  return shortHash(config);
}
