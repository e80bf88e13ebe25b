/**
 * Static SVG of a Vega-Lite spec, rendered in Node with no browser and no canvas package.
 *
 * Without `canvas`, Vega estimates text widths from character counts, so labels may sit a
 * few pixels off compared with a browser; the marks and numbers are exact.
 */
import { View, parse } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** Warnings Vega-Lite raised while compiling, kept so callers and tests can surface them. */
export interface CompileDiagnostics {
  readonly warnings: string[];
}

/** Vega-Lite → Vega, collecting warnings instead of printing them (nothing in a library prints). */
export function compileToVega(spec: TopLevelSpec, diagnostics: CompileDiagnostics = { warnings: [] }) {
  const text = (args: readonly unknown[]) => args.map(String).join(' ');
  let level = 2; // vega.Warn
  const logger = {
    level(l?: number) {
      if (l === undefined) return level;
      level = l;
      return logger;
    },
    error(...args: readonly unknown[]): never {
      throw new Error(`Vega-Lite: ${text(args)}`);
    },
    warn(...args: readonly unknown[]) {
      diagnostics.warnings.push(text(args));
      return logger;
    },
    info() {
      return logger;
    },
    debug() {
      return logger;
    },
  };
  return compile(spec, { logger }).spec;
}

export async function renderSvg(spec: TopLevelSpec, diagnostics?: CompileDiagnostics): Promise<string> {
  const view = new View(parse(compileToVega(spec, diagnostics)), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
