import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { writeNode, type Outgoing } from '../../src/engine/pipeline/incoming.js';

/** What writeNode hands Node's response: the status, the header list, the body. */
function written(outgoing: Outgoing, request: { complete: boolean; headers: Record<string, string> }) {
  const sent: { status?: number; headers?: unknown; body?: unknown } = {};
  const res = {
    writeHead(status: number, headers: unknown) {
      Object.assign(sent, { status, headers });
      return res;
    },
    end(body: unknown) {
      sent.body = body;
    },
  };
  const listeners = new Map<string, () => void>();
  const req = {
    ...request,
    socket: { destroy() {} },
    on(event: string, listener: () => void) {
      listeners.set(event, listener);
      return req;
    },
    off() {
      return req;
    },
    resume() {},
  };
  writeNode(req as unknown as IncomingMessage, res as unknown as ServerResponse, outgoing);
  return { sent, end: () => listeners.get('end')?.() };
}

describe("an answer on Node's response", () => {
  it('carries the reply headers and the body length the mock counts, in bytes, whatever length the reply says', () => {
    const { sent } = written({ status: 201, headers: { 'content-type': 'application/json', 'content-length': '999', 'x-mock': 'a' }, body: '{"n":"é"}' }, { complete: true, headers: {} });
    expect(sent).toEqual({ status: 201, headers: ['content-type', 'application/json', 'x-mock', 'a', 'content-length', '10'], body: '{"n":"é"}' });
  });

  it('keeps a reply without a body as it is', () => {
    expect(written({ status: 204, headers: { 'x-mock': 'a' }, body: undefined }, { complete: true, headers: {} }).sent).toEqual({ status: 204, headers: ['x-mock', 'a'], body: undefined });
  });

  it('closes the connection once, after a body it did not read', () => {
    const { sent, end } = written({ status: 413, headers: { connection: 'keep-alive' }, body: '{}' }, { complete: false, headers: { 'content-length': '5000000' } });
    // The rest of the body is read and dropped first: the answer waits for its end.
    expect(sent).toEqual({});
    end();
    expect(sent).toEqual({ status: 413, headers: ['content-length', '2', 'connection', 'close'], body: '{}' });
  });
});
