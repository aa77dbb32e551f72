import type { ValidationIssue } from './issues.js';
import type { RequestBodyObject } from './spec/openapi.js';
import { isJsonMediaType } from './spec/compile.js';

/** The outcome of reading a request body against what the operation accepts. */
export type ReadBody =
  | { kind: 'none' }
  | { kind: 'json'; mediaType: string; value: unknown }
  | { kind: 'form'; mediaType: string; fields: Record<string, unknown>; files: Record<string, File> }
  | { kind: 'raw'; mediaType: string; bytes: Uint8Array }
  | { kind: 'tooLarge'; limit: number }
  | { kind: 'invalid'; issue: ValidationIssue };

export interface BodyRules {
  requestBody: RequestBodyObject;
  limits: { json: number; multipart: number };
  emptyJsonBody: 'empty-object' | 'missing';
}

/**
 * Reads and parses a request body, never more than the limit allows: a body over the limit is
 * refused from its Content-Length, or as soon as the stream passes the limit.
 */
export async function readRequestBody(request: Request, rules: BodyRules): Promise<ReadBody> {
  const accepted = Object.keys(rules.requestBody.content);
  const acceptsJson = accepted.find(isJsonMediaType);
  const contentType = request.headers.get('content-type');
  const baseType = contentType?.split(';')[0]?.trim().toLowerCase();
  const mediaType = baseType === undefined ? acceptsJson : accepted.find((m) => m.toLowerCase() === baseType);
  const isMultipart = mediaType === 'multipart/form-data';
  const limit = isMultipart ? rules.limits.multipart : rules.limits.json;

  const declaredLength = Number(request.headers.get('content-length'));
  if (Number.isFinite(declaredLength) && declaredLength > limit) return { kind: 'tooLarge', limit };
  const bytes = await readLimited(request, limit);
  if (bytes === undefined) return { kind: 'tooLarge', limit };

  if (bytes.length === 0 && (mediaType === undefined || mediaType === acceptsJson)) {
    if (acceptsJson && rules.emptyJsonBody === 'empty-object') return { kind: 'json', mediaType: acceptsJson, value: {} };
    if (rules.requestBody.required) {
      return { kind: 'invalid', issue: { location: 'body', path: [], keyword: 'bodyRequired', params: {}, message: 'a request body is required' } };
    }
    return { kind: 'none' };
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
      return { kind: 'json', mediaType, value: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) };
    } catch (error) {
      return {
        kind: 'invalid',
        issue: { location: 'body', path: [], keyword: 'json', params: { error: (error as Error).message }, message: (error as Error).message },
      };
    }
  }
  if (isMultipart || mediaType === 'application/x-www-form-urlencoded') {
    let form: FormData;
    try {
      form = await new Request('http://body.local/', { method: 'POST', headers: { 'content-type': contentType ?? mediaType }, body: bytes }).formData();
    } catch (error) {
      return {
        kind: 'invalid',
        issue: { location: 'body', path: [], keyword: 'form', params: { error: (error as Error).message }, message: `the ${mediaType} body cannot be parsed` },
      };
    }
    const fields: Record<string, unknown> = {};
    const files: Record<string, File> = {};
    for (const [name, value] of form.entries()) {
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

/** The body's bytes, or `undefined` once it passes `limit`. */
async function readLimited(request: Request, limit: number): Promise<Uint8Array | undefined> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
