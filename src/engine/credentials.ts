import type { SecurityRequirementObject, SecuritySchemeObject } from './openapi.js';

/**
 * Reads the API key a request carries, as the operation's security requirements describe it
 * (OpenAPI 3.1 §4.8.30): any one requirement suffices, and within it every scheme must be met.
 * Supports HTTP bearer (`Authorization: Bearer <key>`) and API keys in a header.
 *
 * @returns the key, or `undefined` when the request carries no usable credential.
 */
export function readApiKey(
  headers: Headers,
  security: readonly SecurityRequirementObject[],
  schemes: Readonly<Record<string, SecuritySchemeObject>>,
): string | undefined {
  for (const requirement of security) {
    let key: string | undefined;
    let satisfied = true;
    for (const name of Object.keys(requirement)) {
      const value = credentialFor(headers, schemes[name]);
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

function credentialFor(headers: Headers, scheme: SecuritySchemeObject | undefined): string | undefined {
  if (!scheme) return undefined;
  if (scheme.type === 'http' && scheme.scheme.toLowerCase() === 'bearer') {
    const match = /^Bearer +(\S+) *$/i.exec(headers.get('authorization') ?? '');
    return match?.[1];
  }
  if (scheme.type === 'apiKey' && scheme.in === 'header') {
    const value = headers.get(scheme.name)?.trim();
    return value ? value : undefined;
  }
  return undefined;
}
