import { describe, expect, it } from 'vitest';
import { ReplyError } from '../../src/engine/reply.js';

describe('ReplyError', () => {
  it("names the status and the vendor's own message, so one that escapes into a log is understood", () => {
    expect(new ReplyError({ status: 409, body: { statusCode: 409, message: 'Campaign is not paused', error: 'Conflict' } }).message).toBe(
      'vendor reply 409 Conflict: Campaign is not paused',
    );
    expect(new ReplyError({ status: 404, body: { detail: 'Campaign not found' } }).message).toBe('vendor reply 404 Not Found: Campaign not found');
  });

  it('falls back to the body, cut short, when the envelope has no message; and to the status alone', () => {
    const detail = [{ type: 'value_error', loc: ['body', 'x'], msg: 'Value error, '.padEnd(300, 'x') }];
    const message = new ReplyError({ status: 422, body: { detail } }).message;
    expect(message.startsWith('vendor reply 422 Unprocessable Entity: {"detail":[{"type":"value_error"')).toBe(true);
    expect(message.endsWith('…')).toBe(true);
    expect(new ReplyError({ status: 307, headers: { location: '/x' } }).message).toBe('vendor reply 307 Temporary Redirect');
    expect(new ReplyError({ status: 404 }).name).toBe('ReplyError');
  });
});
