import type { Call, Pipeline } from './call.js';

/**
 * Brings the sandbox up to its clock before anything reads it: the calls, retries and status
 * changes that fell due since its last request happen first (cheap when nothing is due).
 */
export function settle(call: Call, pipeline: Pipeline): void {
  if (call.sandbox) pipeline.hooks?.settle(call.sandbox);
}
