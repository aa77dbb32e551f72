import type { JsonSchema, MediaTypeObject } from '../engine/openapi.js';
import type { OperationSpec } from '../engine/spec.js';
import type { ContractStep, StepRequest } from './plan.js';

/**
 * A step for an operation no plan covers, built from the spec's own examples: path and required
 * query parameters from their examples, the JSON body from the request example, a form from its
 * schema. It passes on any documented answer that is not a server error or a refused credential,
 * so a new operation is checked against its contract from the day it enters the spec.
 *
 * @returns the step, or why none can be built (the spec lacks an example the request needs).
 */
export function exampleStep(operation: OperationSpec): ContractStep | string {
  let request: StepRequest;
  try {
    request = exampleRequest(operation);
  } catch (error) {
    return (error as Error).message;
  }
  const statuses = Object.keys(operation.responses)
    .filter((key) => /^\d{3}$/.test(key))
    .map(Number)
    .filter((status) => status < 500 && status !== 401);
  return {
    operationId: operation.operationId,
    does: 'answers a request built from the spec’s examples',
    writes: !['get', 'head', 'options'].includes(operation.method),
    expect: statuses,
    request: () => request,
  };
}

function exampleRequest(operation: OperationSpec): StepRequest {
  const params: Record<string, string> = {};
  const query: Record<string, string> = {};
  for (const parameter of operation.parameters) {
    if (parameter.in === 'path') params[parameter.name] = String(exampleOf(parameter.schema, `path parameter ${parameter.name}`));
    else if (parameter.in === 'query' && parameter.required) query[parameter.name] = String(exampleOf(parameter.schema, `query parameter ${parameter.name}`));
  }
  const [mediaType, media] = Object.entries(operation.requestBody?.content ?? {})[0] ?? [];
  const request: StepRequest = { params, query };
  if (mediaType && media) {
    if (mediaType.includes('json')) request.json = jsonExample(media);
    else if (mediaType === 'multipart/form-data') request.form = () => formExample(media.schema);
    else request.text = { body: 'phone_number\n+14155550100\n', contentType: mediaType };
  }
  return request;
}

function jsonExample(media: MediaTypeObject): unknown {
  if (media.example !== undefined) return media.example;
  const first = Object.values(media.examples ?? {})[0];
  if (first?.value !== undefined) return first.value;
  throw new Error('the spec gives no example of its JSON request body');
}

function formExample(schema: JsonSchema | undefined): FormData {
  const form = new FormData();
  const object = schema as { properties?: Record<string, Record<string, unknown>>; required?: string[] } | undefined;
  for (const name of object?.required ?? []) {
    const property = object?.properties?.[name] ?? {};
    if (property.format === 'binary') form.append(name, new Blob(['phone_number\n+14155550100\n'], { type: 'text/csv' }), `${name}.csv`);
    else form.append(name, String(exampleOf(property, `form field ${name}`)));
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
  throw new Error(`the spec gives no example of its ${what}`);
}
