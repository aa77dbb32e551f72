import { responseKeyFor, type CompiledOperation } from '../spec/compile.js';
import type { Reply } from '../reply.js';
import type { Call, Pipeline } from './call.js';
import type { Outgoing } from './incoming.js';

/**
 * Checks the reply against the responses the operation documents and serialises it. A reply
 * that breaks the spec is a bug in the mock (or in a scenario's reply): it is logged and, in
 * strict mode, answered with a 500 that says why. A scenario's refusal is the mock's own answer,
 * outside the vendor's contract; a dropped connection has no answer.
 */
export function checkReply(call: Call, pipeline: Pipeline): { outgoing: Outgoing; replyViolations: string[] } {
  const { interception } = call;
  if (interception?.drop) return { outgoing: { drop: true }, replyViolations: [] };
  if (interception?.refusal !== undefined) {
    return { outgoing: serialise({ status: 400, body: { error: interception.refusal }, headers: { 'campaign-mock-error': 'scenario' } }), replyViolations: [] };
  }
  const reply = call.reply as Reply;
  const replyViolations = replyIssues(call.route.operation, reply);
  if (replyViolations.length === 0) return { outgoing: serialise(reply), replyViolations };
  const { vendor, operation } = call.route;
  const message =
    `campaign-mock: the ${vendor.name}.${operation.spec.operationId} reply to ${call.incoming.method} ${call.incoming.path} breaks specs/${vendor.specFile}:\n  ` +
    `${replyViolations.join('\n  ')}\nThis is a bug in campaign-mock (or in a scenario's reply); please report it with the request that caused it.`;
  pipeline.logger.error(message);
  const outgoing = pipeline.strict ? { status: 500, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: message } : serialise(reply);
  return { outgoing, replyViolations };
}

/**
 * Checks a reply against the responses its operation documents: the status must be documented,
 * and a JSON body must match that response's schema. Returns what is wrong, or nothing.
 */
export function replyIssues(operation: CompiledOperation, reply: Reply): string[] {
  const key = responseKeyFor(operation.responses, reply.status);
  if (key === undefined) {
    return [`status ${reply.status} is not documented (documented: ${[...operation.responses.keys()].join(', ')})`];
  }
  const documented = operation.responses.get(key);
  if (reply.body === undefined) {
    return documented?.mediaType ? [`status ${reply.status} is documented with a ${documented.mediaType} body, but the reply has none`] : [];
  }
  if (!documented?.mediaType) return [`status ${reply.status} is documented without a body, but the reply has one`];
  const validate = documented.validate;
  if (!validate || validate(reply.body)) return [];
  return (validate.errors ?? []).map((error) => `body${error.instancePath} ${error.message ?? error.keyword}`);
}

/** A reply as bytes on the wire: JSON unless its content type says otherwise and its body is text. */
export function serialise(reply: Reply): Outgoing {
  const headers: Record<string, string> = {};
  const given = reply.headers;
  if (given) for (const name in given) headers[name.toLowerCase()] = given[name] as string;
  if (reply.body === undefined) return { status: reply.status, headers, body: undefined };
  const contentType = headers['content-type'];
  if (typeof reply.body === 'string' && contentType !== undefined && !/json/i.test(contentType)) return { status: reply.status, headers, body: reply.body };
  headers['content-type'] ??= 'application/json; charset=utf-8';
  return { status: reply.status, headers, body: reply.text ?? JSON.stringify(reply.body) };
}
