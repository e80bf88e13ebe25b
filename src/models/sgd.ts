/**
 * SGD with momentum and Nesterov momentum exactly as `torch.optim.SGD` defines them (dampening 0;
 * Sutskever et al. 2013, "On the importance of initialization and momentum in deep learning"):
 *
 *   g ← ∇ + wd·θ (L2, kernels only)       b ← g at the first step, else μ·b + g
 *   d ← g + μ·b (nesterov) or b            θ ← θ − lr·d
 *
 * Written with elementwise tf ops (no reductions), so every backend computes it in the same
 * order and the result is deterministic. `learningRate` is a plain field read at each step, so a
 * schedule changes it without re-creating the optimizer (and there is nothing to retrace: tfjs
 * runs kernels eagerly).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NamedTensorMap } from '@tensorflow/tfjs-core';

export class SgdOptimizer extends tf.Optimizer {
  static get className(): string {
    return 'AlbenchSgd';
  }

  private readonly buffers = new Map<string, tf.Tensor>();

  constructor(
    public learningRate: number,
    readonly momentum = 0,
    readonly nesterov = false,
    readonly weightDecay = 0,
    /** Names of the variables weight decay applies to (kernels). */
    readonly decayed: ReadonlySet<string> = new Set(),
  ) {
    super();
  }

  override applyGradients(variableGradients: NamedTensorMap | { name: string; tensor: tf.Tensor }[]): void {
    const entries = Array.isArray(variableGradients) ? variableGradients.map((e) => [e.name, e.tensor] as const) : Object.entries(variableGradients);
    for (const [name, grad] of entries) {
      if (grad == null) continue;
      const variable = tf.engine().registeredVariables[name];
      const previous = this.buffers.get(name);
      const [next, buffer] = tf.tidy(() => {
        const g = this.weightDecay > 0 && this.decayed.has(name) ? tf.add(grad, tf.mul(variable, this.weightDecay)) : grad;
        if (this.momentum === 0) return [tf.sub(variable, tf.mul(g, this.learningRate)), undefined];
        const b = previous ? tf.add(tf.mul(previous, this.momentum), g) : tf.clone(g);
        const d = this.nesterov ? tf.add(g, tf.mul(b, this.momentum)) : b;
        return [tf.sub(variable, tf.mul(d, this.learningRate)), b];
      });
      if (buffer) {
        previous?.dispose();
        // Kept: the caller's tidy (around minimize) would otherwise free the buffer.
        this.buffers.set(name, tf.keep(buffer));
      }
      variable.assign(next);
      next.dispose();
    }
    this.incrementIterations();
  }

  override dispose(): void {
    for (const b of this.buffers.values()) b.dispose();
    this.buffers.clear();
    super.dispose();
  }

  override async getWeights(): Promise<{ name: string; tensor: tf.Tensor }[]> {
    throw new Error('SgdOptimizer.getWeights: not supported; albench never saves optimizer state.');
  }

  override async setWeights(): Promise<void> {
    throw new Error('SgdOptimizer.setWeights: not supported; albench never restores optimizer state.');
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, momentum: this.momentum, nesterov: this.nesterov, weightDecay: this.weightDecay };
  }
}
