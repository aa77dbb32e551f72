import { SandboxResetError } from '../../store/sandboxes.js';
import { ReplyError, type Reply } from '../reply.js';
import type { AnyHandler, RequestContext } from '../vendor.js';
import type { Call, Pipeline } from './call.js';

/** A write whose sandbox was reset while its prepare step waited: nothing of it is written. */
const SANDBOX_RESET = 'The sandbox of this API key was reset while the request was being served; nothing of it was kept';

/**
 * Runs the vendor's handler. Its `prepare` step, if it has one, runs first (it may wait: for a
 * file to be parsed, a URL to be fetched); then the handler proper runs, a write inside one
 * transaction, so a refusal (`ReplyError`) or a failure anywhere in it leaves nothing behind.
 * A sandbox reset while the prepare step waited (or between the slices of a big write) is
 * answered with the vendor's 404: what the request would write into is gone. A failure is logged
 * and answered with the vendor's 500; a scenario's amendments are merged in.
 */
export async function dispatch(call: Call, pipeline: Pipeline): Promise<void> {
  const sandbox = call.sandbox;
  if (!sandbox || call.interception?.drop || call.interception?.refusal !== undefined) return;
  const { route } = call;
  const request = requestContext(call, pipeline);
  let reply: Reply;
  try {
    const run = route.writes ? <T>(write: () => T) => pipeline.transaction(sandbox, write) : <T>(read: () => T) => read();
    reply = await handle(route.handler, request, run, () => pipeline.sandboxes.holds(sandbox));
  } catch (error) {
    if (error instanceof ReplyError) {
      reply = error.reply;
    } else if (error instanceof SandboxResetError) {
      reply = route.vendor.errors.error(404, SANDBOX_RESET);
    } else {
      pipeline.logger.error(`${route.vendor.name}.${route.operation.spec.operationId} failed: ${(error as Error).stack ?? String(error)}`);
      reply = route.vendor.errors.internalError();
    }
  }
  const override = call.interception?.override;
  call.reply = override ? applyOverride(reply, override) : reply;
}

async function handle(handler: AnyHandler, request: RequestContext, run: <T>(work: () => T) => T, stillThere: () => boolean): Promise<Reply> {
  if (typeof handler === 'function') return run(() => synchronous(handler(request)));
  const prepared = await handler.prepare(request);
  // The prepare step waited: a reset meanwhile took the sandbox, and its id may be another key's now.
  if (!stillThere()) throw new SandboxResetError(request.sandbox.id);
  return run(() => synchronous(handler.handle(request, prepared)));
}

/** A handler must answer without waiting (see Handler): a promise here would escape its transaction. */
function synchronous(reply: Reply): Reply {
  if (typeof (reply as unknown as PromiseLike<unknown>)?.then === 'function') {
    throw new Error('campaign-mock: a handler answered with a promise; move what it waits for into its prepare step');
  }
  return reply;
}

/** What a handler reads of the request; the headers and the URL are built only when read. */
function requestContext(call: Call, pipeline: Pipeline): RequestContext {
  const { incoming } = call;
  const sandbox = call.sandbox as NonNullable<Call['sandbox']>;
  let headers: Record<string, string> | undefined;
  let url: URL | undefined;
  return {
    sandbox,
    operation: call.route.operation.spec,
    params: call.params,
    query: call.query,
    get headers() {
      return (headers ??= incoming.headers());
    },
    body: call.body,
    files: call.files,
    get url() {
      return (url ??= new URL(`${incoming.path}${incoming.query}`, `http://${incoming.header('host') ?? 'localhost'}`));
    },
    now: () => pipeline.now(sandbox),
  };
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
