/**
 * SVG → PNG with @resvg/resvg-js (a Rust renderer shipped as a prebuilt binary; no `canvas`,
 * which needs system dev packages and changes Vega's text metrics). System fonts are loaded so
 * chart text is drawn; 2× scale keeps the figures sharp in slides and papers.
 *
 * Loaded on first use, so that a missing renderer costs the PNGs with a message saying what to
 * install, not every command of the CLI.
 */
type ResvgModule = typeof import('@resvg/resvg-js');

let loaded: Promise<ResvgModule> | undefined;

function loadResvg(): Promise<ResvgModule> {
  loaded ??= import('@resvg/resvg-js').catch((err: unknown) => {
    loaded = undefined;
    throw new Error(`PNG figures need the @resvg/resvg-js package (npm install @resvg/resvg-js): ${(err as Error).message}`, { cause: err });
  });
  return loaded;
}

export async function svgToPng(svg: string, scale = 2): Promise<Buffer> {
  const { Resvg } = await loadResvg();
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: '#ffffff',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}
