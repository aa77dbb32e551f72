import { STATUS_CODES } from 'node:http';
import type { MediaTypeObject, ResponseObject } from '../engine/spec/openapi.js';
import type { OperationSpec } from '../engine/spec/load.js';
import type { Reply } from '../engine/reply.js';
import type { VendorModule } from '../engine/vendor.js';

/** What a rule or a `Prefer` header asks for. */
export interface ForcedAnswer {
  status?: number;
  example?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** The status codes an operation documents, in the spec's order (ranges like `4XX` left out). */
export function documentedStatuses(operation: OperationSpec): number[] {
  return Object.keys(operation.responses)
    .filter((key) => /^\d{3}$/.test(key))
    .map(Number);
}

/** Every named example of every response, with its status. */
export function namedExamples(operation: OperationSpec): Array<{ status: number; name: string }> {
  return documentedStatuses(operation).flatMap((status) =>
    Object.keys(jsonContent(operation.responses[String(status)])?.examples ?? {}).map((name) => ({ status, name })),
  );
}

/**
 * Builds the documented answer a test asked for: the status must be one the operation documents;
 * the body is the rule's own, else the named example, else the example that best fits the
 * operation, else — for an error — the vendor's envelope with the status's reason. Returns a
 * `campaign-mock:` refusal instead when the request cannot be honoured.
 */
export function forcedReply(vendor: VendorModule, operation: OperationSpec, wanted: ForcedAnswer): Reply | string {
  const where = `${vendor.name}.${operation.operationId}`;
  let status = wanted.status;
  if (status === undefined && wanted.example !== undefined) {
    status = namedExamples(operation).find((e) => e.name === wanted.example)?.status;
    if (status === undefined) return `campaign-mock: ${where} has no response example named "${wanted.example}" (it has: ${listOrNone(namedExamples(operation).map((e) => `${e.name} (${e.status})`))})`;
  }
  if (status === undefined) return `campaign-mock: ${where}: say which status to force`;
  const response = operation.responses[String(status)];
  if (!response) {
    return `campaign-mock: ${where} does not document status ${status}, so the real ${vendor.title} API would not answer it (documented: ${documentedStatuses(operation).join(', ')})`;
  }
  const media = jsonContent(response);
  let body = wanted.body;
  if (body === undefined && wanted.example !== undefined) {
    const example = media?.examples?.[wanted.example];
    if (!example) return `campaign-mock: ${where} status ${status} has no example named "${wanted.example}" (it has: ${listOrNone(Object.keys(media?.examples ?? {}))})`;
    body = example.value;
  }
  if (body === undefined && media) body = fittingExample(media, operation.operationId);
  if (body === undefined && !media) {
    // A text answer (a CSV file): its example, sent with its media type.
    const text = Object.entries(response.content ?? {}).find(([, content]) => typeof content.example === 'string');
    if (text) return { status, body: text[1].example, headers: { 'content-type': text[0], ...wanted.headers } };
  }
  if (body === undefined && media) {
    if (status < 400) return `campaign-mock: ${where} status ${status} has no example in the spec; give the body in the rule`;
    body = vendor.errors.error(status, STATUS_CODES[status] ?? `Error ${status}`).body;
  }
  return { status, ...(body === undefined ? {} : { body }), ...(wanted.headers ? { headers: wanted.headers } : {}) };
}

/** The 429 answer with `Retry-After` and whatever rate-limit headers the response documents ("Rate limits" for DialNexa). */
export function rateLimitedReply(vendor: VendorModule, operation: OperationSpec, retryAfter: number, limit: number, now: Date): Reply | string {
  const reply = forcedReply(vendor, operation, { status: 429 });
  if (typeof reply === 'string') return reply;
  const headers: Record<string, string> = { 'Retry-After': String(retryAfter) };
  for (const name of Object.keys(operation.responses['429']?.headers ?? {})) {
    if (/remaining/i.test(name)) headers[name] = '0';
    else if (/reset/i.test(name)) headers[name] = String(Math.ceil(now.getTime() / 1000) + retryAfter);
    else if (/limit/i.test(name)) headers[name] = String(limit);
  }
  return { ...reply, headers: { ...reply.headers, ...headers } };
}

function jsonContent(response: ResponseObject | undefined): MediaTypeObject | undefined {
  const entry = Object.entries(response?.content ?? {}).find(([type]) => type.includes('json'));
  return entry?.[1];
}

/**
 * The single example, or the named example whose name the operation id mentions last (so
 * `getCampaignLead` gets the `lead` example of a 404 shared with campaigns), or the first.
 */
function fittingExample(media: MediaTypeObject, operationId: string): unknown {
  if (media.example !== undefined) return media.example;
  const entries = Object.entries(media.examples ?? {});
  const id = operationId.toLowerCase();
  let best = entries[0];
  let bestAt = -1;
  for (const entry of entries) {
    const at = id.lastIndexOf(entry[0].toLowerCase());
    if (at > bestAt) [best, bestAt] = [entry, at];
  }
  return best?.[1].value;
}

function listOrNone(items: string[]): string {
  return items.length > 0 ? items.join(', ') : 'none';
}
