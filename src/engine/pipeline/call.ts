import type { Logger } from '../../logger.js';
import type { Sandbox, SandboxRegistry } from '../../store/sandboxes.js';
import type { Interception, RequestHooks } from '../hooks.js';
import type { ValidationIssue } from '../issues.js';
import type { Spec } from '../spec/load.js';
import type { CompiledOperation } from '../spec/compile.js';
import type { Reply } from '../reply.js';
import type { AnyHandler, VendorModule } from '../vendor.js';
import type { Incoming } from './incoming.js';

/** What every request of one operation shares: fixed when the vendor is mounted. */
export interface Route {
  vendor: VendorModule;
  spec: Spec;
  operation: CompiledOperation;
  handler: AnyHandler;
  /** A write (POST, PUT, PATCH, DELETE): refused to read-only keys, run in one transaction. */
  writes: boolean;
}

/** What the stages share across every vendor: the mock's own services. */
export interface Pipeline {
  sandboxes: SandboxRegistry;
  logger: Logger;
  /** Answer a reply that breaks the spec with a 500 (for tests) instead of only logging it. */
  strict: boolean;
  now(sandbox: Sandbox): Date;
  /** Runs a write's handler in one transaction; a throw rolls back everything it wrote. */
  transaction<T>(sandbox: Sandbox, write: () => T): T;
  /** The control plane: settling the clock, scenarios, the journal. */
  hooks?: RequestHooks;
}

/**
 * One request on its way through the stages. Each stage reads what the ones before it left,
 * and may set `reply`, after which the stages that would produce one are skipped.
 */
export interface Call {
  readonly route: Route;
  readonly incoming: Incoming;
  /** `performance.now()` when the request arrived. */
  readonly started: number;
  /** Wall-clock time the request arrived, ms since the epoch. */
  readonly arrived: number;
  key: string | null;
  sandbox?: Sandbox;
  /** Path and query parameters, coerced to their schema types. */
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  /** The parsed JSON body, the text fields of a form, or raw bytes. */
  body?: unknown;
  /** The media type the body was read as, when it was JSON or a form. */
  mediaType?: string;
  /** Length of the body as sent, in bytes (what the journal keeps of a large one). */
  bodyBytes: number;
  files: Record<string, File>;
  issues: ValidationIssue[];
  /** What the request got wrong against the vendor's contract, for the journal. */
  violations: string[];
  interception?: Interception;
  reply?: Reply;
}

export function startCall(route: Route, incoming: Incoming): Call {
  return {
    route,
    incoming,
    started: performance.now(),
    arrived: Date.now(),
    key: null,
    params: {},
    query: {},
    bodyBytes: 0,
    files: {},
    issues: [],
    violations: [],
  };
}
