import { isIP } from 'node:net';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { crypto } from '../crypto.js';

/** The largest body a `/__admin` request may carry. */
export const ADMIN_BODY_LIMIT = 64 * 1024;

export interface AdminGuardOptions {
  /** When set, every `/__admin` route but `/health` needs it (`Authorization: Bearer …` or `X-Admin-Token`). */
  token?: string;
  /** Host names (besides loopback, IP addresses and single-label names) the control plane answers to. */
  allowedHosts?: readonly string[];
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Keeps the control plane safe to expose, as local dev servers such as Vite keep theirs:
 * - a web page in the developer's browser cannot drive it: writes from another site (by `Origin`
 *   or `Sec-Fetch-Site`) are refused, and a write's body must be JSON, which a page cannot send
 *   across sites without a CORS preflight that the mock never approves;
 * - a page cannot reach it through a name it controls (DNS rebinding): the `Host` must be
 *   loopback, an IP address, a single-label name (a Docker service, say) or one allowed by name —
 *   unless an admin token is set, which such a page cannot know;
 * - bodies are bounded (413), and with `--admin-token` every route but `/health` needs the token.
 * Refusals are the mock's own errors, `{"error": "campaign-mock: …"}`.
 */
export function adminGuard(options: AdminGuardOptions = {}): MiddlewareHandler[] {
  const allowedHosts = new Set((options.allowedHosts ?? []).map((host) => host.toLowerCase()));
  const token = options.token ? Buffer.from(options.token) : undefined;

  const guard: MiddlewareHandler = async (c, next) => {
    const isHealth = c.req.path === '/__admin/health';
    if (token && !isHealth && !hasToken(c, token)) {
      return refuse(c, 401, 'the control plane needs the admin token: send it as "Authorization: Bearer <token>" or "X-Admin-Token: <token>"');
    }
    const host = new URL(c.req.url).hostname.replace(/^\[|\]$/g, '').toLowerCase();
    if (!token && !isHealth && !isTrustedHost(host, allowedHosts)) {
      return refuse(
        c,
        403,
        `the control plane does not answer to the host "${host}" (a page could reach it through a name it controls); start the mock with --allow-host ${host}, or set --admin-token`,
      );
    }
    if (!READ_METHODS.has(c.req.method)) {
      const crossSite = crossSiteOrigin(c);
      if (crossSite) {
        return refuse(c, 403, `cross-site requests to the control plane are refused (${crossSite}); call it from your tests, a client or curl, not from a web page`);
      }
      if (hasBody(c) && !isJson(c.req.header('content-type'))) {
        return refuse(c, 415, `${c.req.method} ${c.req.path} takes a JSON body: send it with "Content-Type: application/json"`);
      }
    }
    await next();
  };

  const limit = bodyLimit({
    maxSize: ADMIN_BODY_LIMIT,
    onError: (c) => refuse(c, 413, `the body of ${c.req.method} ${c.req.path} is over the control plane's ${ADMIN_BODY_LIMIT}-byte limit`),
  });
  return [guard, limit];
}

function refuse(c: Context, status: 401 | 403 | 413 | 415, message: string): Response {
  return c.json({ error: `campaign-mock: ${message}` }, status);
}

function hasToken(c: Context, token: Buffer): boolean {
  const bearer = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
  const sent = bearer ?? c.req.header('x-admin-token');
  if (sent === undefined) return false;
  const given = Buffer.from(sent);
  return given.length === token.length && crypto().timingSafeEqual(given, token);
}

/**
 * Names a page cannot make point at this machine: loopback names, IP addresses (a rebinding page
 * needs a name), single-label names (a Docker or Kubernetes service; public DNS has none), and
 * names the user allowed.
 */
function isTrustedHost(host: string, allowed: ReadonlySet<string>): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || isIP(host) !== 0 || !host.includes('.') || allowed.has(host);
}

/** Why a write comes from another site, or undefined when it does not (curl and tests send neither header). */
function crossSiteOrigin(c: Context): string | undefined {
  const fetchSite = c.req.header('sec-fetch-site');
  if (fetchSite !== undefined && fetchSite !== 'same-origin' && fetchSite !== 'none') return `Sec-Fetch-Site: ${fetchSite}`;
  const origin = c.req.header('origin');
  if (origin === undefined) return undefined;
  let originHost: string;
  try {
    originHost = new URL(origin).host.toLowerCase();
  } catch {
    return `Origin: ${origin}`;
  }
  return originHost === new URL(c.req.url).host.toLowerCase() ? undefined : `Origin: ${origin}`;
}

function hasBody(c: Context): boolean {
  const length = c.req.header('content-length');
  return (length !== undefined && length !== '0') || c.req.header('transfer-encoding') !== undefined;
}

function isJson(contentType: string | undefined): boolean {
  const base = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  return base === 'application/json' || (base.startsWith('application/') && base.endsWith('+json'));
}
