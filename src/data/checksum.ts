/**
 * SHA-256 helpers. A dataset's checksum covers both the source bytes and the recipe that turned
 * them into train/test splits, so two results agree on "the same data" only if both match.
 */
import { createHash } from 'node:crypto';

/** Lower-case hex SHA-256 of the concatenation of `parts`. */
export function sha256Hex(...parts: Array<Uint8Array | string>): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
}

/**
 * Checksum of derived data: the source checksum(s) plus the recipe parameters, hashed as
 * canonical JSON (sorted keys) so property order never changes the result.
 */
export function recipeChecksum(sourceSha256: string | readonly string[], recipe: Readonly<Record<string, unknown>>): string {
  const sorted = Object.fromEntries(Object.entries(recipe).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return sha256Hex(JSON.stringify({ source: sourceSha256, recipe: sorted }));
}
