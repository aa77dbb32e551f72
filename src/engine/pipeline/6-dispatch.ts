import { SandboxResetError, type Sandbox } from '../../store/sandboxes.js';
import { ReplyError, type Reply } from '../reply.js';
import type { RequestContext } from '../vendor.js';
import type { Call, Pipeline } from './call.js';
import type { Incoming } from './incoming.js';

/** A write whose sandbox was reset while its prepare step waited: nothing of it is written. */
const SANDBOX_RESET = 'The sandbox of this API key was reset while the request was being served; nothing of it was kept';

/**
 * Runs the vendor's handler. Its `prepare` step, if it has one, runs first (it may wait: for a
 * file to be parsed, a URL to be fetched); then the handler proper runs, a write inside one
 * transaction, so a refusal (`ReplyError`) or a failure anywhere in it leaves nothing behind.
 * A sandbox reset while the prepare step waited (or between the slices of a big write) is
 * answered with the vendor's 404: what the request would write into is gone. A failure is logged
 * and answered with the vendor's 500; a scenario's amendments are merged in. Only a prepare step
 * makes it wait (a promise); a handler without one answers at once.
 */
export function dispatch(call: Call, pipeline: Pipeline): Promise<void> | undefined {
  const sandbox = call.sandbox;
  if (!sandbox || call.interception?.drop || call.interception?.refusal !== undefined) return undefined;
  const { route } = call;
  const handler = route.handler;
  const request = new Request(call, sandbox, pipeline);
  if (typeof handler === 'function') {
    settleReply(call, pipeline, () => run(call, pipeline, () => synchronous(handler(request))));
    return undefined;
  }
  // The prepare step may wait; a reset meanwhile took the sandbox, and its id may be another key's now.
  const prepared = new Promise((resolve) => resolve(handler.prepare(request)));
  return prepared.then(
    (value) =>
      settleReply(call, pipeline, () => {
        if (!pipeline.sandboxes.holds(sandbox)) throw new SandboxResetError(sandbox.id);
        return run(call, pipeline, () => synchronous(handler.handle(request, value)));
      }),
    (error: unknown) =>
      settleReply(call, pipeline, () => {
        throw error;
      }),
  );
}

/** Runs the handler proper: a write inside one transaction, a read as it is. */
function run(call: Call, pipeline: Pipeline, work: () => Reply): Reply {
  return call.route.writes ? pipeline.transaction(call.sandbox as Sandbox, work) : work();
}

/**
 * The handler's reply, or what its failure answers: a refusal's reply, the vendor's 404 for a
 * sandbox reset meanwhile, or the vendor's 500 (logged); a scenario's amendments merged in.
 */
function settleReply(call: Call, pipeline: Pipeline, handle: () => Reply): void {
  const { route } = call;
  let reply: Reply;
  try {
    reply = handle();
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

/** A handler must answer without waiting (see Handler): a promise here would escape its transaction. */
function synchronous(reply: Reply): Reply {
  if (typeof (reply as unknown as PromiseLike<unknown>)?.then === 'function') {
    throw new Error('campaign-mock: a handler answered with a promise; move what it waits for into its prepare step');
  }
  return reply;
}

/**
 * What a handler reads of the request; the headers and the URL are built only when read. A class,
 * so that its getters live once on the prototype: an object literal with getters gets a hidden
 * class of its own on every request, which V8 must allocate and later collect (it halved the
 * throughput of a GET).
 */
class Request implements RequestContext {
  readonly sandbox: Sandbox;
  readonly operation: RequestContext['operation'];
  readonly params: Record<string, unknown>;
  readonly query: Record<string, unknown>;
  readonly body: unknown;
  readonly files: Record<string, File>;
  readonly #incoming: Incoming;
  readonly #pipeline: Pipeline;
  #headers: Record<string, string> | undefined;
  #url: URL | undefined;

  constructor(call: Call, sandbox: Sandbox, pipeline: Pipeline) {
    this.sandbox = sandbox;
    this.operation = call.route.operation.spec;
    this.params = call.params;
    this.query = call.query;
    this.body = call.body;
    this.files = call.files;
    this.#incoming = call.incoming;
    this.#pipeline = pipeline;
  }

  get headers(): Record<string, string> {
    return (this.#headers ??= this.#incoming.headers());
  }

  header(name: string): string | undefined {
    return this.#headers ? this.#headers[name] : this.#incoming.header(name);
  }

  get url(): URL {
    const incoming = this.#incoming;
    return (this.#url ??= new URL(`${incoming.path}${incoming.query}`, `http://${incoming.header('host') ?? 'localhost'}`));
  }

  now(): Date {
    return this.#pipeline.now(this.sandbox);
  }
}

/** Merges a scenario's headers and body into the handler's reply (objects deeply, other values replaced). */
function applyOverride(reply: Reply, override: { headers?: Record<string, string>; body?: unknown }): Reply {
  const headers = { ...reply.headers, ...override.headers };
  if (override.body === undefined) return { ...reply, headers };
  // A new body: the handler's text of the old one no longer says it.
  const { text: _text, ...rest } = reply;
  return { ...rest, headers, body: deepMerge(reply.body, override.body) };
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
