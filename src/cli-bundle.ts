import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * One of Node's own modules, required rather than imported: importing one into an ES module builds
 * a module of all its exports, and reading them all loads more (node:crypto's webcrypto alone loads
 * a dozen modules). The command's own few imports cost about 5 ms of a start that way.
 */
export function requireBuiltin<T>(name: string): T {
  return require(name) as T;
}

const { fileURLToPath } = requireBuiltin<typeof import('node:url')>('node:url');

// Paths from the package root: this file runs from lib/ (tsc's output, for the build) and from dist/cli.js.
/** The command line as `npm run build` bundles it into one script (src/build/bundle.ts), run by `dist/cli.js`. */
export const BUNDLE_FILE = fileURLToPath(new URL('../dist/cli.bundle.cjs', import.meta.url));
/** V8's compiled code for that script, as it stood after a start of the mock, headed by the script (see src/cli.ts). */
export const CODE_CACHE_FILE = fileURLToPath(new URL('../dist/cli.bundle.cache', import.meta.url));
/** The command line as tsc compiled it, run when there is no bundle. */
export const MAIN_MODULE = new URL('../lib/main.js', import.meta.url).href;
/** Set by `npm run build` on the one start whose compiled code `dist/cli.js` writes to CODE_CACHE_FILE at exit. */
export const RECORD_CODE_CACHE = 'CAMPAIGN_MOCK_RECORD_CODE_CACHE';
