/**
 * The choice 'auto' makes among tfjs-node-gpu, tfjs-node, wasm-native, wasm and cpu, with the
 * tfjs-node packages replaced by an injected loader (they cannot install on these machines). A
 * fake package "loads" by registering a pure-JS cpu backend under the name 'tensorflow', as the
 * real ones register theirs, so the whole path through tf.setBackend runs.
 */
import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { afterEach, describe, expect, it } from 'vitest';
import { backendName, initBackend, setTfjsNodeLoader, type TfjsNodeLoader } from '../../src/backend/index.js';

const GPU = '@tensorflow/tfjs-node-gpu';
const CPU = '@tensorflow/tfjs-node';

function fakeLoader(installed: Record<string, 'ok' | 'throws'>): TfjsNodeLoader & { probed: string[]; loaded: string[] } {
  const probed: string[] = [];
  const loaded: string[] = [];
  return {
    probed,
    loaded,
    missing: (pkg) => {
      probed.push(pkg);
      return installed[pkg] ? undefined : `${pkg} is not installed`;
    },
    load: async (pkg) => {
      loaded.push(pkg);
      if (installed[pkg] === 'throws') throw new Error(`libcudart.so.11.0: cannot open shared object file`);
      tf.registerBackend('tensorflow', () => new MathBackendCPU());
    },
  };
}

afterEach(async () => {
  setTfjsNodeLoader(undefined);
  await initBackend('cpu');
  if (tf.findBackendFactory('tensorflow') != null) tf.removeBackend('tensorflow');
});

describe("backend 'auto'", () => {
  it('takes tfjs-node-gpu first where both are installed, and records it as tensorflow-gpu', async () => {
    const loader = fakeLoader({ [GPU]: 'ok', [CPU]: 'ok' });
    setTfjsNodeLoader(loader);
    expect(await initBackend('auto')).toBe('tensorflow-gpu');
    expect(tf.getBackend()).toBe('tensorflow');
    expect(backendName()).toBe('tensorflow-gpu');
    expect(loader.loaded).toEqual([GPU]);
  });

  it('takes tfjs-node when only it is installed', async () => {
    const loader = fakeLoader({ [CPU]: 'ok' });
    setTfjsNodeLoader(loader);
    expect(await initBackend('auto')).toBe('tensorflow');
    expect(loader.probed).toEqual([GPU, CPU]);
    expect(loader.loaded).toEqual([CPU]);
  });

  it('falls back to wasm without importing anything when neither is installed', async () => {
    const loader = fakeLoader({});
    setTfjsNodeLoader(loader);
    expect(['wasm-native', 'wasm']).toContain(await initBackend('auto'));
    expect(loader.probed).toEqual([GPU, CPU]);
    expect(loader.loaded).toEqual([]);
  });

  it('a GPU build that fails to load is not followed by a second tfjs-node import in the same process', async () => {
    const loader = fakeLoader({ [GPU]: 'throws', [CPU]: 'ok' });
    setTfjsNodeLoader(loader);
    expect(['wasm-native', 'wasm']).toContain(await initBackend('auto'));
    expect(loader.loaded).toEqual([GPU]);
    await expect(initBackend('tensorflow-gpu')).rejects.toThrow(/Backend 'tensorflow-gpu' could not be initialised: libcudart/);
  });

  it('an explicit tensorflow-gpu that is not installed names the package and the allowed backends', async () => {
    setTfjsNodeLoader(fakeLoader({ [CPU]: 'ok' }));
    await expect(initBackend('tensorflow-gpu')).rejects.toThrow(
      /Backend 'tensorflow-gpu' could not be initialised: @tensorflow\/tfjs-node-gpu is not installed.*Allowed backends: auto, tensorflow-gpu, tensorflow/,
    );
    expect(await initBackend('tensorflow')).toBe('tensorflow');
  });
});
