import type { Context, Hono } from 'hono';
import type { Logger } from '../logger.js';
import type { Exchange, Interception, RequestHooks } from './hooks.js';
import type { Sandbox, SandboxRegistry } from '../store/sandboxes.js';
import { keyHash, readApiKey } from './credentials.js';
import type { ParameterObject } from './spec/openapi.js';
import { issuesFromAjv, sortIssues, withNonFiniteNumbers, type ValidationIssue } from './issues.js';
import { readRequestBody } from './request-body.js';
import { checkReply } from './response-check.js';
import { toRoutePath, type Spec } from './spec/load.js';
import { redactSecrets, type CompiledOperation, type ParameterValidator } from './spec/compile.js';
import { ReplyError, type Handler, type Reply, type RequestContext, type VendorModule } from './vendor.js';

export interface MountOptions {
  vendor: VendorModule;
  spec: Spec;
  operations: CompiledOperation[];
  handlers: Record<string, Handler>;
  sandboxes: SandboxRegistry;
  logger: Logger;
  /** Answer a reply that breaks the spec with a 500 (for tests) instead of only logging it. */
  strict: boolean;
  now(sandbox: Sandbox): Date;
  /** The control plane: scenarios that shape answers, and the journal. */
  hooks?: RequestHooks;
}

const WRITE_METHODS = new Set(['post', 'put', 'patch', 'delete']);

/**
 * Routes every operation of a vendor's spec to its handler, through the request pipeline:
 * credential → sandbox → permission → parameters and body validated → handler → reply checked
 * against the spec.
 */
export function mountVendor(app: Hono, options: MountOptions): void {
  const { vendor, spec, operations, handlers } = options;
  assertHandlersMatchOperations(vendor, spec, handlers);
  assertEngineStatusesDocumented(vendor, spec);
  const outside = spec.operations.filter((op) => !op.path.startsWith(`${vendor.basePath}/`));
  if (outside.length > 0) {
    throw new Error(`campaign-mock: specs/${vendor.specFile}: ${outside.map((op) => op.path).join(', ')} lie outside ${vendor.title}'s base path ${vendor.basePath}`);
  }
  for (const operation of operations) {
    const handler = handlers[operation.spec.operationId] as Handler;
    app.on(operation.spec.method.toUpperCase(), toRoutePath(operation.spec.path), (c) =>
      serveOperation(c, operation, handler, options),
    );
  }
}

