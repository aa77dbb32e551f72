import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * A module loaded the first time it is used, rather than imported. An import loads a module, and
 * all it loads, before the importer's first line runs: at every start, for modules most runs never
 * touch (Node's crypto, TLS and DNS resolver, the YAML parser). Required, not `import()`ed: in the
 * command's bundle a dynamic import starts Node's ES module loader, which a require does without.
 *
 * @example
 * const yaml = onFirstUse<typeof import('yaml')>('yaml');
 * yaml().parse(text); // loads the package here, the first time only
 */
export function onFirstUse<T>(specifier: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(specifier) as T);
}
