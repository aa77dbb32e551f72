import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMockApp, SCENARIOS_DIR } from '../../src/app.js';
import { createLogger } from '../../src/logger.js';
import { VENDORS } from '../../src/vendors/registry.js';
import { loadSpec } from '../../src/engine/spec/load.js';
import { SPECS_DIR } from '../../src/app.js';
import { loadScenarios } from '../../src/scenarios/catalog.js';
import { documentedStatuses } from '../../src/scenarios/forced-reply.js';
import { bundledFixtureNames } from '../helpers/bundled-fixtures.js';

const specs = new Map(VENDORS.map((vendor) => [vendor, loadSpec(`${SPECS_DIR}${vendor.specFile}`)]));
const fixtures = bundledFixtureNames();

function folderWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'campaign-mock-scenarios-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('the scenario catalog', () => {
  it('has a built-in scenario for every documented error status of every operation of every vendor', () => {
    const scenarios = loadScenarios({ dirs: [], vendors: specs, fixtures });
    let count = 0;
    for (const [vendor, spec] of specs) {
      for (const op of spec.operations) {
        for (const status of documentedStatuses(op).filter((s) => s >= 400)) {
          const scenario = scenarios.get(`${vendor.name}.${op.operationId}.${status}`);
          expect(scenario?.rules).toEqual([{ match: { vendor: vendor.name, operationId: op.operationId }, respond: { status } }]);
          count++;
        }
      }
    }
    expect(count).toBeGreaterThan(40);
  });

  it('reads the bundled scenario files', () => {
    const scenarios = loadScenarios({ dirs: [SCENARIOS_DIR], vendors: specs, fixtures });
    for (const name of ['dialnexa-demo', 'dialnexa-rate-limited', 'dialnexa-retry-then-succeed', 'flaky-network', 'slow-vendor']) {
      expect(scenarios.get(name)?.source).toBe(join(SCENARIOS_DIR, `${name}.yaml`));
    }
  });

  it('stops at a file that breaks the schema, naming file, line and field', () => {
    const dir = folderWith({ 'bad.yaml': 'name: bad\ndescription: d\nrules:\n  - match: { vendor: dialnexa }\n    respnd: { status: 404 }\n' });
    expect(() => loadScenarios({ dirs: [dir], vendors: specs, fixtures })).toThrow(`campaign-mock: invalid scenario file:\n  ${dir}/bad.yaml:4: rules[0] has an unknown field "respnd"`);
  });

  it('stops at rules the specs cannot honour, naming each', () => {
    const dir = folderWith({
      'bad.yaml': [
        'name: impossible',
        'description: d',
        'fixtures: [dialnexa/nothing]',
        'rules:',
        '  - match: { vendor: acme }',
        '    drop: true',
        '  - match: { vendor: dialnexa, operationId: getCampaign }',
        '    respond: { status: 409 }',
        '  - match: { vendor: dialnexa, operationId: fetchCampaign }',
        '    drop: true',
        '  - match: { vendor: dialnexa, operationId: updateCampaign }',
        '    respond: { example: nope }',
        '',
      ].join('\n'),
    });
    let message = '';
    try {
      loadScenarios({ dirs: [dir], vendors: specs, fixtures });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split('\n')).toEqual([
      'campaign-mock: invalid scenario "impossible":',
      `  ${dir}/bad.yaml:3: fixture "dialnexa/nothing" does not exist (there are: ${[...fixtures].join(', ')})`,
      expect.stringMatching(new RegExp(`^  ${dir}/bad.yaml:5: unknown vendor "acme" \\(vendors: dialnexa`)),
      `  ${dir}/bad.yaml:8: status 409 is not documented by dialnexa.getCampaign; narrow the match or pick a documented status`,
      `  ${dir}/bad.yaml:9: no operation "fetchCampaign" in dialnexa`,
      `  ${dir}/bad.yaml:12: no example "nope" in dialnexa.updateCampaign`,
    ]);
  });

  it('refuses a name used twice, and stops the app at startup', () => {
    const dir = folderWith({ 'a.yaml': 'name: slow-vendor\ndescription: again\nrules: []\n' });
    expect(() => createMockApp({ scenarioDirs: [dir], logger: createLogger('silent') })).toThrow(`campaign-mock: ${dir}/a.yaml:1: scenario "slow-vendor" is already defined by ${SCENARIOS_DIR}slow-vendor.yaml`);
    expect(() => createMockApp({ scenario: 'nope', logger: createLogger('silent') })).toThrow('campaign-mock: unknown scenario "nope"');
  });

  it('refuses a broken fixture file at startup, with its line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'campaign-mock-fixtures-'));
    mkdirSync(join(dir, 'dialnexa'));
    writeFileSync(join(dir, 'dialnexa', 'broken.yaml'), 'description: d\ncampaigns:\n  - id: not_an_id\n    name: x\n');
    expect(() => createMockApp({ fixtureDirs: [dir], logger: createLogger('silent') })).toThrow(
      new RegExp(`^campaign-mock: invalid fixture file:\\n  ${dir}/dialnexa/broken.yaml:3: campaigns\\[0\\] must have required property 'agent_id'`),
    );
  });
});
