import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

describe('docs/dialer.md', () => {
  it('lists every magic number the dialer knows, with its outcome', () => {
    const dialer = readDocument('docs/dialer.md');
    for (const magic of MAGIC_ENDINGS) expect(dialer).toMatch(new RegExp(`\\| \`${magic.ending}\` \\|[^\\n]*\\|`));
    expect(MAGIC_ENDINGS.map((m) => m.outcome)).toEqual(['busy', 'no_answer', 'voicemail', 'failed', 'short', 'provider_error', 'internal_error']);
  });
});
