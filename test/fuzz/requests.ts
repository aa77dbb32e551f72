import fc from 'fast-check';
import type { JsonSchema, SecuritySchemeObject } from '../../src/engine/spec/openapi.js';
import type { OperationSpec, Spec } from '../../src/engine/spec/load.js';
import { isJsonMediaType } from '../../src/engine/spec/compile.js';
import { schemaArbitrary, type RefResolver } from '../helpers/schema-arbitrary.js';

type Body = NonNullable<RequestInit['body']>;

/** A request the fuzzer sends: already a URL path and a `RequestInit`, with a label for failures. */
export interface FuzzRequest {
  kind: 'valid' | 'one field broken' | 'hostile';
  label: string;
  path: string;
  init: RequestInit & { method: string; headers: Record<string, string> };
  /** The path may no longer route to the operation (a `.` or `..` segment): check only for no 5xx. */
  mayLeaveOperation?: boolean;
}

/** Strings that have broken servers before: SQL, path traversal, format strings, control and odd Unicode characters. */
export const HOSTILE_STRINGS: readonly string[] = [
  "' OR '1'='1' --",
  "'; DROP TABLE campaigns; --",
  '" OR ""="',
  '1; SELECT * FROM sqlite_master',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '%2e%2e%2f%2e%2e%2f',
  '....//....//',
  '%s%s%s%n',
  '${jndi:ldap://127.0.0.1/a}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '\u0000',
  'a\u0000b',
  '\r\nX-Injected: 1',
  '\ud800',
  '\u202e\u0041\u0042',
  '🦄'.repeat(20),
  ' ',
  '',
  'x'.repeat(5000),
  '__proto__',
  'constructor',
  'NaN',
  '-1',
  '1e400',
  '99999999999999999999999999',
];

/** A credential a hostile client sends. */
export const HOSTILE_KEY = "' OR 1=1 --";

/** Values that break a field's type or range. */
const BROKEN_VALUES: readonly unknown[] = [
  null,
  true,
  0,
  -1,
  1.5,
  2 ** 53 + 1,
  1e308,
  -1e308,
  Number.MIN_VALUE,
  '',
  'x'.repeat(300),
  [],
  [null],
  {},
  { nested: { deeper: [1, 'two', null] } },
  ...HOSTILE_STRINGS.slice(0, 12),
];

/** Bodies no JSON parser should choke the mock with: broken bytes, nesting, giant numbers, wrong shapes. */
export const HOSTILE_JSON_BODIES: ReadonlyArray<{ label: string; body: Uint8Array | string }> = [
  { label: 'invalid UTF-8 bytes', body: new Uint8Array([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]) },
  { label: 'a lone continuation byte', body: new Uint8Array([0x80]) },
  { label: 'UTF-16 with a byte-order mark', body: new Uint8Array([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]) },
  { label: 'arrays nested 100,000 deep', body: `${'['.repeat(100_000)}${']'.repeat(100_000)}` },
  { label: 'objects nested 100,000 deep', body: `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}` },
  { label: 'a number too large for a double', body: '1e400' },
  { label: 'a 10,000-digit number', body: `1${'0'.repeat(10_000)}` },
  { label: 'null', body: 'null' },
  { label: 'an array', body: '[1,2,3]' },
  { label: 'a string', body: '"campaign"' },
  { label: 'prototype pollution', body: '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}' },
  { label: 'duplicate keys', body: '{"name":"a","name":"b"}' },
  { label: 'truncated JSON', body: '{"name":"a",' },
  { label: 'a NUL byte', body: '\u0000' },
  { label: 'nothing but whitespace', body: ' \n\t ' },
];

/** Content types an operation does not take, or that are malformed. */
export const HOSTILE_CONTENT_TYPES: readonly string[] = [
  'text/plain',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'multipart/form-data; boundary=',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  ';;;',
  'application/',
  '*/*',
];

/**
 * Builds the fuzzer's requests for one operation from its spec: path, query and body values
 * drawn from their schemas; then the same with one field broken; then hostile ones.
 */
export class RequestFactory {
  readonly resolve: RefResolver;

