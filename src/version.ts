import { readFileSync } from 'node:fs';

/**
 * The package version, from package.json. Read relative to this file, which sits one level below
 * the package root in `lib/` (tsc's output), as the bundled command line does in `dist/` (see
 * src/build/bundle.ts), so both find the same package.json.
 */
export const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
