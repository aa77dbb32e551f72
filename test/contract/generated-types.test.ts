import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { VENDORS } from '../../src/vendors/registry.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const run = promisify(execFile);

// test/examples/types are what `npm run types` makes from the specs; a spec changed without
// running it would leave the typed-client example checking against an old contract.
describe("the types generated from the bundled specs (the vendors' and the control plane's)", () => {
  it.each([...VENDORS.map((vendor) => vendor.name), 'admin'])('%s: test/examples/types are what npm run types makes from the spec today', async (name) => {
    const args = [`specs/${name}.yaml`, '-o', `test/examples/types/${name}.d.ts`, '--default-non-nullable', 'false', '--check'];
    const check = await run(`${ROOT}node_modules/.bin/openapi-typescript`, args, { cwd: ROOT }).then(
      () => 'up to date',
      (error: { stderr?: string }) => `out of date; run npm run types (${error.stderr?.trim()})`,
    );
    expect(check).toBe('up to date');
  });
});
