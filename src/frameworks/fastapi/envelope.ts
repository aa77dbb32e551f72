import type { ValidationIssue } from '../../engine/issues.js';
import type { Reply } from '../../engine/reply.js';
import type { ErrorEnvelope } from '../../engine/vendor.js';

/**
 * FastAPI's error envelope: `{"detail": "<message>"}` for errors the app raises, and 422
 * `{"detail": [ … ]}` with pydantic v2's error objects for invalid requests. Vendors built on
 * FastAPI (Asisso, through Dograh; Sarvam's scheduling API) answer in it.
 */

/** One entry of a 422 `detail` array, as pydantic v2 writes it (FastAPI drops the `url`). */
export interface PydanticError {
  type: string;
  loc: Array<string | number>;
  msg: string;
  input: unknown;
  ctx?: Record<string, unknown>;
}

/** `{"detail": …}` with a status. */
export function fastapiError(status: number, detail: string | PydanticError[]): Reply {
  return { status, body: { detail } };
}

/** A 422 of one error raised by a model validator: pydantic's `value_error`. */
export function valueError(loc: Array<string | number>, message: string, input: unknown): Reply {
  return fastapiError(422, [valueErrorItem(loc, message, input)]);
}

/** One `value_error`, for a 422 that lists several (`fastapiError(422, [...])`). */
export function valueErrorItem(loc: Array<string | number>, message: string, input: unknown): PydanticError {
  return { type: 'value_error', loc, msg: `Value error, ${message}`, input, ctx: { error: {} } };
}

export interface FastapiMessages {
  unauthorized: string;
  forbidden: string;
}

/** The engine's errors in FastAPI's words; a vendor supplies the messages FastAPI leaves to the app. */
export function fastapiErrorEnvelope(messages: FastapiMessages): ErrorEnvelope {
  return {
    invalidRequest: (issues) =>
      // Starlette's form parser fails before validation, with a plain 400.
      issues.some((issue) => issue.keyword === 'form')
        ? fastapiError(400, 'There was an error parsing the body')
        : fastapiError(422, pydanticErrors(issues)),
    unauthorized: () => fastapiError(401, messages.unauthorized),
    forbidden: () => fastapiError(403, messages.forbidden),
    payloadTooLarge: () => fastapiError(413, 'Request Entity Too Large'),
    routeNotFound: (_method, _path, allowed) => (allowed.length > 0 ? fastapiError(405, 'Method Not Allowed') : fastapiError(404, 'Not Found')),
    internalError: () => fastapiError(500, 'Internal Server Error'),
    // A 422 is always pydantic's list (FastAPI's HTTPValidationError), never a plain string.
    error: (status, message) =>
      status === 422 ? fastapiError(422, [{ type: 'value_error', loc: ['body'], msg: `Value error, ${message}`, input: null, ctx: { error: {} } }]) : fastapiError(status, message),
  };
}

/**
 * Converts issues to pydantic v2 errors. pydantic reports one error per field, the first that
 * fails, in field order; the issues arrive in field order already (the engine sorts them).
 */
export function pydanticErrors(issues: readonly ValidationIssue[]): PydanticError[] {
  const seen = new Set<string>();
  const errors: PydanticError[] = [];
  for (const issue of itemByItem(issues)) {
    if (isNullBranchNoise(issue)) continue;
    const error = toPydantic(issue);
    const key = JSON.stringify(error.loc);
    if (seen.has(key)) continue;
    seen.add(key);
    errors.push(error);
  }
  return errors;
}

/**
 * pydantic validates a list item by item, so every error of `slots[0]` comes before any of
 * `slots[1]`; field order alone would put `slots[1].day_of_week` before `slots[0].end_time`.
 * Re-sorts, stably, path segment by path segment: list indexes by number, fields in the order
 * the issues first name them.
 */
function itemByItem(issues: readonly ValidationIssue[]): ValidationIssue[] {
  const paths = issues.map((issue) => [issue.location, ...issue.path]);
  const firstNamed = new Map<string, number>();
  paths.forEach((path, index) => {
    for (let depth = 1; depth <= path.length; depth++) {
      const field = fieldOf(path, depth);
      if (!firstNamed.has(field)) firstNamed.set(field, index);
    }
  });
  const compare = (a: Array<string | number>, b: Array<string | number>): number => {
    for (let depth = 0; depth < Math.min(a.length, b.length); depth++) {
      const [x, y] = [a[depth], b[depth]];
      if (x === y) continue;
      if (typeof x === 'number' && typeof y === 'number') return x - y;
      if (typeof x === 'number' || typeof y === 'number') return typeof x === 'number' ? -1 : 1;
      return (firstNamed.get(fieldOf(a, depth + 1)) ?? 0) - (firstNamed.get(fieldOf(b, depth + 1)) ?? 0);
    }
    return 0;
  };
  return issues
    .map((issue, index) => ({ issue, index, path: paths[index] as Array<string | number> }))
    .sort((a, b) => compare(a.path, b.path) || a.index - b.index)
    .map(({ issue }) => issue);
}

