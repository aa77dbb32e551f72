import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMockApp } from '../../src/app.js';
import { loadKeysFile } from '../../src/config/keys-file.js';
import { createLogger } from '../../src/logger.js';

const dir = mkdtempSync(join(tmpdir(), 'campaign-mock-keys-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const context = { permissions: ['campaigns:read', 'campaigns:write'], vendorSettings: { dialnexa: { type: 'object', additionalProperties: false, properties: { concurrency_limit: { type: 'integer' } } } } };

describe('loadKeysFile', () => {
  it('reads keys with their access', () => {
    const keys = loadKeysFile(file('ok.yaml', 'keys:\n  - key: a\n  - key: b\n    read_only: true\n    deny: [campaigns:read]\n    dialnexa: { concurrency_limit: 5 }\n'), context);
    expect([...keys.keys()]).toEqual(['a', 'b']);
    expect(keys.get('a')).toEqual({ readOnly: false, deny: new Set(), vendors: {} });
    expect(keys.get('b')).toEqual({ readOnly: true, deny: new Set(['campaigns:read']), vendors: { dialnexa: { concurrency_limit: 5 } } });
  });

  it('names the file, line and field of every mistake', () => {
    const path = file('bad.yaml', 'keys:\n  - key: a\n    deny: [campaigns:reed]\n  - key: b\n    readonly: true\n');
    expect(() => loadKeysFile(path, context)).toThrow(
      `campaign-mock: invalid keys file:\n  ${path}:3: keys[0].deny[0] must be one of: campaigns:read, campaigns:write\n  ${path}:4: keys[1] has an unknown field "readonly"`,
    );
  });

  it('refuses a key listed twice, and broken YAML, with the line', () => {
    const twice = file('twice.yaml', 'keys:\n  - key: a\n  - key: a\n');
    expect(() => loadKeysFile(twice, context)).toThrow(`campaign-mock: ${twice}:3: key "a" is listed twice`);
    const broken = file('broken.yaml', 'keys:\n  - key: [a\n');
    expect(() => loadKeysFile(broken, context)).toThrow(new RegExp(`^campaign-mock: ${broken}:\\d+: invalid YAML`));
    expect(() => loadKeysFile(join(dir, 'missing.yaml'), context)).toThrow(`campaign-mock: cannot read ${join(dir, 'missing.yaml')}: ENOENT`);
  });

  it('is checked against the permissions of the bundled specs', () => {
    const path = file('vendor.yaml', 'keys:\n  - key: a\n    deny: [campaigns:read, leads:read, call-logs:read, webhooks:write]\n    dialnexa: { concurrency_limit: 0 }\n');
    expect(() => createMockApp({ keysFile: path, logger: createLogger('silent') })).toThrow(`${path}:4: keys[0].dialnexa.concurrency_limit must be >= 1`);
  });
});

describe('without a keys file', () => {
  it('accepts any non-empty key, each its own sandbox with every permission', async () => {
    const mock = createMockApp({ strict: true, logger: createLogger('silent') });
    for (const key of ['anything', 'key_id:secret', 'dnx_live_x']) {
      const res = await mock.app.request('/v1/campaigns/cmp_000000000000', { headers: { authorization: `Bearer ${key}` } });
      expect(res.status).toBe(404);
    }
    mock.close();
  });
});
