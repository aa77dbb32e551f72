import type { FrameworkPreset } from '../../engine/vendor.js';
import { nestErrorEnvelope, type NestMessages } from './envelope.js';

export { nestError, type NestMessages } from './envelope.js';

/**
 * What NestJS on Express decides for a vendor built on it: the `{statusCode, message, error}`
 * envelope, class-validator's 400 for invalid input, an empty JSON body read as `{}` (Express's
 * body parser), and Express's router, which ignores letter case and a trailing slash.
 *
 * @example
 * export const acme: VendorModule = {
 *   name: 'acme',
 *   ...nestjs({ unauthorized: 'Unauthorized', forbidden: 'Forbidden resource', internalError: 'Internal server error' }),
 *   // …
 * };
 */
export function nestjs(messages: NestMessages): FrameworkPreset {
  return { errors: nestErrorEnvelope(messages), validationStatus: 400, emptyJsonBody: 'empty-object', pathMatching: 'express' };
}
