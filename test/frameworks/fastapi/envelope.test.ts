import { describe, expect, it } from 'vitest';
import type { ValidationIssue } from '../../../src/engine/issues.js';
import { fastapiErrorEnvelope, pydanticErrors } from '../../../src/frameworks/fastapi/envelope.js';
import type { OpenApiDocument } from '../../../src/engine/spec/openapi.js';
import { mountAcme } from '../../engine/acme.js';

const errorSchema = { description: 'e', content: { 'application/json': { schema: { type: 'object' } } } };
const document = {
  openapi: '3.1.0',
  info: { title: 'FastAPI-ish', version: '1' },
  security: [{ key: [] }],
  paths: {
    '/acme/widgets': {
      post: {
        operationId: 'createWidget',
        parameters: [{ name: 'page', in: 'query', schema: { type: 'integer', minimum: 1 } }],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['name', 'workflow_id'],
                properties: {
                  name: { type: 'string', minLength: 1, maxLength: 255 },
                  workflow_id: { type: 'integer' },
                  source_type: { type: 'string', pattern: '^csv$' },
                  max_concurrency: { type: 'integer', minimum: 1, maximum: 100 },
                  retry_config: {
                    type: 'object',
                    properties: { max_retries: { type: 'integer', minimum: 0, maximum: 10 }, enabled: { type: 'boolean' } },
                  },
                  circuit_breaker: { type: 'object', properties: { failure_threshold: { type: 'number', minimum: 0, maximum: 1 } } },
                  slots: { type: 'array', minItems: 1, maxItems: 2, items: { type: 'string' } },
                  action: { enum: ['pause', 'resume', 'cancel'] },
                },
              },
            },
          },
        },
        responses: { '201': { description: 'ok' }, '401': errorSchema, '403': errorSchema, '413': errorSchema, '422': errorSchema },
      },
    },
  },
  components: { securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'X-API-Key' } } },
} as unknown as OpenApiDocument;

const app = mountAcme(
  { createWidget: () => ({ status: 201 }) },
  { strict: true, document, vendor: { errors: fastapiErrorEnvelope({ unauthorized: 'Invalid or expired API key', forbidden: 'Forbidden' }), validationStatus: 422 } },
);
const post = async (body: string, query = '', headers: Record<string, string> = { 'content-type': 'application/json' }) => {
  const res = await app.request(`/acme/widgets${query}`, { method: 'POST', headers: { 'x-api-key': 'k', ...headers }, body });
  return { status: res.status, body: (await res.json()) as { detail: unknown } };
};

