import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';

/** The repository's root, which the paths of its documents are relative to. */
const ROOT = new URL('../../', import.meta.url);

/** A document of the repository by its path from the root (`README.md`, `docs/dialnexa.md`). */
export function readDocument(file: string): string {
  return readFileSync(new URL(file, ROOT), 'utf8');
}

/** The `## heading` section of a document, up to the next `## ` heading (its `###` parts included). */
export function section(file: string, heading: string): string {
  const text = readDocument(file);
  const start = text.indexOf(`\n## ${heading}\n`);
  if (start === -1) throw new Error(`${file} has no "## ${heading}" section`);
  const end = text.indexOf('\n## ', start + 1);
  return text.slice(start, end === -1 ? undefined : end);
}

/** The ```sh and ```json blocks of a document's section, paired in order: command, expected output. */
export function walkthrough(file: string, heading: string): Array<{ command: string; expected: string }> {
  const blocks = [...section(file, heading).matchAll(/```(sh|json)\n([\s\S]*?)```/g)].map((m) => ({ kind: m[1], text: m[2] as string }));
  const pairs: Array<{ command: string; expected: string }> = [];
  for (let i = 0; i < blocks.length; i += 2) {
    const [command, expected] = [blocks[i], blocks[i + 1]];
    if (command?.kind !== 'sh' || expected?.kind !== 'json') throw new Error(`${file}, ${heading}: block ${i} is not a sh block followed by a json block`);
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
 * Runs the commands of a walkthrough as written, in one shell, with `localhost:4010` pointed at
 * the mock at `baseUrl` and `/tmp/` at a scratch directory; answers what each one printed.
 */
export function runWalkthrough(steps: Array<{ command: string }>, baseUrl: string): string[] {
  const scratch = mkdtempSync(join(tmpdir(), 'campaign-mock-walkthrough-'));
  const marker = '@@step@@';
  const script = steps
    .map((step) => step.command.replaceAll('localhost:4010', new URL(baseUrl).host).replaceAll('/tmp/', `${scratch}/`))
    .join(`\necho; echo ${marker}\n`);
  const output = execFileSync('bash', ['-euo', 'pipefail', '-c', script], { encoding: 'utf8' });
  return output.split(marker).map((part) => part.trim());
}

/**
 * Runs the walkthrough under a document's `## heading` against a mock at `baseUrl`. Each command
 * must print the JSON the document shows after it.
 *
 * @example
 * checkWalkthrough('docs/dialnexa.md', 'DialNexa walkthrough', mock.url);
 */
export function checkWalkthrough(file: string, heading: string, baseUrl: string): void {
  const steps = walkthrough(file, heading);
  const printed = runWalkthrough(steps, baseUrl);
  expect(printed).toHaveLength(steps.length);
  steps.forEach((step, index) => {
    expect(normalise(printed[index] as string), `step ${index + 1}:\n${step.command}`).toEqual(normalise(step.expected));
  });
}
