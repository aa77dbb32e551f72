import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startMockProcess } from '../helpers/process.js';

const dir = mkdtempSync(join(tmpdir(), 'campaign-mock-startup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Which of Node's own modules a start of the CLI loads, from its first line to its exit, with one
 * health request between. Loaded before the CLI by `--require`, which is not a V8 flag: the code
 * cache is still used.
 */
async function modulesOfAStart(): Promise<string[]> {
  const list = join(dir, 'modules.json');
  const preload = join(dir, 'preload.cjs');
  writeFileSync(preload, `process.once('exit', () => require('node:fs').writeFileSync(${JSON.stringify(list)}, JSON.stringify(process.moduleLoadList)));`);
  const mock = await startMockProcess(['--port', '0', '--log-level', 'warn'], { NODE_OPTIONS: `--require ${preload}` });
  try {
    expect((await fetch(`${mock.url}/__admin/health`)).status).toBe(200);
  } finally {
    expect(await mock.stop('SIGTERM')).toBe(0);
  }
  return (JSON.parse(readFileSync(list, 'utf8')) as string[]).filter((name) => name.startsWith('NativeModule ')).map((name) => name.slice('NativeModule '.length));
}

describe('a start of the CLI', () => {
  it("loads neither Node's crypto module nor its ES module loader, which a start needs neither of", async () => {
    const modules = await modulesOfAStart();
    // The list is real: the HTTP server is in it.
    expect(modules).toContain('http');
    expect(modules.filter((name) => name === 'crypto' || name.startsWith('internal/crypto/'))).toEqual([]);
    expect(modules).not.toContain('internal/modules/esm/translators');
  });
});
