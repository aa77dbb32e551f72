import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { LineCounter, Node } from 'yaml';
import { yaml } from '../config/yaml.js';
import { HTTP_METHODS } from '../engine/spec/openapi.js';

/**
 * How far each answer of a vendor's spec can be trusted: every `x-mock-inferred` mark (a
 * behaviour the vendor's docs do not state; see specs/README.md) with the line it sits on, tied to the
 * operations it affects — directly, or through the responses, schemas, parameters and security
 * schemes an operation uses by `$ref`.
 */

/** One `x-mock-inferred` mark. */
export interface InferredMark {
  /** JSON pointer of the object that carries the mark (`/components/schemas/Campaign/properties/pending_calls`). */
  pointer: string;
  /** Where it sits, for a person: `schema Campaign.pending_calls`, `response NotFound`, `operation`. */
  label: string;
  /** 1-based line of the mark in the spec file. */
  line: number;
  /** Why the mock infers it, as the spec says. */
  why: string;
}

/**
 * `documented`: a vendor page or published file documents the operation (its `externalDocs`) and
 * nothing it answers is inferred; `partly inferred`: documented, with inferred details;
 * `inferred`: no vendor source documents the operation at all.
 */
export type Fidelity = 'documented' | 'partly inferred' | 'inferred';

export interface OperationFidelity {
  operationId: string;
  method: string;
  path: string;
  fidelity: Fidelity;
  /** The vendor page or file that documents the operation (its `externalDocs`), or null. */
  source: { description: string; url: string } | null;
  /** Marks on the operation itself: rules or details of it that are the mock's reading. */
  operation: InferredMark[];
  /** Marks on its parameters and request body, and the schemas they use. */
  request: InferredMark[];
  /**
   * Per status: `inferred` when the response object itself is marked (the vendor does not
   * document that status for the operation), else `documented`.
   */
  statuses: Record<string, 'documented' | 'inferred'>;
  /** Marks on each status's response and everything it uses (its schemas, examples). */
  responses: Record<string, InferredMark[]>;
  /** Marks on the security schemes it accepts. */
  security: InferredMark[];
}

export interface SpecFidelity {
  specFile: string;
  title: string;
  operations: OperationFidelity[];
  /** Marks that apply to the whole spec (on `info`) or to no operation (a webhook's payload). */
  elsewhere: InferredMark[];
  /** Every mark in the file. */
  marks: number;
}

/**
 * Reads a spec file and reports its inferred marks per operation.
 *
 * @example
 * const report = specFidelity('specs/dialnexa.yaml');
 * report.operations.find((op) => op.operationId === 'getCampaign')?.responses['404'];
 * // [{ label: 'response NotFound', line: 521, why: 'The message wording …', … }]
 */
