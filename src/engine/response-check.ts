import type { Reply } from './vendor.js';
import { responseKeyFor, type CompiledOperation } from './spec/compile.js';

/**
 * Checks a reply against the responses its operation documents: the status must be documented,
 * and a JSON body must match that response's schema. Returns what is wrong, or nothing.
 */
export function checkReply(operation: CompiledOperation, reply: Reply): string[] {
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
