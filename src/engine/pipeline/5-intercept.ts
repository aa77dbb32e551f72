import type { Call, Pipeline } from './call.js';

/**
 * Lets a scenario shape the answer: `Prefer: code=…`, the `X-Mock-Scenario` header or the
 * sandbox's sticky scenario may add latency, force a documented reply, drop the connection or
 * amend the real reply. A mistake in the test's set-up (an unknown scenario) is refused by the
 * mock itself. Without a scenario, the request's validation issues become the vendor's error.
 */
export async function intercept(call: Call, pipeline: Pipeline): Promise<void> {
  const { vendor, operation } = call.route;
  const sandbox = call.sandbox;
  if (sandbox && pipeline.hooks) {
    const interception = pipeline.hooks.intercept({
      vendor,
      operation: operation.spec,
      sandbox,
      params: call.params,
      query: call.query,
      header: call.incoming.header,
      body: call.body,
      issues: call.issues,
    });
    if (interception) {
      call.interception = interception;
      if (interception.latencyMs) await new Promise((resolve) => setTimeout(resolve, interception.latencyMs));
      if (interception.reply) {
        call.reply = interception.reply;
        return;
      }
      if (interception.drop || interception.refusal !== undefined) return;
    }
  }
  if (call.issues.length > 0) call.reply = vendor.errors.invalidRequest(call.issues, operation.spec);
}
