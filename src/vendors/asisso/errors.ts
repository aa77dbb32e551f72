import type { Reply } from '../../engine/reply.js';
import { fastapi, fastapiError } from '../../frameworks/fastapi/index.js';

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

/** Asisso is Dograh's FastAPI app (Asisso's "Authentication" page; Dograh's code and OpenAPI document). */
export const asissoFramework = fastapi({
  // Asisso's "Authentication" page's body for a missing, invalid or expired key.
  unauthorized: 'Invalid or expired API key',
  // Asisso's "Authentication" page documents the 403 ("insufficient permissions") without its message.
  forbidden: 'Insufficient permissions',
  routes: ASISSO_PATHS,
});

export const badRequest = (detail: string): Reply => fastapiError(400, detail);
export const forbidden = (detail: string): Reply => fastapiError(403, detail);
export const notFound = (detail: string): Reply => fastapiError(404, detail);
