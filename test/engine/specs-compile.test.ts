import { describe, expect, it } from 'vitest';
import { SPECS_DIR } from '../../src/app.js';
import { loadSpec } from '../../src/engine/spec/load.js';
import { compileSpecs } from '../../src/engine/spec/compile.js';
import { VENDORS } from '../../src/vendors/registry.js';

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
});
