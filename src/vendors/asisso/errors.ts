import type { Reply } from '../../engine/reply.js';
import type { ErrorEnvelope } from '../../engine/vendor.js';
import { fastapiError, fastapiErrorEnvelope } from '../../envelopes/fastapi.js';

/**
 * The path templates of specs/asisso.yaml (a test keeps the two in step), for FastAPI's
 * trailing-slash redirect.
 */
export const ASISSO_PATHS = [
  '/api/v1/s3/presigned-upload-url',
  '/api/v1/s3/campaigns/{organization_id}/{object_name}',
  '/api/v1/campaign/create',
  '/api/v1/campaign/',
  '/api/v1/campaign/{campaign_id}',
  '/api/v1/campaign/{campaign_id}/start',
  '/api/v1/campaign/{campaign_id}/pause',
  '/api/v1/campaign/{campaign_id}/resume',
  '/api/v1/campaign/{campaign_id}/redial',
  '/api/v1/campaign/{campaign_id}/progress',
  '/api/v1/campaign/{campaign_id}/runs',
  '/api/v1/campaign/{campaign_id}/source-download-url',
  '/api/v1/campaign/{campaign_id}/report',
  '/api/v1/organizations/campaign-defaults',
] as const;

const PATH_PATTERNS = ASISSO_PATHS.map((template) => new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`));

const fastapi = fastapiErrorEnvelope({
  // Asisso's "Authentication" page's body for a missing, invalid or expired key.
  unauthorized: 'Invalid or expired API key',
  // Asisso's "Authentication" page documents the 403 ("insufficient permissions") without its message.
  forbidden: 'Insufficient permissions',
});

/** Asisso answers in FastAPI's envelope (Asisso's "Authentication" page; Dograh's code and OpenAPI document). */
export const asissoErrors: ErrorEnvelope = {
  ...fastapi,
  routeNotFound(method, path, allowed) {
    if (allowed.length > 0) return { ...fastapiError(405, 'Method Not Allowed'), headers: { allow: allowed.join(', ') } };
    // Starlette's redirect_slashes: the same path with its trailing slash added or removed, if a
    // route serves that one (`GET /api/v1/campaign` → `/api/v1/campaign/`).
    const toggled = path.endsWith('/') ? path.slice(0, -1) : `${path}/`;
    if (PATH_PATTERNS.some((pattern) => pattern.test(toggled))) return { status: 307, headers: { location: toggled } };
    return fastapi.routeNotFound(method, path, allowed);
  },
};

export const badRequest = (detail: string): Reply => fastapiError(400, detail);
export const forbidden = (detail: string): Reply => fastapiError(403, detail);
export const notFound = (detail: string): Reply => fastapiError(404, detail);
