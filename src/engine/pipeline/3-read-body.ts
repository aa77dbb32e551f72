import type { ValidationIssue } from '../issues.js';
import type { RequestBodyObject } from '../spec/openapi.js';
import { isJsonMediaType } from '../spec/compile.js';
import { readMultipart } from '../../formats/multipart.js';
import { breathe } from '../../pacer.js';
import type { Call } from './call.js';

/**
 * Reads and parses the body the operation takes, never more than the vendor's limit allows: a
 * body over it is refused from its Content-Length, or as soon as it passes the limit while being
 * read (413 in the vendor's envelope). What cannot be parsed — malformed JSON, a media type the
 * operation does not take, a body missing where one is required — becomes a validation issue.
 * Multipart files are read whole here, before any handler runs. An operation that takes no body
 * has nothing to wait for: no promise.
 */
export function readBody(call: Call): Promise<void> | undefined {
  const requestBody = call.route.operation.spec.requestBody;
  if (!requestBody) return undefined;
  const { vendor } = call.route;
  return readRequestBody(call, { requestBody, limits: vendor.bodyLimits, emptyJsonBody: vendor.emptyJsonBody }).then((read) => {
    switch (read.kind) {
      case 'tooLarge':
        call.violations.push(`body: larger than the ${read.limit}-byte limit`);
        call.reply = vendor.errors.payloadTooLarge(read.limit);
        return;
      case 'invalid':
        call.issues.push(read.issue);
        return;
      case 'json':
        call.body = read.value;
        call.mediaType = read.mediaType;
        return;
      case 'form':
        call.body = read.fields;
        call.files = read.files;
        call.mediaType = read.mediaType;
        return;
      case 'raw':
        call.body = read.bytes;
        return;
    }
  });
}

/** The outcome of reading a request body against what the operation accepts. */
type ReadBody =
  | { kind: 'none' }
  | { kind: 'json'; mediaType: string; value: unknown }
  | { kind: 'form'; mediaType: string; fields: Record<string, unknown>; files: Record<string, File> }
  | { kind: 'raw'; mediaType: string; bytes: Uint8Array }
  | { kind: 'tooLarge'; limit: number }
  | { kind: 'invalid'; issue: ValidationIssue };

interface BodyRules {
  requestBody: RequestBodyObject;
  limits: { json: number; multipart: number };
  emptyJsonBody: 'empty-object' | 'missing';
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Bytes past which a form body is parsed on a turn of the event loop of its own. */
const BIG_BODY = 1 << 20;

async function readRequestBody(call: Call, rules: BodyRules): Promise<ReadBody> {
  const { incoming } = call;
  const accepted = Object.keys(rules.requestBody.content);
  const acceptsJson = accepted.find(isJsonMediaType);
  const contentType = incoming.header('content-type');
  const baseType = contentType?.split(';')[0]?.trim().toLowerCase();
  const mediaType = baseType === undefined ? acceptsJson : accepted.find((m) => m.toLowerCase() === baseType);
  const isMultipart = mediaType === 'multipart/form-data';
  const limit = isMultipart ? rules.limits.multipart : rules.limits.json;

  const declaredLength = Number(incoming.header('content-length'));
  if (Number.isFinite(declaredLength) && declaredLength > limit) return { kind: 'tooLarge', limit };
  const bytes = await incoming.readBody(limit);
  if (bytes === undefined) return { kind: 'tooLarge', limit };
  call.bodyBytes = bytes.length;

  if (bytes.length === 0 && (mediaType === undefined || mediaType === acceptsJson)) {
    if (acceptsJson && rules.emptyJsonBody === 'empty-object') return { kind: 'json', mediaType: acceptsJson, value: {} };
    return missingBody(rules);
  }
  if (mediaType === undefined) {
    return {
      kind: 'invalid',
      issue: {
        location: 'header',
        path: ['content-type'],
        keyword: 'contentType',
        // The body as text, for envelopes (FastAPI's) that report it as the input that failed.
        params: { allowed: accepted, received: contentType, body: new TextDecoder().decode(bytes) },
        message: `Content-Type must be ${accepted.join(' or ')}`,
        value: contentType,
      },
    };
  }
  if (isJsonMediaType(mediaType)) {
    try {
      const value: unknown = JSON.parse(utf8.decode(bytes));
      // FastAPI reads a JSON `null` as no body at all.
      if (value === null && rules.emptyJsonBody === 'missing') return missingBody(rules);
      return { kind: 'json', mediaType, value };
    } catch (error) {
      return {
        kind: 'invalid',
        issue: { location: 'body', path: [], keyword: 'json', params: { error: (error as Error).message }, message: (error as Error).message },
      };
    }
  }
  if (isMultipart || mediaType === 'application/x-www-form-urlencoded') {
    // A big body has been read (the last of it just now): the loop turns before it is parsed.
    if (bytes.length > BIG_BODY) await breathe();
    let form: Iterable<[string, string | File]>;
    try {
      form = isMultipart
        ? readMultipart(bytes, contentType ?? mediaType).map(({ name, value }) => [name, value])
        : (await new Request('http://body.local/', { method: 'POST', headers: { 'content-type': contentType ?? mediaType }, body: bytes }).formData()).entries();
    } catch (error) {
      return {
        kind: 'invalid',
        issue: { location: 'body', path: [], keyword: 'form', params: { error: (error as Error).message }, message: `the ${mediaType} body cannot be parsed` },
      };
    }
    const fields: Record<string, unknown> = {};
    const files: Record<string, File> = {};
    for (const [name, value] of form) {
      if (typeof value !== 'string') files[name] = value;
      // A file field is validated as its file name: OpenAPI describes it as `type: string, format: binary`.
      const asText = typeof value === 'string' ? value : value.name;
      const previous = fields[name];
      fields[name] = previous === undefined ? asText : Array.isArray(previous) ? [...previous, asText] : [previous, asText];
    }
    return { kind: 'form', mediaType, fields, files };
  }
  return { kind: 'raw', mediaType, bytes };
}

function missingBody(rules: BodyRules): ReadBody {
  if (rules.requestBody.required) {
    return { kind: 'invalid', issue: { location: 'body', path: [], keyword: 'bodyRequired', params: {}, message: 'a request body is required' } };
  }
  return { kind: 'none' };
}
