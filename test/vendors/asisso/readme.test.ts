import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startMockProcess } from '../../helpers/process.js';
import { walkthrough } from '../../helpers/readme.js';

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

describe('the README', () => {
  it('Asisso walkthrough prints what it says, against the real server', async () => {
    const steps = walkthrough(HEADING);
    expect(steps.length).toBeGreaterThanOrEqual(8);
    const mock = await startMockProcess(['--port', '0', '--log-level', 'warn']);
    try {
      // The commands as written, in one shell, with localhost:4010 pointed at the mock and /tmp/ at a scratch directory.
      const scratch = mkdtempSync(join(tmpdir(), 'campaign-mock-readme-'));
      const marker = '@@step@@';
      const script = steps
        .map((step) => step.command.replaceAll('localhost:4010', new URL(mock.url).host).replaceAll('/tmp/', `${scratch}/`))
        .join(`\necho; echo ${marker}\n`);
      const printed = execFileSync('bash', ['-euo', 'pipefail', '-c', script], { encoding: 'utf8' })
        .split(marker)
        .map((part) => part.trim());
      expect(printed).toHaveLength(steps.length);
      steps.forEach((step, index) => {
        expect(normalise(printed[index] as string), `step ${index + 1}:\n${step.command}`).toEqual(normalise(step.expected));
      });
    } finally {
      await mock.stop();
    }
  });
});
