import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  HTTP_METHODS,
  isReference,
  type HeaderObject,
  type HttpMethod,
  type OpenApiDocument,
  type OperationObject,
  type ParameterObject,
  type ReferenceObject,
  type RequestBodyObject,
  type ResponseObject,
  type SecurityRequirementObject,
  type SecuritySchemeObject,
} from './openapi.js';
import { yaml } from '../../config/yaml.js';

/** One operation of a spec, with every non-schema `$ref` resolved. */
export interface OperationSpec {
  operationId: string;
  method: HttpMethod;
  /** The OpenAPI path template, e.g. `/v1/campaigns/{id}`. */
  path: string;
  parameters: ParameterObject[];
  requestBody?: RequestBodyObject;
  responses: Record<string, ResponseObject>;
  security: SecurityRequirementObject[];
  /** `x-mock-permission`: the permission a key needs to call this operation (see the keys file). */
  permission?: string;
}

/** A loaded spec: the document, its operations, and the security schemes they use. */
export interface Spec {
  file: string;
  document: OpenApiDocument;
  operations: OperationSpec[];
  securitySchemes: Record<string, SecuritySchemeObject>;
}

export class SpecError extends Error {
  constructor(file: string, message: string) {
    super(`campaign-mock: ${basename(file)}: ${message}`);
    this.name = 'SpecError';
  }
}

/** A spec parsed ahead of time (`npm run build`). */
export interface ParsedSpec {
  document: OpenApiDocument;
}

/**
 * Reads an OpenAPI 3.1 document from YAML or JSON and indexes its operations. Parsing YAML is
 * slow, so the build writes each bundled spec parsed to `<cacheDir>/<name>.json`, beside a copy of
 * the file it was parsed from (`<cacheDir>/<name>`); it is used only while the spec is that file,
 * byte for byte. Compared, not hashed: loading Node's crypto module would cost a start more than
 * reading the copy does, and the bytes stay outside the JavaScript heap.
 *
 * @example
 * const spec = loadSpec('specs/dialnexa.yaml');
 * spec.operations.map((op) => op.operationId); // ['createCampaign', 'getCampaign', ...]
 */
export function loadSpec(file: string, cacheDir?: string): Spec {
  let document: OpenApiDocument;
  try {
    const bytes = readFileSync(file);
    const copy = cacheDir === undefined ? undefined : join(cacheDir, basename(file));
    document =
      copy !== undefined && sameBytes(copy, bytes) && existsSync(`${copy}.json`)
        ? (JSON.parse(readFileSync(`${copy}.json`, 'utf8')) as ParsedSpec).document
        : (yaml().parse(bytes.toString('utf8')) as OpenApiDocument);
  } catch (error) {
    throw new SpecError(file, `cannot be read: ${(error as Error).message}`);
  }
  return indexSpec(file, document);
}

/** Parses a spec for the cache `loadSpec` reads. */
export function parseSpecForCache(text: string): ParsedSpec {
  return { document: yaml().parse(text) as OpenApiDocument };
}

/** Whether the file holds exactly these bytes; false when there is none. */
function sameBytes(file: string, bytes: Buffer): boolean {
  try {
    return readFileSync(file).equals(bytes);
  } catch {
    return false;
  }
}

