import { join } from 'node:path';
import { Hono } from 'hono';
import type { Spec } from '../engine/spec/load.js';
import type { VendorModule } from '../engine/vendor.js';
import { builtFiles } from './built-files.js';
import { adminError } from './routes.js';

export interface DocsOptions {
  vendors: ReadonlyMap<VendorModule, Spec>;
  /** Where the build put the reference page's script (see src/build/assets.ts). */
  assetsDir: string;
  /** The control plane's own OpenAPI document (specs/admin.yaml), read when first asked for. */
  adminSpec: () => Spec;
}

const SCRIPT = 'scalar-api-reference.js';

/**
 * The API reference page (`/__admin/docs`): the bundled specs in Scalar's interactive reference,
 * served entirely by the mock, with "try it" sending its requests to the mock itself.
 */
export function docsRoutes({ vendors, assetsDir, adminSpec }: DocsOptions): Hono {
  const docs = new Hono();
  const script = join(assetsDir, SCRIPT);
  const built = builtFiles();
  const byName = new Map<string, () => Spec>([...[...vendors].map(([vendor, spec]) => [vendor.name, () => spec] as const), ['admin', adminSpec]]);

  docs.get('/docs', (c) => {
    const sources = [...vendors.keys()].map((vendor, index) => ({ title: vendor.title, slug: vendor.name, url: `/__admin/specs/${vendor.name}.json`, default: index === 0 }));
    return c.html(page(sources));
  });

  docs.get(`/docs/${SCRIPT}`, (c) =>
    built(c, script, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=86400' }, 'the reference page\'s script is not built; run "npm run build" (it copies it from @scalar/api-reference)'),
  );

  // Each spec as JSON (the vendors' and the control plane's own), with this mock listed first among
  // its servers, so "try it" calls the mock.
  docs.get('/specs/:file', (c) => {
    const name = c.req.param('file').replace(/\.json$/, '');
    const spec = byName.get(name)?.();
    if (!spec) return c.json(adminError(`no spec "${c.req.param('file')}"; there are ${[...byName.keys()].map((n) => `${n}.json`).join(', ')}`), 404);
    const origin = new URL(c.req.url).origin;
    const servers = [{ url: origin, description: 'this campaign-mock' }, ...(spec.document.servers ?? []).filter((s) => !s.url.startsWith('http://localhost'))];
    return c.json({ ...spec.document, servers });
  });

  return docs;
}

function page(sources: Array<{ title: string; slug: string; url: string; default: boolean }>): string {
  // Nothing leaves the machine: no web fonts, no AI agent, no registry search, no deploy toolbar.
  const configuration = { sources, withDefaultFonts: false, agent: { disabled: true }, showToolbar: 'never', theme: 'default' };
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>campaign-mock API reference</title>
  </head>
  <body>
    <a href="/__admin/ui" style="position: fixed; top: 0.5rem; right: 1rem; z-index: 1000; font: 14px system-ui, sans-serif">Inspector</a>
    <div id="app"></div>
    <script src="/__admin/docs/${SCRIPT}"></script>
    <script>
      Scalar.createApiReference('#app', ${JSON.stringify(configuration).replace(/</g, '\\u003c')});
    </script>
  </body>
</html>
`;
}
