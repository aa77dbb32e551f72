import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SPECS_DIR } from '../../src/app.js';
import { loadSpec } from '../../src/engine/spec/load.js';
import { VENDORS } from '../../src/vendors/registry.js';
import { runCli, startMockProcess, type MockProcess } from '../helpers/process.js';

const summaryLine = (stdout: string) => stdout.trim().split('\n').at(-1) ?? '';

describe('campaign-mock contract, against a running mock', () => {
  let mock: MockProcess;
  beforeAll(async () => {
    mock = await startMockProcess(['--port', '0', '--speed', '0', '--log-level', 'warn']);
  });
  afterAll(async () => {
    await mock?.stop();
  });

  for (const vendor of VENDORS) {
    const operations = loadSpec(`${SPECS_DIR}${vendor.specFile}`).operations.length;

    it(`passes every ${vendor.title} operation with --write`, async () => {
      const { code, stdout, stderr } = await runCli(['contract', '--vendor', vendor.name, '--base-url', mock.url, '--key', `contract_${vendor.name}`, '--write']);
      expect(stderr).toBe('');
      expect(summaryLine(stdout), stdout).toMatch(new RegExp(`^${operations} operations: ${operations} passed, 0 failed, 0 skipped \\(\\d+ requests\\)$`));
      expect(code).toBe(0);
    });

    it(`writes nothing without --write, and says which operations need it (${vendor.title})`, async () => {
      const key = `contract_readonly_${vendor.name}`;
      const { code, stdout } = await runCli(['contract', '--vendor', vendor.name, '--base-url', `${mock.url}${vendor.basePath}`, '--key', key]);
      expect(code, stdout).toBe(0);
      expect(summaryLine(stdout)).toMatch(/ 0 failed, [1-9]\d* skipped/);
      expect(stdout).toContain('skipped: needs --write (it creates or changes data on the target)');
      const journal = (await (await fetch(`${mock.url}/__admin/requests?key=${key}`)).json()) as { requests: Array<{ method: string; status: number }> };
      const entries = Array.isArray(journal) ? (journal as Array<{ method: string; status: number }>) : journal.requests;
      expect(entries.length).toBeGreaterThan(0);
      expect(entries.filter((e) => e.method !== 'GET')).toEqual([]);
    });
  }

  it('answers --help with examples, and refuses a missing --vendor with exit 2', async () => {
    const help = await runCli(['contract', '--help']);
    expect([help.code, help.stdout]).toEqual([0, expect.stringContaining('Examples:\n  campaign-mock contract --vendor sarvam')]);
    const usage = await runCli(['contract', '--base-url', mock.url, '--key', 'k']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('contract needs --vendor, one of dialnexa, asisso, sarvam');
  });
});

describe('campaign-mock contract, against a target that breaks the contract', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    // Answers an unknown campaign with a 404 in the wrong envelope, and everything else with a 200
    // of the wrong shape, whatever the credential.
    server = createServer((request, response) => {
      response.setHeader('content-type', 'application/json');
      if (request.url?.includes('cmp_000000000000')) {
        response.writeHead(404).end(JSON.stringify({ statusCode: '404', message: 'Campaign not found' }));
      } else {
        response.writeHead(200).end(JSON.stringify({ data: 'nope', status: 'bogus' }));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('fails, exit 1, with the difference between each answer and the spec', async () => {
    const { code, stdout } = await runCli(['contract', '--vendor', 'dialnexa', '--base-url', url, '--key', 'dnx_test_broken']);
    expect(code).toBe(1);
    // A right status with a wrong body: the envelope's fields, one by one.
    expect(stdout).toContain(
      [
        '  ✗ getCampaign            GET /v1/campaigns/{id}  1 of 1 checks failed, 1 skipped (no campaign id to read: pass --campaign-id <id>, or --write to create one)',
        '      answers 404 for an unknown campaign: GET /v1/campaigns/cmp_000000000000 → 404',
        '        body.error is missing',
        '          - spec: required',
        '          + got:  (absent)',
        '        body.statusCode has the wrong type',
        '          - spec: type integer',
        '          + got:  "404" (string)',
        '        came back: {"statusCode":"404","message":"Campaign not found"}',
      ].join('\n'),
    );
    // A wrong status: what the step expects against what came back.
    expect(stdout).toContain(
      [
        '      refuses a request without a credential: GET /v1/call-logs → 200',
        '        status is not what the step expects (refuses a request without a credential)',
        '          - spec: 401',
        '          + got:  200',
      ].join('\n'),
    );
    expect(stdout).toContain('        body.data has the wrong type\n          - spec: type array\n          + got:  "nope" (string)');
    expect(stdout).toContain('        body.meta is missing');
    expect(summaryLine(stdout)).toMatch(/^14 operations: 0 passed, 6 failed, 8 skipped \(\d+ requests\)$/);
  });

  it('reports a target that does not answer as failed, not as a hang', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const target = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
      const { code, stdout } = await runCli(['contract', '--vendor', 'sarvam', '--base-url', target, '--key', 'k', '--timeout', '0.2']);
      expect(code).toBe(1);
      expect(stdout).toContain('answer no answer within 0.2 s');
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('prints the report as JSON with --json', async () => {
    const { code, stdout } = await runCli(['contract', '--vendor', 'dialnexa', '--base-url', url, '--key', 'k', '--json']);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { counts: Record<string, number>; operations: Array<{ operationId: string; outcome: string; steps: Array<{ mismatches: unknown[] }> }> };
    expect(report.counts).toEqual({ passed: 0, failed: 6, skipped: 8 });
    const getCampaign = report.operations.find((op) => op.operationId === 'getCampaign');
    expect(getCampaign?.steps[0]?.mismatches).toContainEqual({ where: 'body.error', message: 'is missing', spec: 'required', got: '(absent)' });
  });
});

describe('campaign-mock fidelity', () => {
  it('lists every operation of every vendor, documented or inferred, and where each mark sits', async () => {
    const { code, stdout } = await runCli(['fidelity', '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as Array<{
      vendor: string;
      marks: number;
      operations: Array<{ operationId: string; fidelity: string; responses: Record<string, Array<{ label: string; line: number; why: string }>> }>;
    }>;
    expect(report.map((r) => r.vendor)).toEqual(VENDORS.map((v) => v.name));
    for (const vendor of VENDORS) {
      const text = readFileSync(`${SPECS_DIR}${vendor.specFile}`, 'utf8');
      const own = report.find((r) => r.vendor === vendor.name);
      expect(own?.operations.map((op) => op.operationId)).toEqual(loadSpec(`${SPECS_DIR}${vendor.specFile}`).operations.map((op) => op.operationId));
      expect(own?.marks).toBe(text.match(/(?:^\s*|[{,]\s*)x-mock-inferred:/gm)?.length);
    }
    // The statuses the DialNexa pages document are documented, whatever details of them are inferred.
    const dialnexa = report[0]?.operations as unknown as Array<{ operationId: string; fidelity: string; source: { url: string } | null; statuses: Record<string, string>; responses: Record<string, Array<{ label: string; line: number }>> }>;
    const op = (id: string) => dialnexa.find((o) => o.operationId === id);
    expect([op('createCampaign')?.statuses['201'], op('createCampaign')?.statuses['400']]).toEqual(['documented', 'documented']);
    expect([op('getCampaign')?.statuses['404'], op('getCampaign')?.statuses['403']]).toEqual(['documented', 'documented']);
    expect([op('updateCampaign')?.statuses['404'], op('updateCampaign')?.statuses['409']]).toEqual(['documented', 'documented']);
    expect(op('createCampaignLead')?.statuses['409']).toBe('inferred');
    expect(op('getCampaign')?.source?.url).toBe('https://dialnexa.mintlify.app/api-reference/campaigns/get');
    expect(op('getCampaign')?.fidelity).toBe('partly inferred');
    // A detail of a documented status: the wording of messages, marked on the shared envelope, on its own line.
    const lines = readFileSync(`${SPECS_DIR}dialnexa.yaml`, 'utf8').split('\n');
    const envelope = lines.findIndex((line) => line.startsWith('    ErrorResponse:'));
    const markLine = lines.findIndex((line, i) => i > envelope && line.includes('x-mock-inferred:')) + 1;
    expect(op('getCampaign')?.responses['404']).toEqual([expect.objectContaining({ label: 'schema ErrorResponse.message', line: markLine })]);
  });

  it('lists the vendor pages fact by fact with --vendor-pages', async () => {
    const { code, stdout } = await runCli(['fidelity', '--vendor-pages', '--vendor', 'dialnexa']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^DialNexa: 3 pages checked line by line, \d+ facts \(specs\/pages\/dialnexa\.yaml\)$/m);
    expect(stdout).toContain('  "Create a campaign" https://dialnexa.mintlify.app/api-reference/campaigns/create\n');
    expect(stdout).toMatch(/^ {4}request\.required-only \(rule\)\n {6}page: Only name and agent_id are marked required/m);
    const json = await runCli(['fidelity', '--vendor-pages', '--json']);
    const files = JSON.parse(json.stdout) as Array<{ vendor: string; pages: Array<{ id: string; facts: unknown[] }> }>;
    expect(files.map((file) => file.vendor)).toEqual(VENDORS.map((v) => v.name));
    expect(files[0]?.pages.map((page) => page.id)).toEqual(['create-a-campaign', 'get-a-campaign', 'update-a-campaign']);
  });

  it('prints a line per operation, and answers --help with examples', async () => {
    const { code, stdout } = await runCli(['fidelity', '--vendor', 'asisso']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Asisso \(specs\/asisso\.yaml\): 1\d operations: \d+ documented, \d+ partly inferred, \d+ inferred; \d+ x-mock-inferred marks$/m);
    expect(stdout).toMatch(/^ {2}updateCampaign +(documented|partly inferred) +PATCH \/api\/v1\/campaign\/\{campaign_id\}$/m);
    expect(stdout).toContain('      source: ');
    const help = await runCli(['fidelity', '--help']);
    expect([help.code, help.stdout]).toEqual([0, expect.stringContaining('Examples:\n  campaign-mock fidelity\n')]);
  });
});
