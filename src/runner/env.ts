import { arch, platform, release } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import type { EnvInfo } from '../store/schema.js';
import { ALBENCH_VERSION } from '../version.js';

/** Where a cell ran. `backend` is the one actually active, which `auto` may have chosen. */
export function currentEnvFor(backend: string): EnvInfo {
  return {
    albench: ALBENCH_VERSION,
    tfjs: tf.version_core,
    backend,
    node: process.version,
    os: `${platform()} ${release()} ${arch()}`,
  };
}
