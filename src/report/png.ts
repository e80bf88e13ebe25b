/**
 * SVG → PNG with @resvg/resvg-js (a Rust renderer shipped as a prebuilt binary; no `canvas`,
 * which needs system dev packages and changes Vega's text metrics). System fonts are loaded so
 * chart text is drawn; 2× scale keeps the figures sharp in slides and papers.
 */
import { Resvg } from '@resvg/resvg-js';

export function svgToPng(svg: string, scale = 2): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: '#ffffff',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}
