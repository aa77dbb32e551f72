import { randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A random id in the vendors' style: a prefix and lowercase alphanumerics.
 *
 * @example
 * randomId('cmp_'); // 'cmp_5tw8vz2rnx1q'
 */
export function randomId(prefix: string, length = 12): string {
  const bytes = randomBytes(length);
  let id = prefix;
  // 252 = 7 × 36: bytes at or above it would bias the alphabet, so they are drawn again.
  for (let i = 0; i < length; i++) {
    let byte = bytes[i] as number;
    while (byte >= 252) byte = randomBytes(1)[0] as number;
    id += ALPHABET[byte % 36];
  }
  return id;
}
