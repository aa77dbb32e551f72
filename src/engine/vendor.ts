import type { Database } from 'better-sqlite3';
import type { ContractPlan } from '../contract/plan.js';
import type { Imports } from '../store/imports.js';
import type { Migration } from '../store/migrations.js';
import type { Sandbox } from '../store/sandboxes.js';
import type { DialerEffects } from '../sim/model.js';
import type { Simulator } from '../sim/simulator.js';
import type { WebhookDispatcher } from '../sim/webhooks.js';
import type { ValidationIssue } from './issues.js';
import type { Reply } from './reply.js';
import type { JsonSchema } from './spec/openapi.js';
import type { PathMatching } from './spec/routes.js';
import type { OperationSpec } from './spec/load.js';

/** Everything a handler may read about the request; already authenticated and validated. */
export interface RequestContext {
  readonly sandbox: Sandbox;
  readonly operation: OperationSpec;
  /** Path parameters, coerced to their schema types. */
  readonly params: Record<string, unknown>;
  /** Query parameters, coerced to their schema types. */
  readonly query: Record<string, unknown>;
  /** Request headers, names lowercased. */
  readonly headers: Record<string, string>;
  /** One request header, by its lowercase name (without gathering them all, as `headers` does). */
  header(name: string): string | undefined;
  /** The parsed JSON body, or the text fields of a form. */
  readonly body: unknown;
  /** Files of a multipart body, by field name, already read. */
  readonly files: Record<string, File>;
  /** The request's URL as it reached the mock. */
  readonly url: URL;
  /** The sandbox's current time. */
  now(): Date;
}

/**
 * Answers one operation. A write runs inside one transaction the engine owns, so everything it
 * changes — rows, the simulation, queued webhooks — commits together or, when it throws, not at
 * all; that is why a handler is synchronous. Work that must wait (parsing an uploaded workbook,
 * fetching a file from a URL) goes in `prepare`, which runs before the transaction and hands its
 * result to `handle`; `handle` re-reads whatever state the wait may have let change. (A write
 * too big for one transaction that would hold the event loop is written from `prepare` in slices,
 * all or nothing: see src/store/imports.ts.)
 *
 * @example
 * const createCampaign: Handler = (request) => ({ status: 201, body: store.insert(request.body) });
 * const uploadLeads: Handler<Lead[]> = {
 *   prepare: async (request) => (await readLeads(request.files.file, toLead)).leads,
 *   handle: (request, leads) => ({ status: 201, body: store.insertLeads(request.params.id, leads) }),
 * };
 */
export type Handler<Prepared = never> = ((request: RequestContext) => Reply) | PreparedHandler<Prepared>;

export interface PreparedHandler<Prepared> {
  prepare(request: RequestContext): Promise<Prepared>;
  handle(request: RequestContext, prepared: Prepared): Reply;
}

/** Any handler, whatever its prepare step yields. */
export type AnyHandler = ((request: RequestContext) => Reply) | PreparedHandler<unknown>;

/** How a vendor writes the errors that the engine raises on its behalf. */
export interface ErrorEnvelope {
  /** A request that failed validation (malformed JSON, wrong types, missing fields, …). */
  invalidRequest(issues: ValidationIssue[], operation: OperationSpec): Reply;
  /** No credential, a malformed one, or a key the keys file does not list. */
  unauthorized(): Reply;
  /** A key that lacks the permission the operation needs. */
  forbidden(): Reply;
  /** A body over the size limit. */
  payloadTooLarge(limitBytes: number): Reply;
  /** A path under the vendor's prefix that no operation serves. */
  routeNotFound(method: string, path: string, allowedMethods: string[]): Reply;
  /** An unexpected failure inside the mock. */
  internalError(): Reply;
  /** Any error status in the vendor's envelope, for a forced status the spec gives no example of. */
  error(status: number, message: string): Reply;
}

export interface VendorEnvironment {
  db: Database;
  /** The dialer simulation: vendors hand it their campaigns and contacts. */
  simulator: Simulator;
  /** Where vendors queue the webhooks their campaigns send. */
  webhooks: WebhookDispatcher;
  /** Big writes in slices, all or nothing (an upload of many rows: see src/store/imports.ts). */
  imports: Imports;
}

