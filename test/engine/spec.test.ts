import { describe, expect, it } from 'vitest';
import { indexSpec, toRoutePath } from '../../src/engine/spec/load.js';
import type { OpenApiDocument } from '../../src/engine/spec/openapi.js';

const doc = (paths: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  ({ openapi: '3.1.0', info: { title: 't', version: '1' }, paths, ...extra }) as unknown as OpenApiDocument;

const ok = { responses: { '200': { description: 'ok' } } };

describe('indexSpec', () => {
  it('indexes operations with path-level parameters merged and refs resolved', () => {
    const spec = indexSpec(
      'acme.yaml',
      doc(
        {
          '/v1/things/{id}': {
            parameters: [{ $ref: '#/components/parameters/Id' }],
            get: { operationId: 'getThing', 'x-mock-permission': 'things:read', ...ok },
          },
        },
        { components: { parameters: { Id: { name: 'id', in: 'path', required: true, schema: { type: 'string' } } } } },
      ),
    );
    expect(spec.operations).toEqual([
      expect.objectContaining({ operationId: 'getThing', method: 'get', path: '/v1/things/{id}', permission: 'things:read', parameters: [expect.objectContaining({ name: 'id' })] }),
    ]);
  });

  it.each([
    ['not 3.1', { ...doc({}), openapi: '3.0.3' }, 'is OpenAPI 3.0.3; the engine reads OpenAPI 3.1'],
    ['no operationId', doc({ '/v1/a': { get: ok } }), 'GET /v1/a has no operationId'],
    ['a duplicate operationId', doc({ '/v1/a': { get: { operationId: 'x', ...ok } }, '/v1/b': { get: { operationId: 'x', ...ok } } }), 'operationId "x" is used by both GET /v1/a and GET /v1/b'],
    ['an undeclared path parameter', doc({ '/v1/a/{id}': { get: { operationId: 'x', ...ok } } }), 'uses {id} in its path but declares no path parameter "id"'],
    ['a dangling $ref', doc({ '/v1/a': { get: { operationId: 'x', responses: { '200': { $ref: '#/components/responses/Nope' } } } } }), '$ref #/components/responses/Nope points at nothing'],
    ['an unknown security scheme', doc({ '/v1/a': { get: { operationId: 'x', security: [{ key: [] }], ...ok } } }), 'requires security scheme "key"'],
    ['no responses', doc({ '/v1/a': { get: { operationId: 'x' } } }), 'GET /v1/a documents no responses'],
  ])('refuses a spec with %s', (_, document, message) => {
    expect(() => indexSpec('acme.yaml', document as OpenApiDocument)).toThrow(message);
  });

  it('turns path templates into Hono routes', () => {
    expect(toRoutePath('/v1/campaigns-leads/upload-file/{campaignId}')).toBe('/v1/campaigns-leads/upload-file/:campaignId');
  });
});
