import type { Context, Hono } from 'hono';
import type { CompiledOperation } from '../spec/compile.js';
import type { Spec } from '../spec/load.js';
import type { ParameterObject } from '../spec/openapi.js';
import { toRoutePath } from '../spec/load.js';
import type { AnyHandler, VendorModule } from '../vendor.js';
import type { Call, Pipeline, Route } from './call.js';
import { startCall } from './call.js';
import { fromHono, toResponse, type Incoming, type Outgoing } from './incoming.js';
import { authenticate } from './1-authenticate.js';
import { settle } from './2-settle.js';
import { readBody } from './3-read-body.js';
import { validate } from './4-validate.js';
import { intercept } from './5-intercept.js';
import { dispatch } from './6-dispatch.js';
import { checkReply } from './7-check-reply.js';
import { record } from './8-record.js';

export interface MountOptions {
  vendor: VendorModule;
  spec: Spec;
  operations: CompiledOperation[];
  handlers: Record<string, AnyHandler>;
}

const WRITE_METHODS = new Set(['post', 'put', 'patch', 'delete']);

/**
 * The request pipeline, stage by stage in the order a request travels (one file each in this
 * folder): who is asking, the sandbox brought up to its clock, the body read, the request
 * validated, a scenario's say, the vendor's handler (a write in one transaction), the reply
 * checked against the spec, and the journal and log. A stage that answers (a 401, a 413, a
 * scenario's reply) leaves the ones that would answer nothing to do.
 *
 * Only three stages may have to wait: for the body to arrive, for a scenario's latency, for a
 * handler's prepare step. Each returns a promise only then, and a request that waits for nothing
 * (a GET, a refusal before the body) is answered in the turn it arrived, with no promise made.
 */
export function serve(route: Route, incoming: Incoming, pipeline: Pipeline): Outgoing | Promise<Outgoing> {
  const call: Call = startCall(route, incoming);
  authenticate(call, pipeline);
  if (!call.reply) settle(call, pipeline);
  return whenDone(call.reply ? undefined : readBody(call), () => afterBody(call, pipeline));
}

function afterBody(call: Call, pipeline: Pipeline): Outgoing | Promise<Outgoing> {
  if (!call.reply) validate(call);
  return whenDone(call.reply ? undefined : intercept(call, pipeline), () => afterIntercept(call, pipeline));
}

function afterIntercept(call: Call, pipeline: Pipeline): Outgoing | Promise<Outgoing> {
  return whenDone(call.reply ? undefined : dispatch(call, pipeline), () => answer(call, pipeline));
}

/** The next step: at once, or when the stage before it is done waiting. */
function whenDone<T>(waiting: Promise<void> | undefined, next: () => T | Promise<T>): T | Promise<T> {
  return waiting ? waiting.then(next) : next();
}

function answer(call: Call, pipeline: Pipeline): Outgoing {
  const { outgoing, replyViolations } = checkReply(call, pipeline);
  record(call, pipeline, outgoing, replyViolations);
  return outgoing;
}

/**
 * Routes every operation of a vendor's spec to its handler through the pipeline: on Hono (for
 * `app.request()` and what the server's fast path leaves to it), and as routes the fast path
 * serves. Fails startup when the spec and the handlers disagree.
 */
export function mountVendor(app: Hono, options: MountOptions, pipeline: Pipeline): Route[] {
  const { vendor, spec, operations, handlers } = options;
  assertHandlersMatchOperations(vendor, spec, handlers);
  assertEngineStatusesDocumented(vendor, spec);
  const outside = spec.operations.filter((op) => !op.path.startsWith(`${vendor.basePath}/`));
  if (outside.length > 0) {
    throw new Error(`campaign-mock: specs/${vendor.specFile}: ${outside.map((op) => op.path).join(', ')} lie outside ${vendor.title}'s base path ${vendor.basePath}`);
  }
  return operations.map((operation) => {
    const route: Route = { vendor, spec, operation, handler: handlers[operation.spec.operationId] as AnyHandler, writes: WRITE_METHODS.has(operation.spec.method) };
    app.on(operation.spec.method.toUpperCase(), toRoutePath(operation.spec.path), async (c) => honoAnswer(c, await serve(route, fromHono(c), pipeline)));
    return route;
  });
}

