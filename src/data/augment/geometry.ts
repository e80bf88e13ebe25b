/**
 * Per-image affine maps for `tf.image.transform`, which takes, for each image, the map from an
 * OUTPUT pixel (x = column, y = row) to the INPUT point it samples. Every map here is that inverse
 * map, as a row-major 3×3 matrix, so "shift the content right by d" is `in = out − d`.
 * Composing "first A, then B" on the content is `inverse(B∘A) = A⁻¹ · B⁻¹`: `compose(aInv, bInv)`.
 */

/** Row-major 3×3 affine matrix (last row 0 0 1). */
export type Affine = readonly number[];

export const IDENTITY: Affine = [1, 0, 0, 0, 1, 0, 0, 0, 1];

/** a · b (3×3). */
export function matmul3(a: Affine, b: Affine): Affine {
  const out = new Array<number>(9).fill(0);
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) for (let k = 0; k < 3; k++) out[r * 3 + c] += a[r * 3 + k] * b[k * 3 + c];
  return out;
}

/** Inverse map of "apply `first`, then `second`" to the content. */
export function compose(firstInv: Affine, secondInv: Affine): Affine {
  return matmul3(firstInv, secondInv);
}

/** Content shifted by (dx, dy) pixels. */
export function translateInv(dx: number, dy: number): Affine {
  return [1, 0, -dx, 0, 1, -dy, 0, 0, 1];
}

/** Content mirrored left–right in an image `width` pixels wide. */
export function flipInv(width: number): Affine {
  return [-1, 0, width - 1, 0, 1, 0, 0, 0, 1];
}

/** Content rotated by `degrees` about the image centre. */
export function rotateInv(degrees: number, height: number, width: number): Affine {
  const t = (degrees * Math.PI) / 180;
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  const cos = Math.cos(t);
  const sin = Math.sin(t);
  // in = R(−θ)(out − c) + c
  return [cos, sin, cx - cos * cx - sin * cy, -sin, cos, cy + sin * cx - cos * cy, 0, 0, 1];
}

/** Content sheared along x (`axis` 0: x += s·(y − cy)) or along y (`axis` 1: y += s·(x − cx)). */
export function shearInv(s: number, axis: 0 | 1, height: number, width: number): Affine {
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  return axis === 0 ? [1, -s, s * cy, 0, 1, 0, 0, 0, 1] : [1, 0, 0, -s, 1, s * cx, 0, 0, 1];
}

/** The 8 numbers `tf.image.transform` wants for one image. */
export function transformRow(m: Affine): number[] {
  return [m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7]];
}
