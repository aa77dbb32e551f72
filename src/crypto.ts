import { onFirstUse } from './on-first-use.js';

/**
 * Node's crypto module, loaded when first used. Loading it takes about 4 ms, and a start of the
 * mock needs none of it: ids, tags, signatures and key hashes are all made while serving.
 *
 * @example
 * crypto().createHash('sha256').update(key).digest('hex');
 */
export const crypto = onFirstUse<typeof import('node:crypto')>('node:crypto');
