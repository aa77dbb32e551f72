import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SPECS_DIR } from '../../src/app.js';
import { formatReport } from '../../src/contract/report.js';
import { runContract } from '../../src/contract/runner.js';
import { loadSpec } from '../../src/engine/spec/load.js';
import { createLogger } from '../../src/logger.js';
import { documentedStatuses } from '../../src/scenarios/forced-reply.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { VENDORS } from '../../src/vendors/registry.js';
import { exampleRequest } from '../helpers/example-request.js';
import { startPrismProxy, violationsOf, type PrismProxy, type PrismViolation } from '../helpers/prism.js';

type Send = (
  operationId: string,
  path: string,
  options: { expect: number; json?: unknown; text?: { body: string; contentType: string }; headers?: Record<string, string> },
) => Promise<any>;

/** A number the dialer never reaches (the magic ending 0002): a campaign of it is done after one call. */
const UNANSWERED = '+14155550002';
const TWO_HOURS = 7200;

/**
 * Per vendor, a campaign run to its end by the dialer, then the answers its final state gives:
 * completed (DialNexa, Asisso) or ended (Sarvam), terminal, and Asisso's redial of it.
 */
const DIALER_EDGES: Record<string, (send: Send, advance: (seconds: number) => Promise<void>) => Promise<void>> = {
  dialnexa: async (send, advance) => {
    const campaign = await send('createCampaign', '/v1/campaigns', {
      expect: 201,
      json: { name: 'Dialer edges', agent_id: 'agt_1', from_phone_number: '+14155550100', retry_config: { max_retries: 0, retry_interval_minutes: 30 } },
    });
    const lead = await send('createCampaignLead', '/v1/campaigns-leads', { expect: 201, json: { phoneNumber: UNANSWERED, campaignId: campaign.id } });
    await advance(TWO_HOURS);
    expect((await send('getCampaign', `/v1/campaigns/${campaign.id}`, { expect: 200 })).status).toBe('completed');
    await send('updateCampaign', `/v1/campaigns/${campaign.id}`, { expect: 409, json: { status: 'running' } });
    await send('deleteCampaignLead', `/v1/campaigns-leads/${lead.id}`, { expect: 409 });
    // Campaigns are ongoing: a new lead reopens a completed campaign, which dials it and completes again.
    await send('createCampaignLead', '/v1/campaigns-leads', { expect: 201, json: { phoneNumber: '+14155550109', campaignId: campaign.id } });
    expect((await send('getCampaign', `/v1/campaigns/${campaign.id}`, { expect: 200 })).status).toBe('running');
    await advance(TWO_HOURS);
    expect((await send('getCampaign', `/v1/campaigns/${campaign.id}`, { expect: 200 })).status).toBe('completed');
    expect((await send('listCampaignCallLogs', `/v1/call-logs/campaign/${campaign.id}`, { expect: 200 })).data.length).toBe(2);
  },
  asisso: async (send, advance) => {
    const csv = `phone_number\n${UNANSWERED}\n`;
    const upload = await send('createPresignedUploadUrl', '/api/v1/s3/presigned-upload-url', { expect: 200, json: { file_name: 'edges.csv', file_size: csv.length } });
    const url = new URL(upload.upload_url);
    await send('uploadCampaignSource', `${url.pathname}${url.search}`, { expect: 200, text: { body: csv, contentType: 'text/csv' } });
    const campaign = await send('createCampaign', '/api/v1/campaign/create', {
      expect: 200,
      json: { name: 'Dialer edges', workflow_id: 1, source_type: 'csv', source_id: upload.file_key, retry_config: { enabled: false } },
    });
    await send('startCampaign', `/api/v1/campaign/${campaign.id}/start`, { expect: 200 });
    await advance(TWO_HOURS);
    expect((await send('getCampaign', `/api/v1/campaign/${campaign.id}`, { expect: 200 })).state).toBe('completed');
    await send('pauseCampaign', `/api/v1/campaign/${campaign.id}/pause`, { expect: 400 });
    await send('updateCampaign', `/api/v1/campaign/${campaign.id}`, { expect: 400, json: { max_concurrency: 2 } });
    const redial = await send('redialCampaign', `/api/v1/campaign/${campaign.id}/redial`, { expect: 200, json: {} });
    expect([redial.state, redial.parent_campaign_id]).toEqual(['draft', campaign.id]);
    await send('redialCampaign', `/api/v1/campaign/${campaign.id}/redial`, { expect: 400, json: {} });
  },
  sarvam: async (send, advance) => {
    const base = '/api/scheduling/v1/orgs/org-edges/workspaces/ws-edges/campaigns';
    const campaign = await send('create-campaign', base, {
      expect: 200,
      json: {
        name: 'Dialer edges',
        app_config: { app_id: 'edges', app_type: 'agent', app_version: 1 },
        start_timestamp: '2020-01-01T00:00:00Z',
        end_timestamp: new Date(Date.now() + 30 * 60_000).toISOString(),
        allowed_schedule: { allowed_start_time: '00:00', allowed_end_time: '23:59', allowed_days: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'], timezone: 'UTC' },
      },
    });
    await send('stream-cohort', `${base}/${campaign.campaign_id}/cohorts/stream`, { expect: 200, json: { name: 'Edges', users: [{ user_phone_number: UNANSWERED }] } });
    await advance(TWO_HOURS);
    expect((await send('get-campaign', `${base}/${campaign.campaign_id}`, { expect: 200 })).status).toBe('ended');
    await send('update-campaign-status', `${base}/${campaign.campaign_id}/status`, { expect: 409, json: { action: 'resume' } });
    await send('update-campaign', `${base}/${campaign.campaign_id}`, { expect: 409, json: { description: 'too late' } });
    await send('stream-cohort', `${base}/${campaign.campaign_id}/cohorts/stream`, { expect: 409, json: { name: 'Late', users: [{ user_phone_number: '+14155550109' }] } });
  },
};

/**
 * The conformance suite: every operation of every vendor, every status it documents and every
 * lifecycle edge — those its API walks, and those the dialer walks as the clock moves — answered by the mock through `prism proxy --errors` (Prism
 * independently checks each answer against the spec). The contract suite (`campaign-mock
 * contract --write`) walks each vendor's records through their lifecycle for real; a documented
 * status it cannot reach with real state (a 429, a 500, a 413) is forced with the built-in
 * scenario `<vendor>.<operationId>.<status>`. Any `sl-violations` fails the build, and so does a
 * documented status that no request reached.
 */
describe('conformance: every operation and documented status behind prism proxy --errors', () => {
  let server: RunningServer;
  const proxies = new Map<string, { strict: PrismProxy; lenient: PrismProxy }>();
  const tally = { operations: 0, statuses: 0, reached: 0, forced: 0, requests: 0, violations: 0 };

  beforeAll(async () => {
    server = await startServer({ port: 0, strict: true, speed: 0, logger: createLogger('silent') });
    await Promise.all(
      VENDORS.map(async (vendor) => {
        const spec = `${SPECS_DIR}${vendor.specFile}`;
        const [strict, lenient] = await Promise.all([startPrismProxy(spec, server.url, { errors: true }), startPrismProxy(spec, server.url, { errors: false })]);
        proxies.set(vendor.name, { strict, lenient });
      }),
    );
  });
  afterAll(async () => {
    await Promise.all([...proxies.values()].flatMap(({ strict, lenient }) => [strict.close(), lenient.close()]));
    await server?.close();
    process.stdout.write(
      `conformance behind Prism: ${tally.operations} operations, ${tally.statuses} documented statuses ` +
        `(${tally.reached} reached with real state, ${tally.forced} forced), ${tally.requests} requests, ${tally.violations} violations\n`,
    );
  });

  for (const vendor of VENDORS) {
    const spec = loadSpec(`${SPECS_DIR}${vendor.specFile}`);

    it(`${vendor.title}: the contract suite with writes, then every documented status it did not reach`, async () => {
      const { strict, lenient } = proxies.get(vendor.name) as { strict: PrismProxy; lenient: PrismProxy };
      const violations: Array<{ request: string; violation: PrismViolation }> = [];
      const collect = (request: string, response: Response, breaksSpec: boolean) => {
        tally.requests++;
        for (const violation of violationsOf(response)) {
          // A request that breaks the spec on purpose is expected to show request violations.
          if (breaksSpec && violation.location[0] === 'request') continue;
          violations.push({ request, violation });
        }
      };

      const report = await runContract({
        vendor,
        spec,
        plan: vendor.contractPlan as NonNullable<typeof vendor.contractPlan>,
        baseUrl: strict.url,
        key: `conformance_${vendor.name}`,
        write: true,
        // Requests that break the spec on purpose go through the proxy that forwards them (with
        // --errors, Prism would answer them itself); everything else through --errors.
        fetch: async (url, init, step) => {
          const target = step.breaksSpec ? url.replace(strict.url, lenient.url) : url;
          const response = await fetch(target, init);
          collect(`${init.method} ${target}`, response, step.breaksSpec ?? false);
          return response;
        },
      });
      expect(report.counts, formatReport(report)).toEqual({ passed: spec.operations.length, failed: 0, skipped: 0 });
      const reached = new Set(report.operations.flatMap((op) => op.steps.map((step) => `${op.operationId} ${step.status}`)));

      // The edges only the dialer walks, as time passes: a campaign whose calls are all done.
      const key = `conformance_dialer_${vendor.name}`;
      const send: Send = async (operationId, path, { expect: status, json, text, headers = {} }) => {
        const operation = spec.operations.find((op) => op.operationId === operationId);
        const auth: Record<string, string> = vendor.name === 'dialnexa' ? { authorization: `Bearer ${key}` } : { 'x-api-key': key };
        const body = json === undefined ? text?.body : JSON.stringify(json);
        const contentType = json === undefined ? text?.contentType : 'application/json';
        const init: RequestInit & { method: string } = { method: operation?.method.toUpperCase() ?? 'GET', headers: { ...auth, ...(contentType ? { 'content-type': contentType } : {}), ...headers }, ...(body === undefined ? {} : { body }) };
        const response = await fetch(`${strict.url}${path}`, init);
        const answer = await response.text();
        collect(`${init.method} ${path}`, response, false);
        expect(response.status, `${operationId} ${init.method} ${path}: ${answer}`).toBe(status);
        reached.add(`${operationId} ${status}`);
        return answer ? JSON.parse(answer) : undefined;
      };
      await DIALER_EDGES[vendor.name]?.(send, (seconds) => server.mock.advanceClock(seconds, key).then(() => undefined));

      const missing: string[] = [];
      for (const operation of spec.operations) {
        tally.operations++;
        for (const status of documentedStatuses(operation)) {
          tally.statuses++;
          if (reached.has(`${operation.operationId} ${status}`)) {
            tally.reached++;
            continue;
          }
          // Errors have a built-in scenario each; any other documented status is asked for as Prism users do.
          const scenario = `${vendor.name}.${operation.operationId}.${status}`;
          const force: Record<string, string> = status >= 400 ? { 'x-mock-scenario': scenario } : { prefer: `code=${status}` };
          const { path, init } = exampleRequest(spec, operation, `conformance_forced_${vendor.name}`);
          const response = await fetch(`${strict.url}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), ...force } });
          const text = await response.text();
          collect(`${scenario}: ${init.method} ${path}`, response, false);
          if (response.status === status) tally.forced++;
          else missing.push(`${scenario}: answered ${response.status} ${text.slice(0, 200)}`);
        }
      }
      tally.violations += violations.length;
      expect(violations, 'Prism reported contract violations').toEqual([]);
      expect(missing, 'documented statuses no request reached').toEqual([]);
    });
  }
});
