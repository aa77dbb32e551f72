import { join } from 'node:path';
import { Hono } from 'hono';
import { builtFiles } from './built-files.js';
import { adminError } from './routes.js';

export interface InspectorPageOptions {
  /** Where the build put the page's script, style sheet and uPlot (see src/build/assets.ts). */
  assetsDir: string;
}

/** The page's files, by the name it asks for them under `/__admin/ui/`. */
const ASSETS: Record<string, string> = {
  'inspector.js': 'text/javascript; charset=utf-8',
  'inspector.css': 'text/css; charset=utf-8',
  'uplot.js': 'text/javascript; charset=utf-8',
  'uplot.css': 'text/css; charset=utf-8',
};

/**
 * Everything the page loads comes from the mock, and it talks to nothing but the control plane:
 * a page that cannot reach the network cannot leak a sandbox to it. (uPlot sizes its chart with
 * inline styles, hence 'unsafe-inline' for styles only.)
 */
const CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * The inspector page (`/__admin/ui`): a sandbox's campaigns, timeline, request journal and
 * webhooks, read from the control plane's own routes (specs/admin.yaml) and refreshed while a test
 * runs, with the clock, scenario, fixture and reset controls the control plane already has. It
 * sits behind the same guard as every `/__admin` route and reads nothing those routes do not serve.
 */
export function inspectorPageRoutes({ assetsDir }: InspectorPageOptions): Hono {
  const ui = new Hono();
  const built = builtFiles();

  ui.get('/ui', (c) => {
    c.header('content-security-policy', CONTENT_SECURITY_POLICY);
    c.header('referrer-policy', 'no-referrer');
    return c.html(PAGE);
  });

  ui.get('/ui/:asset', (c) => {
    const name = c.req.param('asset');
    const type = ASSETS[name];
    if (!type) return c.json(adminError(`no inspector asset "${name}"; there are ${Object.keys(ASSETS).join(', ')}`), 404);
    return built(c, join(assetsDir, name), { 'content-type': type, 'cache-control': 'no-cache' }, 'the inspector page is not built; run "npm run build" (it copies the page and uPlot into dist/)');
  });

  return ui;
}

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>campaign-mock inspector</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="/__admin/ui/uplot.css" />
    <link rel="stylesheet" href="/__admin/ui/inspector.css" />
  </head>
  <body>
    <header>
      <h1>campaign-mock inspector</h1>
      <label>Sandbox <select id="sandbox" aria-label="Sandbox"></select></label>
      <span id="clock" data-field="clock"></span>
      <span id="status" role="status"></span>
    </header>
    <main>
      <nav id="tabs" role="tablist"></nav>
      <section id="panel"></section>
      <aside id="controls" aria-label="Controls"></aside>
    </main>
    <script src="/__admin/ui/uplot.js"></script>
    <script src="/__admin/ui/inspector.js"></script>
  </body>
</html>
`;
