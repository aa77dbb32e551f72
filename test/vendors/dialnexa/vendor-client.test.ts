import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logger.js';
import { startServer, type RunningServer } from '../../../src/server.js';
import { runBatchToCompletion } from './vendor-client/client.js';
import { generateVendorTypes } from './vendor-client/generate.js';
import { VENDOR_FILE, VENDOR_FILE_MISSING } from './vendor-file.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLIENT = fileURLToPath(new URL('./vendor-client/client.ts', import.meta.url));
const DECLARATION = fileURLToPath(new URL('./vendor-client/vendor-types.d.ts', import.meta.url));
/** A use of the client that the vendor's types must refuse; compiled from memory, never written. */
const MISUSE = join(dirname(CLIENT), 'misuse.ts');
const MISUSE_TEXT = `import createClient from 'openapi-fetch';
import type { VendorPaths } from './client.js';
const client = createClient<VendorPaths>({ baseUrl: 'http://localhost:4010' });
void client.PATCH('/v1/batch-calls/{id}/status', { params: { path: { id: 'batch_abc123' } }, body: { action: 'stop' } });
const listed = await client.GET('/v1/batch-calls');
export const agent: string | undefined = listed.data?.items?.[0]?.agent_id;
`;

/** Type-checks the client and the misuse against the generated types, with the project's compiler options. */
function typeCheck(generated: string): Map<string, string[]> {
  const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  if (!config) throw new Error('campaign-mock: tsconfig.json cannot be read');
  const host = ts.createCompilerHost(config.options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (file) => (file === MISUSE ? MISUSE_TEXT : readFile(file));
  host.fileExists = (file) => file === MISUSE || fileExists(file);
  host.getSourceFile = (file, language, ...rest) =>
    file === MISUSE ? ts.createSourceFile(file, MISUSE_TEXT, language) : getSourceFile(file, language, ...rest);
  const program = ts.createProgram({ rootNames: [CLIENT, MISUSE, DECLARATION, generated], options: { ...config.options, noEmit: true }, host });
  const errors = new Map<string, string[]>();
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const file = diagnostic.file?.fileName ?? '(program)';
    errors.set(file, [...(errors.get(file) ?? []), ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')]);
  }
  return errors;
}

/**
 * An integrator's client, generated from DialNexa's own published OpenAPI (openapi-typescript
 * for the types, openapi-fetch for the calls), runs a batch from upload to completion against
 * the mock, and type-checks against the vendor's contract.
 */
describe.skipIf(!VENDOR_FILE)(VENDOR_FILE ? "a client generated from DialNexa's published OpenAPI" : `skipped: ${VENDOR_FILE_MISSING}`, () => {
  let server: RunningServer;
  let generated = '';
  beforeAll(async () => {
    generated = await generateVendorTypes(VENDOR_FILE as string);
    server = await startServer({ port: 0, strict: true, speed: 0, logger: createLogger('silent') });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("type-checks against the vendor's types, which refuse what the vendor's contract does not allow", () => {
    const errors = typeCheck(generated);
    expect(errors.get(CLIENT) ?? [], 'client.ts against the generated types').toEqual([]);
    expect(errors.get(MISUSE)).toEqual([
      expect.stringContaining('"stop"'),
      expect.stringContaining("Property 'agent_id' does not exist"),
    ]);
    expect([...errors.keys()].filter((file) => file !== MISUSE)).toEqual([]);
  });

  it('uploads leads, pauses, resumes and runs the batch to completion through the generated client', async () => {
    const key = 'dnx_generated_client';
    const leads = new Blob(['phone_number,name\n+14155551000,Ana\n+14155550001,Ben\n+14155550003,Chen\n'], { type: 'text/csv' });
    const run = await runBatchToCompletion({
      baseUrl: server.url,
      apiKey: key,
      leads,
      wait: async (seconds) => {
        await server.mock.advanceClock(seconds, key);
      },
    });
    expect(run.created).toEqual({ id: expect.stringMatching(/^batch_/), title: 'Generated client batch', total_records: 3, status: 'initiated', from_number: '+14155552671' });
    expect(run.running).toMatchObject({ status: 'running', total_records: 3, sent_lead_count: 3 });
    expect(run.paused).toMatchObject({ success: true, message: 'Campaign paused successfully', campaign: { status: 'paused' }, affectedCalls: { initiated: 3 } });
    expect(run.resumed).toMatchObject({ success: true, message: 'Campaign resumed successfully', campaign: { status: 'running' } });
    expect(run.completed).toMatchObject({
      status: 'completed',
      total_lead_count: 3,
      sent_lead_count: 3,
      picked_up_calls: 2,
      first_retry_count: 1,
      second_retry_count: 1,
      attempt_stages: [
        { depth: 0, attempted: 3, total: 3 },
        { depth: 1, attempted: 1, total: 1 },
        { depth: 2, attempted: 1, total: 1 },
      ],
    });
    expect(run.callLogs.map((log: { to_number?: string; status?: string }) => [log.to_number, log.status])).toEqual([
      ['+14155551000', 'completed'],
      ['+14155550001', 'busy'],
      ['+14155550003', 'completed'],
      ['+14155550001', 'busy'],
      ['+14155550001', 'busy'],
    ]);
  });
});
