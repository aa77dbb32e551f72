/** A response as tests read it: status, headers, and the body parsed as JSON when it is JSON. */
export interface CallResult {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

export interface CallOptions {
  /** API key, sent as the vendor expects (see `Auth`); `null` sends no credential. */
  key?: string | null;
  /** A JSON value (serialised), a string (sent as is) or FormData. */
  body?: unknown;
  headers?: Record<string, string>;
  /**
   * The request breaks the spec on purpose (a bad field, no credential, …). Through Prism it goes
   * to the proxy that forwards invalid requests, and only response violations count.
   */
  invalid?: boolean;
}

export type Fetcher = (path: string, init: RequestInit, options: CallOptions) => Promise<Response>;

export type Caller = (method: string, path: string, options?: CallOptions) => Promise<CallResult>;

/** How a vendor carries the API key: the headers for a key. */
export type Auth = (key: string) => Record<string, string>;

export const bearerAuth: Auth = (key) => ({ authorization: `Bearer ${key}` });
export const apiKeyHeaderAuth: Auth = (key) => ({ 'x-api-key': key });

/** Wraps a fetch-like function (app.request, or fetch against a server) into a test caller. */
export function makeCaller(fetcher: Fetcher, defaultKey: string | null, auth: Auth = bearerAuth): Caller {
  return async (method, path, options = {}) => {
    const key = options.key === undefined ? defaultKey : options.key;
    const headers: Record<string, string> = { ...(key === null ? {} : auth(key)) };
    let body: RequestInit['body'];
    if (options.body instanceof FormData || typeof options.body === 'string') {
      body = options.body;
    } else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    Object.assign(headers, options.headers);
    const response = await fetcher(path, { method, headers, ...(body === undefined || body === null ? {} : { body }) }, options);
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    return { status: response.status, headers: response.headers, body: parsed, text };
  };
}
