import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { addFormats } from './ajv-formats.js';
import type { JsonSchema, ParameterObject } from './openapi.js';
import type { OperationSpec, Spec } from './load.js';

/** OpenAPI's own schema keywords that JSON Schema does not define; ajv must accept them. */
const OPENAPI_KEYWORDS = ['example', 'discriminator', 'xml', 'externalDocs'];

/** Validators for one operation, compiled once: on its first request, or at startup when eager. */
export interface CompiledOperation {
  spec: OperationSpec;
  parameters: Partial<Record<'path' | 'query' | 'header', ParameterValidator>>;
  /** Keyed by media type as the spec writes it (`application/json`, `multipart/form-data`). */
  bodies: Map<string, ValidateFunction>;
  /** Keyed by the spec's status key (`200`, `4XX`, `default`). */
  responses: Map<string, ResponseValidator>;
  /**
   * Declaration order of every parameter and body field (`query:limit`, `body:retry_config.max_retries`),
   * so validation issues can be reported field by field as the spec lists them, as NestJS and
   * pydantic do.
   */
  fieldOrder: Map<string, number>;
  /**
   * Body fields the spec marks `writeOnly` (a webhook's signing secret): kept out of the journal
   * and the logs, as `[redacted]`. Each a path of property names; `*` for every item of an array.
   */
  secretPaths: string[][];
}

export interface ParameterValidator {
  validate: ValidateFunction;
  /** Parameters whose schema is an array: repeated query keys collect into a list. */
  arrays: Set<string>;
  names: string[];
}

export interface ResponseValidator {
  mediaType?: string;
  validate?: ValidateFunction;
}

/**
 * Prepares validators for every operation of the given specs. Two ajv instances serve them all:
 * a strict one for JSON bodies and responses, and one that coerces strings for parameters and
 * form fields, which arrive as text.
 *
 * Compiling is most of a mock's startup time, and a test run seldom calls every operation, so an
 * operation's validators are compiled on its first request unless `eager` is set (the test suite
 * compiles everything eagerly, so a mistake in a spec fails there first). For the same reason a
 * spec's component schemas are given to ajv with the first of its operations compiled, not at
 * startup: a run that calls one vendor never prepares the others' (about 5 ms each).
 */
export function compileSpecs(specs: Spec[], { eager = false }: { eager?: boolean } = {}): Map<Spec, CompiledOperation[]> {
  const strict = cachedCompiler(createAjv(false, eager));
  const coercing = cachedCompiler(createAjv(true, eager));
  const compiled = new Map<Spec, CompiledOperation[]>();
  const registered = new Set<string>();
  for (const spec of specs) {
    const namespace = `https://campaign-mock.local/specs/${spec.file.split('/').pop()}`;
    const rewrite = (schema: JsonSchema): JsonSchema => rewriteComponentRefs(schema, namespace);
    let prepared = false;
    const prepare = () => {
      if (prepared) return;
      prepared = true;
      const components = { $id: namespace, $defs: rewrite((spec.document.components?.schemas ?? {}) as JsonSchema) };
      registerExtensionKeywords([strict.ajv, coercing.ajv], spec.document, registered);
      strict.ajv.addSchema(components);
      coercing.ajv.addSchema(components);
    };
    const operations = spec.operations.map((operation) =>
      lazyOperation(operation, () => {
        prepare();
        return compileOperation(operation, rewrite, strict, coercing, (ref) => resolveSchemaRef(spec, ref));
      }),
    );
    if (eager) for (const operation of operations) void operation.parameters;
    compiled.set(spec, operations);
  }
  return compiled;
}

function lazyOperation(spec: OperationSpec, compile: () => Omit<CompiledOperation, 'spec'>): CompiledOperation {
  let compiled: Omit<CompiledOperation, 'spec'> | undefined;
  const get = () => (compiled ??= compile());
  return {
    spec,
    get parameters() {
      return get().parameters;
    },
    get bodies() {
      return get().bodies;
    },
    get responses() {
      return get().responses;
    },
    get fieldOrder() {
      return get().fieldOrder;
    },
    get secretPaths() {
      return get().secretPaths;
    },
  };
}

