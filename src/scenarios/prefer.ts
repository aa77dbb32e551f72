import type { ForcedAnswer } from './forced-reply.js';

/**
 * Reads Prism's use of the `Prefer` header (RFC 7240): `code=409` forces a documented status,
 * `example=name` a named response example, both together that example of that status. Other
 * preferences are left alone, as the RFC asks.
 *
 * @returns what to force, nothing when the header asks for neither, or a `campaign-mock:` refusal.
 */
export function parsePrefer(header: string): ForcedAnswer | string | undefined {
  const wanted: ForcedAnswer = {};
  for (const part of header.split(/[,;]/)) {
    const [rawName, ...rest] = part.split('=');
    const name = rawName?.trim().toLowerCase();
    const value = rest.join('=').trim().replace(/^"(.*)"$/, '$1');
    if (name === 'code') {
      if (!/^\d{3}$/.test(value)) return `campaign-mock: Prefer: code=${value} is not a status code; write e.g. Prefer: code=404`;
      wanted.status = Number(value);
    } else if (name === 'example') {
      if (value === '') return 'campaign-mock: Prefer: example= needs the name of a response example from the spec';
      wanted.example = value;
    }
  }
  return wanted.status === undefined && wanted.example === undefined ? undefined : wanted;
}
