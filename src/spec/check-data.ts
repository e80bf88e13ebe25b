import { loadDataset } from '../data/registry.js';
import { DatasetError, type Dataset } from '../data/dataset.js';
import { canonicalJson } from './canonical.js';
import { methodName } from './method-params.js';
import { SpecError, type SpecIssue } from './errors.js';
import type { Study } from './types.js';

/**
 * Loads each dataset of the study once and checks what only the data can tell: that every budget
 * fits in the training pool. Runs before anything is written, so an impossible study, or data
 * that cannot be loaded (a missing file, a bad value), exits with 2.
 */
export async function checkStudyAgainstData(study: Study, source: string, dataDir?: string): Promise<Map<string, Dataset>> {
  const datasets = new Map<string, Dataset>();
  const issues: SpecIssue[] = [];
  for (const cell of study.cells) {
    const key = canonicalJson(cell.dataset);
    let data = datasets.get(key);
    if (!data) {
      try {
        data = await loadDataset(cell.dataset, { dataDir });
      } catch (err) {
        // A data file that cannot be used is a bad input like a bad spec: exit 2, nothing written.
        if (err instanceof DatasetError) throw new SpecError(source, [{ path: 'dataset', message: err.message }]);
        throw err;
      }
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
  // Image-only methods on data that turned out to be feature vectors (npy; synthetic/csv are caught by validateSpec).
  for (const cell of study.cells) {
    const data = datasets.get(canonicalJson(cell.dataset))!;
    if (data.shape.length === 3) continue;
    const aug = methodName(cell.augmentation);
    const ssl = methodName(cell.ssl);
    const add = (path: string, message: string) => !issues.some((i) => i.message === message) && issues.push({ path, message });
    if (aug !== 'none') add('matrix.augmentation', `augmentation "${aug}" needs image data [height, width, channels]; dataset ${cell.dataset.name} has shape [${data.shape.join(', ')}]; allowed for it: none`);
    if (ssl === 'fixmatch' || ssl === 'mean-teacher') add('matrix.ssl', `ssl method "${ssl}" perturbs images; dataset ${cell.dataset.name} has shape [${data.shape.join(', ')}]; allowed for it: none, pseudo-label`);
  }
  if (issues.length > 0) throw new SpecError(source, issues);
  return datasets;
}
