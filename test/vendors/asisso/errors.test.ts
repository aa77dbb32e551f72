import { describe, expect, it } from 'vitest';
import { SPECS_DIR } from '../../../src/app.js';
import { loadSpec } from '../../../src/engine/spec/load.js';
import { ASISSO_PATHS } from '../../../src/vendors/asisso/errors.js';

describe("Asisso's trailing-slash redirect", () => {
  it('knows exactly the paths of specs/asisso.yaml', () => {
    const spec = loadSpec(`${SPECS_DIR}asisso.yaml`);
    expect([...ASISSO_PATHS].sort()).toEqual([...new Set(spec.operations.map((operation) => operation.path))].sort());
  });
});
