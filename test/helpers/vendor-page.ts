import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAnswer } from '../../src/contract/answer-check.js';
import { readVendorPages, type PageFact, type VendorPage } from '../../src/contract/vendor-pages.js';
import { loadSpec } from '../../src/engine/spec/load.js';
import { compileSpecs } from '../../src/engine/spec/compile.js';
import type { MockApp } from '../../src/app.js';
import { createLogger } from '../../src/logger.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { VENDORS } from '../../src/vendors/registry.js';
import { behindPrism } from './behind-prism.js';
import { makeCaller, type Auth, type Caller } from './caller.js';

/** What a page's check gets: its own sandbox on a real server, reached directly or through Prism. */
export interface PageCheck {
  /** The sandbox key of this check (one per fact and run, so checks never share state). */
  key: string;
  /** Calls with this check's key. */
  call: Caller;
  /** Calls with this check's key straight to the server, for binary bodies Prism's proxy would re-encode (XLSX). */
  direct: Caller;
  /** Calls with another key (`null`: no credential). */
  as(key: string | null): Caller;
  /** Moves this check's sandbox clock forward, running what falls due. */
  advance(seconds: number): Promise<void>;
  /** The mock behind the server, for what the vendor API cannot do (seeding a called campaign). */
  mock(): MockApp;
  /** True when the requests go through `prism proxy --errors`. */
  viaPrism: boolean;
}

export type PageChecks = Record<string, (check: PageCheck) => Promise<void>>;

export interface PageSuiteOptions {
  auth: Auth;
  /** A keys file for the servers (e.g. a key denied campaigns:read). */
  keysFile?: string;
}

const PAGES_DIR = new URL('../../specs/pages/', import.meta.url);

/** A vendor's page, as its pages file describes it. */
export function vendorPage(vendor: string, pageId: string): VendorPage {
  const { pages } = readVendorPages(new URL(`${vendor}.yaml`, PAGES_DIR).pathname);
  const page = pages.find((p) => p.id === pageId);
  if (!page) throw new Error(`specs/pages/${vendor}.yaml has no page "${pageId}"`);
  return page;
}

/**
 * The tests of one vendor page: one per fact of its pages-file entry, run against the real HTTP
 * server and again behind `prism proxy --errors` with the project's spec. Every fact needs a
 * check and every check a fact, so the pages file and the tests cannot drift apart.
 */
export function describeVendorPage(vendor: string, pageId: string, checks: PageChecks, options: PageSuiteOptions): void {
  const page = vendorPage(vendor, pageId);
  const module = VENDORS.find((v) => v.name === vendor);
  if (!module) throw new Error(`no vendor "${vendor}"`);
  const spec = new URL(`../../specs/${module.specFile}`, import.meta.url).pathname;
  const title = `${module.title} page "${page.title}" (${page.url})`;

  describe(title, () => {
    it('has a check for every fact on the page, and a fact for every check', () => {
      expect(Object.keys(checks).sort()).toEqual(page.facts.map((fact) => fact.id).sort());
    });

    describe('over HTTP', () => {
      let server: RunningServer;
      beforeAll(async () => {
        server = await startServer({ port: 0, strict: true, speed: 0, logger: createLogger('silent'), ...(options.keysFile ? { keysFile: options.keysFile } : {}) });
      });
      afterAll(() => server?.close());
      const as = (key: string | null) => makeCaller((path, init) => fetch(`${server.url}${path}`, init), key, options.auth);
      registerFacts(page, checks, (fact) =>
        context(`pg_${pageId}_${fact.id}`, as, as, (key, seconds) => server.mock.advanceClock(key, seconds).then(() => undefined), () => server.mock, false),
      );
    });

    describe('behind prism proxy --errors', () => {
      const prism = behindPrism({ spec, auth: options.auth, minimumRequests: 1, speed: 0, ...(options.keysFile ? { keysFile: options.keysFile } : {}) });
      registerFacts(page, checks, (fact) => context(`pp_${pageId}_${fact.id}`, prism.as, prism.direct, prism.advance, prism.mock, true));
    });
  });
}

function registerFacts(page: VendorPage, checks: PageChecks, contextOf: (fact: PageFact) => PageCheck): void {
  // A fact without a check fails 'has a check for every fact on the page' instead.
  for (const fact of page.facts) {
    const check = checks[fact.id];
    if (check === undefined) continue;
    it(`${fact.id} (${fact.kind}): ${fact.page}`, async () => {
      await check(contextOf(fact));
    });
  }
}

function context(
  key: string,
  as: (key: string | null) => Caller,
  direct: (key: string) => Caller,
  advance: (key: string, seconds: number) => Promise<void>,
  mock: () => MockApp,
  viaPrism: boolean,
): PageCheck {
  return { key, call: as(key), direct: direct(key), as, advance: (seconds) => advance(key, seconds), mock, viaPrism };
}

/**
 * Runs `use` against a server of its own started with a keys file (a key denied a permission,
 * say), straight over HTTP, and stops it afterwards. The server is strict, so its answers are
 * checked against the spec.
 */
export async function withKeysFile(keysFile: string, auth: Auth, use: (as: (key: string | null) => Caller) => Promise<void>): Promise<void> {
  const server = await startServer({ port: 0, strict: true, speed: 0, keysFile, logger: createLogger('silent') });
  try {
    await use((key) => makeCaller((path, init) => fetch(`${server.url}${path}`, init), key, auth));
  } finally {
    await server.close();
  }
}

/**
 * Asserts that a body (a page's own example answer, say) is what the spec allows for an
 * operation's status: a schema stricter than the vendor's own example would make
 * `campaign-mock contract` fail the real vendor.
 */
export function expectSpecAllows(vendor: string, operationId: string, status: number, body: unknown): void {
  const module = VENDORS.find((v) => v.name === vendor);
  if (!module) throw new Error(`no vendor "${vendor}"`);
  const operations = compiledOperations(module.specFile);
  const operation = operations.find((op) => op.spec.operationId === operationId);
  if (!operation) throw new Error(`specs/${module.specFile} has no operation "${operationId}"`);
  expect(checkAnswer(operation, status, 'application/json', JSON.stringify(body)), `${operationId} ${status} allows the body`).toEqual([]);
}

const compiled = new Map<string, ReturnType<typeof compileSpecs> extends Map<unknown, infer T> ? T : never>();

function compiledOperations(specFile: string) {
  let operations = compiled.get(specFile);
  if (!operations) {
    const spec = loadSpec(new URL(`../../specs/${specFile}`, import.meta.url).pathname);
    operations = compileSpecs([spec]).get(spec) ?? [];
    compiled.set(specFile, operations);
  }
  return operations;
}
