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
  readonly #byMethod = new Map<string, Array<{ pattern: RegExp; names: string[]; value: T }>>();

  constructor(routes: ReadonlyArray<{ method: string; template: string; loose: boolean; value: T }>) {
    const ordered = [...routes].sort((a, b) => literalSegments(b.template) - literalSegments(a.template));
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
      const entries = this.#byMethod.get(method) ?? [];
      entries.push({ pattern: new RegExp(loose ? `^${source}/?$` : `^${source}$`, loose ? 'i' : ''), names, value });
      this.#byMethod.set(method, entries);
    }
  }

  /** The route of a request path (percent-encoded as sent; one with `%` is left to Hono), with its parameters. */
  match(method: string, path: string): { value: T; params: Record<string, string> } | undefined {
    const entries = this.#byMethod.get(method);
    if (!entries) return undefined;
    for (const entry of entries) {
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

function literalSegments(template: string): number {
  return template.split('/').filter((segment) => segment !== '' && !segment.startsWith('{')).length;
}
