import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SPECTRAL = join(ROOT, 'node_modules/.bin/spectral');
const RULESET = join(ROOT, '.spectral.yaml');

interface SpectralResult {
  code: string;
  message: string;
  path: string[];
  severity: 0 | 1 | 2 | 3;
  source?: string;
  range: { start: { line: number } };
}

/** Runs `spectral lint` with the project's ruleset; resolves with its findings (it exits 1 on an error). */
async function lint(files: string[]): Promise<SpectralResult[]> {
  const run = promisify(execFile);
  const { stdout } = await run(SPECTRAL, ['lint', '--quiet', '--format', 'json', '--ruleset', RULESET, ...files], { cwd: ROOT }).catch(
    (error: { stdout?: string; stderr?: string; code?: number }) => {
      if (error.code === 1 && error.stdout) return { stdout: error.stdout };
      throw new Error(`spectral failed to run (exit ${error.code}): ${error.stderr ?? ''}`);
    },
  );
  return stdout.trim() === '' ? [] : (JSON.parse(stdout) as SpectralResult[]);
}

const describeFinding = (r: SpectralResult) => `${r.source?.replace(ROOT, '') ?? '?'}:${r.range.start.line + 1} ${r.code}: ${r.message} (at ${r.path.join('.')})`;

describe("the bundled specs (the vendors' and the control plane's), linted by Spectral (spectral:oas, .spectral.yaml)", () => {
  const dir = mkdtempSync(join(tmpdir(), 'campaign-mock-lint-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('have no error', async () => {
    const specs = readdirSync(join(ROOT, 'specs')).filter((name) => name.endsWith('.yaml')).map((name) => `specs/${name}`);
    expect(specs).toContain('specs/admin.yaml');
    expect(specs.length).toBeGreaterThanOrEqual(4);
    const findings = await lint(specs);
    const errors = findings.filter((r) => r.severity === 0).map(describeFinding);
    expect(errors, 'Spectral errors in specs/; fix the spec, or turn the rule off in .spectral.yaml saying why').toEqual([]);
  });

  it('have no text cut in two by a comma inside { … }', () => {
    // In a YAML flow mapping an unquoted comma ends the value: `{ description: A, then B. }` is a
    // description "A" and a key "then B." without a value, which no linter reports.
    const cut: string[] = [];
    const walk = (node: unknown, at: string) => {
      if (typeof node !== 'object' || node === null) return;
      for (const [key, value] of Object.entries(node)) {
        if (value === null && /\s/.test(key)) cut.push(`${at}: "${key}"`);
        walk(value, `${at}.${key}`);
      }
    };
    for (const name of readdirSync(join(ROOT, 'specs')).filter((file) => file.endsWith('.yaml'))) walk(parse(readFileSync(join(ROOT, 'specs', name), 'utf8')), `specs/${name}`);
    expect(cut, 'quote these values in the spec').toEqual([]);
  });

  it('fails a spec whose example breaks its own schema', async () => {
    const broken = join(dir, 'broken.yaml');
    writeFileSync(
      broken,
      [
        'openapi: 3.1.0',
        'info: { title: Broken, version: 1.0.0, description: A spec with a wrong example. }',
        'servers: [{ url: "http://localhost:4010" }]',
        'tags: [{ name: T }]',
        'paths:',
        '  /things:',
        '    get:',
        '      operationId: listThings',
        '      description: Lists things.',
        '      tags: [T]',
        '      responses:',
        "        '200':",
        '          description: Things.',
        '          content:',
        '            application/json:',
        '              schema: { type: object, properties: { count: { type: integer, example: many } } }',
        '',
      ].join('\n'),
    );
    const errors = (await lint([broken])).filter((r) => r.severity === 0);
    expect(errors.map((r) => r.code)).toEqual(['oas3-valid-schema-example']);
  });
});
