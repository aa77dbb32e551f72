import { readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADMIN_SPEC_FILE, SPECS_DIR } from '../../src/app.js';
import { VENDORS } from '../../src/vendors/registry.js';

// A vendor is its folder in src/vendors/ and its spec in specs/: neither may exist without the other.
// Besides the vendors' specs, specs/ holds the control plane's own (admin.yaml).
describe('the vendor registry and specs/', () => {
  const specFiles = readdirSync(SPECS_DIR).filter((file) => file.endsWith('.yaml') && file !== basename(ADMIN_SPEC_FILE));

  it('has one registry entry for every spec in specs/, and one spec for every entry', () => {
    expect(VENDORS.map((vendor) => vendor.specFile).sort()).toEqual([...specFiles].sort());
    expect(new Set(VENDORS.map((vendor) => vendor.specFile)).size).toBe(VENDORS.length);
    for (const vendor of VENDORS) expect('specDir' in vendor, `${vendor.name} keeps its spec in specs/`).toBe(false);
  });

  it("names each spec after its vendor, as npm run types names each vendor's types after its spec", () => {
    for (const vendor of VENDORS) expect(vendor.specFile).toBe(`${vendor.name}.yaml`);
  });

  it('gives each vendor its own name and base path', () => {
    expect(new Set(VENDORS.map((vendor) => vendor.name)).size).toBe(VENDORS.length);
    expect(new Set(VENDORS.map((vendor) => vendor.basePath)).size).toBe(VENDORS.length);
  });
});