describe('the FastAPI envelope', () => {
  it('reports each invalid field once, in declaration order, as pydantic v2 does', async () => {
    const body = { max_concurrency: 101, name: '', retry_config: { max_retries: 'x' }, workflow_id: 2.5 };
    const res = await post(JSON.stringify(body));
    expect(res.status).toBe(422);
    expect(res.body.detail).toEqual([
      { type: 'string_too_short', loc: ['body', 'name'], msg: 'String should have at least 1 character', input: '', ctx: { min_length: 1 } },
      { type: 'int_from_float', loc: ['body', 'workflow_id'], msg: 'Input should be a valid integer, got a number with a fractional part', input: 2.5 },
      { type: 'less_than_equal', loc: ['body', 'max_concurrency'], msg: 'Input should be less than or equal to 100', input: 101, ctx: { le: 100 } },
      { type: 'int_parsing', loc: ['body', 'retry_config', 'max_retries'], msg: 'Input should be a valid integer, unable to parse string as an integer', input: 'x' },
    ]);
  });

  it('reports missing fields with the object they are missing from, and bad query parameters', async () => {
    const res = await post(JSON.stringify({ source_type: 'xlsx' }), '?page=0');
    expect(res.body.detail).toEqual([
      { type: 'greater_than_equal', loc: ['query', 'page'], msg: 'Input should be greater than or equal to 1', input: 0, ctx: { ge: 1 } },
      { type: 'missing', loc: ['body', 'name'], msg: 'Field required', input: { source_type: 'xlsx' } },
      { type: 'missing', loc: ['body', 'workflow_id'], msg: 'Field required', input: { source_type: 'xlsx' } },
      { type: 'string_pattern_mismatch', loc: ['body', 'source_type'], msg: "String should match pattern '^csv$'", input: 'xlsx', ctx: { pattern: '^csv$' } },
    ]);
  });

  it('words floats, lists, enums, booleans and models as pydantic does', async () => {
    const res = await post(JSON.stringify({ name: 'n', workflow_id: 1, circuit_breaker: { failure_threshold: 1.5 }, slots: [], action: 'stop', retry_config: { enabled: 'maybe' } }));
    expect(res.body.detail).toEqual([
      { type: 'bool_parsing', loc: ['body', 'retry_config', 'enabled'], msg: 'Input should be a valid boolean, unable to interpret input', input: 'maybe' },
      { type: 'less_than_equal', loc: ['body', 'circuit_breaker', 'failure_threshold'], msg: 'Input should be less than or equal to 1.0', input: 1.5, ctx: { le: 1 } },
      { type: 'too_short', loc: ['body', 'slots'], msg: 'List should have at least 1 item after validation, not 0', input: [], ctx: { field_type: 'List', min_length: 1, actual_length: 0 } },
      { type: 'enum', loc: ['body', 'action'], msg: "Input should be 'pause', 'resume' or 'cancel'", input: 'stop', ctx: { expected: "'pause', 'resume' or 'cancel'" } },
    ]);
    const model = await post(JSON.stringify({ name: 'n', workflow_id: 1, retry_config: 'often' }));
    expect(model.body.detail).toEqual([
      { type: 'model_attributes_type', loc: ['body', 'retry_config'], msg: 'Input should be a valid dictionary or object to extract fields from', input: 'often' },
    ]);
  });

  it('reports malformed JSON, a missing body and a non-JSON body as FastAPI does', async () => {
    const broken = await post('{"name": "x",}');
    expect(broken.body.detail).toEqual([{ type: 'json_invalid', loc: ['body', 13], msg: 'JSON decode error', input: {}, ctx: { error: 'Expecting property name enclosed in double quotes' } }]);
    const empty = await post('');
    expect(empty.body.detail).toEqual([{ type: 'missing', loc: ['body'], msg: 'Field required', input: null }]);
    const text = await post('name=x', '', { 'content-type': 'text/plain' });
    expect(text.body.detail).toEqual([{ type: 'model_attributes_type', loc: ['body'], msg: 'Input should be a valid dictionary or object to extract fields from', input: 'name=x' }]);
  });

  it('answers a missing key with 401 and the vendor message', async () => {
    const res = await app.request('/acme/widgets', { method: 'POST', body: '{}' });
    expect([res.status, await res.json()]).toEqual([401, { detail: 'Invalid or expired API key' }]);
  });
});

