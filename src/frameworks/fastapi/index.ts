import type { Reply } from '../../engine/reply.js';
import type { ErrorEnvelope, FrameworkPreset } from '../../engine/vendor.js';
import { fastapiError, fastapiErrorEnvelope, type FastapiMessages } from './envelope.js';

export { fastapiError, pydanticErrors, valueError, valueErrorItem, type PydanticError } from './envelope.js';
export { isZoneInfoKey } from './zoneinfo.js';

/** What a FastAPI app leaves to its authors: the 401 and 403 messages, and its routes. */
export interface FastapiApp extends FastapiMessages {
  /**
   * The app's path templates (`/api/v1/campaign/{campaign_id}`). Given, a path no route serves is
   * answered as Starlette's router answers it: 405 with `Allow` when another method serves the
   * path, and redirect_slashes' 307 to the same path with its trailing slash toggled when a route
   * serves that one. Without them, a plain 405 or 404.
   */
  routes?: readonly string[];
}

/**
 * What FastAPI decides for a vendor built on it: the `{"detail": …}` envelope, pydantic's 422 for
 * invalid input, an empty JSON body read as a missing body, exact path matching. A vendor's
 * time-zone fields are checked with `isZoneInfoKey`, as its pydantic models check them with
 * Python's zoneinfo.
 *
 * @example
 * export const acme: VendorModule = {
 *   name: 'acme',
 *   ...fastapi({ unauthorized: 'Invalid or missing API key', forbidden: 'Not enough permissions' }),
 *   // …
 * };
 */
export function fastapi(app: FastapiApp): FrameworkPreset {
  const envelope = fastapiErrorEnvelope(app);
  return {
    errors: app.routes === undefined ? envelope : withStarletteRouting(envelope, app.routes),
    validationStatus: 422,
    emptyJsonBody: 'missing',
    pathMatching: 'exact',
  };
}

function withStarletteRouting(envelope: ErrorEnvelope, routes: readonly string[]): ErrorEnvelope {
  const patterns = routes.map((template) => new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`));
  return {
    ...envelope,
    routeNotFound(method, path, allowed): Reply {
      if (allowed.length > 0) return { ...fastapiError(405, 'Method Not Allowed'), headers: { allow: allowed.join(', ') } };
      // Starlette's redirect_slashes: the same path with its trailing slash added or removed, if a
      // route serves that one (`GET /api/v1/campaign` → `/api/v1/campaign/`).
      const toggled = path.endsWith('/') ? path.slice(0, -1) : `${path}/`;
      if (patterns.some((pattern) => pattern.test(toggled))) return { status: 307, headers: { location: toggled } };
      return envelope.routeNotFound(method, path, allowed);
    },
  };
}
