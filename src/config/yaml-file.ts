import type { ErrorObject } from 'ajv';
import { readFileSync } from 'node:fs';
import { yaml } from './yaml.js';

/** A YAML file read for configuration, able to say which line a value came from. */
export interface YamlFile {
  path: string;
  value: unknown;
  /** `file:line` of the value at `path` (or of its nearest existing parent). */
  locate(path: ReadonlyArray<string | number>): string;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * Reads a YAML configuration file. A syntax error is reported with its file and line.
 *
 * @example
 * const file = readYamlFile('keys.yaml');
 * file.locate(['keys', 2, 'deny']); // 'keys.yaml:9'
 */
export function readYamlFile(path: string): YamlFile {
  return parseYamlFile(path, readConfigText(path));
}

/** A configuration file's text; a file that cannot be read is a ConfigError that says why. */
export function readConfigText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`campaign-mock: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** Parses the text of the YAML file at `path`, as readYamlFile does once it has read it. */
export function parseYamlFile(path: string, text: string): YamlFile {
  const { LineCounter, isNode, parseDocument } = yaml();
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const [first] = document.errors;
  if (first) {
    const line = first.linePos?.[0]?.line ?? lines.linePos(first.pos[0]).line;
    throw new ConfigError(`campaign-mock: ${path}:${line}: invalid YAML: ${first.message.split('\n')[0]}`);
  }
  return {
    path,
    value: document.toJS(),
    locate(at) {
      for (let depth = at.length; depth >= 0; depth--) {
        const node = document.getIn(at.slice(0, depth), true);
        if (isNode(node) && node.range) return `${path}:${lines.linePos(node.range[0]).line}`;
      }
      return path;
    },
  };
}

/**
 * Turns JSON Schema errors about a YAML file into `file:line: where what` lines.
 *
 * @example
 * describeSchemaErrors(file, validate.errors); // ['keys.yaml:3: keys[0].deny[0] must be one of: …']
 */
export function describeSchemaErrors(file: YamlFile, errors: readonly ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((error) => {
    const at = error.instancePath
      .split('/')
      .slice(1)
      .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    const where = at.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('').replace(/^\./, '') || 'the file';
    const detail =
      error.keyword === 'enum'
        ? `must be one of: ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`
        : error.keyword === 'additionalProperties'
          ? `has an unknown field "${(error.params as { additionalProperty: string }).additionalProperty}"`
          : error.message;
    return `${file.locate(at)}: ${where} ${detail}`;
  });
}
