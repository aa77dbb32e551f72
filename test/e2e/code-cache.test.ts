import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startMockProcess } from '../helpers/process.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BUNDLE = join(ROOT, 'dist/cli.bundle.cjs');
const CODE_CACHE = join(ROOT, 'dist/cli.bundle.cache');

/** A copy of the built package whose dist/ a test may change; specs and modules are the real ones. */
function copyOfPackage(): string {
  const dir = mkdtempSync(join(tmpdir(), 'campaign-mock-code-cache-'));
  cpSync(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  for (const shared of ['node_modules', 'specs', 'scenarios', 'fixtures']) symlinkSync(join(ROOT, shared), join(dir, shared));
  return dir;
}

/** Starts the copy's CLI, checks it serves, and returns what it printed. */
async function startAndStop(dir: string): Promise<string> {
  const mock = await startMockProcess(['--port', '0', '--log-level', 'warn'], {}, join(dir, 'dist/cli.js'));
  try {
    expect((await fetch(`${mock.url}/__admin/health`)).status).toBe(200);
  } finally {
    expect(await mock.stop('SIGTERM')).toBe(0);
  }
  return mock.output();
}

const copies: string[] = [];
afterAll(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

describe("the bundled command line's code cache", () => {
  it('is made by the build for the bundle it sits beside, and V8 accepts it', () => {
    const cache = readFileSync(CODE_CACHE);
    // In a process of its own, as dist/cli.js runs: V8 accepts a cache only under the flags that made it.
    const check = `const { Script } = require('node:vm');
      const cache = require('node:fs').readFileSync(${JSON.stringify(CODE_CACHE)});
      const script = new Script(require('node:fs').readFileSync(${JSON.stringify(BUNDLE)}, 'utf8'), { cachedData: cache.subarray(4 + cache.readUInt32LE(0)) });
      process.stdout.write(String(script.cachedDataRejected));`;
    expect(execFileSync(process.execPath, ['-e', check], { encoding: 'utf8' })).toBe('false');
    // Headed by the bundle it was made for.
    expect(cache.readUInt32LE(0)).toBe(readFileSync(BUNDLE).length);
    expect(cache.subarray(4, 4 + cache.readUInt32LE(0)).equals(readFileSync(BUNDLE))).toBe(true);
  });

  it('is not used for an edited bundle of the same length, which V8 alone would accept', async () => {
    const dir = copyOfPackage();
    copies.push(dir);
    const bundle = join(dir, 'dist/cli.bundle.cjs');
    writeFileSync(bundle, readFileSync(bundle, 'utf8').replace('"in-memory database"', '"IN-MEMORY DATABASE"'));
    expect(await startAndStop(dir)).toContain('(IN-MEMORY DATABASE)');
  });

  it('is not needed: a damaged cache, or none, and the CLI still starts', async () => {
    const dir = copyOfPackage();
    copies.push(dir);
    const cache = join(dir, 'dist/cli.bundle.cache');
    const damaged = Buffer.from(readFileSync(cache));
    damaged.fill(7, 4 + damaged.readUInt32LE(0));
    writeFileSync(cache, damaged);
    expect(await startAndStop(dir)).toContain(' listening on http://127.0.0.1:');
    rmSync(cache);
    expect(await startAndStop(dir)).toContain(' listening on http://127.0.0.1:');
  });
});
