import { randomFillSync } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Random bytes drawn in blocks: one system call serves hundreds of ids. */
const pool = Buffer.alloc(4096);
let used = pool.length;

function randomByte(): number {
  if (used === pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  return pool[used++] as number;
}

/**
 * A random id in the vendors' style: a prefix and lowercase alphanumerics.
 *
 * @example
 * randomId('cmp_'); // 'cmp_5tw8vz2rnx1q'
 */
export function randomId(prefix: string, length = 12): string {
  let id = prefix;
  for (let i = 0; i < length; i++) {
    // 252 = 7 × 36: bytes at or above it would bias the alphabet, so they are drawn again.
    let byte = randomByte();
    while (byte >= 252) byte = randomByte();
    id += ALPHABET[byte % 36];
  }
  return id;
}
