import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readVendorPages } from '../../src/contract/vendor-pages.js';
import { loadSpec } from '../../src/engine/spec/load.js';
import { VENDORS } from '../../src/vendors/registry.js';

const ROOT = new URL('../../', import.meta.url);
const TESTS = new URL('./', import.meta.url);

/** Follows a JSON pointer (`/components/schemas/Campaign`) into a document. */
function resolvePointer(document: unknown, pointer: string): unknown {
  let node = document;
  for (const raw of pointer.split('/').slice(1)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined;
  }
  return node;
}

describe('specs/pages', () => {
  for (const vendor of VENDORS) {
    const path = new URL(`specs/pages/${vendor.name}.yaml`, ROOT).pathname;
    describe(`${vendor.name}.yaml`, () => {
      it('exists and reads without a mistake', () => {
        expect(existsSync(path), `${path} lists the ${vendor.title} pages the spec was checked against`).toBe(true);
        expect(readVendorPages(path).vendor).toBe(vendor.name);
      });

      it('names only places that exist: files, spec locations and operations', () => {
        const { pages } = readVendorPages(path);
        const spec = loadSpec(new URL(`specs/${vendor.specFile}`, ROOT).pathname);
        const operationIds = new Set(spec.operations.map((op) => op.operationId));
        const missing: string[] = [];
        for (const page of pages) {
          for (const id of page.operations) if (!operationIds.has(id)) missing.push(`${page.id}: operation ${id}`);
          for (const fact of page.facts) {
            for (const where of fact.where) {
              const [file, pointer] = where.split('#') as [string, string | undefined];
              if (!existsSync(new URL(file, ROOT))) missing.push(`${page.id} ${fact.id}: ${file}`);
              else if (pointer !== undefined) {
                const document = loadSpec(new URL(file, ROOT).pathname).document;
                if (resolvePointer(document, pointer) === undefined) missing.push(`${page.id} ${fact.id}: ${where}`);
              }
            }
          }
        }
        expect(missing).toEqual([]);
      });

      it('has a test file for each page, and no test file for a page it lacks', () => {
        const { pages } = readVendorPages(path);
        const files = readdirSync(TESTS).filter((name) => name.startsWith(`${vendor.name}-`) && name.endsWith('.test.ts'));
        expect(files.sort()).toEqual(pages.map((page) => `${vendor.name}-${page.id}.test.ts`).sort());
      });
    });
  }
});
