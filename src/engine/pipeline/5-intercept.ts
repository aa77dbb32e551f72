import type { Call, Pipeline } from './call.js';

/**
 * Lets a scenario shape the answer: `Prefer: code=…`, the `X-Mock-Scenario` header or the
 * sandbox's sticky scenario may add latency, force a documented reply, drop the connection or
 * amend the real reply. A mistake in the test's set-up (an unknown scenario) is refused by the
 * mock itself. Without a scenario, the request's validation issues become the vendor's error.
 * Only a scenario's latency makes it wait (a promise); otherwise it decides at once.
 */
export function intercept(call: Call, pipeline: Pipeline): Promise<void> | undefined {
  const { vendor, operation } = call.route;
  const sandbox = call.sandbox;
  if (sandbox && pipeline.hooks) {
    const interception = pipeline.hooks.intercept({
      vendor,
      operation: operation.spec,
      sandbox,
      params: call.params,
      query: call.query,
      header: (name) => call.incoming.header(name),
      body: call.body,
      issues: call.issues,
    });
    if (interception) {
      call.interception = interception;
      if (interception.latencyMs) return new Promise((resolve) => setTimeout(resolve, interception.latencyMs)).then(() => decide(call));
      return decide(call);
    }
  }
  return refuseInvalid(call);
}

/** After a scenario's latency: its reply, its dropped connection or refusal, or the handler's turn. */
function decide(call: Call): undefined {
  const interception = call.interception;
  if (interception?.reply) {
    call.reply = interception.reply;
    return;
  }
  if (interception?.drop || interception?.refusal !== undefined) return;
  return refuseInvalid(call);
}

/** Without a scenario's say, the request's validation issues become the vendor's error. */
function refuseInvalid(call: Call): undefined {
  const { vendor, operation } = call.route;
  if (call.issues.length > 0) call.reply = vendor.errors.invalidRequest(call.issues, operation.spec);
  return undefined;
}
