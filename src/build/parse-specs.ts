import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SPEC_CACHE_DIR, SPECS_DIR } from '../app.js';
import { parseSpecForCache } from '../engine/spec.js';

/**
 * Run by `npm run build`: parses each bundled spec once and writes it as JSON with the hash of its
 * text, so the mock starts without parsing YAML (see loadSpec).
 */
mkdirSync(SPEC_CACHE_DIR, { recursive: true });
for (const name of readdirSync(SPECS_DIR).filter((file) => /\.ya?ml$/.test(file))) {
  writeFileSync(join(SPEC_CACHE_DIR, `${name}.json`), JSON.stringify(parseSpecForCache(readFileSync(join(SPECS_DIR, name), 'utf8'))));
}
