#!/usr/bin/env node
import { createRequire } from 'node:module';
import type { ScriptOptions } from 'node:vm';
import { BUNDLE_FILE, CODE_CACHE_FILE, MAIN_MODULE, RECORD_CODE_CACHE, requireBuiltin } from './cli-bundle.js';
import { afterHead, headedBy } from './headed-file.js';

const { existsSync, readFileSync, writeFileSync } = requireBuiltin<typeof import('node:fs')>('node:fs');
const { pathToFileURL } = requireBuiltin<typeof import('node:url')>('node:url');
const { Script } = requireBuiltin<typeof import('node:vm')>('node:vm');

/**
 * The `campaign-mock` command. `npm run build` bundles the command line (src/main.ts and all it
 * imports) into one script, and keeps V8's compiled code for it as it was after a start of the
 * mock. Node 20 has no compile cache of its own: without this one, every start would parse and
 * compile the bundle's functions again. A cache made for another bundle or by another V8 is not
 * used, and the bundle is compiled as if there were none. Without a bundle (tsc's output alone,
 * run as `node lib/cli.js`) the command runs from `lib/main.js`.
 */
function runBundle(): void {
  const bytes = readFileSync(BUNDLE_FILE);
  const script = new Script(bytes.toString('utf8'), {
    filename: BUNDLE_FILE,
    ...cachedDataFor(bytes),
    // The bundle imports the Excel reader when a workbook is uploaded; a script has to be told how.
    importModuleDynamically: ((specifier: string) => import(specifier)) as unknown as ScriptOptions['importModuleDynamically'],
  });
  if (process.env[RECORD_CODE_CACHE]) {
    // At exit every function the start and the stop ran is compiled, and goes into the cache.
    process.once('exit', () => writeFileSync(CODE_CACHE_FILE, headedBy(bytes, script.createCachedData())));
  }
  // The bundle is one function expression (src/build/bundle.ts), given what an ES module has and a script lacks.
  const bundle = script.runInThisContext() as (require: NodeRequire, importMetaUrl: string) => void;
  bundle(createRequire(BUNDLE_FILE), pathToFileURL(BUNDLE_FILE).href);
}

/**
 * The cache's compiled code if it was made for this bundle, which heads it (src/headed-file.ts).
 * V8 checks a cache against its own version and flags but, of the source, only the length: a
 * cache made for an edited bundle of the same length would be accepted and run the old code.
 */
function cachedDataFor(bundle: Buffer): Pick<ScriptOptions, 'cachedData'> {
  let cache: Buffer;
  try {
    cache = readFileSync(CODE_CACHE_FILE);
  } catch {
    return {};
  }
  const cachedData = afterHead(cache, bundle);
  return cachedData ? { cachedData } : {};
}

if (existsSync(BUNDLE_FILE)) runBundle();
else void import(MAIN_MODULE);