/** Fails startup when the spec and the handlers disagree, naming every difference. */
function assertHandlersMatchOperations(vendor: VendorModule, spec: Spec, handlers: Record<string, Handler>): void {
  const operationIds = new Set(spec.operations.map((op) => op.operationId));
  const missing = [...operationIds].filter((id) => typeof handlers[id] !== 'function');
  const extra = Object.keys(handlers).filter((id) => !operationIds.has(id));
  const problems = [
    ...missing.map((id) => `operation "${id}" in specs/${vendor.specFile} has no handler; add one to src/vendors/${vendor.name}/`),
    ...extra.map((id) => `handler "${id}" in src/vendors/${vendor.name}/ has no operation in specs/${vendor.specFile}; add the operation or remove the handler`),
  ];
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
    for (const [status, why] of needs) {
      const documented = Object.keys(op.responses).some((key) => key === String(status) || key === `${String(status)[0]}XX` || key === 'default');
      if (!documented) problems.push(`${op.operationId} must document ${status}, because ${why}`);
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

/** The outcome of the pipeline before the reply is checked and sent. */
interface Answer {
  reply: Reply;
  key: string | null;
  violations: string[];
  requestBody?: unknown;
  interception?: Interception;
}

async function serveOperation(c: Context, operation: CompiledOperation, handler: Handler, options: MountOptions): Promise<Response> {
  const started = performance.now();
  const time = new Date().toISOString();
  const url = new URL(c.req.url);
  const answer = await answerRequest(c, url, operation, handler, options);
  const { interception } = answer;
  let response: Response;
  let replyViolations: string[] = [];
  if (interception?.refusal !== undefined) {
    response = Response.json({ error: interception.refusal }, { status: 400, headers: { 'campaign-mock-error': 'scenario' } });
  } else if (interception?.drop) {
    response = dropConnection(c);
  } else {
    replyViolations = checkReply(operation, answer.reply);
    response = replyViolations.length > 0 ? reportBrokenReply(operation, answer.reply, replyViolations, options, c) : toResponse(answer.reply);
  }
  const durationMs = performance.now() - started;
  const exchange: Exchange = {
    time,
    key: answer.key,
    vendor: options.vendor.name,
    operationId: operation.spec.operationId,
    method: c.req.method,
    path: url.pathname,
    query: url.search,
    status: interception?.drop ? 0 : response.status,
    durationMs: Math.round(durationMs * 10) / 10,
    scenario: interception?.source ?? null,
    violations: answer.violations,
    replyViolations,
    ...(answer.requestBody === undefined ? {} : { requestBody: answer.requestBody }),
  };
  options.hooks?.record(exchange);
  options.logger.info(`${c.req.method} ${c.req.path} ${interception?.drop ? 'dropped' : response.status} ${durationMs.toFixed(1)}ms ${options.vendor.name}.${operation.spec.operationId}`, {
    method: c.req.method,
    path: c.req.path,
    status: exchange.status,
    durationMs: exchange.durationMs,
    vendor: options.vendor.name,
    operationId: operation.spec.operationId,
    keyHash: answer.key === null ? null : keyHash(answer.key),
    scenario: exchange.scenario,
  });
  return response;
}

async function answerRequest(c: Context, url: URL, operation: CompiledOperation, handler: Handler, options: MountOptions): Promise<Answer> {
  const { vendor, spec, sandboxes } = options;
  const { errors } = vendor;
  const op = operation.spec;

  const key = readApiKey({ headers: c.req.raw.headers, query: url.searchParams }, op.security, spec.securitySchemes);
  const sandbox = key === undefined ? undefined : sandboxes.resolve(key);
  if (!sandbox) {
    const why = key === undefined ? 'no usable credential' : 'a key the keys file does not list';
    return { reply: errors.unauthorized(), key: key ?? null, violations: [`security: the request carries ${why}`] };
  }
  if ((sandbox.access.readOnly && WRITE_METHODS.has(op.method)) || (op.permission && sandbox.access.deny.has(op.permission))) {
    return { reply: errors.forbidden(), key: sandbox.key, violations: [] };
  }
  const refusal = vendor.authorize?.({ sandbox, params: c.req.param() as Record<string, string> });
  if (refusal) return { reply: refusal, key: sandbox.key, violations: [] };
  options.hooks?.settle(sandbox);

  const headers: Record<string, string> = {};
  c.req.raw.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const issues: ValidationIssue[] = [];
  const params = validateParameters(operation.parameters.path, 'path', c.req.param() as Record<string, string>, issues);
  const query = validateParameters(operation.parameters.query, 'query', queryValues(url.searchParams), issues);
  validateParameters(operation.parameters.header, 'header', headers, issues);

  let body: unknown;
  let files: Record<string, File> = {};
  if (op.requestBody) {
    const read = await readRequestBody(c.req.raw, { requestBody: op.requestBody, limits: vendor.bodyLimits, emptyJsonBody: vendor.emptyJsonBody });
    if (read.kind === 'tooLarge') {
      return { reply: errors.payloadTooLarge(read.limit), key: sandbox.key, violations: [`body: larger than the ${read.limit}-byte limit`] };
    }
    if (read.kind === 'invalid') {
      issues.push(read.issue);
    } else if (read.kind === 'json' || read.kind === 'form') {
      body = read.kind === 'json' ? read.value : read.fields;
      if (read.kind === 'form') files = read.files;
      const validate = operation.bodies.get(read.mediaType);
      const schemaIssues = validate && !validate(body) ? issuesFromAjv('body', validate.errors) : [];
      issues.push(...withNonFiniteNumbers('body', body, schemaIssues));
    } else if (read.kind === 'raw') {
      body = read.bytes;
    }
  }
  const sorted = sortIssues(issues, operation.fieldOrder);
  const answer = (reply: Reply, interception?: Interception): Answer => ({
    reply,
    key: sandbox.key,
    violations: sorted.map(describeViolation),
    ...(body === undefined || body instanceof Uint8Array ? {} : { requestBody: redactSecrets(body, operation.secretPaths) }),
    ...(interception ? { interception } : {}),
  });

  const interception = options.hooks?.intercept({ vendor, operation: op, sandbox, params, query, headers, body, issues: sorted });
  if (interception?.latencyMs) await new Promise((resolve) => setTimeout(resolve, interception.latencyMs));
  if (interception?.reply || interception?.drop || interception?.refusal !== undefined) {
    return answer(interception.reply ?? { status: 0 }, interception);
  }
  if (sorted.length > 0) return answer(errors.invalidRequest(sorted, op), interception);

  const request: RequestContext = {
    sandbox,
    operation: op,
    params,
    query,
    headers,
    body,
    files,
    url,
    now: () => options.now(sandbox),
  };
  let reply: Reply;
  try {
    reply = await handler(request);
  } catch (error) {
    if (error instanceof ReplyError) {
      reply = error.reply;
    } else {
      options.logger.error(`${vendor.name}.${op.operationId} failed: ${(error as Error).stack ?? String(error)}`);
      reply = errors.internalError();
    }
  }
  return answer(interception?.override ? applyOverride(reply, interception.override) : reply, interception);
}

/** `body.retry_config.max_retries: must be >= 0`: where, then what. */
function describeViolation(issue: ValidationIssue): string {
  const where = [issue.location, ...issue.path].join('.');
  if (issue.keyword === 'required') return `${where}: is required`;
  return `${where}: ${issue.message}`;
}

/** Merges a scenario's headers and body into the handler's reply (objects deeply, other values replaced). */
function applyOverride(reply: Reply, override: { headers?: Record<string, string>; body?: unknown }): Reply {
  return {
    ...reply,
    headers: { ...reply.headers, ...override.headers },
    ...(override.body === undefined ? {} : { body: deepMerge(reply.body, override.body) }),
  };
}

function deepMerge(base: unknown, patch: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(patch)) return patch;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) merged[key] = deepMerge(base[key], value);
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Closes the client's connection without an answer, as a network failure would. Under
 * `app.request()` there is no connection: the caller gets a network-error response instead.
 */
function dropConnection(c: Context): Response {
  const socket = (c.env as { incoming?: { socket?: { destroy(): void } } } | undefined)?.incoming?.socket;
  if (!socket) return Response.error();
  socket.destroy();
  return new Response(null, { status: 204 });
}

/** Validates (and coerces, in place) one location's parameters; returns them. */
function validateParameters(
  validator: ParameterValidator | undefined,
  location: 'path' | 'query' | 'header',
  raw: Record<string, string | string[]>,
  issues: ValidationIssue[],
): Record<string, unknown> {
  if (!validator) return {};
  const values: Record<string, unknown> = {};
  for (const name of validator.names) {
    const value = raw[name];
    if (value === undefined) continue;
    if (validator.arrays.has(name)) values[name] = Array.isArray(value) ? value : [value];
    else values[name] = Array.isArray(value) ? value[value.length - 1] : value;
  }
  const schemaIssues = validator.validate(values) ? [] : issuesFromAjv(location, validator.validate.errors);
  issues.push(...withNonFiniteNumbers(location, values, schemaIssues));
  return values;
}

function queryValues(search: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name of new Set(search.keys())) {
    const all = search.getAll(name);
    out[name] = all.length === 1 ? (all[0] as string) : all;
  }
  return out;
}

/** A reply that breaks the spec: logged, and in strict mode answered with a 500 that says why. */
function reportBrokenReply(operation: CompiledOperation, reply: Reply, violations: string[], options: MountOptions, c: Context): Response {
  const message =
    `campaign-mock: the ${options.vendor.name}.${operation.spec.operationId} reply to ${c.req.method} ${c.req.path} breaks specs/${options.vendor.specFile}:\n  ` +
    `${violations.join('\n  ')}\nThis is a bug in campaign-mock (or in a scenario's reply); please report it with the request that caused it.`;
  options.logger.error(message);
  return options.strict ? new Response(message, { status: 500, headers: { 'content-type': 'text/plain; charset=utf-8' } }) : toResponse(reply);
}

export function toResponse(reply: Reply): Response {
  const headers = new Headers(reply.headers);
  if (reply.body === undefined) return new Response(null, { status: reply.status, headers });
  if (!headers.has('content-type')) headers.set('content-type', 'application/json; charset=utf-8');
  return new Response(JSON.stringify(reply.body), { status: reply.status, headers });
}
