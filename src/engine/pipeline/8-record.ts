import { keyHash } from '../credentials.js';
import type { Exchange } from '../hooks.js';
import { redactSecrets } from '../spec/compile.js';
import type { Call, Pipeline } from './call.js';
import type { Outgoing } from './incoming.js';

/**
 * Writes the request down: an entry in the journal (what was asked, what was answered, what the
 * request got wrong against the contract, secrets redacted) and a log line. The body is kept as
 * it was parsed, not serialised again.
 */
export function record(call: Call, pipeline: Pipeline, outgoing: Outgoing, replyViolations: string[]): void {
  const { incoming, route } = call;
  const durationMs = performance.now() - call.started;
  const status = 'drop' in outgoing ? 0 : outgoing.status;
  const operationId = route.operation.spec.operationId;
  const body = call.body;
  const keepsBody = body !== undefined && !(body instanceof Uint8Array);
  const exchange: Exchange = {
    time: new Date(call.arrived).toISOString(),
    key: call.sandbox?.key ?? call.key,
    vendor: route.vendor.name,
    operationId,
    method: incoming.method,
    path: incoming.path,
    query: incoming.query,
    status,
    durationMs: Math.round(durationMs * 10) / 10,
    scenario: call.interception?.source ?? null,
    violations: call.violations,
    replyViolations,
    // Every field is set, undefined when there is nothing: exchanges of one shape, whatever they carried.
    requestBody: keepsBody ? redactSecrets(body, route.operation.secretPaths) : undefined,
    requestBodyBytes: keepsBody ? call.bodyBytes : undefined,
    // The text that was sent: kept as it is, nothing serialised again (no vendor sends a secret back).
    responseBody: 'body' in outgoing ? outgoing.body : undefined,
  };
  pipeline.hooks?.record(exchange);
  pipeline.logger.info(`${incoming.method} ${incoming.path} ${status === 0 ? 'dropped' : status} ${durationMs.toFixed(1)}ms ${route.vendor.name}.${operationId}`, {
    method: incoming.method,
    path: incoming.path,
    status,
    durationMs: exchange.durationMs,
    vendor: route.vendor.name,
    operationId,
    keyHash: exchange.key === null ? null : keyHash(exchange.key),
    scenario: exchange.scenario,
  });
}
