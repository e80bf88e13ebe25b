/**
 * Backend choice: tfjs-node ('tensorflow') where it is installed, else wasm with our extra
 * kernels and the native matmul/Adam addon ('wasm-native'), else wasm alone, else the pure-JS cpu
 * backend. See DESIGN.md, "Backends", and native-kernels.ts.
 */
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import * as tf from '@tensorflow/tfjs-core';
// Side-effect imports: each registers its backend (and kernels) with tfjs-core.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';

import { nativeKernels, nativeKernelsMissing, setNativeKernels } from './native-kernels.js';
import { registerWasmKernels } from './wasm-kernels.js';

export { registerWasmKernels } from './wasm-kernels.js';

/** Backend names a user may ask for; 'auto' picks the fastest that initialises. */
export const BACKEND_NAMES = ['auto', 'tensorflow', 'wasm-native', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_NAMES)[number];

// A variable, not a literal: tfjs-node is an optionalDependency that usually fails to install,
// and a literal specifier would make tsc demand its types.
const TFJS_NODE = '@tensorflow/tfjs-node';

/**
 * Why tfjs-node cannot load, found without importing it, or undefined if it may load.
 * Importing a tfjs-node whose native addon was never built still runs its first requires: they
 * load the whole '@tensorflow/tfjs' bundle, which, among other things, patches chained ops
 * (t.mul(), …) onto Tensor. Code would then work under 'auto' and break under 'wasm'. Checking
 * for the addon first keeps the usual case (optional install failed) free of those side effects.
 */
function tfjsNodeMissing(): string | undefined {
  let pkgDir: string;
  try {
    pkgDir = dirname(createRequire(import.meta.url).resolve(`${TFJS_NODE}/package.json`));
  } catch {
    return `${TFJS_NODE} is not installed (it is an optionalDependency)`;
  }
  // node-pre-gyp puts the addon in lib/napi-v<N>/; N depends on the tfjs-node version.
  const lib = join(pkgDir, 'lib');
  const built = existsSync(lib) && readdirSync(lib).some((d) => existsSync(join(lib, d, 'tfjs_binding.node')));
  return built ? undefined : `${TFJS_NODE} is installed but its native addon (lib/napi-v*/tfjs_binding.node) is not built`;
}

/** One attempt per process: a failed load leaves half-registered kernels behind, so never retry. */
let tfjsNodeLoad: Promise<Error | undefined> | undefined;

function loadTfjsNode(): Promise<Error | undefined> {
  const missing = tfjsNodeMissing();
  if (missing !== undefined) return Promise.resolve(new Error(missing));
  tfjsNodeLoad ??= import(/* @vite-ignore */ TFJS_NODE).then(
    () =>
      // tfjs-node registers 'tensorflow' on the tfjs-core it resolves; if that is another copy
      // of tfjs-core, ours never sees the backend.
      tf.findBackendFactory('tensorflow') == null
        ? new Error(`${TFJS_NODE} loaded but did not register 'tensorflow' with this tfjs-core`)
        : undefined,
    (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
  );
  return tfjsNodeLoad;
}

function failure(name: string, why: string): Error {
  return new Error(
    `Backend '${name}' could not be initialised: ${why}. Allowed backends: ${BACKEND_NAMES.join(', ')}.`,
  );
}

/** Switches to one concrete backend; resolves to an error instead of throwing, for 'auto'. */
async function trySet(name: Exclude<BackendChoice, 'auto'>): Promise<Error | undefined> {
  if (name === 'tensorflow') {
    const loadError = await loadTfjsNode();
    if (loadError) return failure(name, firstLine(loadError.message));
  }
  if (name === 'wasm-native') {
    const missing = nativeKernelsMissing();
    if (missing !== undefined) return failure(name, missing);
  }
  if (name === 'wasm' || name === 'wasm-native') registerWasmKernels();
  // 'wasm-native' is the wasm backend with the addon's kernels switched on.
  const tfName = name === 'wasm-native' ? 'wasm' : name;
  try {
    // setBackend resolves false when the backend's own initialisation fails.
    if (!(await tf.setBackend(tfName))) return failure(name, 'tf.setBackend returned false');
    await tf.ready();
  } catch (err) {
    return failure(name, firstLine(err instanceof Error ? err.message : String(err)));
  }
  if (tf.getBackend() !== tfName) return failure(name, `tfjs reports '${tf.getBackend()}'`);
  // Only once the switch succeeded: a failed choice leaves the previous backend as it was.
  setNativeKernels(name === 'wasm-native');
  return undefined;
}

function firstLine(message: string): string {
  return message.split('\n', 1)[0].trim();
}

async function init(choice: BackendChoice): Promise<string> {
  if (!(BACKEND_NAMES as readonly string[]).includes(choice)) {
    throw new Error(`Unknown backend '${String(choice)}'. Allowed backends: ${BACKEND_NAMES.join(', ')}.`);
  }
  if (choice !== 'auto') {
    const error = await trySet(choice);
    if (error) throw error;
    return backendName();
  }
  const errors: Error[] = [];
  for (const name of ['tensorflow', 'wasm-native', 'wasm', 'cpu'] as const) {
    const error = await trySet(name);
    if (!error) return backendName();
    errors.push(error);
  }
  throw new Error(`No tfjs backend could be initialised:\n${errors.map((e) => `  ${e.message}`).join('\n')}`);
}

/** Calls are chained so that two concurrent inits cannot interleave their setBackend calls. */
let queue: Promise<unknown> = Promise.resolve();

/**
 * Selects and initialises the tfjs backend, returning its name (`backendName()`).
 * 'auto' tries tensorflow (tfjs-node), then wasm-native, then wasm, then cpu; an explicit choice throws an error
 * naming the backend and the allowed values. Safe to call repeatedly: it re-selects the same
 * backend, and tfjs-node is only ever imported once.
 */
export function initBackend(choice: BackendChoice = 'auto'): Promise<string> {
  const run = queue.then(() => init(choice));
  queue = run.catch(() => undefined);
  return run;
}

/** The active backend, for recording in results: tfjs's name, or 'wasm-native' for wasm with the addon. */
export function backendName(): string {
  const name = tf.getBackend();
  return name === 'wasm' && nativeKernels() !== undefined ? 'wasm-native' : name;
}