  constructor(
    private readonly spec: Spec,
    private readonly operation: OperationSpec,
    /** Values that name real records (ids the contract plan made), to reach past the 404s. */
    private readonly known: readonly string[],
    private readonly key: string,
  ) {
    this.resolve = (ref) => {
      const prefix = '#/components/schemas/';
      return ref.startsWith(prefix) ? spec.document.components?.schemas?.[ref.slice(prefix.length)] : undefined;
    };
  }

  valid(): fc.Arbitrary<FuzzRequest> {
    return fc.record({ path: this.pathArbitrary(false), query: this.queryArbitrary(false), body: this.bodyArbitrary() }).map(({ path, query, body }) =>
      this.assemble('valid', 'values drawn from the schemas', path, query, body),
    );
  }

  oneFieldBroken(): fc.Arbitrary<FuzzRequest> {
    const mediaType = this.jsonMediaType();
    const schema = mediaType ? this.operation.requestBody?.content[mediaType]?.schema : undefined;
    const brokenBody =
      schema === undefined
        ? undefined
        : fc
            .tuple(schemaArbitrary(schema, this.resolve), fc.nat(), fc.oneof(fc.constant<'delete'>('delete'), fc.constantFrom(...BROKEN_VALUES)))
            .map(([value, index, mutation]) => breakOneField(value, index, mutation));
    const brokenParameter = fc.record({ path: this.pathArbitrary(true), query: this.queryArbitrary(true), body: this.bodyArbitrary() });
    const arbitraries: Array<fc.Arbitrary<FuzzRequest>> = [
      brokenParameter.map(({ path, query, body }) => this.assemble('one field broken', 'a path or query parameter broken', path, query, body)),
    ];
    if (brokenBody && mediaType) {
      arbitraries.push(
        fc.record({ path: this.pathArbitrary(false), query: this.queryArbitrary(false), broken: brokenBody }).map(({ path, query, broken }) =>
          this.assemble('one field broken', `body ${broken.where} broken`, path, query, { contentType: mediaType, body: JSON.stringify(broken.value) ?? 'null' }),
        ),
      );
    }
    return fc.oneof(...arbitraries);
  }

  hostile(): fc.Arbitrary<FuzzRequest> {
    const arbitraries: Array<fc.Arbitrary<FuzzRequest>> = [
      fc.record({ path: this.pathArbitrary(true), query: this.queryArbitrary(true), credential: fc.constantFrom('none', 'hostile', 'own') }).map(({ path, query, credential }) => {
        const request = this.assemble('hostile', `credential ${credential}`, path, query, this.exampleBody());
        if (credential !== 'own') for (const name of this.credentialHeaders()) delete request.init.headers[name];
        if (credential === 'hostile') for (const name of this.credentialHeaders()) request.init.headers[name] = name === 'authorization' ? `Bearer ${HOSTILE_KEY}` : HOSTILE_KEY;
        return request;
      }),
    ];
    if (this.operation.requestBody) {
      const bodies = this.jsonMediaType() ? HOSTILE_JSON_BODIES : [...HOSTILE_JSON_BODIES.slice(0, 3), { label: 'random bytes', body: new Uint8Array([0, 255, 1, 254, 10, 13]) }];
      arbitraries.push(
        fc.record({ path: this.pathArbitrary(false), hostile: fc.constantFrom(...bodies), contentType: fc.constantFrom(...this.acceptedTypes()) }).map(({ path, hostile, contentType }) =>
          this.assemble('hostile', `body: ${hostile.label}`, path, '', { contentType, body: hostile.body }),
        ),
        fc.record({ path: this.pathArbitrary(false), contentType: fc.constantFrom(...HOSTILE_CONTENT_TYPES), body: this.bodyArbitrary() }).map(({ path, contentType, body }) =>
          this.assemble('hostile', `Content-Type: ${contentType}`, path, '', { contentType, body: body?.body ?? '{}' }),
        ),
      );
    }
    return fc.oneof(...arbitraries);
  }

