import type { JsonSchema, MediaTypeObject, SecuritySchemeObject } from '../../src/engine/openapi.js';
import type { OperationSpec, Spec } from '../../src/engine/spec.js';

/** A request that keeps to an operation's spec, built from the spec's own examples. */
export interface ExampleRequest {
  path: string;
  init: RequestInit;
}

/**
 * Builds a valid request for an operation: path and required query parameters from their
 * examples, the JSON body from the request example, a form from its schema (files as a small CSV),
 * and the credential the operation's security asks for. Throws when the spec lacks an example the
 * request needs, so every operation keeps one.
 */
export function exampleRequest(spec: Spec, operation: OperationSpec, key: string): ExampleRequest {
  const where = `${operation.operationId} in ${spec.file}`;
  let path = operation.path;
  const query = new URLSearchParams();
  const headers: Record<string, string> = {};
  for (const parameter of operation.parameters) {
    if (parameter.in === 'path') path = path.replace(`{${parameter.name}}`, encodeURIComponent(String(exampleOf(parameter.schema, `path parameter ${parameter.name} of ${where}`))));
    else if (parameter.in === 'query' && parameter.required) query.set(parameter.name, String(exampleOf(parameter.schema, `query parameter ${parameter.name} of ${where}`)));
  }
  const [requirement] = operation.security;
  for (const name of Object.keys(requirement ?? {})) {
    const scheme = spec.securitySchemes[name] as SecuritySchemeObject;
    if (scheme.type === 'http') headers.authorization = `Bearer ${key}`;
    else if (scheme.in === 'header') headers[scheme.name.toLowerCase()] = key;
    else if (scheme.in === 'query') query.set(scheme.name, key);
  }
  let body: RequestInit['body'];
  const content = Object.entries(operation.requestBody?.content ?? {});
  const [mediaType, media] = content[0] ?? [];
  if (mediaType && media) {
    if (mediaType.includes('json')) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(jsonExample(media, where));
    } else if (mediaType === 'multipart/form-data') {
      body = formExample(media.schema, where);
    } else {
      headers['content-type'] = mediaType;
      body = 'phone_number\n+14155550100\n';
    }
  }
  const search = query.toString();
  return { path: search ? `${path}?${search}` : path, init: { method: operation.method.toUpperCase(), headers, ...(body === undefined || body === null ? {} : { body }) } };
}

function jsonExample(media: MediaTypeObject, where: string): unknown {
  if (media.example !== undefined) return media.example;
  const first = Object.values(media.examples ?? {})[0];
  if (first?.value !== undefined) return first.value;
  throw new Error(`campaign-mock: the JSON request body of ${where} has no example; add one to the spec`);
}

function formExample(schema: JsonSchema | undefined, where: string): FormData {
  const form = new FormData();
  const object = schema as { properties?: Record<string, Record<string, unknown>>; required?: string[] } | undefined;
  for (const name of object?.required ?? []) {
    const property = object?.properties?.[name] ?? {};
    if (property.format === 'binary') form.append(name, new Blob(['phone_number\n+14155550100\n'], { type: 'text/csv' }), `${name}.csv`);
    else form.append(name, String(exampleOf(property, `form field ${name} of ${where}`)));
  }
  return form;
}

function exampleOf(schema: JsonSchema | undefined, what: string): unknown {
  const s = (schema ?? {}) as Record<string, unknown>;
  if (s.example !== undefined) return s.example;
  if (Array.isArray(s.examples) && s.examples.length > 0) return s.examples[0];
  if (s.default !== undefined) return s.default;
  if (Array.isArray(s.enum)) return s.enum[0];
  if (s.type === 'integer' || s.type === 'number') return s.minimum ?? 1;
  throw new Error(`campaign-mock: the ${what} has no example; add one to the spec`);
}
