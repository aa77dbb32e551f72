import { fastapi, fastapiError } from '../../frameworks/fastapi/index.js';
import type { Reply } from '../../engine/reply.js';

/**
 * Sarvam's scheduling API is a FastAPI app: `{"detail": …}` errors, pydantic v2 422s. The 401
 * and 403 bodies are not documented (Sarvam's errors page's `{"error": …}` belongs to the speech APIs); see the
 * x-mock-inferred notes in specs/sarvam.yaml.
 */
export const sarvamFramework = fastapi({
  unauthorized: 'Invalid or missing API key',
  forbidden: 'Not enough permissions',
});

export const forbidden = (detail: string): Reply => fastapiError(403, detail);
export const notFound = (detail: string): Reply => fastapiError(404, detail);
export const conflict = (detail: string): Reply => fastapiError(409, detail);