export function indexSpec(file: string, document: OpenApiDocument): Spec {
  if (typeof document !== 'object' || document === null || typeof document.openapi !== 'string') {
    throw new SpecError(file, 'is not an OpenAPI document (no "openapi" field)');
  }
  if (!document.openapi.startsWith('3.1')) {
    throw new SpecError(file, `is OpenAPI ${document.openapi}; the engine reads OpenAPI 3.1 (JSON Schema 2020-12) only`);
  }
  const resolve = <T>(value: T | ReferenceObject, where: string): T => resolveLocalRef<T>(file, document, value, where);

  const securitySchemes: Record<string, SecuritySchemeObject> = {};
  for (const [name, scheme] of Object.entries(document.components?.securitySchemes ?? {})) {
    securitySchemes[name] = resolve(scheme, `components.securitySchemes.${name}`);
  }

  const operations: OperationSpec[] = [];
  const seenIds = new Map<string, string>();
  for (const [path, pathItem] of Object.entries(document.paths ?? {})) {
    const pathParameters = (pathItem.parameters ?? []).map((p) => resolve<ParameterObject>(p, `${path} parameters`));
    for (const method of HTTP_METHODS) {
      const operation: OperationObject | undefined = pathItem[method];
      if (!operation) continue;
      const where = `${method.toUpperCase()} ${path}`;
      const { operationId } = operation;
      if (!operationId) throw new SpecError(file, `${where} has no operationId; every operation needs one to be routed to a handler`);
      const previous = seenIds.get(operationId);
      if (previous) throw new SpecError(file, `operationId "${operationId}" is used by both ${previous} and ${where}`);
      seenIds.set(operationId, where);

      const own = (operation.parameters ?? []).map((p) => resolve<ParameterObject>(p, `${where} parameters`));
      const parameters = mergeParameters(pathParameters, own);
      for (const name of templateParameterNames(path)) {
        if (!parameters.some((p) => p.in === 'path' && p.name === name)) {
          throw new SpecError(file, `${where} uses {${name}} in its path but declares no path parameter "${name}"`);
        }
      }

      const responses: Record<string, ResponseObject> = {};
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        const resolved = resolve<ResponseObject>(response, `${where} response ${status}`);
        const headers: Record<string, HeaderObject> = {};
        for (const [name, header] of Object.entries(resolved.headers ?? {})) {
          headers[name] = resolve<HeaderObject>(header, `${where} response ${status} header ${name}`);
        }
        responses[status] = { ...resolved, headers };
      }
      if (Object.keys(responses).length === 0) throw new SpecError(file, `${where} documents no responses`);

      const security = operation.security ?? document.security ?? [];
      for (const requirement of security) {
        for (const name of Object.keys(requirement)) {
          if (!securitySchemes[name]) throw new SpecError(file, `${where} requires security scheme "${name}", which components.securitySchemes does not define`);
        }
      }

      const permission = operation['x-mock-permission'];
      operations.push({
        operationId,
        method,
        path,
        parameters,
        ...(operation.requestBody ? { requestBody: resolve<RequestBodyObject>(operation.requestBody, `${where} requestBody`) } : {}),
        responses,
        security,
        ...(typeof permission === 'string' ? { permission } : {}),
      });
    }
  }
  if (operations.length === 0) throw new SpecError(file, 'defines no operations');
  return { file, document, operations, securitySchemes };
}

/** Operation-level parameters override path-level ones with the same name and location (OpenAPI 3.1 §4.8.10.1). */
function mergeParameters(pathLevel: ParameterObject[], operationLevel: ParameterObject[]): ParameterObject[] {
  const merged = new Map<string, ParameterObject>();
  for (const p of [...pathLevel, ...operationLevel]) merged.set(`${p.in}:${p.name}`, p);
  return [...merged.values()];
}

function templateParameterNames(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string);
}

function resolveLocalRef<T>(file: string, document: OpenApiDocument, value: T | ReferenceObject, where: string, depth = 0): T {
  if (!isReference(value)) return value;
  if (depth > 16) throw new SpecError(file, `${where}: $ref chain too deep or circular at ${value.$ref}`);
  if (!value.$ref.startsWith('#/')) throw new SpecError(file, `${where}: only local references (#/...) are supported, got ${value.$ref}`);
  let target: unknown = document;
  for (const raw of value.$ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    target = typeof target === 'object' && target !== null ? (target as Record<string, unknown>)[key] : undefined;
  }
  if (target === undefined) throw new SpecError(file, `${where}: $ref ${value.$ref} points at nothing`);
  return resolveLocalRef<T>(file, document, target as T | ReferenceObject, where, depth + 1);
}

/** Follows a local `$ref` of a spec (and any it leads to) to what it names; anything else is returned as it is. */
export function resolveRef<T>(spec: Spec, value: T | ReferenceObject, where: string): T {
  return resolveLocalRef<T>(spec.file, spec.document, value, where);
}

/** Converts an OpenAPI path template to a Hono route (`/v1/campaigns/{id}` → `/v1/campaigns/:id`). */
export function toRoutePath(path: string): string {
  return path.replace(/\{([^}]+)\}/g, ':$1');
}
