import { Ajv2020 } from 'ajv/dist/2020.js';
import type { JsonSchema } from '../engine/spec/openapi.js';
import { ConfigError, describeSchemaErrors, readYamlFile } from './yaml-file.js';

/** What one API key may do. */
export interface KeyAccess {
  /** Every write (POST, PUT, PATCH, DELETE) is refused with the vendor's 403. */
  readOnly: boolean;
  /** Permissions (`x-mock-permission` of the specs) refused with the vendor's 403. */
  deny: ReadonlySet<string>;
  /** Per-vendor settings, e.g. `dialnexa: { concurrency_limit: 5 }`. */
  vendors: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/** The access of a key when no keys file is given: everything. */
export const FULL_ACCESS: KeyAccess = Object.freeze({ readOnly: false, deny: new Set<string>(), vendors: {} });

/** The keys a keys file accepts; any other key gets the vendor's 401. */
export type KeyList = ReadonlyMap<string, KeyAccess>;

export interface KeysFileContext {
  /** Every permission the loaded specs name, so a typo in `deny` is caught at startup. */
  permissions: readonly string[];
  /** Each vendor's schema for its section of a key entry. */
  vendorSettings: Readonly<Record<string, JsonSchema>>;
}

/**
 * Reads a keys file (`--keys keys.yaml`):
 *
 * ```yaml
 * keys:
 *   - key: dnx_test_full              # every permission
 *   - key: dnx_test_readonly
 *     read_only: true                 # 403 on every write
 *   - key: dnx_test_cannot_read
 *     deny: [campaigns:read]          # 403 on the operations that need it
 *   - key: dnx_test_starter
 *     dialnexa: { concurrency_limit: 5 }
 * ```
 */
export function loadKeysFile(path: string, context: KeysFileContext): KeyList {
  const file = readYamlFile(path);
  const ajv = new Ajv2020({ allErrors: true, strict: true, validateSchema: false });
  const validate = ajv.compile(keysFileSchema(context));
  if (!validate(file.value)) {
    throw new ConfigError(`campaign-mock: invalid keys file:\n  ${describeSchemaErrors(file, validate.errors).join('\n  ')}`);
  }
  const entries = (file.value as { keys: RawKeyEntry[] }).keys;
  const keys = new Map<string, KeyAccess>();
  entries.forEach((entry, index) => {
    if (keys.has(entry.key)) {
      throw new ConfigError(`campaign-mock: ${file.locate(['keys', index, 'key'])}: key "${entry.key}" is listed twice`);
    }
    const vendors: Record<string, Record<string, unknown>> = {};
    for (const vendor of Object.keys(context.vendorSettings)) {
      const settings = entry[vendor];
      if (settings) vendors[vendor] = settings as Record<string, unknown>;
    }
    keys.set(entry.key, { readOnly: entry.read_only ?? false, deny: new Set(entry.deny ?? []), vendors });
  });
  return keys;
}

interface RawKeyEntry {
  key: string;
  read_only?: boolean;
  deny?: string[];
  [vendor: string]: unknown;
}

function keysFileSchema(context: KeysFileContext): JsonSchema {
  return {
    type: 'object',
    required: ['keys'],
    additionalProperties: false,
    properties: {
      keys: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          required: ['key'],
          additionalProperties: false,
          properties: {
            key: { type: 'string', minLength: 1 },
            read_only: { type: 'boolean' },
            deny: { type: 'array', items: { enum: [...context.permissions] } },
            ...context.vendorSettings,
          },
        },
      },
    },
  };
}