/** The field a path names down to `depth`, list indexes left out: `body.slots.#.end_time`. */
function fieldOf(path: ReadonlyArray<string | number>, depth: number): string {
  return path
    .slice(0, depth)
    .map((segment) => (typeof segment === 'number' ? '#' : segment))
    .join('.');
}

/**
 * `Optional[Model]` reads `anyOf: [Model, {type: 'null'}]` in a spec. pydantic reports only the
 * model's errors for it, so the null branch's complaint and anyOf's own summary are dropped.
 */
function isNullBranchNoise(issue: ValidationIssue): boolean {
  if (issue.keyword === 'type' && issue.params.type === 'null') return true;
  const branches = issue.keyword === 'anyOf' ? issue.schema?.anyOf : undefined;
  return Array.isArray(branches) && branches.some((branch) => (branch as { type?: unknown } | null)?.type === 'null');
}

/** How deep an echoed `input` is kept: deeper parts are cut, so a hostile body cannot make the answer unwritable. */
const MAX_INPUT_DEPTH = 32;

function clipped(value: unknown, depth = 0): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_INPUT_DEPTH) return Array.isArray(value) ? ['…'] : { '…': '…' };
  if (Array.isArray(value)) return value.map((item) => clipped(item, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, clipped(item, depth + 1)]));
}

function toPydantic(issue: ValidationIssue): PydanticError {
  const loc: Array<string | number> = [issue.location, ...issue.path];
  const input = clipped(issue.value);
  const p = issue.params;
  const error = (type: string, msg: string, ctx?: Record<string, unknown>): PydanticError => ({ type, loc, msg, input, ...(ctx ? { ctx } : {}) });
  switch (issue.keyword) {
    case 'required':
      return { type: 'missing', loc, msg: 'Field required', input: issue.path.length === 1 && issue.location !== 'body' ? null : input };
    case 'bodyRequired':
      return { type: 'missing', loc: ['body'], msg: 'Field required', input: null };
    case 'json':
      return jsonInvalid(String(p.error));
    case 'contentType':
      return { type: 'model_attributes_type', loc: ['body'], msg: 'Input should be a valid dictionary or object to extract fields from', input: p.body };
    case 'type':
      return typeError(loc, String(p.type), input, issue.schema);
    case 'finite':
      return error('finite_number', 'Input should be a finite number');
    case 'minimum':
      return error('greater_than_equal', `Input should be greater than or equal to ${num(p.limit, issue)}`, { ge: p.limit });
    case 'exclusiveMinimum':
      return error('greater_than', `Input should be greater than ${num(p.limit, issue)}`, { gt: p.limit });
    case 'maximum':
      return error('less_than_equal', `Input should be less than or equal to ${num(p.limit, issue)}`, { le: p.limit });
    case 'exclusiveMaximum':
      return error('less_than', `Input should be less than ${num(p.limit, issue)}`, { lt: p.limit });
    case 'minLength':
      return error('string_too_short', `String should have at least ${plural(Number(p.limit), 'character')}`, { min_length: p.limit });
    case 'maxLength':
      return error('string_too_long', `String should have at most ${plural(Number(p.limit), 'character')}`, { max_length: p.limit });
    case 'pattern':
      return error('string_pattern_mismatch', `String should match pattern '${String(p.pattern)}'`, { pattern: p.pattern });
    case 'minItems':
      return error('too_short', `List should have at least ${plural(Number(p.limit), 'item')} after validation, not ${lengthOf(input)}`, {
        field_type: 'List',
        min_length: p.limit,
        actual_length: lengthOf(input),
      });
    case 'maxItems':
      return error('too_long', `List should have at most ${plural(Number(p.limit), 'item')} after validation, not ${lengthOf(input)}`, {
        field_type: 'List',
        max_length: p.limit,
        actual_length: lengthOf(input),
      });
    case 'enum': {
      const expected = expectedList(p.allowedValues as unknown[]);
      return error('enum', `Input should be ${expected}`, { expected });
    }
    case 'const': {
      const expected = expectedList([p.allowedValue]);
      return error('literal_error', `Input should be ${expected}`, { expected });
    }
    case 'format':
      return formatError(loc, String(p.format), input);
    case 'additionalProperties':
      return { type: 'extra_forbidden', loc, msg: 'Extra inputs are not permitted', input: (input as Record<string, unknown> | undefined)?.[String(p.additionalProperty)] };
    default:
      return error('value_error', `Value error, ${issue.message}`, { error: {} });
  }
}

