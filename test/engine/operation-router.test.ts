import { describe, expect, it } from 'vitest';
import { OperationRouter } from '../../src/engine/spec/routes.js';

const route = (method: string, template: string, loose = false) => ({ method, template, loose, value: `${method} ${template}` });

describe("the server's operation router", () => {
  const router = new OperationRouter([
    route('GET', '/v1/campaigns/{id}'),
    route('GET', '/v1/campaigns/stats'),
    route('POST', '/v1/campaigns'),
    route('GET', '/api/scheduling/campaigns/{id}', true),
    route('GET', '/{tenant}/widgets'),
    route('GET', '/{tenant}/{kind}/list'),
  ]);

  it('matches a route with more literal segments first, and reads the parameters', () => {
    expect(router.match('GET', '/v1/campaigns/stats')).toEqual({ value: 'GET /v1/campaigns/stats', params: {} });
    expect(router.match('GET', '/v1/campaigns/cmp_1')).toEqual({ value: 'GET /v1/campaigns/{id}', params: { id: 'cmp_1' } });
    expect(router.match('POST', '/v1/campaigns')?.value).toBe('POST /v1/campaigns');
  });

  it('tries a route that starts with a parameter on any path, in its turn', () => {
    expect(router.match('GET', '/acme/widgets')).toEqual({ value: 'GET /{tenant}/widgets', params: { tenant: 'acme' } });
    // Under a first segment other routes have, too.
    expect(router.match('GET', '/v1/widgets')).toEqual({ value: 'GET /{tenant}/widgets', params: { tenant: 'v1' } });
    expect(router.match('GET', '/v1/gadgets/list')).toEqual({ value: 'GET /{tenant}/{kind}/list', params: { tenant: 'v1', kind: 'gadgets' } });
  });

  it("matches a loose vendor's routes in any case and with a trailing slash, an exact vendor's only as written", () => {
    expect(router.match('GET', '/API/Scheduling/campaigns/c1/')).toEqual({ value: 'GET /api/scheduling/campaigns/{id}', params: { id: 'c1' } });
    expect(router.match('GET', '/V1/campaigns/cmp_1')).toBeUndefined();
    expect(router.match('GET', '/v1/campaigns/cmp_1/')).toBeUndefined();
  });

  it('matches nothing for another method, another path, or a URL in absolute form', () => {
    expect(router.match('DELETE', '/v1/campaigns/cmp_1')).toBeUndefined();
    expect(router.match('POST', '/v2/campaigns')).toBeUndefined();
    expect(router.match('POST', 'http://localhost/v1/campaigns')).toBeUndefined();
    expect(router.match('GET', '/')).toBeUndefined();
  });
});
