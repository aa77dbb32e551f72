import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { acmeDocument, mountAcme } from './acme.js';

const post = (body: unknown, headers: Record<string, string> = { 'x-key': 'k1', 'content-type': 'application/json' }) => ({
  method: 'POST',
  headers,
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

describe('the request pipeline', () => {
  it('fails startup naming operations without handlers and handlers without operations', () => {
    expect(() => mountAcme({ createGadget: () => ({ status: 200 }) }, { strict: true })).toThrow(
      /operation "createWidget" in specs\/acme\.yaml has no handler[\s\S]*handler "createGadget" in src\/vendors\/acme\/ has no operation/,
    );
  });

  it('authenticates, validates and hands the handler a validated body', async () => {
    let seen: unknown;
    const app = mountAcme({ createWidget: (request) => ((seen = request.body), { status: 201, body: { id: 1 } }) }, { strict: true });
    const res = await app.request('/acme/widgets', post({ name: 'w', size: 3 }));
    expect([res.status, await res.json()]).toEqual([201, { id: 1 }]);
    expect(seen).toEqual({ name: 'w', size: 3 });
  });

  it('answers a missing credential with the vendor 401 before validating', async () => {
    const app = mountAcme({ createWidget: () => ({ status: 201, body: { id: 1 } }) }, { strict: true });
    const res = await app.request('/acme/widgets', post('not json', { 'content-type': 'application/json' }));
    expect([res.status, await res.json()]).toEqual([401, { who: true }]);
  });

  it('fails startup when the spec does not document a status the engine answers with', () => {
    const undocumented = structuredClone(acmeDocument) as any;
    delete undocumented.paths['/acme/widgets'].post.responses['413'];
    expect(() => mountAcme({ createWidget: () => ({ status: 201 }) }, { strict: true, document: undocumented })).toThrow(
      'specs/acme.yaml is missing responses:\n  createWidget must document 413, because its body has a size limit',
    );
  });

  it('passes every issue, in declaration order, to the vendor envelope', async () => {
    const app = mountAcme({ createWidget: () => ({ status: 201, body: { id: 1 } }) }, { strict: true });
    const res = await app.request('/acme/widgets', post({ size: 11 }));
    expect(await res.json()).toEqual({ issues: ['body:name:required', 'body:size:maximum'] });
    const empty = await app.request('/acme/widgets', post(''));
    expect(await empty.json()).toEqual({ issues: ['body::bodyRequired'] });
    const wrongType = await app.request('/acme/widgets', post('name=w', { 'x-key': 'k1', 'content-type': 'application/x-www-form-urlencoded' }));
    expect(await wrongType.json()).toEqual({ issues: ['header:content-type:contentType'] });
  });

  it('in strict mode, answers a reply that breaks the spec with a 500 naming the problem', async () => {
    const app = mountAcme({ createWidget: () => ({ status: 201, body: { id: 'one' } }) }, { strict: true });
    const res = await app.request('/acme/widgets', post({ name: 'w' }));
    expect(res.status).toBe(500);
    expect(await res.text()).toMatch(/^campaign-mock: the acme\.createWidget reply to POST \/acme\/widgets breaks specs\/acme\.yaml:\n {2}body\/id must be integer/);
    const undocumented = mountAcme({ createWidget: () => ({ status: 418, body: {} }) }, { strict: true });
    expect(await (await undocumented.request('/acme/widgets', post({ name: 'w' }))).text()).toMatch(/status 418 is not documented \(documented: 201, 400, 401, 403, 413, 500\)/);
  });

  it('outside strict mode, logs the violation and sends the reply as it is', async () => {
    const lines: string[] = [];
    const app = mountAcme({ createWidget: () => ({ status: 201, body: { id: 'one' } }) }, { strict: false, logger: createLogger('error', 'text', (line) => lines.push(line)) });
    const res = await app.request('/acme/widgets', post({ name: 'w' }));
    expect([res.status, await res.json()]).toEqual([201, { id: 'one' }]);
    expect(lines).toEqual([expect.stringContaining('body/id must be integer')]);
  });

  it("turns a handler's crash into the vendor's 500 and logs it", async () => {
    const lines: string[] = [];
    const app = mountAcme(
      {
        createWidget: () => {
          throw new Error('boom');
        },
      },
      { strict: true, logger: createLogger('error', 'text', (line) => lines.push(line)) },
    );
    const res = await app.request('/acme/widgets', post({ name: 'w' }));
    expect([res.status, await res.json()]).toEqual([500, { oops: true }]);
    expect(lines[0]).toMatch(/^error: acme\.createWidget failed: Error: boom/);
  });

  it('answers a body over the limit with the vendor 413', async () => {
    const app = mountAcme({ createWidget: () => ({ status: 201, body: { id: 1 } }) }, { strict: true });
    const res = await app.request('/acme/widgets', post({ name: 'x'.repeat(2000) }));
    expect(res.status).toBe(413);
  });

  it('runs a write in one transaction: a throw after the first row leaves no row behind', async () => {
    const db = new BetterSqlite3(':memory:');
    db.exec('CREATE TABLE widgets (name TEXT)');
    const insert = db.prepare('INSERT INTO widgets (name) VALUES (?)');
    const app = mountAcme(
      {
        createWidget: (request) => {
          const { name } = request.body as { name: string };
          insert.run(name);
          if (name === 'half') throw new Error('after the first row');
          insert.run(`${name}-2`);
          return { status: 201, body: { id: 1 } };
        },
      },
      { strict: true, db },
    );
    expect((await app.request('/acme/widgets', post({ name: 'half' }))).status).toBe(500);
    expect(db.prepare('SELECT count(*) AS n FROM widgets').get()).toEqual({ n: 0 });
    expect((await app.request('/acme/widgets', post({ name: 'whole' }))).status).toBe(201);
    expect(db.prepare('SELECT name FROM widgets ORDER BY name').all()).toEqual([{ name: 'whole' }, { name: 'whole-2' }]);
  });

  it('waits for a prepare step outside the transaction and hands its result to handle', async () => {
    const order: string[] = [];
    const app = mountAcme(
      {
        createWidget: {
          prepare: async (request) => {
            order.push('prepare');
            await new Promise((resolve) => setTimeout(resolve, 5));
            return (request.body as { name: string }).name.length;
          },
          handle: (_request, length: number) => {
            order.push('handle');
            return { status: 201, body: { id: length } };
          },
        },
      },
      { strict: true },
    );
    const res = await app.request('/acme/widgets', post({ name: 'four' }));
    expect([res.status, await res.json(), order]).toEqual([201, { id: 4 }, ['prepare', 'handle']]);
  });

  it('fails startup for an async handler, which could not run inside a transaction', () => {
    expect(() => mountAcme({ createWidget: (async () => ({ status: 201, body: { id: 1 } })) as never }, { strict: true })).toThrow(/handler "createWidget" is async/);
  });
});
