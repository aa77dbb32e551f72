import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startMockProcess } from '../helpers/process.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The ```sh and ```json blocks of a README section, paired in order: command, expected output. */
function walkthrough(heading: string): Array<{ command: string; expected: string }> {
  const start = README.indexOf(`\n## ${heading}\n`);
  const end = README.indexOf('\n## ', start + 1);
  const section = README.slice(start, end === -1 ? undefined : end);
  const blocks = [...section.matchAll(/```(sh|json)\n([\s\S]*?)```/g)].map((m) => ({ kind: m[1], text: m[2] as string }));
  const pairs: Array<{ command: string; expected: string }> = [];
  for (let i = 0; i < blocks.length; i += 2) {
    const [command, expected] = [blocks[i], blocks[i + 1]];
    if (command?.kind !== 'sh' || expected?.kind !== 'json') throw new Error(`${heading}: block ${i} is not a sh block followed by a json block`);
    pairs.push({ command: command.text, expected: expected.text });
  }
  return pairs;
}

/** Ids and times differ from run to run; everything else must match. */
function normalise(json: string): unknown {
  return JSON.parse(
    json
      .replace(/"(cmp|lead|log|wh|org)_[a-z0-9]+"/g, '"$1_…"')
      .replace(/"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"/g, '"<time>"'),
  );
}

describe('the README', () => {
  it('DialNexa walkthrough prints what it says, against the real server', async () => {
    const steps = walkthrough('DialNexa walkthrough');
    expect(steps.length).toBeGreaterThanOrEqual(7);
    const mock = await startMockProcess(['--port', '0', '--log-level', 'warn']);
    const scratch = mkdtempSync(join(tmpdir(), 'campaign-mock-readme-'));
    try {
      const marker = '@@step@@';
      // The commands run as written, in one shell, but against this test's port and scratch directory.
      const script = steps
        .map((step) => step.command.replaceAll('localhost:4010', new URL(mock.url).host).replaceAll('/tmp/', `${scratch}/`))
        .join(`\necho; echo ${marker}\n`);
      const output = execFileSync('bash', ['-euo', 'pipefail', '-c', script], { encoding: 'utf8' });
      const printed = output.split(marker).map((part) => part.trim());
      expect(printed).toHaveLength(steps.length);
      steps.forEach((step, index) => {
        expect(normalise(printed[index] as string), `step ${index + 1}:\n${step.command}`).toEqual(normalise(step.expected));
      });
    } finally {
      await mock.stop();
    }
  });
});
