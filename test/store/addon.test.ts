import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { addon, locateAddon, openMemoryDatabase } from '../../src/store/database.js';

const require = createRequire(import.meta.url);
const root = dirname(require.resolve('better-sqlite3/package.json'));

describe("better-sqlite3's addon", () => {
  it('is the one better-sqlite3 would find through the bindings package', () => {
    const bindings = require('bindings') as (options: { bindings: string; module_root: string; path: true }) => string;
    expect(addon().nativeBinding).toBe(bindings({ bindings: 'better_sqlite3.node', module_root: root, path: true }));
    expect(openMemoryDatabase().prepare('SELECT sqlite_version()').pluck().get()).toMatch(/^3\./);
  });

  it('is found where only the bindings package would look (a layout of its own), from the package, not from the caller', () => {
    // A package folder whose addon sits in out/Release, which `bindings` tries after build/.
    const pkg = mkdtempSync(join(tmpdir(), 'campaign-mock-addon-'));
    writeFileSync(join(pkg, 'package.json'), '{"name":"better-sqlite3"}');
    mkdirSync(join(pkg, 'out', 'Release'), { recursive: true });
    const real = addon().nativeBinding;
    symlinkSync(real, join(pkg, 'out', 'Release', 'better_sqlite3.node'));
    mkdirSync(join(pkg, 'node_modules'));
    symlinkSync(dirname(require.resolve('bindings/package.json')), join(pkg, 'node_modules', 'bindings'));
    const found = locateAddon(pkg).nativeBinding;
    expect(realpathSync(found)).toBe(realpathSync(real));
    expect(new BetterSqlite3(':memory:', { nativeBinding: found }).prepare('SELECT 1').pluck().get()).toBe(1);
    expect(() => locateAddon(mkdtempSync(join(tmpdir(), 'campaign-mock-no-addon-')))).toThrow();
  });
});
