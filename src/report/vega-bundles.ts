/**
 * The UMD builds of vega, vega-lite and vega-embed, read from node_modules for inlining.
 *
 * `require.resolve('vega/build/vega.min.js')` fails: the three packages' "exports" maps do not
 * expose their build folders (ERR_PACKAGE_PATH_NOT_EXPORTED). So we resolve each package's main
 * entry, walk up to the folder whose package.json carries its name, and join the build path there.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface VegaBundles {
  readonly vega: string;
  readonly vegaLite: string;
  readonly vegaEmbed: string;
}

/** Package → its minified UMD build. vega-embed's UMD reads the `vega` and `vegaLite` globals. */
const BUNDLES = {
  vega: { pkg: 'vega', file: 'build/vega.min.js' },
  vegaLite: { pkg: 'vega-lite', file: 'build/vega-lite.min.js' },
  vegaEmbed: { pkg: 'vega-embed', file: 'build/vega-embed.min.js' },
} as const;

const require = createRequire(import.meta.url);

export function packageRoot(pkg: string): string {
  const entry = require.resolve(pkg);
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === pkg) {
      return dir;
    }
  }
  throw new Error(`Cannot find the package folder of '${pkg}' above ${entry}`);
}

/** Absolute paths of the three UMD files; throws naming the file that is missing. */
export function vegaBundlePaths(): Record<keyof VegaBundles, string> {
  const paths = {} as Record<keyof VegaBundles, string>;
  for (const [key, { pkg, file }] of Object.entries(BUNDLES) as [keyof VegaBundles, { pkg: string; file: string }][]) {
    const path = join(packageRoot(pkg), file);
    if (!existsSync(path)) {
      throw new Error(`The ${pkg} package has no UMD build at ${path}; the report inlines that file. Reinstall ${pkg}.`);
    }
    paths[key] = path;
  }
  return paths;
}

let cached: VegaBundles | undefined;

/** Reads the bundles once per process (about 0.8 MB). */
export function loadVegaBundles(): VegaBundles {
  if (!cached) {
    const paths = vegaBundlePaths();
    cached = {
      vega: readFileSync(paths.vega, 'utf8'),
      vegaLite: readFileSync(paths.vegaLite, 'utf8'),
      vegaEmbed: readFileSync(paths.vegaEmbed, 'utf8'),
    };
  }
  return cached;
}
