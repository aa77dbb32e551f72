import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { DOCS_ASSETS_DIR, INSPECTOR_ASSETS_DIR, INSPECTOR_PAGE_DIR, SCENARIO_CACHE_FILE, SCENARIOS_DIR, SCHEMA_SCRIPT_FILE, SPEC_CACHE_DIR, SPECS_DIR, storeMigrations } from '../app.js';
import { parseSpecForCache } from '../engine/spec/load.js';
import { scenarioCacheEntry } from '../scenarios/catalog.js';
import { writeSchemaScript } from '../store/schema-script.js';
import { VENDORS } from '../vendors/registry.js';

/**
 * Run by `npm run build`, so the mock starts with nothing left to prepare:
 * - each bundled spec parsed once, written as JSON beside a copy of the file it was parsed from
 *   (see loadSpec);
 * - each valid bundled scenario file parsed once, by its text (see loadScenarios);
 * - the SQL that makes the in-memory store with every shipped migration applied (see openSchemaScript);
 * - the API reference page's script (Scalar's standalone build), served by /__admin/docs
 *   without reaching any CDN;
 * - the inspector page's script and style sheet, and uPlot's browser build that draws its
 *   timeline, served by /__admin/ui the same way.
 */
mkdirSync(SPEC_CACHE_DIR, { recursive: true });
for (const name of readdirSync(SPECS_DIR).filter((file) => /\.ya?ml$/.test(file))) {
  const text = readFileSync(join(SPECS_DIR, name), 'utf8');
  writeFileSync(join(SPEC_CACHE_DIR, `${name}.json`), JSON.stringify(parseSpecForCache(text)));
  writeFileSync(join(SPEC_CACHE_DIR, name), text);
}

const scenarios = readdirSync(SCENARIOS_DIR)
  .filter((file) => /\.ya?ml$/.test(file))
  .map((file) => scenarioCacheEntry(join(SCENARIOS_DIR, file)))
  .filter((entry) => entry !== undefined);
writeFileSync(SCENARIO_CACHE_FILE, JSON.stringify(Object.fromEntries(scenarios)));

writeSchemaScript(SCHEMA_SCRIPT_FILE, storeMigrations(VENDORS));

mkdirSync(DOCS_ASSETS_DIR, { recursive: true });
const scalar = createRequire(import.meta.url).resolve('@scalar/api-reference/browser/standalone.js');
copyFileSync(scalar, join(DOCS_ASSETS_DIR, 'scalar-api-reference.js'));

mkdirSync(INSPECTOR_ASSETS_DIR, { recursive: true });
for (const name of ['inspector.js', 'inspector.css']) copyFileSync(join(INSPECTOR_PAGE_DIR, name), join(INSPECTOR_ASSETS_DIR, name));
const uplot = createRequire(import.meta.url).resolve('uplot');
copyFileSync(join(uplot, '../uPlot.iife.min.js'), join(INSPECTOR_ASSETS_DIR, 'uplot.js'));
copyFileSync(join(uplot, '../uPlot.min.css'), join(INSPECTOR_ASSETS_DIR, 'uplot.css'));
