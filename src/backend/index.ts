/**
 * Backend choice: tfjs-node-gpu ('tensorflow-gpu', CUDA) and then tfjs-node ('tensorflow') where
 * they are installed, else wasm with our extra kernels and the native matmul/Adam addon
 * ('wasm-native'), else wasm alone, else the pure-JS cpu backend. See DESIGN.md, "Backends",
 * native-kernels.ts and README, "Backends" (how a GPU user installs tfjs-node-gpu).
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
export const BACKEND_NAMES = ['auto', 'tensorflow-gpu', 'tensorflow', 'wasm-native', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_NAMES)[number];

/** The order 'auto' tries: the GPU build first, then the CPU build of libtensorflow, then wasm. */
export const AUTO_ORDER = ['tensorflow-gpu', 'tensorflow', 'wasm-native', 'wasm', 'cpu'] as const;

type TensorflowFlavour = 'tensorflow-gpu' | 'tensorflow';

// Variables, not literals: both are optional (tfjs-node an optionalDependency that usually fails
// to install, tfjs-node-gpu installed by hand), and a literal specifier would make tsc demand types.
const PACKAGES: Readonly<Record<TensorflowFlavour, string>> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
};

/** How the tfjs-node packages are found and imported; replaced in tests (setTfjsNodeLoader). */
export interface TfjsNodeLoader {
  /** Why `pkg` cannot load, found without importing it, or undefined if it may load. */
  missing(pkg: string): string | undefined;
  /** Imports `pkg`, which registers the 'tensorflow' backend with tfjs-core. */
  load(pkg: string): Promise<unknown>;
}

/**
 * Importing a tfjs-node whose native addon was never built still runs its first requires: they
 * load the whole '@tensorflow/tfjs' bundle, which, among other things, patches chained ops
 * (t.mul(), …) onto Tensor. Code would then work under 'auto' and break under 'wasm'. Checking
 * for the addon first keeps the usual case (optional install failed) free of those side effects.
 */
function addonMissing(pkg: string): string | undefined {
  let pkgDir: string;
  try {
    pkgDir = dirname(createRequire(import.meta.url).resolve(`${pkg}/package.json`));
  } catch {
    return `${pkg} is not installed (optional: see README, "Backends")`;
  }
  // node-pre-gyp puts the addon in lib/napi-v<N>/; N depends on the tfjs-node version.
  const lib = join(pkgDir, 'lib');
  const built = existsSync(lib) && readdirSync(lib).some((d) => existsSync(join(lib, d, 'tfjs_binding.node')));
  return built ? undefined : `${pkg} is installed but its native addon (lib/napi-v*/tfjs_binding.node) is not built`;
}

const NODE_LOADER: TfjsNodeLoader = {
  missing: addonMissing,
  load: (pkg) => import(/* @vite-ignore */ pkg),
};

let loader: TfjsNodeLoader = NODE_LOADER;

/**
 * One attempt per process: a failed load leaves half-registered kernels behind, so never retry.
 * Both packages register the same backend name, so the first that loads is the only one.
 */
let tensorflowLoad: { flavour: TensorflowFlavour; result: Promise<Error | undefined> } | undefined;
/** Which package provides the active 'tensorflow' backend, for backendName(). */
let tensorflowFlavour: TensorflowFlavour | undefined;

/** Test seam: another loader (undefined = the real one); forgets what was loaded. */
export function setTfjsNodeLoader(next: TfjsNodeLoader | undefined): void {
  loader = next ?? NODE_LOADER;
  tensorflowLoad = undefined;
  tensorflowFlavour = undefined;
}

function loadTfjsNode(flavour: TensorflowFlavour): Promise<Error | undefined> {
  const pkg = PACKAGES[flavour];
  if (tensorflowLoad && tensorflowLoad.flavour !== flavour) {
    return tensorflowLoad.result.then((error) =>
      error ? new Error(loader.missing(pkg) ?? `${pkg} cannot load after ${PACKAGES[tensorflowLoad!.flavour]} failed in this process`)
        : new Error(`${PACKAGES[tensorflowLoad!.flavour]} already provides 'tensorflow' in this process; ${pkg} cannot be loaded beside it`),
    );
  }
  if (tensorflowLoad) return tensorflowLoad.result;
  const missing = loader.missing(pkg);
  if (missing !== undefined) return Promise.resolve(new Error(missing));
  const result = loader.load(pkg).then(
    () =>
      // tfjs-node registers 'tensorflow' on the tfjs-core it resolves; if that is another copy
      // of tfjs-core, ours never sees the backend.
      tf.findBackendFactory('tensorflow') == null
        ? new Error(`${pkg} loaded but did not register 'tensorflow' with this tfjs-core`)
        : undefined,
    (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
  );
  tensorflowLoad = { flavour, result };
  return result;
}

function failure(name: string, why: string): Error {
  return new Error(
    `Backend '${name}' could not be initialised: ${why}. Allowed backends: ${BACKEND_NAMES.join(', ')}.`,
  );
}

/** Switches to one concrete backend; resolves to an error instead of throwing, for 'auto'. */
async function trySet(name: Exclude<BackendChoice, 'auto'>): Promise<Error | undefined> {
  if (name === 'tensorflow' || name === 'tensorflow-gpu') {
    const loadError = await loadTfjsNode(name);
    if (loadError) return failure(name, firstLine(loadError.message));
  }
  if (name === 'wasm-native') {
    const missing = nativeKernelsMissing();
    if (missing !== undefined) return failure(name, missing);
  }
  if (name === 'wasm' || name === 'wasm-native') registerWasmKernels();
  // 'wasm-native' is the wasm backend with the addon's kernels switched on; both tfjs-node
  // flavours register 'tensorflow'.
  const tfName = name === 'wasm-native' ? 'wasm' : name === 'tensorflow-gpu' ? 'tensorflow' : name;
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
  if (tfName === 'tensorflow') tensorflowFlavour = name as TensorflowFlavour;
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
  for (const name of AUTO_ORDER) {
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
 * 'auto' tries tensorflow-gpu (tfjs-node-gpu), tensorflow (tfjs-node), then wasm-native, then wasm, then cpu; an explicit choice throws an error
 * naming the backend and the allowed values. Safe to call repeatedly: it re-selects the same
 * backend, and tfjs-node is only ever imported once.
 */
export function initBackend(choice: BackendChoice = 'auto'): Promise<string> {
  const run = queue.then(() => init(choice));
  queue = run.catch(() => undefined);
  return run;
}

/**
 * The active backend, for recording in results: tfjs's name, 'wasm-native' for wasm with the
 * addon, 'tensorflow-gpu' for the 'tensorflow' backend of tfjs-node-gpu (a GPU's float sums differ
 * from the CPU build's, so results are reproducible per flavour, not across them).
 */
export function backendName(): string {
  const name = tf.getBackend();
  if (name === 'tensorflow') return tensorflowFlavour ?? 'tensorflow';
  return name === 'wasm' && nativeKernels() !== undefined ? 'wasm-native' : name;
}