export function specFidelity(file: string): SpecFidelity {
  const { LineCounter: Lines, parseDocument } = yaml();
  const lineCounter = new Lines();
  const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter });
  if (doc.errors.length > 0) throw new Error(`campaign-mock: ${basename(file)} cannot be read: ${doc.errors[0]?.message}`);
  const marks = new Map<string, InferredMark>();
  collectMarks(doc.contents, '', marks, lineCounter);
  const document = doc.toJS() as Record<string, unknown>;

  const seenByOperations = new Set<string>();
  const operations: OperationFidelity[] = [];
  const paths = (document.paths ?? {}) as Record<string, Record<string, unknown>>;
  for (const [path, item] of Object.entries(paths)) {
    const itemPointer = `/paths/${escape(path)}`;
    for (const method of HTTP_METHODS) {
      const operation = item[method] as Record<string, unknown> | undefined;
      if (!operation) continue;
      const opPointer = `${itemPointer}/${method}`;
      const reached = (start: Array<[unknown, string]>) => {
        const found = reachMarks(document, start, marks);
        for (const mark of found) seenByOperations.add(mark.pointer);
        return found;
      };
      const own = marks.get(opPointer);
      if (own) seenByOperations.add(own.pointer);
      const request = reached([
        [item.parameters, `${itemPointer}/parameters`],
        [operation.parameters, `${opPointer}/parameters`],
        [operation.requestBody, `${opPointer}/requestBody`],
      ]);
      const responses: Record<string, InferredMark[]> = {};
      const statuses: Record<string, 'documented' | 'inferred'> = {};
      for (const [status, response] of Object.entries((operation.responses ?? {}) as Record<string, unknown>)) {
        const pointer = `${opPointer}/responses/${escape(status)}`;
        responses[status] = reached([[response, pointer]]);
        statuses[status] = marks.has(referencedPointer(response) ?? pointer) ? 'inferred' : 'documented';
      }
      const requirements = (operation.security ?? document.security ?? []) as Array<Record<string, unknown>>;
      const schemes = [...new Set(requirements.flatMap((r) => Object.keys(r)))];
      const security = reached(schemes.map((name) => [{ $ref: `#/components/securitySchemes/${escape(name)}` }, `${opPointer}/security`]));
      const anyMark = own !== undefined || request.length + security.length + Object.values(responses).flat().length > 0;
      const docs = operation.externalDocs as { description?: string; url?: string } | undefined;
      const source = docs?.url ? { description: docs.description ?? docs.url, url: docs.url } : null;
      operations.push({
        operationId: String(operation.operationId ?? `${method.toUpperCase()} ${path}`),
        method: method.toUpperCase(),
        path,
        fidelity: source === null ? 'inferred' : anyMark ? 'partly inferred' : 'documented',
        source,
        operation: own ? [own] : [],
        request,
        statuses,
        responses,
        security,
      });
    }
  }
  const elsewhere = [...marks.values()].filter((mark) => !seenByOperations.has(mark.pointer));
  const info = (document.info ?? {}) as { title?: string };
  return { specFile: basename(file), title: info.title ?? basename(file), operations, elsewhere, marks: marks.size };
}

function collectMarks(node: Node | null | undefined | unknown, pointer: string, marks: Map<string, InferredMark>, lines: LineCounter): void {
  const { isMap, isScalar, isSeq } = yaml();
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      if (key === 'x-mock-inferred') {
        const start = isScalar(pair.key) ? (pair.key.range?.[0] ?? 0) : 0;
        const why = isScalar(pair.value) ? String(pair.value.value) : String(pair.value);
        marks.set(pointer, { pointer, label: labelOf(pointer), line: lines.linePos(start).line, why: why.replace(/\s+/g, ' ').trim() });
      } else {
        collectMarks(pair.value, `${pointer}/${escape(key)}`, marks, lines);
      }
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => collectMarks(item, `${pointer}/${index}`, marks, lines));
  }
}

/** The marks on every object reachable from the starting values, `$ref`s followed (local ones). */
function reachMarks(document: Record<string, unknown>, start: Array<[unknown, string]>, marks: Map<string, InferredMark>): InferredMark[] {
  const visited = new Set<string>();
  const found = new Map<string, InferredMark>();
  const walk = (value: unknown, pointer: string): void => {
    if (typeof value !== 'object' || value === null || visited.has(pointer)) return;
    visited.add(pointer);
    const mark = marks.get(pointer);
    if (mark) found.set(pointer, mark);
    if (Array.isArray(value)) return value.forEach((item, index) => walk(item, `${pointer}/${index}`));
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string' && child.startsWith('#/')) {
        const target = child.slice(1);
        walk(resolvePointer(document, target), target);
      } else {
        walk(child, `${pointer}/${escape(key)}`);
      }
    }
  };
  for (const [value, pointer] of start) walk(value, pointer);
  return [...found.values()].sort((a, b) => a.line - b.line);
}

/** The JSON pointer a local `$ref` value points at, or undefined when the value is not one. */
function referencedPointer(value: unknown): string | undefined {
  const ref = typeof value === 'object' && value !== null ? (value as { $ref?: unknown }).$ref : undefined;
  return typeof ref === 'string' && ref.startsWith('#/') ? ref.slice(1) : undefined;
}

function resolvePointer(document: unknown, pointer: string): unknown {
  let node = document;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined;
  }
  return node;
}

