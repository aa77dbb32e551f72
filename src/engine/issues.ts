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