/**
 * What a vendor's web framework decides rather than the vendor: its error envelope, the status of
 * a failed validation, how an empty body reads and how paths match. `src/frameworks/` holds one
 * per framework (FastAPI, NestJS); a vendor spreads its own into its module.
 */
export type FrameworkPreset = Pick<VendorModule, 'errors' | 'validationStatus' | 'emptyJsonBody' | 'pathMatching'>;

/**
 * A vendor: its spec, its tables, its framework's answers (a preset from `src/frameworks/`), a
 * handler for every operationId, its dialer effects and its contract plan. Adding a vendor means
 * adding one of these and its spec: shipped, in `src/vendors/<name>/` and `specs/<name>.yaml`,
 * named in `src/vendors/registry.ts`; kept elsewhere, handed to `createMockApp({ vendors })`.
 * The engine needs no change.
 */
export interface VendorModule<Name extends string = string> {
  /** Short lowercase name, used in logs, the journal, the keys file and `startMock()`'s `baseUrls` (`dialnexa`). */
  name: Name;
  /** Display name (`DialNexa`). */
  title: string;
  /** Where the vendor's routes live on the mock, as in its real base URL (`/v1`, `/api/scheduling`). */
  basePath: string;
  /** The spec's file name, under `specs/` unless `specDir` says where. */
  specFile: string;
  /** The folder of `specFile` when it is not the bundled `specs/`: a vendor kept outside this package (a test's, a plugin's). */
  specDir?: string;
  migrations: Migration[];
  errors: ErrorEnvelope;
  /** The status `errors.invalidRequest` answers with (400 for NestJS, 422 for FastAPI). */
  validationStatus: number;
  /**
   * How an empty JSON body is read: `empty-object` as `{}` (Express/NestJS body parsing) or
   * `missing` (FastAPI reports the body itself as missing, and reads a JSON `null` body so too).
   */
  emptyJsonBody: 'empty-object' | 'missing';
  /** How request paths meet the spec's templates (see PathMatching); `exact` when absent. */
  pathMatching?: PathMatching;
  /** JSON Schema of this vendor's section in a keys-file entry (e.g. `dialnexa: { concurrency_limit: 5 }`). */
  keySettings: JsonSchema;
  /** Largest accepted request body, in bytes, per kind of body. */
  bodyLimits: { json: number; multipart: number };
  /**
   * Builds the vendor for one app, once: its stores (so each statement is prepared once), the
   * handlers keyed by operationId, and how simulated calls change its data.
   */
  create(environment: VendorEnvironment): VendorInstance;
  /**
   * A vendor's own access rule, checked with the key's permissions, before any validation (as an
   * auth dependency runs before the body is read): e.g. a key bound to one Sarvam workspace used
   * under another. `params` are the path parameters as sent. Answers the refusal, or nothing.
   */
  authorize?(request: { sandbox: Sandbox; params: Readonly<Record<string, string>> }): Reply | undefined;
  /** How this vendor's fixture files (`fixtures/<vendor>/*.yaml`) are checked and loaded. */
  fixtures?: FixtureLoader;
  /** The requests `campaign-mock contract --vendor <name>` sends, to the mock or the live API. */
  contractPlan?: ContractPlan;
}

/** One vendor built for one app by `VendorModule.create`. */
export interface VendorInstance {
  /** A handler for every operationId of the vendor's spec. */
  handlers: Record<string, AnyHandler>;
  /** How simulated calls change this vendor's data (its leads, logs, counters, statuses, webhooks). */
  dialerEffects?: DialerEffects;
}

/**
 * Loads seed data into one sandbox. `time` turns a fixture's time (`now`, `-3d`, `+2h`, or ISO
 * 8601) into an ISO timestamp on the sandbox's clock.
 */
export interface FixtureLoader {
  /** JSON Schema of a fixture file's data (its `description` aside). */
  schema: JsonSchema;
  /**
   * Inserts the data in one transaction, handing running campaigns to the simulator; throws if
   * any of its ids already exist in the sandbox.
   */
  load(db: Database, sandbox: Sandbox, data: unknown, time: (value: string) => string, environment: VendorEnvironment): void;
}