function compileOperation(
  operation: OperationSpec,
  rewrite: (schema: JsonSchema) => JsonSchema,
  strict: Compiler,
  coercing: Compiler,
  resolveRef: (ref: string) => JsonSchema | undefined,
): Omit<CompiledOperation, 'spec'> {
  const fieldOrder = new Map<string, number>();
  for (const p of operation.parameters) fieldOrder.set(`${p.in}:${p.in === 'header' ? p.name.toLowerCase() : p.name}`, fieldOrder.size);
  for (const media of Object.values(operation.requestBody?.content ?? {})) {
    collectFieldOrder(media.schema ?? true, 'body:', fieldOrder, resolveRef, 0);
  }

  const parameters: CompiledOperation['parameters'] = {};
  for (const location of ['path', 'query', 'header'] as const) {
    const declared = operation.parameters.filter((p) => p.in === location);
    if (declared.length > 0) parameters[location] = compileParameters(declared, location, rewrite, coercing);
  }

  const bodies = new Map<string, ValidateFunction>();
  for (const [mediaType, media] of Object.entries(operation.requestBody?.content ?? {})) {
    const schema = rewrite(media.schema ?? true);
    bodies.set(mediaType, (isJsonMediaType(mediaType) ? strict : coercing).compile(schema));
  }

  const responses = new Map<string, ResponseValidator>();
  for (const [status, response] of Object.entries(operation.responses)) {
    const json = Object.entries(response.content ?? {}).find(([mediaType]) => isJsonMediaType(mediaType));
    if (json) {
      responses.set(status, { mediaType: json[0], validate: strict.compile(rewrite(json[1].schema ?? true)) });
    } else {
      const first = Object.keys(response.content ?? {})[0];
      responses.set(status, first ? { mediaType: first } : {});
    }
  }
  const secretPaths: string[][] = [];
  for (const media of Object.values(operation.requestBody?.content ?? {})) collectSecretPaths(media.schema ?? true, [], secretPaths, resolveRef, 0);
  return { parameters, bodies, responses, fieldOrder, secretPaths };
}

/** Records the path of every `writeOnly` property, depth first. */
function collectSecretPaths(schema: JsonSchema, path: string[], out: string[][], resolveRef: (ref: string) => JsonSchema | undefined, depth: number): void {
  if (typeof schema !== 'object' || depth > 8) return;
  const resolved = typeof schema.$ref === 'string' ? resolveRef(schema.$ref) : schema;
  if (typeof resolved !== 'object') return;
  if (resolved.writeOnly === true || schema.writeOnly === true) {
    if (!out.some((known) => known.join('.') === path.join('.'))) out.push(path);
    return;
  }
  if (resolved.items !== undefined) collectSecretPaths(resolved.items as JsonSchema, [...path, '*'], out, resolveRef, depth + 1);
  for (const keyword of ['anyOf', 'oneOf', 'allOf'] as const) {
    for (const branch of (resolved[keyword] ?? []) as JsonSchema[]) collectSecretPaths(branch, path, out, resolveRef, depth + 1);
  }
  for (const [name, child] of Object.entries((resolved.properties ?? {}) as Record<string, JsonSchema>)) collectSecretPaths(child, [...path, name], out, resolveRef, depth + 1);
}

/** A copy of a body with its secret fields (see `secretPaths`) replaced by `[redacted]`. */
export function redactSecrets(body: unknown, paths: readonly string[][]): unknown {
  if (paths.length === 0) return body;
  const redact = (value: unknown, path: readonly string[]): unknown => {
    if (path.length === 0) return '[redacted]';
    const [head, ...rest] = path as [string, ...string[]];
    if (head === '*') return Array.isArray(value) ? value.map((item) => redact(item, rest)) : value;
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !(head in value)) return value;
    return { ...(value as Record<string, unknown>), [head]: redact((value as Record<string, unknown>)[head], rest) };
  };
  return paths.reduce((redacted, path) => redact(redacted, path), body);
}

/** Records `prefix + dotted.path` for every property, depth first, in declaration order. */
function collectFieldOrder(
  schema: JsonSchema,
  prefix: string,
  order: Map<string, number>,
  resolveRef: (ref: string) => JsonSchema | undefined,
  depth: number,
): void {
  if (typeof schema !== 'object' || depth > 8) return;
  const resolved = typeof schema.$ref === 'string' ? resolveRef(schema.$ref) : schema;
  if (typeof resolved !== 'object') return;
  const items = resolved.items;
  if (items !== undefined) collectFieldOrder(items as JsonSchema, prefix, order, resolveRef, depth + 1);
  // A nullable or composed model (`anyOf: [Model, null]`) declares its fields in its branches.
  for (const keyword of ['anyOf', 'oneOf', 'allOf'] as const) {
    for (const branch of (resolved[keyword] ?? []) as JsonSchema[]) collectFieldOrder(branch, prefix, order, resolveRef, depth + 1);
  }
  for (const [name, child] of Object.entries((resolved.properties ?? {}) as Record<string, JsonSchema>)) {
    const key = `${prefix}${name}`;
    if (!order.has(key)) order.set(key, order.size);
    collectFieldOrder(child, `${key}.`, order, resolveRef, depth + 1);
  }
}

function resolveSchemaRef(spec: Spec, ref: string): JsonSchema | undefined {
  const prefix = '#/components/schemas/';
  return ref.startsWith(prefix) ? spec.document.components?.schemas?.[ref.slice(prefix.length)] : undefined;
}