/** `schema Campaign.pending_calls`, `response NotFound`, `operation`, `info`, … */
function labelOf(pointer: string): string {
  const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (parts[0] === 'components' && parts.length >= 3) {
    const kind = { schemas: 'schema', responses: 'response', parameters: 'parameter', securitySchemes: 'security scheme', headers: 'header' }[parts[1] as string] ?? (parts[1] as string);
    return `${kind} ${[parts[2], ...parts.slice(3).filter((p) => !['properties', 'items', 'allOf', 'anyOf', 'oneOf'].includes(p))].join('.')}`;
  }
  if (parts[0] === 'paths') {
    const rest = parts.slice(3);
    if (rest.length === 0) return 'operation';
    if (rest[0] === 'responses') return `response ${rest[1]}${rest.length > 2 ? ` ${rest.slice(2).filter((p) => !['content', 'schema', 'properties', 'application/json'].includes(p)).join('.')}` : ''}`;
    if (rest[0] === 'requestBody') return `request body ${rest.slice(1).filter((p) => !['content', 'schema', 'properties', 'application/json', 'multipart/form-data'].includes(p)).join('.')}`.trim();
    return rest.join('.');
  }
  return parts.join('.') || 'document';
}

function escape(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * The fidelity report a person reads: per operation whether it is documented, and each inferred
 * part with its line, so a user knows which answers to trust as the vendor's and which are the
 * mock's best guess.
 */
export function formatFidelity(specs: Array<{ vendor: string; title: string; fidelity: SpecFidelity }>, { verbose = false } = {}): string {
  const lines: string[] = [];
  for (const { title, fidelity } of specs) {
    const counts = { documented: 0, 'partly inferred': 0, inferred: 0 };
    for (const op of fidelity.operations) counts[op.fidelity]++;
    lines.push(
      `${title} (specs/${fidelity.specFile}): ${fidelity.operations.length} operations: ${counts.documented} documented, ` +
        `${counts['partly inferred']} partly inferred, ${counts.inferred} inferred; ${fidelity.marks} x-mock-inferred marks`,
    );
    const width = Math.max(...fidelity.operations.map((op) => op.operationId.length));
    for (const op of fidelity.operations) {
      lines.push(`  ${op.operationId.padEnd(width)}  ${op.fidelity.padEnd(15)}  ${op.method} ${op.path}`);
      lines.push(`      source: ${op.source ? `${op.source.description} (${op.source.url})` : 'none: no vendor page or file documents this operation'}`);
      for (const mark of op.operation) lines.push(`      operation (line ${mark.line}): ${clip(mark.why, verbose)}`);
      const byStatus = (kind: 'documented' | 'inferred') => Object.keys(op.statuses).filter((status) => op.statuses[status] === kind);
      lines.push(`      statuses documented: ${byStatus('documented').join(', ') || 'none'}; inferred: ${byStatus('inferred').join(', ') || 'none'}`);
      const byMark = new Map<string, { mark: InferredMark; statuses: string[] }>();
      for (const [status, marks] of Object.entries(op.responses)) {
        for (const mark of marks) {
          const entry = byMark.get(mark.pointer) ?? { mark, statuses: [] };
          entry.statuses.push(status);
          byMark.set(mark.pointer, entry);
        }
      }
      for (const { mark, statuses } of byMark.values()) lines.push(`        ${statuses.join(', ')}: ${mark.label} (line ${mark.line}): ${clip(mark.why, verbose)}`);
      for (const mark of op.request) lines.push(`      request: ${mark.label} (line ${mark.line}): ${clip(mark.why, verbose)}`);
      for (const mark of op.security) lines.push(`      credential: ${mark.label} (line ${mark.line}): ${clip(mark.why, verbose)}`);
    }
    for (const mark of fidelity.elsewhere) lines.push(`  elsewhere: ${mark.label} (line ${mark.line}): ${clip(mark.why, verbose)}`);
    lines.push('');
  }
  return `${lines.join('\n')}`;
}

function clip(text: string, verbose: boolean): string {
  return verbose || text.length <= 110 ? text : `${text.slice(0, 109)}…`;
}
