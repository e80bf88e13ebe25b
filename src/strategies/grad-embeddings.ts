/**
 * BADGE's gradient embeddings (Ash et al., ICLR 2020, "Deep Batch Active Learning by Diverse,
 * Uncertain Gradient Lower Bounds", §3): the gradient of the cross-entropy loss with respect to the
 * last layer's weights, taking the model's own prediction ŷ = argmax p as the label, is
 * `(p − onehot(ŷ)) ⊗ h` for penultimate features h. We keep the two factors and never build the
 * `n × (C·d)` matrix: for outer products, ⟨a⊗h, b⊗g⟩ = ⟨a, b⟩·⟨h, g⟩.
 */
import type { GradEmbeddings, Matrix } from './strategy.js';

/** probs: [n, C], features: [n, d] → scale [n, C] = p − onehot(argmax p), features unchanged. */
export function gradEmbeddingsOf(probs: Float32Array, numClasses: number, features: Matrix): GradEmbeddings {
  const n = features.rows;
  if (probs.length !== n * numClasses) throw new RangeError(`probs hold ${probs.length} values, expected ${n}×${numClasses}`);
  const scale = Float32Array.from(probs);
  for (let i = 0; i < n; i++) {
    const o = i * numClasses;
    let best = 0;
    for (let j = 1; j < numClasses; j++) if (probs[o + j] > probs[o + best]) best = j;
    scale[o + best] -= 1;
  }
  return { scale: { data: scale, rows: n, dim: numClasses }, features };
}

/** ⟨g_i, g_j⟩ for the factorised embeddings. */
export function gradDot(g: GradEmbeddings, i: number, j: number): number {
  const { scale, features } = g;
  let a = 0;
  for (let c = 0; c < scale.dim; c++) a += scale.data[i * scale.dim + c] * scale.data[j * scale.dim + c];
  if (a === 0) return 0;
  let h = 0;
  for (let c = 0; c < features.dim; c++) h += features.data[i * features.dim + c] * features.data[j * features.dim + c];
  return a * h;
}

/** ‖g_i‖² for every row: ‖a_i‖²·‖h_i‖². */
export function gradSquaredNorms(g: GradEmbeddings): Float64Array {
  const n = g.features.rows;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = gradDot(g, i, i);
  return out;
}
