/** E.164: a plus, a country code that does not start with 0, at most 15 digits in all. */
export const E164 = /^\+[1-9][0-9]{1,14}$/;

/**
 * Normalises a phone number as written by a person to E.164, or returns `undefined` when it
 * cannot be one. Spaces, dashes, dots and parentheses are dropped; the number must then carry
 * its `+` and country code.
 *
 * @example
 * toE164('+1 (415) 555-0100'); // '+14155550100'
 * toE164('4155550100');        // undefined: no country code
 */
export function toE164(written: string): string | undefined {
  const compact = written.trim().replace(/[\s().-]/g, '');
  return E164.test(compact) ? compact : undefined;
}
