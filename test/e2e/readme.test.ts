import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCENARIOS_DIR, SPECS_DIR } from '../../src/app.js';
import { loadSpec } from '../../src/engine/spec/load.js';
import { loadScenarios } from '../../src/scenarios/catalog.js';
import { VENDORS } from '../../src/vendors/registry.js';
import { MAGIC_ENDINGS } from '../../src/sim/outcomes.js';
import { bundledFixtureNames } from '../helpers/bundled-fixtures.js';
import { startMockProcess } from '../helpers/process.js';
import { checkWalkthrough, readDocument, section, walkthrough } from '../helpers/readme.js';

const ROOT = new URL('../../', import.meta.url);

/** The README and every page of the manual, by their paths from the repository's root. */
const DOCUMENTS = ['README.md', ...readdirSync(new URL('docs/', ROOT)).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];

describe('docs/dialnexa.md', () => {
  it('DialNexa walkthrough prints what it says, against the real server', async () => {
    expect(walkthrough('docs/dialnexa.md', 'DialNexa walkthrough').length).toBeGreaterThanOrEqual(7);
    const mock = await startMockProcess(['--port', '0', '--log-level', 'warn']);
    try {
      checkWalkthrough('docs/dialnexa.md', 'DialNexa walkthrough', mock.url);
    } finally {
      await mock.stop();
    }
  });

  it('DialNexa batch calls walkthrough prints what it says, against the real server started as it says', async () => {
    expect(walkthrough('docs/dialnexa.md', 'DialNexa batch calls walkthrough').length).toBeGreaterThanOrEqual(6);
    const mock = await startMockProcess(['--port', '0', '--speed', '0', '--log-level', 'warn']);
    try {
      checkWalkthrough('docs/dialnexa.md', 'DialNexa batch calls walkthrough', mock.url);
    } finally {
      await mock.stop();
    }
  });
});

describe('docs/control-plane.md', () => {
  it('shows the example test exactly as test/examples/client-retries.test.ts has it', () => {
    const file = readFileSync(new URL('test/examples/client-retries.test.ts', ROOT), 'utf8');
    expect(section('docs/control-plane.md', 'An example test')).toContain(`\`\`\`ts\n${file}\`\`\``);
  });

  it('shows a scenario file that loads', () => {
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section('docs/control-plane.md', 'Scenarios'))?.[1];
    expect(yaml).toContain('name: my-flaky-create');
    const dir = mkdtempSync(join(tmpdir(), 'campaign-mock-readme-scenario-'));
    writeFileSync(join(dir, 'example.yaml'), yaml as string);
    const specs = new Map(VENDORS.map((vendor) => [vendor, loadSpec(`${SPECS_DIR}${vendor.specFile}`)]));
    const scenarios = loadScenarios({ dirs: [SCENARIOS_DIR, dir], vendors: specs, fixtures: bundledFixtureNames() });
    expect(scenarios.get('my-flaky-create')?.rules).toHaveLength(6);
  });

  it('lists every bundled scenario file', () => {
    const scenariosSection = section('docs/control-plane.md', 'Scenarios');
    const specs = new Map(VENDORS.map((vendor) => [vendor, loadSpec(`${SPECS_DIR}${vendor.specFile}`)]));
    const files = [...loadScenarios({ dirs: [SCENARIOS_DIR], vendors: specs, fixtures: bundledFixtureNames() }).values()].filter((s) => s.source !== 'built-in');
    expect(files.length).toBeGreaterThan(0);
    for (const scenario of files) expect(scenariosSection).toContain(`| \`${scenario.name}\` |`);
  });
});

describe('README.md', () => {
  it('lists every magic number the dialer knows, with its outcome', () => {
    const dialer = readDocument('README.md');
    for (const magic of MAGIC_ENDINGS) expect(dialer).toMatch(new RegExp(`\\| \`${magic.ending}\` \\|[^\\n]*\\|`));
    expect(MAGIC_ENDINGS.map((m) => m.outcome)).toEqual(['busy', 'no_answer', 'voicemail', 'failed', 'short', 'provider_error', 'internal_error']);
  });
});

/** A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces as hyphens. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors of a Markdown text's headings; a repeated heading's second anchor ends in `-1`. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, heading] of markdown.replace(/```[\s\S]*?```/g, '').matchAll(/^#{1,6} (.+)$/gm)) {
    const anchor = anchorOf(heading as string);
    const count = seen.get(anchor) ?? 0;
    seen.set(anchor, count + 1);
    anchors.add(count === 0 ? anchor : `${anchor}-${count}`);
  }
  return anchors;
}

/**
 * The relative links of a document (at `file`, from the repository's root) that lead nowhere: to
 * no file, or to a heading its page does not have. Links inside code are not links.
 */
function brokenLinks(file: string, markdown: string, read: (file: string) => string | undefined): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  const broken: string[] = [];
  for (const [link, target] of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^[a-z][a-z+]*:/.test(target as string)) continue;
    const [path = '', anchor] = (target as string).split('#');
    const linked = path === '' ? file : posix.normalize(posix.join(posix.dirname(file), path));
    const text = linked.endsWith('.md') ? read(linked) : undefined;
    if (path !== '' && !linked.endsWith('.md') && !existsSync(new URL(linked, ROOT))) broken.push(`${link}: no file ${linked}`);
    else if (linked.endsWith('.md') && text === undefined) broken.push(`${link}: no file ${linked}`);
    else if (anchor !== undefined && !anchorsOf(text ?? '').has(anchor)) broken.push(`${link}: ${linked} has no heading #${anchor}`);
  }
  return broken;
}

function readIfThere(file: string): string | undefined {
  const url = new URL(file, ROOT);
  return existsSync(url) && statSync(url).isFile() ? readFileSync(url, 'utf8') : undefined;
}

describe('the README and docs/', () => {
  it('the README fits on a few screens: under 12 KB', () => {
    expect(statSync(new URL('README.md', ROOT)).size).toBeLessThan(12_000);
  });

  it('every page of docs/ is linked from the README', () => {
    const readme = readDocument('README.md');
    for (const file of DOCUMENTS.filter((file) => file.startsWith('docs/'))) expect(readme, file).toContain(`](${file})`);
  });

  it.each(DOCUMENTS)('%s: every relative link leads to a file, and to a heading it has', (file) => {
    expect(brokenLinks(file, readDocument(file), readIfThere)).toEqual([]);
  });

  it('catches what it looks for', () => {
    const pages: Record<string, string> = { 'docs/b.md': '# B\n\n## What the `b` mock serves\n' };
    const text = '[a](b.md#what-the-b-mock-serves) [c](../package.json) `[d](nowhere.md)` [e](b.md#nothing) [f](missing.md) [g](../nowhere.json) [h](https://example.com/x.md)';
    expect(brokenLinks('docs/a.md', text, (file) => pages[file])).toEqual([
      '](b.md#nothing): docs/b.md has no heading #nothing',
      '](missing.md): no file docs/missing.md',
      '](../nowhere.json): no file nowhere.json',
    ]);
  });
});
