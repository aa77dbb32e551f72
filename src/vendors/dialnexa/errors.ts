import { nestError, nestErrorEnvelope } from '../../envelopes/nestjs.js';
import type { Reply } from '../../engine/vendor.js';

/** DialNexa answers in NestJS's envelope `{statusCode, message, error}` (D11). */
export const dialnexaErrors = nestErrorEnvelope({
  // The published OpenAPI's wording (D22); D13 shows plain "Unauthorized". See specs/dialnexa.yaml.
  unauthorized: 'API key is missing or invalid',
  forbidden: 'You do not have permission to access this resource',
  internalError: 'Internal server error',
});

export const badRequest = (message: string | string[]): Reply => nestError(400, message);
export const notFound = (message: string): Reply => nestError(404, message);
export const conflict = (message: string): Reply => nestError(409, message);
export const payloadTooLarge = (): Reply => dialnexaErrors.payloadTooLarge(0);
