import { onFirstUse } from '../on-first-use.js';

/**
 * The `yaml` package, loaded the first time YAML text is parsed. A start from the build's
 * caches (specs, bundled scenarios) parses none, and so does not pay for loading it.
 */
export const yaml = onFirstUse<typeof import('yaml')>('yaml');
