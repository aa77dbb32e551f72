import { describe, expect, it } from 'vitest';
import { startMockProcess } from '../../helpers/process.js';
import { runWalkthrough, walkthrough } from '../../helpers/readme.js';

const PAGE = 'docs/asisso.md';
const HEADING = 'Asisso walkthrough';

/**
 * Upload URLs and file keys carry a random UUID, a signature and the server's address, and times
 * differ from run to run; everything else must match.
 */
function normalise(json: string): unknown {
  return JSON.parse(
    json
      .replace(/"(upload_url|file_key|source_id)":"[^"]*"/g, '"$1":"…"')
      .replace(/"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z"/g, '"<time>"'),
  );
}

describe(PAGE, () => {
  it('Asisso walkthrough prints what it says, against the real server', async () => {
    const steps = walkthrough(PAGE, HEADING);
    expect(steps.length).toBeGreaterThanOrEqual(8);
    const mock = await startMockProcess(['--port', '0', '--log-level', 'warn']);
    try {
      const printed = runWalkthrough(steps, mock.url);
      expect(printed).toHaveLength(steps.length);
      steps.forEach((step, index) => {
        expect(normalise(printed[index] as string), `step ${index + 1}:\n${step.command}`).toEqual(normalise(step.expected));
      });
    } finally {
      await mock.stop();
    }
  });
});
