import type { ErrorObject } from 'ajv';

/** Where in the request a validation issue was found. */
export type IssueLocation = 'path' | 'query' | 'header' | 'body';

/**
 * One thing wrong with a request, in vendor-neutral terms. A vendor turns a list of these into
 * its own error envelope (NestJS messages for DialNexa, pydantic `detail[]` for FastAPI vendors).
 *
 * `keyword` is the JSON Schema keyword that failed (`required`, `type`, `maximum`, …) or one of the
 * engine's own: `json` (the body is not valid JSON), `contentType` (a media type the operation does
 * not accept), `bodyRequired` (no body where one is required).
 */
export interface ValidationIssue {
  location: IssueLocation;
  /** Path to the offending value inside its location; for `required` it ends with the missing name. */
  path: Array<string | number>;
  keyword: string;
  params: Record<string, unknown>;
  /** A plain-English description, for vendors without a message style of their own. */
  message: string;
  /** The value that failed; for `required`, the object the field is missing from. */
  value?: unknown;
  /** The schema the failing keyword belongs to. */
  schema?: Record<string, unknown>;
}

/** Converts ajv's errors (compiled with `allErrors` and `verbose`) into issues. */
export function issuesFromAjv(location: IssueLocation, errors: readonly ErrorObject[] | null | undefined): ValidationIssue[] {
  if (!errors) return [];
  return errors.map((error) => {
    const path = pointerToPath(error.instancePath);
    const params = error.params as Record<string, unknown>;
    if (error.keyword === 'required' && typeof params.missingProperty === 'string') path.push(params.missingProperty);
    if (error.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') path.push(params.additionalProperty);
    return {
      location,
      path,
      keyword: error.keyword,
      params,
      message: error.message ?? error.keyword,
      value: error.data,
      ...(isRecord(error.parentSchema) ? { schema: error.parentSchema } : {}),
    };
  });
}

function pointerToPath(pointer: string): Array<string | number> {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => {
      const key = segment.replace(/~1/g, '/').replace(/~0/g, '~');
      return /^(0|[1-9]\d*)$/.test(key) ? Number(key) : key;
    });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const LOCATION_RANK: Record<IssueLocation, number> = { path: 0, query: 1, header: 2, body: 3 };

/**
 * Orders issues as NestJS and pydantic report them: by location, then field by field in the
 * order the spec declares the fields (`fieldOrder` keys read `body:retry_config.max_retries`).
 * Issues of the same field keep ajv's order.
 */
export function sortIssues(issues: ValidationIssue[], fieldOrder: ReadonlyMap<string, number>): ValidationIssue[] {
  const rank = (issue: ValidationIssue) => {
    const dotted = issue.path.filter((segment) => typeof segment === 'string').join('.');
    return fieldOrder.get(`${issue.location}:${dotted}`) ?? (dotted === '' ? -1 : Number.MAX_SAFE_INTEGER);
  };
  return issues
    .map((issue, index) => ({ issue, index, location: LOCATION_RANK[issue.location], field: rank(issue) }))
    .sort((a, b) => a.location - b.location || a.field - b.field || a.index - b.index)
    .map(({ issue }) => issue);
}

/**
 * Issues for every number in a value that is not finite (`1e400` parses to Infinity): JSON
 * Schema's range checks skip such numbers, so they would reach the store unchecked. Walks with an
 * explicit stack, so a hostile value nested 100,000 deep cannot overflow it.
 */
export function nonFiniteNumbers(location: IssueLocation, value: unknown): ValidationIssue[] {
  interface Step {
    node: unknown;
    key: string | number | undefined;
    parent: Step | undefined;
  }
  // Each step links to its parent, so a path is built only for a number that is reported.
  const pathOf = (step: Step): Array<string | number> => {
    const path: Array<string | number> = [];
    for (let at: Step | undefined = step; at?.key !== undefined; at = at.parent) path.push(at.key);
    return path.reverse();
  };
  const issues: ValidationIssue[] = [];
  const stack: Step[] = [{ node: value, key: undefined, parent: undefined }];
  while (stack.length > 0) {
    const step = stack.pop() as Step;
    const { node } = step;
    if (typeof node === 'number' && !Number.isFinite(node)) {
      issues.push({ location, path: pathOf(step), keyword: 'finite', params: {}, message: 'must be a finite number', value: node });
    } else if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push({ node: node[i], key: i, parent: step });
    } else if (typeof node === 'object' && node !== null) {
      const keys = Object.keys(node);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i] as string;
        stack.push({ node: (node as Record<string, unknown>)[key], key, parent: step });
      }
    }
  }
  return issues;
}

/**
 * The schema issues and the non-finite numbers of one value together: a number that is not
 * finite is reported once, as such, not also by the range checks it fails.
 */
export function withNonFiniteNumbers(location: IssueLocation, value: unknown, schemaIssues: ValidationIssue[]): ValidationIssue[] {
  const nonFinite = nonFiniteNumbers(location, value);
  if (nonFinite.length === 0) return schemaIssues;
  const reported = new Set(nonFinite.map((issue) => JSON.stringify(issue.path)));
  return [...schemaIssues.filter((issue) => !reported.has(JSON.stringify(issue.path))), ...nonFinite];
}