function compileParameters(
  declared: ParameterObject[],
  location: 'path' | 'query' | 'header',
  rewrite: (schema: JsonSchema) => JsonSchema,
  coercing: Compiler,
): ParameterValidator {
  // Header names are case-insensitive (RFC 9110 §5.1); the request side lowercases them too.
  const nameOf = (p: ParameterObject) => (location === 'header' ? p.name.toLowerCase() : p.name);
  const properties: Record<string, JsonSchema> = {};
  const arrays = new Set<string>();
  for (const p of declared) {
    const schema = rewrite(p.schema ?? { type: 'string' });
    properties[nameOf(p)] = schema;
    if (typeof schema === 'object' && schema.type === 'array') arrays.add(nameOf(p));
  }
  const required = declared.filter((p) => p.required || p.in === 'path').map(nameOf);
  return {
    validate: coercing.compile({ type: 'object', properties, required }),
    arrays,
    names: declared.map(nameOf),
  };
}

export function isJsonMediaType(mediaType: string): boolean {
  const base = mediaType.split(';')[0]?.trim().toLowerCase() ?? '';
  return base === 'application/json' || base.endsWith('+json');
}

/** Finds the response a spec documents for a status: exact code, then `4XX`-style range, then `default`. */
export function responseKeyFor<T>(responses: Map<string, T>, status: number): string | undefined {
  const exact = String(status);
  if (responses.has(exact)) return exact;
  const range = `${exact[0]}XX`;
  if (responses.has(range)) return range;
  return responses.has('default') ? 'default' : undefined;
}

interface Compiler {
  ajv: Ajv2020;
  compile(schema: JsonSchema): ValidateFunction;
}

/**
 * Compiles each distinct schema once: most responses of a spec share a few schemas (the error
 * envelope above all), and compiling is most of the startup time.
 */
function cachedCompiler(ajv: Ajv2020): Compiler {
  const cache = new Map<string, ValidateFunction>();
  return {
    ajv,
    compile(schema) {
      const key = JSON.stringify(schema);
      let validate = cache.get(key);
      if (!validate) {
        validate = ajv.compile(schema);
        cache.set(key, validate);
      }
      return validate;
    },
  };
}

/**
 * `validateSchema` checks each schema against the JSON Schema meta-schema, whose own compilation is
 * a large part of startup; eager compilation (the test suite) checks, lazy compilation relies on it.
 * The meta-schemas serve that check alone, so an ajv that does not check is not given them (`meta`).
 */
function createAjv(coerceTypes: boolean, validateSchema: boolean): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: true,
    validateSchema,
    meta: validateSchema,
    verbose: true,
    strict: true,
    allowUnionTypes: true,
    coerceTypes,
    useDefaults: false,
  });
  addFormats(ajv);
  for (const keyword of OPENAPI_KEYWORDS) ajv.addKeyword(keyword);
  return ajv;
}

/**
 * Every `x-…` key used inside the schemas becomes a no-op keyword, so strict mode still catches
 * typos. `registered` remembers the names already added (ajv refuses a keyword added twice, and
 * cannot tell a definition-less keyword is there).
 */
function registerExtensionKeywords(ajvs: Ajv2020[], schema: unknown, registered: Set<string>): void {
  const names = new Set<string>();
  // Every node of every spec, at each start: `for…in` (an array's keys are its indexes) allocates
  // nothing, where Object.entries made an array per node.
  const walk = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    for (const key in node) {
      if (key.startsWith('x-')) names.add(key);
      walk((node as Record<string, unknown>)[key]);
    }
  };
  walk(schema);
  for (const name of names) {
    if (registered.has(name)) continue;
    for (const ajv of ajvs) ajv.addKeyword(name);
    registered.add(name);
  }
}

/**
 * Prepares a spec schema for ajv, returning a copy: points `#/components/schemas/X` at the
 * registered component namespace, and bounds every integer without bounds of its own to the
 * integers JavaScript holds exactly (±2^53 − 1). JSON Schema calls 1e308 an integer, and even
 * `1e400` (Infinity) passes ajv's check; such a value cannot be stored or used as an offset, so it
 * is refused as out of range like any other.
 */
function rewriteComponentRefs(schema: JsonSchema, namespace: string): JsonSchema {
  // Run over every component schema at each start: `for…in` (the same order) allocates no entry arrays.
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (typeof node !== 'object' || node === null) return node;
    const out: Record<string, unknown> = {};
    for (const key in node) {
      const value = (node as Record<string, unknown>)[key];
      out[key] =
        key === '$ref' && typeof value === 'string' && value.startsWith('#/components/schemas/')
          ? `${namespace}#/$defs/${value.slice('#/components/schemas/'.length)}`
          : walk(value);
    }
    const type = out.type;
    if (type === 'integer' || (Array.isArray(type) && type.includes('integer'))) {
      if (out.maximum === undefined && out.exclusiveMaximum === undefined) out.maximum = Number.MAX_SAFE_INTEGER;
      if (out.minimum === undefined && out.exclusiveMinimum === undefined) out.minimum = -Number.MAX_SAFE_INTEGER;
    }
    return out;
  };
  return walk(schema) as JsonSchema;
}
