import { ReplyError } from '../../engine/reply.js';
import { valueError } from '../../frameworks/fastapi/index.js';

/** Sarvam's "List Campaigns" page's offset page: `{items, total, limit, offset, next_page_uri, prev_page_uri}`. */
export interface OffsetPage<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
  next_page_uri: string | null;
  prev_page_uri: string | null;
}

/**
 * Wraps one page in Sarvam's "List Campaigns" page's envelope. The page URIs are the request's own path and query with the
 * offset moved by `limit`, so following them keeps every filter and sort.
 *
 * @example
 * offsetPage(new URL('http://h/api/…/campaigns?limit=2'), rows, 5, 2, 0).next_page_uri;
 * // '/api/…/campaigns?limit=2&offset=2'
 */
export function offsetPage<T>(url: URL, items: T[], total: number, limit: number, offset: number): OffsetPage<T> {
  const uriAt = (at: number) => {
    const query = new URLSearchParams(url.searchParams);
    query.set('offset', String(at));
    // A path may carry a stray `%` (not a percent-escape): write it as one, so the link is a valid URI.
    return `${url.pathname.replace(/%(?![0-9A-Fa-f]{2})/g, '%25')}?${query.toString()}`;
  };
  return {
    items,
    total,
    limit,
    offset,
    next_page_uri: offset + limit < total ? uriAt(offset + limit) : null,
    prev_page_uri: offset > 0 ? uriAt(Math.max(0, offset - limit)) : null,
  };
}

/** A delivery-list cursor: opaque to clients, the delivery's `seq` inside. */
export function encodeCursor(seq: number): string {
  return Buffer.from(`seq:${seq}`).toString('base64url');
}

/** The `seq` in a cursor this mock issued, or a 422 on the query parameter that carried it. */
export function decodeCursor(cursor: string, parameter: 'after' | 'before'): number {
  const match = /^seq:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match || encodeCursor(Number(match[1])) !== cursor) {
    throw new ReplyError(valueError(['query', parameter], 'invalid cursor; pass a cursor from cursors.after or cursors.before of a previous page', cursor));
  }
  return Number(match[1]);
}
