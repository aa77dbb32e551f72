import fc from 'fast-check';
import type { JsonSchema } from '../../src/engine/spec/openapi.js';

type Schema = Record<string, unknown>;

/** Resolves a spec's `#/components/schemas/X` references. */
export type RefResolver = (ref: string) => JsonSchema | undefined;

/**
 * A fast-check arbitrary of values that keep to a JSON Schema (2020-12, as OpenAPI 3.1 writes
 * it): types, enums, consts, patterns, formats, bounds, required and optional properties,
 * `anyOf`/`oneOf` (one branch), `allOf` of objects (merged) and local `$ref`s. The schema's own
 * `example` is drawn often, so generated requests reach past validation into the handlers.
 *
 * @example
 * fc.sample(schemaArbitrary({ type: 'integer', minimum: 1, maximum: 3 }, () => undefined), 2); // [2, 1]
 */
export function schemaArbitrary(schema: JsonSchema, resolve: RefResolver, depth = 0): fc.Arbitrary<unknown> {
  if (schema === true || schema === undefined) return fc.jsonValue({ maxDepth: 2 });
  if (schema === false) return fc.constant(null);
  const s = schema as Schema;
  if (typeof s.$ref === 'string') {
    const target = resolve(s.$ref);
    return target === undefined || depth > 8 ? fc.constant(null) : schemaArbitrary(target, resolve, depth + 1);
  }
  if ('const' in s) return fc.constant(s.const);
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
  const generated = generate(s, resolve, depth);
  return s.example !== undefined ? fc.oneof({ arbitrary: fc.constant(s.example), weight: 1 }, { arbitrary: generated, weight: 2 }) : generated;
}

function generate(s: Schema, resolve: RefResolver, depth: number): fc.Arbitrary<unknown> {
  for (const keyword of ['anyOf', 'oneOf'] as const) {
    const branches = s[keyword] as JsonSchema[] | undefined;
    if (branches) return fc.oneof(...branches.map((b) => schemaArbitrary(b, resolve, depth + 1)));
  }
  if (Array.isArray(s.allOf)) return schemaArbitrary(mergeAllOf(s, resolve), resolve, depth + 1);
  const types = Array.isArray(s.type) ? (s.type as string[]) : typeof s.type === 'string' ? [s.type] : s.properties ? ['object'] : ['string'];
  return fc.oneof(...types.map((type) => ofType(type, s, resolve, depth)));
}

function ofType(type: string, s: Schema, resolve: RefResolver, depth: number): fc.Arbitrary<unknown> {
  switch (type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer': {
      const min = bound(s.minimum, s.exclusiveMinimum, 1) ?? -1000;
      const max = bound(s.maximum, s.exclusiveMaximum, -1) ?? Math.max(min, 0) + 1000;
      return fc.integer({ min: Math.ceil(min), max: Math.floor(max) });
    }
    case 'number': {
      const min = bound(s.minimum, s.exclusiveMinimum, 1e-9) ?? -1000;
      const max = bound(s.maximum, s.exclusiveMaximum, -1e-9) ?? Math.max(min, 0) + 1000;
      return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
    }
    case 'string':
      return stringOf(s);
    case 'array': {
      const items = schemaArbitrary((s.items ?? true) as JsonSchema, resolve, depth + 1);
      const minLength = (s.minItems as number | undefined) ?? 0;
      const maxLength = Math.min((s.maxItems as number | undefined) ?? minLength + 3, minLength + 3);
      return s.uniqueItems ? fc.uniqueArray(items, { minLength, maxLength, selector: (v) => JSON.stringify(v) }) : fc.array(items, { minLength, maxLength });
    }
    case 'object':
      return objectOf(s, resolve, depth);
    default:
      return fc.constant(null);
  }
}

function bound(inclusive: unknown, exclusive: unknown, step: number): number | undefined {
  if (typeof exclusive === 'number') return exclusive + step;
  return typeof inclusive === 'number' ? inclusive : undefined;
}

function stringOf(s: Schema): fc.Arbitrary<string> {
  const minLength = (s.minLength as number | undefined) ?? 0;
  const maxLength = (s.maxLength as number | undefined) ?? Math.max(minLength, 24);
  const fits = (v: string) => [...v].length >= minLength && [...v].length <= maxLength;
  switch (s.format) {
    case 'date-time':
      return fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
    case 'date':
      return fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    case 'uri':
    case 'uri-reference':
      // Never a loopback URL: the mock fetches those (Sarvam's cohort source), and a fuzzer must not wait on them.
      return fc.webUrl({ validSchemes: ['https'] }).filter((u) => !/\/\/(localhost|127\.|\[::1\])/i.test(u));
    case 'email':
      return fc.emailAddress();
    case 'binary':
      return fc.string({ maxLength: 40 });
  }
  if (typeof s.pattern === 'string') return fc.stringMatching(new RegExp(s.pattern)).filter(fits);
  return fc.oneof(fc.string({ minLength, maxLength }), fc.string({ minLength, maxLength, unit: 'grapheme' })).filter(fits);
}

function objectOf(s: Schema, resolve: RefResolver, depth: number): fc.Arbitrary<unknown> {
  const properties = (s.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((s.required ?? []) as string[]);
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, child] of Object.entries(properties)) model[name] = schemaArbitrary(child, resolve, depth + 1);
  for (const name of required) model[name] ??= fc.jsonValue({ maxDepth: 1 });
  const record = fc.record(model, { requiredKeys: [...required] });
  const extra = s.additionalProperties;
  if (typeof extra !== 'object' || extra === null) return record;
  const maxKeys = Math.min(3, Math.max(0, ((s.maxProperties as number | undefined) ?? 3) - Object.keys(properties).length));
  const dictionary = fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !(k in properties) && k !== '__proto__'), schemaArbitrary(extra as JsonSchema, resolve, depth + 1), { maxKeys });
  return fc.tuple(record, dictionary).map(([own, more]) => ({ ...more, ...own }));
}

/** `allOf` of object schemas as one object schema (properties merged, required united). */
function mergeAllOf(s: Schema, resolve: RefResolver): Schema {
  const merged: Schema = { type: 'object', properties: {}, required: [] };
  for (const branch of s.allOf as JsonSchema[]) {
    let b = branch as Schema;
    while (typeof b.$ref === 'string') b = (resolve(b.$ref) ?? {}) as Schema;
    Object.assign(merged.properties as Schema, b.properties ?? {});
    (merged.required as string[]).push(...((b.required ?? []) as string[]));
  }
  return merged;
}
