import { existsSync, readFileSync } from 'node:fs';
import type { Context } from 'hono';
import { adminError } from './routes.js';

/**
 * Serves files that `npm run build` writes into dist/ (the API reference's script, the inspector's
 * page and uPlot): each read once and kept, or, in a tree not yet built, a 503 that says so.
 */
export function builtFiles(): (c: Context, file: string, headers: Record<string, string>, notBuilt: string) => Response {
  const read = new Map<string, Buffer<ArrayBuffer>>();
  return (c, file, headers, notBuilt) => {
    let body = read.get(file);
    if (!body) {
      if (!existsSync(file)) return c.json(adminError(notBuilt), 503);
      body = readFileSync(file);
      read.set(file, body);
    }
    for (const [name, value] of Object.entries(headers)) c.header(name, value);
    return c.body(body);
  };
}
