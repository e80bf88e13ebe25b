import { loadDataset } from '../data/registry.js';
import type { Dataset } from '../data/dataset.js';
import { canonicalJson } from './canonical.js';
import { SpecError, type SpecIssue } from './errors.js';
import type { Study } from './types.js';

/**
 * Loads each dataset of the study once and checks what only the data can tell: that every budget
 * fits in the training pool. Runs before anything is written, so an impossible study exits with 2.
 */
export async function checkStudyAgainstData(study: Study, source: string, dataDir?: string): Promise<Map<string, Dataset>> {
  const datasets = new Map<string, Dataset>();
  const issues: SpecIssue[] = [];
  for (const cell of study.cells) {
    const key = canonicalJson(cell.dataset);
    let data = datasets.get(key);
    if (!data) {
      data = await loadDataset(cell.dataset, { dataDir });
      datasets.set(key, data);
    }
    if (cell.budget > data.train.n && !issues.some((i) => i.message.includes(`budget ${cell.budget} `))) {
      issues.push({
        path: 'matrix.budget',
        message: `budget ${cell.budget} exceeds the ${data.train.n} training examples of dataset ${cell.dataset.name}; allowed: ≤ ${data.train.n}`,
      });
    }
    // A batch larger than the whole pool can never be drawn (PoolExhaustedError in round 0).
    if (cell.batchSize > data.train.n && !issues.some((i) => i.message.includes(`batchSize ${cell.batchSize} `))) {
      issues.push({
        path: 'matrix.batchSize',
        message: `batchSize ${cell.batchSize} exceeds the ${data.train.n} training examples of dataset ${cell.dataset.name}; allowed: ≤ ${data.train.n}`,
      });
    }
  }
  if (issues.length > 0) throw new SpecError(source, issues);
  return datasets;
}
