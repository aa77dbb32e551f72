import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SPEC_CACHE_DIR, SPECS_DIR } from '../../src/app.js';
import { loadSpec, type ParsedSpec } from '../../src/engine/spec/load.js';
import { compileSpecs, type CompiledOperation } from '../../src/engine/spec/compile.js';
import { VENDORS } from '../../src/vendors/registry.js';

const dir = mkdtempSync(join(tmpdir(), 'campaign-mock-spec-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every validator of an operation, as the code ajv generated for it. */
function validatorCode(operation: CompiledOperation): string[] {
  const validators = [
    ...Object.values(operation.parameters).map((p) => p.validate),
    ...operation.bodies.values(),
    ...[...operation.responses.values()].flatMap((r) => (r.validate ? [r.validate] : [])),
  ];
  // ajv numbers the functions and constants it generates per instance; the numbers are not the code.
  return validators.map((validate) => validate.toString().replace(/\b(validate|schema|func|pattern|formats)\d+/g, '$1N'));
}

describe('the bundled specs', () => {
  it('compile, every operation eagerly, under ajv strict mode', () => {
    const specs = VENDORS.map((vendor) => loadSpec(`${SPECS_DIR}${vendor.specFile}`));
    const compiled = compileSpecs(specs, { eager: true });
    for (const spec of specs) {
      for (const operation of compiled.get(spec) ?? []) {
        expect(operation.responses.size, `${spec.file} ${operation.spec.operationId}`).toBeGreaterThan(0);
      }
    }
  });

  it('compile lazily, without the meta-schemas, to the same validators as eagerly', () => {
    const specs = VENDORS.map((vendor) => loadSpec(`${SPECS_DIR}${vendor.specFile}`));
    const lazy = compileSpecs(specs);
    const eager = compileSpecs(specs, { eager: true });
    for (const spec of specs) {
      const eagerOperations = eager.get(spec) ?? [];
      (lazy.get(spec) ?? []).forEach((operation, i) => {
        expect(validatorCode(operation), `${spec.file} ${operation.spec.operationId}`).toEqual(validatorCode(eagerOperations[i] as CompiledOperation));
      });
    }
  });

  it('are read from the parsed copies the build wrote, which hold what parsing the YAML gives', () => {
    for (const vendor of VENDORS) {
      const file = `${SPECS_DIR}${vendor.specFile}`;
      const cached = JSON.parse(readFileSync(`${SPEC_CACHE_DIR}${vendor.specFile}.json`, 'utf8')) as ParsedSpec;
      expect(readFileSync(`${SPEC_CACHE_DIR}${vendor.specFile}`, 'utf8')).toBe(readFileSync(file, 'utf8'));
      expect(cached.document).toEqual(loadSpec(file).document);
      expect(loadSpec(file, SPEC_CACHE_DIR).document).toEqual(loadSpec(file).document);
    }
  });

  it('are parsed again when their parsed copy was made from another text', () => {
    const file = `${SPECS_DIR}${VENDORS[0]?.specFile}`;
    const parsed = loadSpec(file).document;
    const copy = (source: string) => {
      writeFileSync(join(dir, `${VENDORS[0]?.specFile}.json`), JSON.stringify({ document: { ...parsed, info: { ...parsed.info, title: 'From the copy' } } }));
      writeFileSync(join(dir, `${VENDORS[0]?.specFile}`), source);
    };
    const text = readFileSync(file, 'utf8');
    copy(text);
    expect(loadSpec(file, dir).document.info.title).toBe('From the copy');
    // One character changed, the length kept.
    copy(text.replace('openapi: 3.1', 'openapi: 3.2'));
    expect(loadSpec(file, dir).document).toEqual(parsed);
  });
});
