#!/usr/bin/env node
// Builds the native matmul/Adam addon (native/albench_native.cc) that the 'wasm-native' backend
// uses; `npm install` runs this. It never fails the install: without a C++ compiler, on a non-x86-64
// machine, or with ALBENCH_SKIP_NATIVE=1, albench runs on plain wasm (src/backend/native-kernels.ts
// says why 'wasm-native' is missing). node-gyp is npm's own copy; the Node headers come from this
// Node's install prefix when present, so nothing is downloaded.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const nativeDir = resolve(dirname(fileURLToPath(import.meta.url)), '../native');
const skip = (why) => {
  console.error(`albench: native kernels not built (${why}); the wasm backend will be used.`);
  process.exit(0);
};

if (process.env.ALBENCH_SKIP_NATIVE === '1') skip('ALBENCH_SKIP_NATIVE=1');
if (process.arch !== 'x64') skip(`they are x86-64 only, this is ${process.arch}`);

const prefix = dirname(dirname(process.execPath));
const gyp = [
  process.env.npm_config_node_gyp,
  join(prefix, 'lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'),
].find((p) => p && existsSync(p));
if (!gyp) skip("npm's node-gyp was not found");

const args = [gyp, 'rebuild', '--directory', nativeDir];
const nodedir = process.env.npm_config_nodedir ?? (existsSync(join(prefix, 'include/node/node_api.h')) ? prefix : undefined);
if (nodedir) args.push(`--nodedir=${nodedir}`);
const run = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
if (run.status !== 0) {
  const last = `${run.stdout}${run.stderr}`.trim().split('\n').slice(-6).join('\n');
  skip(`node-gyp failed:\n${last}\n`);
}
console.error(`albench: native kernels built (${join(nativeDir, 'build/Release/albench_native.node')}).`);
