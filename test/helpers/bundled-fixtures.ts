import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES_DIR } from '../../src/app.js';

/**
 * The names of the bundled fixtures (`<vendor>/<file name>`, e.g. `dialnexa/campaigns`), read
 * from `fixtures/` as the fixture catalog reads it: for loading the bundled scenarios, whose
 * `fixtures:` must name fixtures that exist.
 *
 * @example
 * loadScenarios({ dirs: [SCENARIOS_DIR], vendors: specs, fixtures: bundledFixtureNames() });
 */
export function bundledFixtureNames(): Set<string> {
  const names = new Set<string>();
  for (const vendor of readdirSync(FIXTURES_DIR).sort()) {
    if (!statSync(join(FIXTURES_DIR, vendor)).isDirectory()) continue;
    for (const file of readdirSync(join(FIXTURES_DIR, vendor)).filter((f) => /\.ya?ml$/.test(f)).sort()) names.add(`${vendor}/${file.replace(/\.ya?ml$/, '')}`);
  }
  return names;
}
