import { spawn } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { BUNDLE_FILE, CODE_CACHE_FILE, RECORD_CODE_CACHE } from '../cli-bundle.js';

/**
 * Run by `npm run build`, after the TypeScript is compiled into `lib/`: the command line
 * (`lib/main.js` and every module it imports) is bundled into one script that `dist/cli.js` runs.
 * Node then starts the mock without resolving and reading a few hundred files, which was half of
 * its startup. `lib/` stays as compiled, for `import 'campaign-mock'`.
 *
 * A script rather than an ES module, for two reasons: Node can compile a script with V8's code
 * cache (recorded below), and a script requires Node's own modules where a module is first
 * initialised, where an ES module imports them all before its first line runs.
 *
 * better-sqlite3's JavaScript is bundled (compiled from the code cache like the rest, where
 * requiring its package took 8 ms of every start); its native addon is loaded from its package
 * (see addon in src/store/database.ts). Kept out of the bundle: `bindings`, which finds that addon
 * only when it is somewhere unusual, and the Excel reader, imported only when a workbook is
 * uploaded.
 */
const MAIN = fileURLToPath(new URL('../main.js', import.meta.url));
const CLI_SOURCE = fileURLToPath(new URL('../cli.js', import.meta.url));
/** The command, `bin` in package.json. */
const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/**
 * What both builds share. Their source maps lead back to src/ through tsc's own maps, for
 * `node --enable-source-maps dist/cli.js`.
 */
const NODE_BUNDLE = { bundle: true, platform: 'node', target: 'node20', sourcemap: 'linked', logLevel: 'warning' } as const;

rmSync(CODE_CACHE_FILE, { force: true });
await build({
  ...NODE_BUNDLE,
  entryPoints: [MAIN],
  outfile: BUNDLE_FILE,
  format: 'cjs',
  external: ['bindings', 'read-excel-file', 'read-excel-file/*'],
  // One function expression, which dist/cli.js calls with what the ES modules inside expect:
  // require() (for Node's own modules, better-sqlite3's addon and what is kept out) and their
  // import.meta.url. esbuild starts the code inside with 'use strict', as the modules it was made
  // of were strict.
  banner: { js: '(function (require, importMetaUrl) {' },
  footer: { js: '})' },
  define: { 'import.meta.url': 'importMetaUrl' },
  legalComments: 'linked',
  minifyWhitespace: true,
  minifySyntax: true,
});
// `dist/cli.js` itself, with the few lines of src/cli-bundle.ts it imports, as CommonJS: Node
// starts an ES module through its asynchronous module loader, which took about 10 ms of a start
// that a CommonJS script does without. The package is `"type": "module"`, so dist/ says otherwise
// for its own files. `import.meta.url` is the file's URL, as it is for the modules in lib/.
writeFileSync(fileURLToPath(new URL('../../dist/package.json', import.meta.url)), `${JSON.stringify({ type: 'commonjs' })}\n`);
await build({
  ...NODE_BUNDLE,
  entryPoints: [CLI_SOURCE],
  outfile: CLI,
  format: 'cjs',
  // Strict, as the modules it is made of were; esbuild's own 'use strict' comes after this line.
  banner: { js: "'use strict';\nconst importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  define: { 'import.meta.url': 'importMetaUrl' },
});
await recordCodeCache();

/**
 * Starts the mock once, asks for its health, and stops it: `dist/cli.js` writes V8's compiled code
 * for the bundle at exit, so that every later start skips compiling what this one compiled.
 */
async function recordCodeCache(): Promise<void> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--speed', '0', '--log-level', 'warn'], {
    env: { ...process.env, [RECORD_CODE_CACHE]: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const listening = /listening on (http:\/\/\S+)/.exec(output);
      if (listening) resolve(listening[1] as string);
    });
    void exited.then((code) => reject(new Error(`campaign-mock: the mock exited with ${code} before listening, so the bundle has no code cache:\n${output}`)));
  });
  const health = await fetch(`${url}/__admin/health`);
  if (health.status !== 200) throw new Error(`campaign-mock: the bundled mock answered its health route with ${health.status}`);
  child.kill('SIGTERM');
  const code = await exited;
  if (code !== 0 || !existsSync(CODE_CACHE_FILE)) throw new Error(`campaign-mock: the bundled mock exited with ${code} without writing ${CODE_CACHE_FILE}`);
}
