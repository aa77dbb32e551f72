import { describe, it, type TestFunction } from 'vitest';

/**
 * `it` when the mode a suite runs in can run the case, else a stand-in that registers nothing.
 * A case Prism answers itself (malformed JSON, a body over its own limit), or a status another
 * contract does not list, is left out of that mode's run rather than counted as skipped, so that
 * `skipped` keeps meaning a missing piece of the environment (the vendor's file, Chromium).
 *
 * @example
 * const inProcessOnly = itIf(!viaPrism);
 * inProcessOnly('answers malformed JSON with a 400', async () => { ... });
 */
export function itIf(registered: boolean): (name: string, fn: TestFunction) => void {
  return registered ? (name, fn) => it(name, fn) : () => undefined;
}

/**
 * `describe` when the mode a suite runs in can run every case in the block, else nothing: a block
 * whose cases were all left out by `itIf` would be empty, which vitest reports as a failed suite.
 *
 * @example
 * describeIf(contract === 'asisso')('PUT to a presigned upload URL', () => { ... });
 */
export function describeIf(registered: boolean): (name: string, fn: () => void) => void {
  return registered ? (name, fn) => describe(name, fn) : () => undefined;
}
