import { Hono } from 'hono';
import { createLogger, type Logger } from '../../src/logger.js';
import { mountVendor } from '../../src/engine/pipeline/mount.js';
import type { OpenApiDocument } from '../../src/engine/spec/openapi.js';
import { indexSpec } from '../../src/engine/spec/load.js';
import { compileSpecs } from '../../src/engine/spec/compile.js';
import type { AnyHandler, VendorModule } from '../../src/engine/vendor.js';
import type { Database } from 'better-sqlite3';
import { openDatabase } from '../../src/store/database.js';
import { migrate } from '../../src/store/migrations.js';
import { Imports, importMigrations } from '../../src/store/imports.js';
import { SandboxRegistry, sandboxMigrations } from '../../src/store/sandboxes.js';
import { simMigrations } from '../../src/sim/migrations.js';
import { Simulator } from '../../src/sim/simulator.js';
import { WebhookDispatcher } from '../../src/sim/webhooks.js';

/** A one-operation vendor, to test the engine apart from any real vendor. */
export const acmeDocument = {
  openapi: '3.1.0',
  info: { title: 'Acme', version: '1' },
  security: [{ key: [] }],
  paths: {
    '/acme/widgets': {
      post: {
        operationId: 'createWidget',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['name'],
                properties: { name: { type: 'string' }, size: { type: 'integer', maximum: 10 } },
              },
            },
          },
        },
        responses: {
          '201': {
            description: 'made',
            content: { 'application/json': { schema: { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } } } },
          },
          '400': { description: 'bad', content: { 'application/json': { schema: { type: 'object' } } } },
          '401': { description: 'who', content: { 'application/json': { schema: { type: 'object' } } } },
          '403': { description: 'no', content: { 'application/json': { schema: { type: 'object' } } } },
          '413': { description: 'big', content: { 'application/json': { schema: { type: 'object' } } } },
          '500': { description: 'oops', content: { 'application/json': { schema: { type: 'object' } } } },
        },
      },
    },
  },
  components: { securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'X-Key' } } },
} as unknown as OpenApiDocument;

export function acmeVendor(handlers: Record<string, AnyHandler>, overrides: Partial<VendorModule> = {}): VendorModule {
  return {
    name: 'acme',
    title: 'Acme',
    basePath: '/acme',
    specFile: 'acme.yaml',
    migrations: [],
    emptyJsonBody: 'missing',
    keySettings: { type: 'object' },
    bodyLimits: { json: 1024, multipart: 1024 },
    validationStatus: 400,
    errors: {
      invalidRequest: (issues) => ({ status: 400, body: { issues: issues.map((i) => `${i.location}:${i.path.join('.')}:${i.keyword}`) } }),
      unauthorized: () => ({ status: 401, body: { who: true } }),
      forbidden: () => ({ status: 403, body: {} }),
      payloadTooLarge: () => ({ status: 413, body: {} }),
      routeNotFound: () => ({ status: 404, body: {} }),
      internalError: () => ({ status: 500, body: { oops: true } }),
      error: (status, message) => ({ status, body: { message } }),
    },
    create: () => ({ handlers }),
    ...overrides,
  };
}

export function mountAcme(
  handlers: Record<string, AnyHandler>,
  options: { strict: boolean; logger?: Logger; document?: OpenApiDocument; vendor?: Partial<VendorModule>; db?: Database },
) {
  const spec = indexSpec('acme.yaml', options.document ?? acmeDocument);
  const db = options.db ?? openDatabase();
  migrate(db, [...sandboxMigrations, ...importMigrations, ...simMigrations]);
  const app = new Hono();
  const vendor = acmeVendor(handlers, options.vendor);
  const simulator = new Simulator(db);
  const sandboxes = new SandboxRegistry(db);
  mountVendor(
    app,
    {
      vendor,
      spec,
      operations: compileSpecs([spec]).get(spec) ?? [],
      handlers: vendor.create({ db, simulator, webhooks: new WebhookDispatcher(db, [], createLogger('silent')), imports: new Imports(db, sandboxes) }).handlers,
    },
    {
      sandboxes,
      logger: options.logger ?? createLogger('silent'),
      strict: options.strict,
      now: () => new Date(),
      transaction: (_sandbox, write) => db.transaction(write)(),
    },
  );
  return app;
}
