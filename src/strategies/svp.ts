/**
 * Selection via proxy, SVP (Coleman, Yeh, Mussmann, Mirzasoleiman, Bailis, Liang, Leskovec & Zaharia,
 * ICLR 2020, "Selection via Proxy: Efficient Data Selection for Deep Learning"): run a strategy on
 * the outputs of a cheaper proxy model instead of the task model. The proxy here is the MLP trained
 * for a fraction of the cell's epochs (the paper shrinks the architecture and/or the training; for
 * a CNN cell the MLP is the smaller architecture, for an MLP cell the shorter training is the saving).
 *
 * The wrapper asks the loop for `trainModel`, trains the proxy on the labelled set, computes the
 * base strategy's needs (probs, embeddings, gradient embeddings) from the proxy, and hands them to
 * the base strategy. Bases with other needs (MC dropout, committees) are rejected when built.
 */
import { gradEmbeddingsOf } from './grad-embeddings.js';
import { checkBatch, required, type Need, type SelectionContext, type Strategy } from './strategy.js';

const PROXY_NEEDS: ReadonlySet<Need> = new Set(['probs', 'labeledProbs', 'embeddings', 'gradEmbeddings']);

export function svpStrategy(name: string, base: Strategy, params: { epochFraction: number }): Strategy {
  for (const need of base.needs) {
    if (!PROXY_NEEDS.has(need)) throw new Error(`SVP cannot wrap ${base.name}: its need '${need}' is not one a proxy provides (${[...PROXY_NEEDS].join(', ')})`);
  }
  return {
    name,
    needs: new Set(['trainModel']),
    queryTrainings: [{ count: 1, model: 'mlp', epochScale: params.epochFraction }],
    async select(ctx, batchSize, rng) {
      checkBatch(ctx, batchSize);
      const train = required(ctx.trainModel, name, 'trainModel');
      const proxy = await train({ tag: 'svp-proxy', rows: ctx.labeled, model: 'mlp', epochScale: params.epochFraction });
      try {
        const wantsFeatures = base.needs.has('embeddings') || base.needs.has('gradEmbeddings');
        const pool = wantsFeatures ? await proxy.embeddings(ctx.pool) : undefined;
        const probs = await proxy.probs(ctx.pool);
        const labeled = base.needs.has('embeddings') ? await proxy.embeddings(ctx.labeled) : undefined;
        const proxyCtx: SelectionContext = {
          round: ctx.round,
          numClasses: ctx.numClasses,
          pool: ctx.pool,
          labeled: ctx.labeled,
          labeledY: ctx.labeledY,
          probs,
          labeledProbs: base.needs.has('labeledProbs') || base.needs.has('embeddings') ? await proxy.probs(ctx.labeled) : undefined,
          embeddings: pool,
          labeledEmbeddings: labeled,
          gradEmbeddings: base.needs.has('gradEmbeddings') ? gradEmbeddingsOf(probs, ctx.numClasses, pool!) : undefined,
        };
        return await base.select(proxyCtx, batchSize, rng);
      } finally {
        proxy.dispose();
      }
    },
  };
}
