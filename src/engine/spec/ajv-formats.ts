import addFormatsModule from 'ajv-formats';
import type { FormatsPlugin } from 'ajv-formats';

/** ajv-formats' plugin. It is CommonJS with `exports.default`; under NodeNext its default import is the module. */
export const addFormats = ((addFormatsModule as unknown as { default?: FormatsPlugin }).default ?? addFormatsModule) as FormatsPlugin;
