import { EXAMPLE_CSV, exampleOf, formExample, jsonExample } from '../../src/contract/examples.js';
import type { SecuritySchemeObject } from '../../src/engine/spec/openapi.js';
import type { OperationSpec, Spec } from '../../src/engine/spec/load.js';

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
  try {
    return buildRequest(spec, operation, key);
  } catch (error) {
    throw new Error(`campaign-mock: ${operation.operationId} in ${spec.file}: ${(error as Error).message}; add one to the spec`);
  }
}

function buildRequest(spec: Spec, operation: OperationSpec, key: string): ExampleRequest {
  let path = operation.path;
  const query = new URLSearchParams();
  const headers: Record<string, string> = {};
  for (const parameter of operation.parameters) {
    if (parameter.in === 'path') path = path.replace(`{${parameter.name}}`, encodeURIComponent(String(exampleOf(parameter.schema, `path parameter ${parameter.name}`))));
    else if (parameter.in === 'query' && parameter.required) query.set(parameter.name, String(exampleOf(parameter.schema, `query parameter ${parameter.name}`)));
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
      body = JSON.stringify(jsonExample(media));
    } else if (mediaType === 'multipart/form-data') {
      body = formExample(spec, media.schema, operation.operationId);
    } else {
      headers['content-type'] = mediaType;
      body = EXAMPLE_CSV;
    }
  }
  const search = query.toString();
  return { path: search ? `${path}?${search}` : path, init: { method: operation.method.toUpperCase(), headers, ...(body === undefined || body === null ? {} : { body }) } };
}
