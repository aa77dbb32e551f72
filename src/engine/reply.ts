import { STATUS_CODES } from 'node:http';

/** What a handler answers: a status, a JSON body (or none) and extra headers. */
export interface Reply {
  status: number;
  body?: unknown;
  /**
   * The body as JSON, when the handler has serialised it already (to hash it for an ETag): sent as
   * it is rather than serialised a second time. Whoever changes the body drops it.
   */
  text?: string;
  headers?: Record<string, string>;
}

/**
 * Thrown by a vendor's rules deep inside a handler to answer at once (a 404, a 409, …).
 *
 * @example
 * if (!campaign) throw new ReplyError(notFound('Campaign not found'));
 */
export class ReplyError extends Error {
  constructor(readonly reply: Reply) {
    // The message names the answer, so a ReplyError that escapes (in a test, a log) says what it was.
    super(describeReply(reply));
    this.name = 'ReplyError';
  }
}

/** `409 Conflict: Campaign is not paused` — the vendor's own message when its envelope has one, else the body. */
function describeReply(reply: Reply): string {
  const status = `${reply.status} ${STATUS_CODES[reply.status] ?? ''}`.trimEnd();
  if (reply.body === undefined) return `vendor reply ${status}`;
  const body = reply.body as { message?: unknown; detail?: unknown } | null;
  const message = typeof body?.message === 'string' ? body.message : typeof body?.detail === 'string' ? body.detail : JSON.stringify(reply.body);
  return `vendor reply ${status}: ${message.length > 200 ? `${message.slice(0, 200)}…` : message}`;
}