function typeError(loc: Array<string | number>, expected: string, input: unknown, schema: Record<string, unknown> | undefined): PydanticError {
  const type = expected.split(',').find((t) => t !== 'null') ?? expected;
  const make = (kind: string, msg: string): PydanticError => ({ type: kind, loc, msg, input });
  switch (type) {
    case 'integer':
      if (typeof input === 'string') return make('int_parsing', 'Input should be a valid integer, unable to parse string as an integer');
      if (typeof input === 'number') return make('int_from_float', 'Input should be a valid integer, got a number with a fractional part');
      return make('int_type', 'Input should be a valid integer');
    case 'number':
      return typeof input === 'string' ? make('float_parsing', 'Input should be a valid number, unable to parse string as a number') : make('float_type', 'Input should be a valid number');
    case 'string':
      return make('string_type', 'Input should be a valid string');
    case 'boolean':
      return typeof input === 'string' ? make('bool_parsing', 'Input should be a valid boolean, unable to interpret input') : make('bool_type', 'Input should be a valid boolean');
    case 'array':
      return make('list_type', 'Input should be a valid list');
    default:
      // A schema with properties is a pydantic model; one without is a plain dict.
      return schema && 'properties' in schema
        ? make('model_attributes_type', 'Input should be a valid dictionary or object to extract fields from')
        : make('dict_type', 'Input should be a valid dictionary');
  }
}

function formatError(loc: Array<string | number>, format: string, input: unknown): PydanticError {
  switch (format) {
    case 'date-time':
      return { type: 'datetime_from_date_parsing', loc, msg: 'Input should be a valid datetime or date, invalid character in year', input, ctx: { error: 'invalid character in year' } };
    case 'date':
      return { type: 'date_from_datetime_parsing', loc, msg: 'Input should be a valid date or datetime, invalid character in year', input, ctx: { error: 'invalid character in year' } };
    case 'uri':
    case 'url':
      return { type: 'url_parsing', loc, msg: 'Input should be a valid URL, relative URL without a base', input, ctx: { error: 'relative URL without a base' } };
    default:
      return { type: 'value_error', loc, msg: `Value error, value is not a valid ${format}`, input, ctx: { error: {} } };
  }
}

/**
 * Python's json module's words for a decode error, at the character it stopped at (FastAPI puts
 * the position in `loc` and the message in `ctx.error`).
 */
function jsonInvalid(jsError: string): PydanticError {
  const at = /at position (\d+)/.exec(jsError);
  const position = at ? Number(at[1]) : 0;
  const error = /property name/.test(jsError)
    ? 'Expecting property name enclosed in double quotes'
    : /after property value|after array element/.test(jsError)
      ? "Expecting ',' delimiter"
      : /non-whitespace character after JSON/.test(jsError)
        ? 'Extra data'
        : /Unterminated string/.test(jsError)
          ? 'Unterminated string starting at'
          : /control character/i.test(jsError)
            ? 'Invalid control character at'
            : 'Expecting value';
  return { type: 'json_invalid', loc: ['body', position], msg: 'JSON decode error', input: {}, ctx: { error } };
}

/** `'a'`, `'a' or 'b'`, `'a', 'b' or 'c'`: how pydantic lists what it expected. */
function expectedList(values: readonly unknown[]): string {
  const quoted = values.map((v) => (typeof v === 'string' ? `'${v}'` : String(v)));
  return quoted.length <= 1 ? (quoted[0] ?? '') : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function lengthOf(value: unknown): number {
  return Array.isArray(value) ? value.length : 0;
}

/** Python prints a float bound with a decimal point (`1.0`), an int bound without. */
function num(limit: unknown, issue: ValidationIssue): string {
  const type = String(issue.schema?.type ?? '');
  return type.includes('number') && Number.isInteger(limit) ? `${String(limit)}.0` : String(limit);
}
