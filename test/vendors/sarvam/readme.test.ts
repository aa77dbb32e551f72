import { describe, expect, it } from 'vitest';
import { startMockProcess } from '../../helpers/process.js';
import { checkWalkthrough, walkthrough } from '../../helpers/readme.js';

describe('docs/sarvam.md', () => {
  it('Sarvam walkthrough prints what it says, against the real server', async () => {
    expect(walkthrough('docs/sarvam.md', 'Sarvam walkthrough').length).toBeGreaterThanOrEqual(8);
    const mock = await startMockProcess(['--port', '0', '--log-level', 'warn']);
    try {
      checkWalkthrough('docs/sarvam.md', 'Sarvam walkthrough', mock.url);
    } finally {
      await mock.stop();
    }
  });
});