describe('the FastAPI envelope, for an Optional model (anyOf with null)', () => {
  const optionalModel = {
    anyOf: [
      { type: 'object', required: ['url'], properties: { url: { type: 'string', minLength: 1 }, retries: { type: 'integer', minimum: 0 } } },
      { type: 'null' },
    ],
  };
  const optionalDocument = structuredClone(document) as unknown as { paths: Record<string, { post: { requestBody: { content: Record<string, { schema: { properties: Record<string, unknown> } }> } } }> };
  optionalDocument.paths['/acme/widgets']!.post.requestBody.content['application/json']!.schema.properties.webhook = optionalModel;
  const optionalApp = mountAcme(
    { createWidget: () => ({ status: 201 }) },
    { strict: true, document: optionalDocument as unknown as OpenApiDocument, vendor: { errors: fastapiErrorEnvelope({ unauthorized: 'u', forbidden: 'f' }), validationStatus: 422 } },
  );
  const postWebhook = async (webhook: unknown) => {
    const res = await optionalApp.request('/acme/widgets', {
      method: 'POST',
      headers: { 'x-api-key': 'k', 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'n', workflow_id: 1, webhook }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as { detail: unknown } | undefined };
  };

  it("reports only the model's errors, as pydantic does, and accepts null", async () => {
    const invalid = await postWebhook({ retries: -1 });
    expect(invalid.body?.detail).toEqual([
      { type: 'missing', loc: ['body', 'webhook', 'url'], msg: 'Field required', input: { retries: -1 } },
      { type: 'greater_than_equal', loc: ['body', 'webhook', 'retries'], msg: 'Input should be greater than or equal to 0', input: -1, ctx: { ge: 0 } },
    ]);
    const notAnObject = await postWebhook('https://example.com');
    expect(notAnObject.body?.detail).toEqual([
      { type: 'model_attributes_type', loc: ['body', 'webhook'], msg: 'Input should be a valid dictionary or object to extract fields from', input: 'https://example.com' },
    ]);
    expect((await postWebhook(null)).status).toBe(201);
  });

  it("keeps the model's own field order inside the nullable branch", async () => {
    // ajv reports a missing field before the others; pydantic goes field by field, in declaration order.
    const res = await postWebhook({ url: 7, retries: 'x' });
    expect(res.body?.detail).toEqual([
      { type: 'string_type', loc: ['body', 'webhook', 'url'], msg: 'Input should be a valid string', input: 7 },
      { type: 'int_parsing', loc: ['body', 'webhook', 'retries'], msg: 'Input should be a valid integer, unable to parse string as an integer', input: 'x' },
    ]);
    const swapped = structuredClone(optionalDocument);
    const model = swapped.paths['/acme/widgets']!.post.requestBody.content['application/json']!.schema.properties.webhook as { anyOf: Array<{ properties?: Record<string, unknown>; required?: string[] }> };
    model.anyOf[0] = { ...model.anyOf[0], required: ['url'], properties: { retries: { type: 'integer', minimum: 0 }, url: { type: 'string', minLength: 1 } } };
    const swappedApp = mountAcme(
      { createWidget: () => ({ status: 201 }) },
      { strict: true, document: swapped as unknown as OpenApiDocument, vendor: { errors: fastapiErrorEnvelope({ unauthorized: 'u', forbidden: 'f' }), validationStatus: 422 } },
    );
    const missing = await swappedApp.request('/acme/widgets', {
      method: 'POST',
      headers: { 'x-api-key': 'k', 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'n', workflow_id: 1, webhook: { retries: -1 } }),
    });
    expect(((await missing.json()) as { detail: Array<{ loc: unknown[] }> }).detail.map((e) => e.loc)).toEqual([
      ['body', 'webhook', 'retries'],
      ['body', 'webhook', 'url'],
    ]);
  });
});

describe('pydanticErrors', () => {
  const issue = (path: Array<string | number>, keyword: string, params: Record<string, unknown>, value: unknown): ValidationIssue => ({
    location: 'body',
    path,
    keyword,
    params,
    message: keyword,
    value,
    schema: { type: 'integer' },
  });

  it('reports a list item by item, as pydantic validates it, whatever the field order', () => {
    // The engine orders by declared field: day_of_week (declared first) before end_time.
    const sortedByField = [
      issue(['slots', 1, 'day_of_week'], 'maximum', { limit: 6 }, 9),
      issue(['slots', 0, 'end_time'], 'pattern', { pattern: '^\\d{2}:\\d{2}$' }, '5pm'),
      issue(['slots', 1, 'end_time'], 'pattern', { pattern: '^\\d{2}:\\d{2}$' }, '6pm'),
      issue(['timezone'], 'type', { type: 'string' }, 5),
    ];
    expect(pydanticErrors(sortedByField).map((error) => error.loc)).toEqual([
      ['body', 'slots', 0, 'end_time'],
      ['body', 'slots', 1, 'day_of_week'],
      ['body', 'slots', 1, 'end_time'],
      ['body', 'timezone'],
    ]);
  });
});
