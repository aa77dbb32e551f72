import { STATUS_CODES } from 'node:http';
import type { ValidationIssue } from '../../engine/issues.js';
import type { OperationSpec } from '../../engine/spec/load.js';
import type { Reply } from '../../engine/reply.js';
import type { ErrorEnvelope } from '../../engine/vendor.js';

/**
 * NestJS's error envelope: `{statusCode, message, error}`, where `error` is the reason phrase and
 * `message` a string, or an array when several fields fail validation (its ValidationPipe with
 * class-validator). Vendors built on NestJS (DialNexa) answer in it.
 */

/** A NestJS error reply; `error` is the status's reason phrase; a one-element message array is written as a string. */
export function nestError(status: number, message: string | string[]): Reply {
  const text = Array.isArray(message) && message.length === 1 ? message[0] : message;
  return { status, body: { statusCode: status, message: text, error: STATUS_CODES[status] ?? 'Error' } };
}

export interface NestMessages {
  unauthorized: string;
  forbidden: string;
  internalError: string;
  /**
   * The vendor's own wording for some validation issues (an operation's documented 400 messages),
   * used instead of class-validator's; undefined leaves an issue in class-validator's words.
   */
  documented?(issue: ValidationIssue, operation: OperationSpec): string | undefined;
}

/** The engine's errors in NestJS's words; a vendor supplies the messages NestJS leaves to the app. */
export function nestErrorEnvelope(messages: NestMessages): ErrorEnvelope {
  return {
    invalidRequest: (issues, operation) =>
      nestError(400, [...new Set(issues.map((issue) => messages.documented?.(issue, operation) ?? describeIssue(issue)))]),
    unauthorized: () => nestError(401, messages.unauthorized),
    forbidden: () => nestError(403, messages.forbidden),
    // What Express's body parser answers at its size limit, as NestJS passes it on.
    payloadTooLarge: () => nestError(413, 'request entity too large'),
    // NestJS's answer for a route it does not have, whatever the method.
    routeNotFound: (method, path) => nestError(404, `Cannot ${method} ${path}`),
    internalError: () => nestError(500, messages.internalError),
    error: (status, message) => nestError(status, message),
  };
}

/** One issue in class-validator's words, which NestJS's ValidationPipe returns. */
function describeIssue(issue: ValidationIssue): string {
  const field = fieldName(issue.path);
  const each = typeof issue.path[issue.path.length - 1] === 'number';
  const subject = each ? `each value in ${fieldName(issue.path.slice(0, -1))}` : field;
  const params = issue.params;
  switch (issue.keyword) {
    case 'json':
      return String(params.error);
    case 'contentType':
      return `Content-Type must be ${(params.allowed as string[]).join(' or ')}`;
    case 'form':
      return `Multipart: ${String(params.error)}`;
    case 'required':
      return `${field} should not be empty`;
    case 'type':
      if (issue.path.length === 0) return 'The request body must be a JSON object';
      return `${subject} ${typePhrase(params.type)}`;
    case 'finite':
      return `${subject} must be a number conforming to the specified constraints`;
    case 'minimum':
    case 'exclusiveMinimum':
      return `${subject} must not be less than ${String(params.limit)}`;
    case 'maximum':
    case 'exclusiveMaximum':
      return `${subject} must not be greater than ${String(params.limit)}`;
    case 'minLength':
      return params.limit === 1 ? `${subject} should not be empty` : `${subject} must be longer than or equal to ${String(params.limit)} characters`;
    case 'maxLength':
      return `${subject} must be shorter than or equal to ${String(params.limit)} characters`;
    case 'pattern':
      if (String(params.pattern).startsWith('^\\+[1-9]')) return `${subject} must be a valid E.164 phone number`;
      if (String(params.pattern).startsWith('^https?://')) return `${subject} must be a URL address`;
      return `${subject} must match ${String(params.pattern)} regular expression`;
    case 'format':
      return formatPhrase(subject, String(params.format));
    case 'enum':
      return `${subject} must be one of the following values: ${(params.allowedValues as unknown[]).join(', ')}`;
    case 'const':
      return `${subject} must be equal to ${String(params.allowedValue)}`;
    case 'minItems':
      return `${field} must contain at least ${String(params.limit)} elements`;
    case 'maxItems':
      return `${field} must contain no more than ${String(params.limit)} elements`;
    case 'uniqueItems':
      return `All ${field}'s elements must be unique`;
    case 'maxProperties':
      return `${field} must contain no more than ${String(params.limit)} keys`;
    case 'additionalProperties':
      return `property ${field} should not exist`;
    default:
      return `${subject} ${issue.message}`;
  }
}

/** Nested fields read `retry_config.max_retries`, as class-validator names them. */
function fieldName(path: ReadonlyArray<string | number>): string {
  return path.map(String).join('.') || 'body';
}

function typePhrase(type: unknown): string {
  const first = String(type).split(',').find((t) => t !== 'null') ?? String(type);
  switch (first) {
    case 'string':
      return 'must be a string';
    case 'integer':
      return 'must be an integer number';
    case 'number':
      return 'must be a number conforming to the specified constraints';
    case 'boolean':
      return 'must be a boolean value';
    case 'array':
      return 'must be an array';
    default:
      return 'must be an object';
  }
}

function formatPhrase(subject: string, format: string): string {
  switch (format) {
    case 'date-time':
    case 'date':
      return `${subject} must be a valid ISO 8601 date string`;
    case 'uri':
      return `${subject} must be a URL address`;
    default:
      return `${subject} must match format "${format}"`;
  }
}
