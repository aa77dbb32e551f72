import { describe, expect, it } from 'vitest';
import { startMockProcess } from '../helpers/process.js';
import { checkWalkthrough, walkthrough } from '../helpers/readme.js';

describe('the README', () => {
  it('DialNexa walkthrough prints what it says, against the real server', async () => {
    expect(walkthrough('DialNexa walkthrough').length).toBeGreaterThanOrEqual(7);
    const mock = await startMockProcess(['--port', '0', '--log-level', 'warn']);
    try {
      checkWalkthrough('DialNexa walkthrough', mock.url);
    } finally {
      await mock.stop();
    }
  });
});