  /** A body one byte over the vendor's limit for this operation's media type. */
  oversized(limits: { json: number; multipart: number }): FuzzRequest | undefined {
    const [mediaType] = Object.keys(this.operation.requestBody?.content ?? {});
    if (!mediaType) return undefined;
    const path = this.operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodePathSegment(this.exampleParameter(name)));
    if (mediaType === 'multipart/form-data') {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(limits.multipart + 1)]), 'big.csv');
      return this.assemble('hostile', 'a multipart body over the limit', path, '', { body: form });
    }
    return this.assemble('hostile', 'a body over the limit', path, '', { contentType: mediaType, body: `"${'x'.repeat(limits.json)}"` });
  }

  private assemble(kind: FuzzRequest['kind'], label: string, path: string, query: string, body: { contentType?: string; body: Body } | undefined): FuzzRequest {
    const headers: Record<string, string> = {};
    const search = new URLSearchParams(query);
    for (const name of Object.keys(this.operation.security[0] ?? {})) {
      const scheme = this.spec.securitySchemes[name] as SecuritySchemeObject;
      if (scheme.type === 'http') headers.authorization = `Bearer ${this.key}`;
      else if (scheme.in === 'header') headers[scheme.name.toLowerCase()] = this.key;
      else if (scheme.in === 'query') search.set(scheme.name, this.key);
    }
    if (body?.contentType !== undefined) headers['content-type'] = body.contentType;
    const text = search.toString();
    // A `.` or `..` segment, or an empty one, routes elsewhere (or nowhere): only "no 5xx" and "no write" apply.
    const mayLeaveOperation = /\/\.{1,2}(\/|$)/.test(path) || /%2e/i.test(path) || /\/\/|\/$/.test(path);
    return {
      kind,
      label,
      path: `${path}${text ? `?${text}` : ''}`,
      init: { method: this.operation.method.toUpperCase(), headers, ...(body === undefined ? {} : { body: body.body }) },
      ...(mayLeaveOperation ? { mayLeaveOperation } : {}),
    };
  }

  private pathArbitrary(broken: boolean): fc.Arbitrary<string> {
    const names = this.operation.parameters.filter((p) => p.in === 'path');
    const pick = (name: string) => {
      const schema = this.operation.parameters.find((p) => p.in === 'path' && p.name === name)?.schema ?? { type: 'string' };
      const good = fc.oneof({ arbitrary: fc.constantFrom(this.exampleParameter(name), ...this.known), weight: 4 }, { arbitrary: schemaArbitrary(schema, this.resolve).map(String), weight: 1 });
      if (!broken) return good.map(encodePathSegment);
      return fc.oneof(
        good.map(encodePathSegment),
        fc.constantFrom(...HOSTILE_STRINGS).map(encodePathSegment),
        // Raw, as a careless client would send them: percent signs that decode to nothing valid.
        fc.constantFrom('%ff%fe', '%', '%zz', '%c3%28', '%00', 'a%2Fb', '%2e%2e'),
      );
    };
    if (names.length === 0) return fc.constant(this.operation.path);
    return fc.tuple(...names.map((p) => pick(p.name))).map((values) => {
      let path = this.operation.path;
      names.forEach((p, i) => (path = path.replace(`{${p.name}}`, values[i] as string)));
      return path;
    });
  }

  private queryArbitrary(broken: boolean): fc.Arbitrary<string> {
    const parameters = this.operation.parameters.filter((p) => p.in === 'query');
    if (parameters.length === 0) return fc.constant('');
    const entries = parameters.map((p) => {
      const value = schemaArbitrary(p.schema ?? { type: 'string' }, this.resolve).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
      const hostile = fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), fc.constantFrom(...BROKEN_VALUES).map((v) => String(v)));
      const drawn = broken ? fc.oneof(value, hostile) : value;
      return fc.option(fc.array(drawn, { minLength: 1, maxLength: broken ? 2 : 1 }), { nil: undefined }).map((values) => [p.name, values] as const);
    });
    return fc.tuple(...entries).map((pairs) => {
      const search = new URLSearchParams();
      for (const [name, values] of pairs) for (const value of values ?? []) search.append(name, value);
      return search.toString();
    });
  }

  private bodyArbitrary(): fc.Arbitrary<{ contentType?: string; body: Body } | undefined> {
    const content = this.operation.requestBody?.content;
    if (!content) return fc.constant(undefined);
    const [mediaType, media] = Object.entries(content)[0] ?? [];
    if (!mediaType || !media) return fc.constant(undefined);
    if (isJsonMediaType(mediaType)) {
      const example = media.example ?? Object.values(media.examples ?? {})[0]?.value;
      const drawn = schemaArbitrary(media.schema ?? true, this.resolve);
      const value = example === undefined ? drawn : fc.oneof(fc.constant(example), drawn);
      return value.map((v) => ({ contentType: mediaType, body: JSON.stringify(v) ?? 'null' }));
    }
    if (mediaType === 'multipart/form-data') return this.formArbitrary(media.schema);
    return fc.string({ maxLength: 200 }).map((text) => ({ contentType: mediaType, body: `phone_number\n${text}\n+14155550100\n` }));
  }

  private formArbitrary(schema: JsonSchema | undefined): fc.Arbitrary<{ body: Body }> {
    const object = (schema ?? {}) as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
    const csvRow = fc.oneof(fc.stringMatching(/^\+1415555\d{4}$/), fc.constantFrom(...HOSTILE_STRINGS.slice(0, 16)), fc.string({ maxLength: 20 }));
    const fields = Object.entries(object.properties ?? {}).map(([name, property]) => {
      const required = object.required?.includes(name) ?? false;
      const value =
        property.format === 'binary'
          ? name.includes('transformation')
            ? fc.constantFrom('{"phone_number":{"column_name":"phone_number"}}', '{"phone_number":', '[]')
            : fc.array(csvRow, { minLength: 0, maxLength: 4 }).map((rows) => ['phone_number,name', ...rows.map((r) => `${r},Fuzz`)].join('\n'))
          : schemaArbitrary(property, this.resolve).map(String);
      const drawn = value.map((v) => [name, property.format === 'binary', v] as const);
      return required ? drawn : fc.option(drawn, { nil: undefined });
    });
    return fc.tuple(...fields).map((entries) => {
      const form = new FormData();
      for (const entry of entries) {
        if (!entry) continue;
        const [name, binary, value] = entry;
        if (binary) form.append(name, new Blob([value], { type: 'text/csv' }), `${name}.csv`);
        else form.append(name, value);
      }
      return { body: form };
    });
  }

  private exampleBody(): { contentType?: string; body: Body } | undefined {
    const [mediaType, media] = Object.entries(this.operation.requestBody?.content ?? {})[0] ?? [];
    if (!mediaType || !media || !isJsonMediaType(mediaType)) return undefined;
    return { contentType: mediaType, body: JSON.stringify(media.example ?? Object.values(media.examples ?? {})[0]?.value ?? {}) };
  }

  private exampleParameter(name: string): string {
    const schema = (this.operation.parameters.find((p) => p.in === 'path' && p.name === name)?.schema ?? {}) as Record<string, unknown>;
    return String(schema.example ?? this.known[0] ?? 'x');
  }

  private jsonMediaType(): string | undefined {
    return Object.keys(this.operation.requestBody?.content ?? {}).find(isJsonMediaType);
  }

  private acceptedTypes(): string[] {
    return Object.keys(this.operation.requestBody?.content ?? { 'application/json': {} });
  }

  private credentialHeaders(): string[] {
    return Object.keys(this.operation.security[0] ?? {}).flatMap((name) => {
      const scheme = this.spec.securitySchemes[name] as SecuritySchemeObject;
      return scheme.type === 'http' ? ['authorization'] : scheme.in === 'header' ? [scheme.name.toLowerCase()] : [];
    });
  }
}

/** Percent-encodes a path segment; a lone surrogate cannot be, so it goes as U+FFFD (as a browser sends it). */
function encodePathSegment(value: string): string {
  return encodeURIComponent(value.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));
}

/** Replaces (or deletes) one field of a value: the `index`-th of its fields, depth first. */
function breakOneField(value: unknown, index: number, mutation: unknown): { where: string; value: unknown } {
  const paths: Array<Array<string | number>> = [];
  const walk = (node: unknown, path: Array<string | number>) => {
    if (path.length > 6) return;
    if (Array.isArray(node)) node.forEach((child, i) => (paths.push([...path, i]), walk(child, [...path, i])));
    else if (typeof node === 'object' && node !== null) for (const [key, child] of Object.entries(node)) paths.push([...path, key]), walk(child, [...path, key]);
  };
  walk(value, []);
  if (paths.length === 0) return { where: '(whole)', value: mutation === 'delete' ? {} : mutation };
  const path = paths[index % paths.length] as Array<string | number>;
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let parent: Record<string | number, unknown> = copy;
  for (const segment of path.slice(0, -1)) parent = parent[segment] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (mutation === 'delete') {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else {
    parent[last] = mutation;
  }
  return { where: path.join('.'), value: copy };
}
