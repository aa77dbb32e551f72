import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

/**
 * Run by `npm run build`, after the TypeScript is compiled: `dist/cli.js` (the `campaign-mock`
 * command, and `npm start`) is rewritten as one file holding every module it imports. Node then
 * starts the mock without resolving and reading a few hundred files, which was half of its
 * startup. `dist/index.js` and the rest of `dist/` stay as compiled, for `import 'campaign-mock'`.
 *
 * Kept out of the bundle: better-sqlite3 (a native addon, found through its package), and the
 * Excel reader, which is imported only when a workbook is uploaded.
 */
const cli = fileURLToPath(new URL('../cli.js', import.meta.url));

await build({
  entryPoints: [cli],
  outfile: cli,
  allowOverwrite: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['better-sqlite3', 'read-excel-file', 'read-excel-file/*'],
  // The CommonJS packages inside (ajv) call require(); an ES module has none until given one.
  banner: { js: "import { createRequire as createRequireForBundle } from 'node:module'; const require = createRequireForBundle(import.meta.url);" },
  legalComments: 'linked',
  minifyWhitespace: true,
  minifySyntax: true,
  // Maps back to src/ through tsc's own maps, for `node --enable-source-maps dist/cli.js`.
  sourcemap: 'linked',
  logLevel: 'warning',
});
