import { readApiKey } from '../credentials.js';
import type { Call, Pipeline } from './call.js';

/**
 * Who is asking: the API key the operation's security names (401 without a usable one, or with a
 * key the keys file does not list), its sandbox, its permissions (403 for a read-only key's write
 * or a denied permission), then the vendor's own access rule (a key bound to another workspace).
 */
export function authenticate(call: Call, pipeline: Pipeline): void {
  const { vendor, spec, operation, writes } = call.route;
  const op = operation.spec;
  const key = readApiKey(call.incoming, op.security, spec.securitySchemes);
  call.key = key ?? null;
  const sandbox = key === undefined ? undefined : pipeline.sandboxes.resolve(key);
  if (!sandbox) {
    const why = key === undefined ? 'no usable credential' : 'a key the keys file does not list';
    call.violations.push(`security: the request carries ${why}`);
    call.reply = vendor.errors.unauthorized();
    return;
  }
  call.sandbox = sandbox;
  if ((sandbox.access.readOnly && writes) || (op.permission && sandbox.access.deny.has(op.permission))) {
    call.reply = vendor.errors.forbidden();
    return;
  }
  const refusal = vendor.authorize?.({ sandbox, params: call.incoming.params });
  if (refusal) call.reply = refusal;
}
