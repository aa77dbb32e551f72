import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMockApp, SCENARIOS_DIR } from '../../src/app.js';
import { createLogger } from '../../src/logger.js';
import { VENDORS } from '../../src/vendors/registry.js';
import { loadSpec, type OperationSpec, type Spec } from '../../src/engine/spec/load.js';
import type { VendorModule } from '../../src/engine/vendor.js';
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
    const names: string[] = [];
    for (const [vendor, spec] of specs) {
      for (const op of spec.operations) {
        for (const status of documentedStatuses(op).filter((s) => s >= 400)) {
          const scenario = scenarios.get(`${vendor.name}.${op.operationId}.${status}`);
          expect(scenario?.rules).toEqual([{ match: { vendor: vendor.name, operationId: op.operationId }, respond: { status } }]);
          names.push(`${vendor.name}.${op.operationId}.${status}`);
        }
      }
    }
    expect(names.length).toBeGreaterThan(40);
    // Listed, they are the same ones, built-in first and in the specs' order; nothing else answers to such a name.
    const listed = [...loadScenarios({ dirs: [SCENARIOS_DIR], vendors: specs, fixtures }).values()];
    expect(listed.slice(0, names.length).map((scenario) => [scenario.name, scenario.source])).toEqual(names.map((name) => [name, 'built-in']));
    expect(listed.slice(names.length).every((scenario) => scenario.source.startsWith(SCENARIOS_DIR))).toBe(true);
    expect(scenarios.size).toBe(names.length);
    expect(scenarios.get('dialnexa.getCampaign.404')).toBe(scenarios.get('dialnexa.getCampaign.404'));
    expect([...scenarios.keys()]).toContain('dialnexa.getCampaign.404');
    for (const name of ['dialnexa.getCampaign.418', 'dialnexa.getCampaign.200', 'dialnexa.getCampaign.404.x', 'dialnexa.getCampaign.0404', 'dialnexa.nope.404', 'nobody.getCampaign.404', 'dialnexa.getCampaign']) {
      expect([name, scenarios.has(name)]).toEqual([name, false]);
    }
  });

  it('finds a built-in scenario by name when a vendor or an operationId has dots in it', () => {
    const [vendor, spec] = [...specs][0] as [VendorModule, Spec];
    const op = spec.operations.find((candidate) => documentedStatuses(candidate).includes(404)) as OperationSpec;
    const dotted = new Map([[{ ...vendor, name: 'dial.nexa' }, { ...spec, operations: [{ ...op, operationId: 'campaigns.get' }] }]]);
    const scenarios = loadScenarios({ dirs: [], vendors: dotted, fixtures });
    expect(scenarios.get('dial.nexa.campaigns.get.404')?.rules).toEqual([{ match: { vendor: 'dial.nexa', operationId: 'campaigns.get' }, respond: { status: 404 } }]);
    expect([...scenarios.keys()]).toContain('dial.nexa.campaigns.get.404');
    expect(scenarios.has('dial.nexa.campaigns.404')).toBe(false);
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
    const builtIn = folderWith({ 'b.yaml': 'name: sarvam.list-campaigns.401\ndescription: again\nrules: []\n' });
    expect(() => createMockApp({ scenarioDirs: [builtIn], logger: createLogger('silent') })).toThrow(`campaign-mock: ${builtIn}/b.yaml:1: scenario "sarvam.list-campaigns.401" is already defined by built-in`);
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
