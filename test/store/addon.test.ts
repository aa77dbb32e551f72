import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addon, openMemoryDatabase } from '../../src/store/database.js';

const require = createRequire(import.meta.url);

describe("better-sqlite3's addon", () => {
  it('is the one better-sqlite3 would find through the bindings package', () => {
    const bindings = require('bindings') as (options: { bindings: string; module_root: string; path: true }) => string;
    const root = dirname(require.resolve('better-sqlite3/package.json'));
    expect(addon().nativeBinding).toBe(bindings({ bindings: 'better_sqlite3.node', module_root: root, path: true }));
    expect(openMemoryDatabase().prepare('SELECT sqlite_version()').pluck().get()).toMatch(/^3\./);
  });
});
