import { isIP } from 'node:net';
import { onFirstUse } from '../../on-first-use.js';

/**
 * Reads a cohort's source URL (Sarvam's cohort pages: a pre-signed URL of a CSV). campaign-mock is a local test
 * tool, so it fetches only loopback URLs: a test serves the file from its own machine, and the
 * mock can never be pointed at another host (no SSRF). Any other URL is refused before a
 * connection is made. The read has a time limit and a size cap, and follows redirects only
 * within the same origin.
 */

export type SourceRead = { text: string } | { failure: string };

const TIMEOUT_MS = 5_000;
export const MAX_SOURCE_BYTES = 10 * 1024 * 1024;
const MAX_REDIRECTS = 3;

export async function readCohortSource(url: string): Promise<SourceRead> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return { failure: 'the source URL is not an absolute URL' };
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    return { failure: `the source URL must be http or https, not ${target.protocol.slice(0, -1)}` };
  }
  const refusal = await loopbackRefusal(target.hostname);
  if (refusal) return { failure: refusal };

  const signal = AbortSignal.timeout(TIMEOUT_MS);
  try {
    for (let redirects = 0; ; redirects++) {
      const response = await fetch(target, { redirect: 'manual', signal });
      if (response.status >= 300 && response.status < 400) {
        await response.body?.cancel();
        const location = response.headers.get('location');
        const next = location === null ? undefined : new URL(location, target);
        if (next === undefined) return { failure: `the source URL answered ${response.status} without a Location` };
        if (next.origin !== target.origin) return { failure: `the source URL redirects to ${next.origin}; redirects to another host are not followed` };
        if (redirects === MAX_REDIRECTS) return { failure: `the source URL redirects more than ${MAX_REDIRECTS} times` };
        target = next;
        continue;
      }
      if (!response.ok) {
        await response.body?.cancel();
        return { failure: `the source URL answered ${response.status}` };
      }
      const bytes = await readCapped(response);
      if (bytes === undefined) return { failure: `the source file is larger than ${MAX_SOURCE_BYTES / (1024 * 1024)} MB` };
      try {
        return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
      } catch {
        return { failure: 'the source file is not UTF-8 text' };
      }
    }
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') return { failure: `the source URL did not answer within ${TIMEOUT_MS / 1000} seconds` };
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { failure: `the source URL could not be read (${cause?.code ?? cause?.message ?? (error as Error).message})` };
  }
}

/** Node's resolver, loaded by the first source URL that needs it, not by every start. */
const dns = onFirstUse<typeof import('node:dns/promises')>('node:dns/promises');

/** Why a host may not be fetched, or `undefined` when it is a loopback address or `localhost`. */
async function loopbackRefusal(hostname: string): Promise<string | undefined> {
  const host = hostname.replace(/^\[(.*)\]$/, '$1');
  const refusal =
    `campaign-mock: only loopback source URLs (127.0.0.0/8, ::1, localhost) are fetched, and ${host} is not one; ` +
    'serve the CSV from this machine or use the upload endpoint';
  if (isIP(host) !== 0) return isLoopbackAddress(host) ? undefined : refusal;
  if (host.toLowerCase() !== 'localhost') return refusal;
  const addresses = await dns().lookup(host, { all: true }).catch(() => []);
  if (addresses.length > 0 && addresses.every((a) => isLoopbackAddress(a.address))) return undefined;
  return `campaign-mock: ${host} does not resolve to loopback addresses only (${addresses.map((a) => a.address).join(', ') || 'no address'}), so it is not fetched`;
}

function isLoopbackAddress(address: string): boolean {
  return isIP(address) === 4 ? address.startsWith('127.') : address === '::1';
}

/** The body's bytes, or `undefined` once it passes the cap. */
async function readCapped(response: Response): Promise<Uint8Array | undefined> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > MAX_SOURCE_BYTES) {
    await response.body?.cancel();
    return undefined;
  }
  if (!response.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of response.body) {
    total += chunk.byteLength;
    if (total > MAX_SOURCE_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
