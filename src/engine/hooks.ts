import type { ValidationIssue } from './issues.js';
import type { OperationSpec } from './spec/load.js';
import type { Reply } from './reply.js';
import type { VendorModule } from './vendor.js';
import type { Sandbox } from '../store/sandboxes.js';

/**
 * One request and its answer, as the journal keeps it. `violations` are what the caller's
 * request got wrong against the vendor's contract (bugs in the client under test);
 * `replyViolations` what the mock's reply got wrong (bugs in campaign-mock).
 */
export interface Exchange {
  /** Wall-clock time the request arrived, ISO 8601. */
  time: string;
  key: string | null;
  vendor: string | null;
  operationId: string | null;
  method: string;
  path: string;
  query: string;
  status: number;
  durationMs: number;
  /** The scenario (or `Prefer` header) that shaped the answer, if any. */
  scenario: string | null;
  violations: string[];
  replyViolations: string[];
  /** The request body as parsed (JSON, or form fields), when there is one. */
  requestBody?: unknown;
  /** The body's length as sent, in bytes: the journal keeps only a note of a large one. */
  requestBodyBytes?: number;
  /** The answer's body as sent (text), when there is one. */
  responseBody?: string;
}

/** What a scenario sees of a request: authenticated and parsed, validated or not. */
export interface InterceptedRequest {
  vendor: VendorModule;
  operation: OperationSpec;
  sandbox: Sandbox;
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  /** One request header, by its lowercase name. */
  header(name: string): string | undefined;
  body: unknown;
  /** What is wrong with the request; a scenario may answer anyway. */
  issues: readonly ValidationIssue[];
}

/** How a scenario shapes an answer. Every field is optional; an empty object changes nothing. */
export interface Interception {
  /** Name shown in the journal: the scenario, or `Prefer: …`. */
  source: string;
  /** Wait this long before answering. */
  latencyMs?: number;
  /** Answer with this instead of calling the handler; checked against the spec like any reply. */
  reply?: Reply;
  /** Let the handler answer, then merge these headers and this body into its reply. */
  override?: { headers?: Record<string, string>; body?: unknown };
  /** Close the connection without answering. */
  drop?: boolean;
  /**
   * A mistake in the test's own set-up (an unknown scenario, a status the operation does not
   * document): answered by the mock itself, outside the vendor's contract, so no test passes by
   * accident.
   */
  refusal?: string;
}

/** The control plane's hold on the request pipeline. */
export interface RequestHooks {
  /** Brings a sandbox up to its clock (calls placed, retries, status changes) before a request reads it. */
  settle(sandbox: Sandbox): void;
  intercept(request: InterceptedRequest): Interception | undefined;
  record(exchange: Exchange): void;
}
