import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from 'hono';

/**
 * A request as the pipeline reads it, whatever carried it: Node's own request on the server's
 * fast path (no web `Request`, `URL` or stream built for it), or Hono's context under
 * `app.request()` and for the routes the fast path leaves to Hono. Everything is read lazily.
 */
export interface Incoming {
  /** Upper case. */
  readonly method: string;
  /** The path as sent (percent-encoded), for the journal and the log. */
  readonly path: string;
  /** The query as sent, with its `?`, or `''`. */
  readonly query: string;
  /** Path parameters by name, decoded. */
  readonly params: Readonly<Record<string, string>>;
  /** One header, by its lowercase name. */
  header(name: string): string | undefined;
  /** Every header, names lowercased. */
  headers(): Record<string, string>;
  /** One query parameter (the last when repeated). */
  queryParam(name: string): string | undefined;
  /** Every query parameter; a repeated one as a list. */
  queryParams(): Record<string, string | string[]>;
  /** The body's bytes, or `undefined` once it passes `limit` (the rest is not read). */
  readBody(limit: number): Promise<Uint8Array | undefined>;
}

/** What the pipeline answers: a reply to send, or a connection to drop (a scenario's network failure). */
export type Outgoing = { status: number; headers: Record<string, string>; body: string | undefined } | { drop: true };

const EMPTY = new Uint8Array(0);

/** A request reaching the mock through Hono (`app.request()`, or a route the fast path leaves to Hono). */
export function fromHono(c: Context): Incoming {
  const raw = c.req.raw;
  const url = c.req.url;
  const pathStart = url.indexOf('/', url.indexOf('//') + 2);
  const queryStart = url.indexOf('?', pathStart);
  let search: URLSearchParams | undefined;
  const searchParams = () => (search ??= new URLSearchParams(queryStart === -1 ? '' : url.slice(queryStart)));
  return {
    method: c.req.method,
    path: queryStart === -1 ? url.slice(pathStart) : url.slice(pathStart, queryStart),
    query: queryStart === -1 ? '' : url.slice(queryStart),
    params: c.req.param() as Record<string, string>,
    header: (name) => raw.headers.get(name) ?? undefined,
    headers: () => Object.fromEntries(raw.headers),
    queryParam: (name) => searchParams().get(name) ?? undefined,
    queryParams: () => collect(searchParams()),
    readBody: (limit) => readStream(raw.body, limit),
  };
}

/**
 * A request on the server's fast path, read straight from Node's `IncomingMessage`. `path` and
 * `query` are the request line's, split; `params` come from the route that matched.
 */
export function fromNode(req: IncomingMessage, path: string, query: string, params: Record<string, string>): Incoming {
  return new NodeIncoming(req, path, query, params);
}

/** A class rather than closures: its methods are made once, not for every request. */
class NodeIncoming implements Incoming {
  readonly method: string;
  #search: URLSearchParams | undefined;

  constructor(
    private readonly req: IncomingMessage,
    readonly path: string,
    readonly query: string,
    readonly params: Record<string, string>,
  ) {
    this.method = req.method ?? 'GET';
  }

  header(name: string): string | undefined {
    const value = this.req.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  }

  headers(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(this.req.headers)) if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
    return out;
  }

  queryParam(name: string): string | undefined {
    return this.#searchParams().get(name) ?? undefined;
  }

  queryParams(): Record<string, string | string[]> {
    return collect(this.#searchParams());
  }

  readBody(limit: number): Promise<Uint8Array | undefined> {
    return readNode(this.req, limit);
  }

  #searchParams(): URLSearchParams {
    return (this.#search ??= new URLSearchParams(this.query));
  }
}

/** Sends what the pipeline answered on Node's response; a drop destroys the connection. */
export function writeNode(req: IncomingMessage, res: ServerResponse, outgoing: Outgoing): void {
  if ('drop' in outgoing) {
    req.socket.destroy();
    return;
  }
  // A body left unread (refused for its size) must not be read as the next request: the connection
  // closes after this answer. The rest of the body is read (and dropped) first, up to a bound, so
  // that a client still sending it gets the answer rather than a broken pipe.
  const closes = !req.complete && hasBody(req);
  // Names and values in one flat list, which Node takes as well as an object: a copy of the
  // headers object with a field added made V8 a new hidden class for every answer. The length
  // (and the connection's end) are the mock's to say, whatever the reply's headers hold.
  const headers: string[] = [];
  for (const name in outgoing.headers) {
    if ((name === 'content-length' && outgoing.body !== undefined) || (name === 'connection' && closes)) continue;
    headers.push(name, outgoing.headers[name] as string);
  }
  if (outgoing.body !== undefined) headers.push('content-length', String(Buffer.byteLength(outgoing.body)));
  if (!closes) {
    res.writeHead(outgoing.status, headers).end(outgoing.body);
    return;
  }
  headers.push('connection', 'close');
  drainThen(req, () => res.writeHead(outgoing.status, headers).end(outgoing.body));
}

/**
 * Whether the request carries a body: a length above zero, or chunks. One without is complete as
 * soon as its headers are, though Node marks it so only after the handler answered in their turn.
 */
export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** How much of a refused body is read on before the answer, and for how long. */
const DRAIN_BYTES = 32 * 1024 * 1024;
const DRAIN_MS = 2000;

function drainThen(req: IncomingMessage, then: () => void): void {
  let read = 0;
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    req.off('data', onData);
    req.off('end', finish);
    req.off('error', finish);
    req.off('close', finish);
    then();
  };
  const onData = (chunk: Buffer) => {
    read += chunk.length;
    if (read > DRAIN_BYTES) finish();
  };
  const timer = setTimeout(finish, DRAIN_MS);
  req.on('data', onData);
  req.on('end', finish);
  req.on('error', finish);
  req.on('close', finish);
  req.resume();
}

/** What the pipeline answered, as a web Response (for Hono). */
export function toResponse(outgoing: Outgoing): Response {
  if ('drop' in outgoing) return Response.error();
  return new Response(outgoing.body ?? null, { status: outgoing.status, headers: outgoing.headers });
}

function collect(search: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name of new Set(search.keys())) {
    const all = search.getAll(name);
    out[name] = all.length === 1 ? (all[0] as string) : all;
  }
  return out;
}

/** The body, counted as it arrives; a declared length over the limit is refused by the read-body stage before this. */
function readNode(req: IncomingMessage, limit: number): Promise<Uint8Array | undefined> {
  if (req.complete && req.readableLength === 0) return Promise.resolve(EMPTY);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (total > limit) {
        cleanup();
        req.pause();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

async function readStream(body: ReadableStream<Uint8Array> | null, limit: number): Promise<Uint8Array | undefined> {
  if (!body) return EMPTY;
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
