import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The ```sh and ```json blocks of a README section, paired in order: command, expected output. */
export function walkthrough(heading: string): Array<{ command: string; expected: string }> {
  const start = README.indexOf(`\n## ${heading}\n`);
  if (start === -1) throw new Error(`README has no "## ${heading}" section`);
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
      .replace(/"(cmp|lead|log|wh|org|camp|coh|batch|call)[_-][a-z0-9]+"/g, '"$1…"')
      .replace(/"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)"/g, '"<time>"'),
  );
}

/**
 * Runs a README walkthrough against a mock at `baseUrl`: the commands as written, in one shell,
 * with `localhost:4010` pointed at the mock and `/tmp/` at a scratch directory. Each command must
 * print the JSON the README shows after it.
 */
export function checkWalkthrough(heading: string, baseUrl: string): void {
  const steps = walkthrough(heading);
  const scratch = mkdtempSync(join(tmpdir(), 'campaign-mock-readme-'));
  const marker = '@@step@@';
  const script = steps
    .map((step) => step.command.replaceAll('localhost:4010', new URL(baseUrl).host).replaceAll('/tmp/', `${scratch}/`))
    .join(`\necho; echo ${marker}\n`);
  const output = execFileSync('bash', ['-euo', 'pipefail', '-c', script], { encoding: 'utf8' });
  const printed = output.split(marker).map((part) => part.trim());
  expect(printed).toHaveLength(steps.length);
  steps.forEach((step, index) => {
    expect(normalise(printed[index] as string), `step ${index + 1}:\n${step.command}`).toEqual(normalise(step.expected));
  });
}
