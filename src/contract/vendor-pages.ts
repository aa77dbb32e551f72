import { Ajv2020 } from 'ajv/dist/2020.js';
import { ConfigError, describeSchemaErrors, readYamlFile } from '../config/yaml-file.js';

/**
 * The vendors' own documentation pages a spec was checked against, one file per vendor
 * (`specs/pages/<vendor>.yaml`, described in specs/pages/README.md). Each page is broken into
 * facts — a field, a rule, an example, an error — with what the page says, what the mock does with
 * it and where that is implemented. `campaign-mock fidelity --vendor-pages` prints them, and
 * `test/vendor-pages/` has one test per fact.
 */

export type FactKind = 'field' | 'response' | 'example' | 'error' | 'rule';

/** One thing a page states. */
export interface PageFact {
  /** Unique within its page, e.g. `request.name`, `error.404`, `rule.agent-locked`. */
  id: string;
  kind: FactKind;
  /** What the page says, quoted or closely paraphrased. */
  page: string;
  /** What the mock does with it. */
  mock: string;
  /**
   * Where the mock implements it: files of this repository, a spec location as
   * `specs/<file>.yaml#/json/pointer`.
   */
  where: string[];
}

/** One documentation page of a vendor. */
export interface VendorPage {
  /** Short, unique within the vendor: the test file is `test/vendor-pages/<vendor>-<id>.test.ts`. */
  id: string;
  /** The page's own title. */
  title: string;
  /** The page's public address. */
  url: string;
  /** The spec's operationIds the page documents. */
  operations: string[];
  facts: PageFact[];
}

export interface VendorPages {
  vendor: string;
  /** Where the file is, for messages. */
  file: string;
  pages: VendorPage[];
}

const FILE_SCHEMA = {
  type: 'object',
  required: ['vendor', 'pages'],
  additionalProperties: false,
  properties: {
    vendor: { type: 'string' },
    pages: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['id', 'title', 'url', 'operations', 'facts'],
        additionalProperties: false,
        properties: {
          id: { type: 'string', pattern: '^[a-z0-9-]+$' },
          title: { type: 'string', minLength: 1 },
          url: { type: 'string', pattern: '^https://' },
          operations: { type: 'array', minItems: 1, items: { type: 'string' } },
          facts: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              required: ['id', 'kind', 'page', 'mock', 'where'],
              additionalProperties: false,
              properties: {
                id: { type: 'string', pattern: '^[a-z0-9_.:-]+$' },
                kind: { enum: ['field', 'response', 'example', 'error', 'rule'] },
                page: { type: 'string', minLength: 1 },
                mock: { type: 'string', minLength: 1 },
                where: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^(specs|src|scenarios|fixtures)/' } },
              },
            },
          },
        },
      },
    },
  },
} as const;

let validateFile: ReturnType<Ajv2020['compile']> | undefined;

/**
 * Reads a vendor's pages file. A mistake in it (a missing field, a repeated id) is a ConfigError
 * naming the file and line.
 *
 * @example
 * const { pages } = readVendorPages('specs/pages/dialnexa.yaml');
 * pages[0].title; // 'Create a campaign'
 */
export function readVendorPages(path: string): VendorPages {
  const file = readYamlFile(path);
  validateFile ??= new Ajv2020({ allErrors: true }).compile(FILE_SCHEMA);
  if (!validateFile(file.value)) {
    throw new ConfigError(`campaign-mock: ${path} is not a valid pages file:\n  ${describeSchemaErrors(file, validateFile.errors).join('\n  ')}`);
  }
  const value = file.value as Omit<VendorPages, 'file'>;
  const problems: string[] = [];
  const pageIds = new Set<string>();
  value.pages.forEach((page, index) => {
    if (pageIds.has(page.id)) problems.push(`${file.locate(['pages', index, 'id'])}: page id "${page.id}" is used twice`);
    pageIds.add(page.id);
    const factIds = new Set<string>();
    page.facts.forEach((fact, factIndex) => {
      if (factIds.has(fact.id)) problems.push(`${file.locate(['pages', index, 'facts', factIndex, 'id'])}: fact id "${fact.id}" is used twice on page "${page.id}"`);
      factIds.add(fact.id);
    });
  });
  if (problems.length > 0) throw new ConfigError(`campaign-mock: ${path}:\n  ${problems.join('\n  ')}`);
  return { ...value, file: path };
}

/**
 * The pages files for a person: per page its title, address and operations, then every fact —
 * what the page says, what the mock does, and where.
 */
export function formatVendorPages(files: Array<{ title: string; pages: VendorPages }>, { verbose = false } = {}): string {
  const lines: string[] = [];
  for (const { title, pages } of files) {
    const facts = pages.pages.reduce((sum, page) => sum + page.facts.length, 0);
    lines.push(`${title}: ${pages.pages.length} ${pages.pages.length === 1 ? 'page' : 'pages'} checked line by line, ${facts} facts (${relative(pages.file)})`);
    for (const page of pages.pages) {
      lines.push(`  "${page.title}" ${page.url}`);
      lines.push(`  operations: ${page.operations.join(', ')}; ${page.facts.length} facts, each a test in test/vendor-pages/${pages.vendor}-${page.id}.test.ts`);
      for (const fact of page.facts) {
        lines.push(`    ${fact.id} (${fact.kind})`);
        lines.push(`      page: ${clip(fact.page, verbose)}`);
        lines.push(`      mock: ${clip(fact.mock, verbose)}`);
        lines.push(`      where: ${fact.where.join(', ')}`);
      }
    }
    lines.push('');
  }
  return lines.join('\n');
}

function relative(path: string): string {
  const at = path.lastIndexOf('/specs/pages/');
  return at === -1 ? path : path.slice(at + 1);
}

function clip(text: string, verbose: boolean): string {
  return verbose || text.length <= 140 ? text : `${text.slice(0, 139)}…`;
}
