import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockApp, SPECS_DIR, type MockApp } from '../../src/app.js';
import { checkAnswer } from '../../src/contract/answer-check.js';
import { runContract } from '../../src/contract/runner.js';
import { loadSpec } from '../../src/engine/spec/load.js';
import { compileSpecs } from '../../src/engine/spec/compile.js';
import { createLogger } from '../../src/logger.js';
import { VENDORS } from '../../src/vendors/registry.js';
import { HOSTILE_KEY, RequestFactory, type FuzzRequest } from './requests.js';

/**
 * Property-based fuzzing of every operation of every vendor, with requests drawn from the specs'
 * schemas: valid ones, ones with one field broken, and hostile ones (broken UTF-8, deep nesting,
 * giant numbers, SQL and path-traversal strings, wrong content types, bodies over the limit).
 * For every request: no 5xx, an answer in bounded time, an answer that keeps to the spec, and —
 * when the request is refused (4xx) — no change to any row of the database.
 *
 * `npm test` runs a fixed seed and a short count; `npm run fuzz` a long one (FUZZ_RUNS, FUZZ_SEED).
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20_260_301);
const RUNS = Number(process.env.FUZZ_RUNS ?? 12);
/** Far beyond any answer of an in-process mock: only a request that hangs reaches it. */
const HANG_MS = 10_000;

const tally = { operations: 0, requests: 0, serverErrors: 0, violations: 0, refused: 0 };

afterAll(() => {
  process.stdout.write(
    `fuzz (seed ${SEED}, ${RUNS} runs per property): ${tally.operations} operations, ${tally.requests} requests, ` +
      `${tally.refused} refused (4xx), ${tally.serverErrors} 5xx, ${tally.violations} contract violations\n`,
  );
});

for (const vendor of VENDORS) {
  const spec = loadSpec(`${SPECS_DIR}${vendor.specFile}`);
  const compiled = new Map((compileSpecs([spec]).get(spec) ?? []).map((op) => [op.spec.operationId, op]));
  const key = `fuzz_${vendor.name}`;

  describe(`fuzzing ${vendor.title} (seed ${SEED}, ${RUNS} runs per property)`, () => {
    let mock: MockApp;
    let known: string[] = [];

    beforeAll(async () => {
      mock = createMockApp({ strict: true, speed: 0, logger: createLogger('silent') });
      // Records in every state the API can reach, so generated ids and bodies get past the 404s.
      const seeded = await runContract({
        vendor,
        spec,
        plan: vendor.contractPlan as NonNullable<typeof vendor.contractPlan>,
        baseUrl: 'http://mock.local',
        key,
        write: true,
        fetch: async (url, init) => mock.app.request(url, init),
      });
      expect(seeded.counts.failed, 'the contract plan seeds the fuzzed sandbox').toBe(0);
      known = [...new Set(Object.values(seeded.values))];
      // The hostile credential's sandbox exists before the fuzzing: a first request from a new
      // key makes its sandbox, which is a write the "refused requests write nothing" check would see.
      mock.sandboxes.resolve(HOSTILE_KEY);
      await mock.advanceClock(0, key);
    });
    afterAll(() => mock?.close());

    /** Sends one request and checks every property; throws (failing the property) on the first broken one. */
    const probe = async (operationId: string, request: FuzzRequest): Promise<void> => {
      const before = stateHash(mock.db);
      let timer: NodeJS.Timeout | undefined;
      const hang = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${HANG_MS / 1000} s`)), HANG_MS);
      });
      const response = await Promise.race([mock.app.request(`http://mock.local${request.path}`, request.init), hang]).finally(() => clearTimeout(timer));
      const text = await response.text();
      tally.requests++;
      const where = `${request.kind} (${request.label}): ${request.init.method} ${request.path.slice(0, 300)} → ${response.status} ${text.slice(0, 300)}`;
      if (response.status >= 500) tally.serverErrors++;
      expect(response.status, where).toBeLessThan(500);
      if (!request.mayLeaveOperation) {
        const mismatches = checkAnswer(compiled.get(operationId)!, response.status, response.headers.get('content-type'), text);
        tally.violations += mismatches.length > 0 ? 1 : 0;
        expect(mismatches, where).toEqual([]);
      }
      if (response.status >= 400) {
        tally.refused++;
        expect(stateHash(mock.db), `a refused request changed the database: ${where}`).toBe(before);
      }
    };

    for (const operation of spec.operations) {
      it(`${operation.operationId}: valid, one field broken, and hostile requests`, async () => {
        tally.operations++;
        const factory = new RequestFactory(spec, operation, known, key);
        const settings = { seed: SEED, numRuns: RUNS, endOnFailure: true };
        await fc.assert(fc.asyncProperty(factory.valid(), (request) => probe(operation.operationId, request)), settings);
        await fc.assert(fc.asyncProperty(factory.oneFieldBroken(), (request) => probe(operation.operationId, request)), settings);
        await fc.assert(fc.asyncProperty(factory.hostile(), (request) => probe(operation.operationId, request)), { ...settings, numRuns: RUNS * 2 });
        const oversized = factory.oversized(vendor.bodyLimits);
        if (oversized) await probe(operation.operationId, oversized);
      }, Math.max(30_000, RUNS * 1_000));
    }
  });
}

