/**
 * The `standard` policy's geometry: a random shift by pad+crop (up to `translate`·side pixels in
 * each direction, zero-filled, as in the CIFAR recipe of He et al. 2016 and FixMatch's weak view),
 * and a horizontal flip with probability ½ only where the dataset says a flip keeps the label
 * (Fashion-MNIST: yes; digits: no, a mirrored 3 is not a 3).
 */
import type { Rng } from '../../rng.js';
import { compose, flipInv, IDENTITY, translateInv, type Affine } from './geometry.js';

/** Largest shift in pixels for a side: at least one pixel when translation is on at all. */
export function maxShift(side: number, translate: number): number {
  return translate <= 0 ? 0 : Math.max(1, Math.round(translate * side));
}

/** One image's inverse map: the flip (if drawn and allowed), then an integer shift. */
export function standardInv(height: number, width: number, translate: number, flipAllowed: boolean, rng: Rng): Affine {
  const px = maxShift(width, translate);
  const py = maxShift(height, translate);
  // Draw order is fixed (flip, dx, dy) so a stream gives the same pixels on every machine; the flip
  // coin is drawn even when flipping is not allowed, so switching it changes nothing else.
  const flip = rng.next() < 0.5 && flipAllowed;
  const dx = px > 0 ? rng.int(2 * px + 1) - px : 0;
  const dy = py > 0 ? rng.int(2 * py + 1) - py : 0;
  const shift = translateInv(dx, dy);
  return flip ? compose(flipInv(width), shift) : compose(IDENTITY, shift);
}
