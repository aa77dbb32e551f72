import type { JsonSchema, MediaTypeObject } from '../engine/spec/openapi.js';
import { resolveRef, type Spec } from '../engine/spec/load.js';

/**
 * Request values taken from a spec's own examples, for requests that keep to the spec: what the
 * contract suite sends for an operation no plan covers, and what the tests send to reach every
 * documented status. Each throws, saying what is missing, when the spec gives no example.
 */

/** The CSV sent for a file field: one recipient, in the column every vendor's upload reads. */
export const EXAMPLE_CSV = 'phone_number\n+14155550100\n';

/** A JSON body: the media type's `example`, else its first `examples` entry. */
export function jsonExample(media: MediaTypeObject): unknown {
  if (media.example !== undefined) return media.example;
  const first = Object.values(media.examples ?? {})[0];
  if (first?.value !== undefined) return first.value;
  throw new Error('the spec gives no example of its JSON request body');
}

/**
 * A multipart body with the schema's required fields: files (`format: binary`) as a small CSV,
 * the others from their examples. The schema may be a `$ref` into the spec's components.
 */
export function formExample(spec: Spec, schema: JsonSchema | undefined, where: string): FormData {
  const form = new FormData();
  const object = (schema === undefined ? undefined : resolveRef(spec, schema, where)) as
    | { properties?: Record<string, JsonSchema>; required?: string[] }
    | undefined;
  for (const name of object?.required ?? []) {
    const property = resolveRef(spec, object?.properties?.[name] ?? {}, where) as Record<string, unknown>;
    if (property.format === 'binary') form.append(name, new Blob([EXAMPLE_CSV], { type: 'text/csv' }), `${name}.csv`);
    else form.append(name, String(exampleOf(property, `form field ${name}`)));
  }
  return form;
}

/** A parameter's or field's value: its example, first of its examples, default, first enum value, or least number. */
export function exampleOf(schema: JsonSchema | undefined, what: string): unknown {
  const s = (schema ?? {}) as Record<string, unknown>;
  if (s.example !== undefined) return s.example;
  if (Array.isArray(s.examples) && s.examples.length > 0) return s.examples[0];
  if (s.default !== undefined) return s.default;
  if (Array.isArray(s.enum)) return s.enum[0];
  if (s.type === 'integer' || s.type === 'number') return s.minimum ?? 1;
  throw new Error(`the spec gives no example of its ${what}`);
}
