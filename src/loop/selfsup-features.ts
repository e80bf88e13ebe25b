/**
 * The `selfsupEmbeddings` need: embeddings of the training set by a SimCLR encoder (Chen et al.,
 * ICML 2020) pretrained without labels on the training pool, for strategies defined on
 * self-supervised features (TypiClust, Hacohen et al. 2022; ProbCover, Yehuda et al. 2022).
 *
 * It is the encoder of the `representation: selfsup` axis (src/selfsup/representation.ts), from
 * the same cache: same dataset, settings and cell seed give the same file, pretrained once per
 * cache directory and shared by every cell, worker and round (the encoder does not depend on the
 * labels or the round). Within a process the last few are also kept in memory. Standardised per
 * feature with the training pool's statistics, as the representation axis does.
 *
 * A cell that already runs on the selfsup representation hands its inputs over: they are those
 * embeddings (standardised), and a second encoder on top of an encoder would be another method.
 */
import { featureSize, type Dataset } from '../data/dataset.js';
import { backendName } from '../backend/index.js';
import { selfsupDataset } from '../selfsup/representation.js';
import { shortHash } from '../spec/canonical.js';
import type { RepresentationConfig, ResolvedCell } from '../spec/types.js';
import type { Matrix } from '../strategies/strategy.js';
import { SELFSUP_DEFAULTS } from '../selfsup/params.js';

/** Computes the self-supervised embeddings of the whole training set, `[train.n, dim]`. */
export type SelfsupFeatureProvider = (cell: ResolvedCell, data: Dataset, settings: Readonly<Record<string, number>>) => Promise<Matrix>;

const MEMORY: { key: string; value: Matrix }[] = [];
const MEMORY_SLOTS = 2;

/** The cache directory: `$ALBENCH_CACHE` (set by the runner for its workers), else `cacheDir`, else a temp folder. */
export function selfsupFeatureProvider(cacheDir?: string): SelfsupFeatureProvider {
  return async (cell, data, settings) => {
    if (cell.representation) return { data: data.train.x, rows: data.train.n, dim: featureSize(data.shape) };
    if (data.shape.length !== 3) {
      throw new Error(
        `strategy ${cell.strategy} runs on self-supervised (SimCLR) embeddings, which need image data shaped [height, width, channels]; dataset ${data.name} has shape [${data.shape.join(', ')}]. Allowed for feature vectors: the -raw or -model variant (e.g. ${cell.strategy}-raw)`,
      );
    }
    const config = { name: 'selfsup', ...SELFSUP_DEFAULTS, ...settings } as RepresentationConfig;
    const dir = cacheDir ?? process.env.ALBENCH_CACHE ?? `${(await import('node:os')).tmpdir()}/albench-cache`;
    const key = shortHash({ dataset: cell.dataset, checksum: data.checksum, config, seed: cell.seed, backend: backendName(), dir });
    const hit = MEMORY.find((m) => m.key === key);
    if (hit) return hit.value;
    const { dataset } = await selfsupDataset(data, cell.dataset, config, cell.seed, { cacheDir: dir, backend: backendName() });
    const value = { data: dataset.train.x, rows: dataset.train.n, dim: config.embeddingDim };
    MEMORY.unshift({ key, value });
    MEMORY.length = Math.min(MEMORY.length, MEMORY_SLOTS);
    return value;
  };
}
