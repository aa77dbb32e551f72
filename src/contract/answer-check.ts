import type { ErrorObject } from 'ajv';
import { isJsonMediaType, responseKeyFor, type CompiledOperation } from '../engine/spec/compile.js';

/**
 * One way an answer differs from what the spec allows: where, in words, and — when it is one
 * value — what the spec allows against what came back, so a report can print it as a diff.
 */
export interface Mismatch {
  where: string;
  message: string;
  spec?: string;
  got?: string;
}

/**
 * Checks an answer against the responses its operation documents (OpenAPI 3.1 §4.8.16): the
 * status must be documented, and a documented JSON body must be JSON matching its schema.
 *
 * @example
 * const mismatches = checkAnswer(operation, 200, 'application/json', '{"id":12}');
 * // [{ where: 'body.id', message: 'has the wrong type', spec: 'type string', got: '12 (number)' }, …]
 */
export function checkAnswer(operation: CompiledOperation, status: number, contentType: string | null, text: string): Mismatch[] {
  const key = responseKeyFor(operation.responses, status);
  if (key === undefined) {
    return [{ where: 'status', message: 'is not documented for this operation', spec: [...operation.responses.keys()].join(' | '), got: String(status) }];
  }
  const documented = operation.responses.get(key);
  if (!documented?.mediaType) {
    return text === '' ? [] : [{ where: 'body', message: `status ${status} is documented without a body, but one came back`, spec: '(no body)', got: excerpt(text) }];
  }
  if (text === '') return [{ where: 'body', message: `status ${status} is documented with a ${documented.mediaType} body, but none came back`, spec: documented.mediaType, got: '(no body)' }];
  if (!isJsonMediaType(documented.mediaType)) return [];
  if (!contentType || !isJsonMediaType(contentType)) {
    return [{ where: 'content-type', message: 'is not the documented media type', spec: documented.mediaType, got: contentType ?? '(none)' }];
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return [{ where: 'body', message: 'is not valid JSON', spec: documented.mediaType, got: excerpt(text) }];
  }
  const validate = documented.validate;
  if (!validate || validate(body)) return [];
  return describeSchemaErrors(validate.errors ?? []);
}

/** Turns ajv's errors (compiled with `verbose`) into mismatches, dropping the summaries of composed schemas when their branches say more. */
export function describeSchemaErrors(errors: readonly ErrorObject[]): Mismatch[] {
  const seen = new Set<string>();
  const out: Mismatch[] = [];
  for (const error of errors) {
    const mismatch = describeSchemaError(error);
    const id = `${mismatch.where}|${mismatch.message}|${mismatch.spec}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(mismatch);
  }
  const specific = out.filter((m) => !m.message.startsWith('matches none'));
  return specific.length > 0 ? specific : out;
}

function describeSchemaError(error: ErrorObject): Mismatch {
  const where = `body${error.instancePath.replace(/\//g, '.').replace(/~1/g, '/').replace(/~0/g, '~')}`;
  const params = error.params as Record<string, unknown>;
  const schema = error.schema;
  const got = show(error.data);
  switch (error.keyword) {
    case 'required':
      return { where: `${where}.${String(params.missingProperty)}`, message: 'is missing', spec: 'required', got: '(absent)' };
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      return { where: `${where}.${name}`, message: 'is not a property the spec allows', spec: '(no such property)', got: show((error.data as Record<string, unknown>)[name]) };
    }
    case 'type':
      return { where, message: 'has the wrong type', spec: `type ${Array.isArray(schema) ? schema.join(' | ') : String(schema)}`, got: `${got} (${typeName(error.data)})` };
    case 'enum':
      return { where, message: 'is not one of the values the spec allows', spec: (schema as unknown[]).map(show).join(' | '), got };
    case 'const':
      return { where, message: 'is not the value the spec fixes', spec: show(schema), got };
    case 'pattern':
      return { where, message: 'does not match the pattern', spec: `a string matching /${String(schema)}/`, got };
    case 'format':
      return { where, message: `is not a valid ${String(schema)}`, spec: `format ${String(schema)}`, got };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { where, message: 'is out of range', spec: `${String(params.comparison)} ${String(params.limit)}`, got };
    case 'oneOf':
    case 'anyOf':
      return { where, message: `matches none of the alternatives (${error.keyword})`, spec: `${error.keyword} of ${(schema as unknown[]).length} schemas`, got };
    default:
      return { where, message: error.message ?? error.keyword, spec: `${error.keyword}: ${show(schema)}`, got };
  }
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (Number.isInteger(value)) return 'integer';
  return typeof value;
}

function show(value: unknown): string {
  return excerpt(JSON.stringify(value) ?? String(value));
}

/** At most 160 characters of a text, on one line. */
export function excerpt(text: string, length = 160): string {
  const flat = text.replace(/\s*\n\s*/g, ' ');
  return flat.length > length ? `${flat.slice(0, length - 1)}…` : flat;
}
