import type { OperationSpec, Spec } from '../engine/spec/load.js';
import { EXAMPLE_CSV, exampleOf, formExample, jsonExample } from './examples.js';
import type { ContractStep, StepRequest } from './plan.js';

/**
 * A step for an operation no plan covers, built from the spec's own examples: path and required
 * query parameters from their examples, the JSON body from the request example, a form from its
 * schema. It passes on any documented answer that is not a server error or a refused credential,
 * so a new operation is checked against its contract from the day it enters the spec.
 *
 * @returns the step, or why none can be built (the spec lacks an example the request needs).
 */
export function exampleStep(spec: Spec, operation: OperationSpec): ContractStep | string {
  let request: StepRequest;
  try {
    request = exampleRequest(spec, operation);
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

function exampleRequest(spec: Spec, operation: OperationSpec): StepRequest {
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
    else if (mediaType === 'multipart/form-data') request.form = () => formExample(spec, media.schema, operation.operationId);
    else request.text = { body: EXAMPLE_CSV, contentType: mediaType };
  }
  return request;
}
