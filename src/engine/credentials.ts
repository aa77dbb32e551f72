import { crypto } from '../crypto.js';
import type { SecurityRequirementObject, SecuritySchemeObject } from './spec/openapi.js';

/** What credentials are read from: a request's headers (names lowercased) and query parameters. */
export interface CredentialSource {
  header(name: string): string | undefined;
  queryParam(name: string): string | undefined;
}

/**
 * Reads the API key a request carries, as the operation's security requirements describe it
 * (OpenAPI 3.1 §4.8.30): any one requirement suffices, and within it every scheme must be met.
 * Supports HTTP bearer (`Authorization: Bearer <key>`) and API keys in a header or the query.
 *
 * @returns the key, or `undefined` when the request carries no usable credential.
 */
export function readApiKey(
  request: CredentialSource,
  security: readonly SecurityRequirementObject[],
  schemes: Readonly<Record<string, SecuritySchemeObject>>,
): string | undefined {
  for (const requirement of security) {
    let key: string | undefined;
    let satisfied = true;
    for (const name of Object.keys(requirement)) {
      const value = credentialFor(request, schemes[name]);
      if (value === undefined) {
        satisfied = false;
        break;
      }
      key ??= value;
    }
    if (satisfied && key !== undefined) return key;
  }
  return undefined;
}

function credentialFor(request: CredentialSource, scheme: SecuritySchemeObject | undefined): string | undefined {
  if (!scheme) return undefined;
  if (scheme.type === 'http' && scheme.scheme.toLowerCase() === 'bearer') {
    return bearerToken(request.header('authorization'));
  }
  if (scheme.type === 'apiKey' && scheme.in === 'header') {
    const value = request.header(scheme.name.toLowerCase())?.trim();
    if (!value) return undefined;
    // An API key sent in an Authorization header is commonly written as a bearer token: both
    // `Authorization: as_key` and `Authorization: Bearer as_key` name the same sandbox.
    return scheme.name.toLowerCase() === 'authorization' ? (bearerToken(value) ?? (/\s/.test(value) ? undefined : value)) : value;
  }
  if (scheme.type === 'apiKey' && scheme.in === 'query') {
    const value = request.queryParam(scheme.name)?.trim();
    return value ? value : undefined;
  }
  return undefined;
}

function bearerToken(header: string | undefined): string | undefined {
  return /^Bearer +(\S+) *$/i.exec(header ?? '')?.[1];
}

/**
 * A key's name where the key itself must not appear (logs, the journal of every tenant), and what
 * a vendor derives from the key to stay stable across resets and restarts (DialNexa's organization
 * id, Sarvam's actor e-mail): the first 12 hex digits of its SHA-256, the same for the same key
 * every time.
 */
export function keyHash(key: string): string {
  let hash = knownHashes.get(key);
  if (hash === undefined) {
    hash = crypto().createHash('sha256').update(key).digest('hex').slice(0, 12);
    // Hashed once per key, not per request; the memo is emptied rather than let grow past a bound.
    if (knownHashes.size >= 10_000) knownHashes.clear();
    knownHashes.set(key, hash);
  }
  return hash;
}

const knownHashes = new Map<string, string>();
