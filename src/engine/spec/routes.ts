import { getPath as honoPath } from 'hono/utils/url';

/**
 * How a vendor's framework matches request paths to its routes. `exact`: as the spec writes them
 * (FastAPI, whose trailing-slash redirect a vendor answers itself). `express`: NestJS on Express,
 * whose router by default ignores letter case and a trailing slash (Express's `caseSensitive` and
 * `strict` options are both off), so `/V1/Campaigns/cmp_1/` reaches `/v1/campaigns/{id}`.
 */
export type PathMatching = 'exact' | 'express';

interface LooseTemplate {
  pattern: RegExp;
  /** The template's segments: text, or null where a parameter goes. */
  segments: Array<string | null>;
}

/**
 * Hono's `getPath` for the whole app: the request's path, except that a path a loose vendor's
 * router would match to one of its templates is handed on as that template writes it (parameter
 * values as sent). Paths already in their canonical form, by far the most, cost one test.
 *
 * @example
 * const getPath = routingPath([{ basePath: '/v1', templates: ['/v1/campaigns/{id}'] }]);
 * new Hono({ getPath });
 */
export function routingPath(vendors: ReadonlyArray<{ basePath: string; templates: readonly string[] }>): (request: Request) => string {
  const loose = vendors.map(({ basePath, templates }) => ({ base: basePath.toLowerCase(), templates: templates.map(compileTemplate) }));
  if (loose.length === 0) return honoPath;
  return (request) => {
    const path = honoPath(request);
    const trailing = path.length > 1 && path.charCodeAt(path.length - 1) === 47;
    if (!trailing && !/[A-Z]/.test(path)) return path;
    const lower = path.toLowerCase();
    for (const { base, templates } of loose) {
      if (lower !== base && !lower.startsWith(`${base}/`)) continue;
      for (const template of templates) {
        const match = template.pattern.exec(path);
        if (!match) continue;
        let group = 1;
        return template.segments.map((segment) => segment ?? (match[group++] as string)).join('/');
      }
    }
    return path;
  };
}

function compileTemplate(template: string): LooseTemplate {
  const segments = template.split('/').map((segment) => (/^\{[^}]+\}$/.test(segment) ? null : segment));
  const source = segments.map((segment) => (segment === null ? '([^/]+)' : segment.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&'))).join('/');
  return { pattern: new RegExp(`^${source}/?$`, 'i'), segments };
}

/**
 * The server's own router for the operations of the vendors, so a request can be served without
 * building Hono's request and response objects. It matches as Hono does (a parameter is one path
 * segment; routes with more literal segments first), and a loose vendor's routes as Express does.
 */
export class OperationRouter<T> {
  /**
   * By method, then by a path's first segment (lower case): the routes that could match it, in
   * matching order. A DialNexa GET tries the 6 routes under `/v1` rather than the 19 GETs of the
   * three vendors. Routes whose first segment is a parameter are in every list.
   */
  readonly #byMethod = new Map<string, { byFirst: Map<string, Route<T>[]>; anyFirst: Route<T>[] }>();

  constructor(routes: ReadonlyArray<{ method: string; template: string; loose: boolean; value: T }>) {
    const ordered = [...routes].sort((a, b) => literalSegments(b.template) - literalSegments(a.template));
    const byMethod = new Map<string, Array<Route<T> & { first: string | undefined }>>();
    for (const { method, template, loose, value } of ordered) {
      const names: string[] = [];
      const source = template
        .split('/')
        .map((segment) => {
          const parameter = /^\{([^}]+)\}$/.exec(segment);
          if (!parameter) return segment.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&');
          names.push(parameter[1] as string);
          return '([^/]+)';
        })
        .join('/');
      const first = template.split('/')[1] as string;
      const entries = byMethod.get(method) ?? [];
      entries.push({ pattern: new RegExp(loose ? `^${source}/?$` : `^${source}$`, loose ? 'i' : ''), names, value, first: first.startsWith('{') ? undefined : first.toLowerCase() });
      byMethod.set(method, entries);
    }
    for (const [method, entries] of byMethod) {
      const firsts = new Set(entries.flatMap(({ first }) => (first === undefined ? [] : [first])));
      const byFirst = new Map([...firsts].map((key) => [key, entries.filter(({ first }) => first === undefined || first === key)]));
      this.#byMethod.set(method, { byFirst, anyFirst: entries.filter(({ first }) => first === undefined) });
    }
  }

  /** The route of a request path (percent-encoded as sent; one with `%` is left to Hono), with its parameters. */
  match(method: string, path: string): { value: T; params: Record<string, string> } | undefined {
    const routes = this.#byMethod.get(method);
    if (!routes) return undefined;
    const end = path.indexOf('/', 1);
    const first = (end === -1 ? path.slice(1) : path.slice(1, end)).toLowerCase();
    for (const entry of routes.byFirst.get(first) ?? routes.anyFirst) {
      const found = entry.pattern.exec(path);
      if (!found) continue;
      const params: Record<string, string> = {};
      entry.names.forEach((name, index) => {
        params[name] = found[index + 1] as string;
      });
      return { value: entry.value, params };
    }
    return undefined;
  }
}

interface Route<T> {
  pattern: RegExp;
  names: string[];
  value: T;
}

function literalSegments(template: string): number {
  return template.split('/').filter((segment) => segment !== '' && !segment.startsWith('{')).length;
}
