import { createRequire } from 'node:module';

type Crypto = typeof import('node:crypto');

let loaded: Crypto | undefined;

/**
 * Node's crypto module, loaded when first used. Loading it takes about 4 ms, and a start of the
 * mock needs none of it: ids, tags, signatures and key hashes are all made while serving. Imported
 * the usual way, a bundled module loads what it imports before its first line runs.
 *
 * @example
 * crypto().createHash('sha256').update(key).digest('hex');
 */
export function crypto(): Crypto {
  return (loaded ??= createRequire(import.meta.url)('node:crypto') as Crypto);
}