/** A hash of every row of every table: equal before and after means nothing was written. */
function stateHash(db: Database): string {
  const hash = createHash('sha256');
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
  for (const table of tables) {
    hash.update(table);
    for (const row of db.prepare(`SELECT * FROM "${table.replace(/"/g, '""')}"`).raw().iterate()) hash.update(JSON.stringify(row, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v instanceof Buffer ? v.toString('hex') : v)));
  }
  return hash.digest('hex');
}

/** Bugs the fuzzer found, kept as tests of their fixes. */
describe('what fuzzing found', () => {
  const deep = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
  let mock: MockApp;
  beforeAll(() => {
    mock = createMockApp({ strict: true, speed: 0, logger: createLogger('silent') });
  });
  afterAll(() => mock?.close());

  // Journal.record measured the body with JSON.stringify, which overflowed the stack.
  it('a JSON body of arrays nested 100,000 deep is refused with a 4xx, not a 500 (the journal)', async () => {
    const response = await mock.app.request('/v1/campaigns', { method: 'POST', headers: { authorization: 'Bearer fuzz_deep', 'content-type': 'application/json' }, body: deep(100_000) });
    expect(response.status).toBeLessThan(500);
  });

  // FastAPI's envelope echoes the failing value as `input`, which could not be serialised.
  it('a field nested 100,000 deep is refused with a 422, not a 500 (the echoed input)', async () => {
    const response = await mock.app.request('/api/scheduling/v1/orgs/o/workspaces/w/campaigns', {
      method: 'POST',
      headers: { 'x-api-key': 'fuzz_deep', 'content-type': 'application/json' },
      body: `{"name":${deep(100_000)}}`,
    });
    expect(response.status).toBeLessThan(500);
  });

  // ajv took `1e400` (Infinity) and `1e308` as integers, and the handlers bound them to
  // SQLite's LIMIT/OFFSET: "datatype mismatch". Integers are now bounded to ±2^53 − 1.
  it('a page number of 1e400 (Infinity) or 1e308 is refused (DialNexa call logs)', async () => {
    const response = await mock.app.request('/v1/call-logs?page=1e400', { headers: { authorization: 'Bearer fuzz_deep' } });
    expect([response.status, ((await response.json()) as { message: string }).message]).toEqual([400, 'page must be a number conforming to the specified constraints']);
    const huge = await mock.app.request('/v1/call-logs?page=1e308', { headers: { authorization: 'Bearer fuzz_deep' } });
    expect([huge.status, ((await huge.json()) as { message: string }).message]).toEqual([400, 'page must not be greater than 9007199254740991']);
  });
  it('a body number of 1e400 (Infinity) is refused, not stored', async () => {
    const response = await mock.app.request('/v1/campaigns', {
      method: 'POST',
      headers: { authorization: 'Bearer fuzz_deep', 'content-type': 'application/json' },
      body: '{"name":"n","agent_id":"a","from_phone_number":"+14155550100","retry_config":{"max_retries":1e400}}',
    });
    expect([response.status, ((await response.json()) as { message: string }).message]).toEqual([400, 'retry_config.max_retries must be a number conforming to the specified constraints']);
  });
  it('an offset of 9223372036854775807 is refused as out of range (Sarvam campaign list)', async () => {
    const response = await mock.app.request('/api/scheduling/v1/orgs/o/workspaces/w/campaigns?offset=9223372036854775807', { headers: { 'x-api-key': 'fuzz_deep' } });
    expect(response.status).toBe(422);
    expect(((await response.json()) as { detail: Array<{ type: string }> }).detail[0]?.type).toBe('less_than_equal');
  });
  // The page links were built from the raw path, whose stray `%` made them invalid URIs.
  it('a stray % in a Sarvam list path gives page links that are valid URIs', async () => {
    const headers = { 'x-api-key': 'fuzz_percent', 'content-type': 'application/json' };
    const response = await mock.app.request('/api/scheduling/v1/orgs/o/workspaces/%/campaigns?offset=10', { headers });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { prev_page_uri: string }).prev_page_uri).toBe('/api/scheduling/v1/orgs/o/workspaces/%25/campaigns?offset=0');
  });
});
