import { nestError, nestjs } from '../../frameworks/nestjs/index.js';
import type { ValidationIssue } from '../../engine/issues.js';
import type { Reply } from '../../engine/reply.js';

/**
 * Validation messages DialNexa's published OpenAPI (the batch-calls OpenAPI) gives word for word, by operation: they
 * replace NestJS's generic wording for the issues they cover.
 */
const DOCUMENTED_MESSAGES: Record<string, (issue: ValidationIssue) => string | undefined> = {
  createBatchCall: (issue) =>
    issue.location === 'body' && issue.path[0] === 'title' && issue.keyword === 'maxLength'
      ? `title must be 35 characters or fewer (received ${[...String(issue.value)].length}).`
      : undefined,
  listBatchCalls: () => 'Invalid query parameters',
  updateBatchCallStatus: (issue) => (issue.location === 'body' && issue.path[0] === 'action' ? 'Invalid action. Must be one of: pause, resume, cancel' : undefined),
};

/** DialNexa answers in NestJS's envelope `{statusCode, message, error}` ("Errors"). */
export const dialnexaFramework = nestjs({
  // The published OpenAPI's wording (the batch-calls OpenAPI); "Authentication" shows plain "Unauthorized". See specs/dialnexa.yaml.
  unauthorized: 'API key is missing or invalid',
  forbidden: 'You do not have permission to access this resource',
  internalError: 'Internal server error',
  documented: (issue, operation) => DOCUMENTED_MESSAGES[operation.operationId]?.(issue),
});

/** The engine's errors in DialNexa's words. */
export const dialnexaErrors = dialnexaFramework.errors;

export const badRequest = (message: string | string[]): Reply => nestError(400, message);
export const notFound = (message: string): Reply => nestError(404, message);
export const conflict = (message: string): Reply => nestError(409, message);
export const payloadTooLarge = (): Reply => dialnexaErrors.payloadTooLarge(0);