/**
 * An answer through Hono. A dropped connection is the socket destroyed when there is one (a real
 * server); under `app.request()` there is no connection, and the caller gets a network error.
 */
function honoAnswer(c: Context, outgoing: Outgoing): Response {
  if (!('drop' in outgoing)) return toResponse(outgoing);
  const socket = (c.env as { incoming?: { socket?: { destroy(): void } } } | undefined)?.incoming?.socket;
  if (!socket) return Response.error();
  socket.destroy();
  return new Response(null, { status: 204 });
}

/** Fails startup when the spec and the handlers disagree, naming every difference. */
function assertHandlersMatchOperations(vendor: VendorModule, spec: Spec, handlers: Record<string, AnyHandler>): void {
  const operationIds = new Set(spec.operations.map((op) => op.operationId));
  const problems: string[] = [];
  for (const id of operationIds) {
    const handler = handlers[id];
    if (handler === undefined) problems.push(`operation "${id}" in specs/${vendor.specFile} has no handler; add one to src/vendors/${vendor.name}/`);
    else if (typeof handler === 'function' && handler.constructor.name === 'AsyncFunction') {
      problems.push(`handler "${id}" is async; a handler answers at once, inside its transaction: move what it waits for into a prepare step (see Handler)`);
    } else if (typeof handler !== 'function' && (typeof handler.prepare !== 'function' || typeof handler.handle !== 'function')) {
      problems.push(`handler "${id}" must be a function, or { prepare, handle }`);
    }
  }
  for (const id of Object.keys(handlers)) {
    if (!operationIds.has(id)) problems.push(`handler "${id}" in src/vendors/${vendor.name}/ has no operation in specs/${vendor.specFile}; add the operation or remove the handler`);
  }
  if (problems.length > 0) throw new Error(`campaign-mock: ${vendor.title} spec and handlers disagree:\n  ${problems.join('\n  ')}`);
}

/**
 * The engine answers some requests itself, in the vendor's envelope: every such status must be
 * documented, or a well-behaved client would get an answer the contract does not allow.
 */
function assertEngineStatusesDocumented(vendor: VendorModule, spec: Spec): void {
  const problems: string[] = [];
  for (const op of spec.operations) {
    const needs: Array<[number, string]> = [];
    if (op.security.length > 0) needs.push([401, 'it requires a credential']);
    if (op.permission || WRITE_METHODS.has(op.method)) needs.push([403, 'a key may be denied it']);
    if (op.requestBody || op.parameters.some(canFailValidation)) needs.push([vendor.validationStatus, 'its input is validated']);
    if (op.requestBody) needs.push([413, 'its body has a size limit']);
    // Once per operation: the status keys are array indexes to V8, which Object.keys turns into new strings at each call.
    const documented = new Set(Object.keys(op.responses));
    for (const [status, why] of needs) {
      const code = String(status);
      if (!documented.has(code) && !documented.has(`${code[0]}XX`) && !documented.has('default')) problems.push(`${op.operationId} must document ${status}, because ${why}`);
    }
  }
  if (problems.length > 0) throw new Error(`campaign-mock: specs/${vendor.specFile} is missing responses:\n  ${problems.join('\n  ')}`);
}

/** A path parameter that is any string (the usual id) cannot fail; anything else can. */
function canFailValidation(parameter: ParameterObject): boolean {
  if (parameter.in !== 'path') return true;
  const schema = parameter.schema;
  if (typeof schema !== 'object') return schema === false;
  return Object.keys(schema).some((keyword) => !['type', 'example', 'examples', 'description', 'title'].includes(keyword)) || schema.type !== 'string';
}
