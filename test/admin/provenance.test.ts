import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { testMock } from '../helpers/mock.js';
import { VENDORS } from '../../src/vendors/registry.js';

/**
 * What the mock serves cites only what a user can open: vendor pages by title and public address,
 * files of this repository by path. Never a private research note, a machine path or the short
 * source ids such notes use.
 */
const FORBIDDEN: Array<[RegExp, string]> = [
  [/vendors\.md/, 'a private research digest'],
  [/\.\.\/shared|\/work\/|seeds\//, 'a path outside the repository'],
  [/\b(?!S3\b)[DASG][0-9]{1,2}\b(?![-_/.:0-9])/, 'a private source id such as D1, A1, G7 or S4 (Amazon S3 aside)'],
];

const ROOT = new URL('../../', import.meta.url);

/** The README and every page of the manual in docs/. */
const DOCUMENTS = ['README.md', ...readdirSync(new URL('docs/', ROOT)).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];

function citationsOutsideTheRepository(text: string): string[] {
  const found: string[] = [];
  for (const [pattern, what] of FORBIDDEN) {
    const match = pattern.exec(text);
    if (match) found.push(`${what}: "${text.slice(Math.max(0, match.index - 40), match.index + 40).replace(/\s+/g, ' ')}"`);
  }
  return found;
}

describe('what the mock serves cites only what a user can open', () => {
  const { mock } = testMock();
  afterAll(() => mock.close());

  for (const vendor of VENDORS) {
    it(`/__admin/specs/${vendor.name}.json`, async () => {
      const res = await mock.app.request(`/__admin/specs/${vendor.name}.json`);
      expect(res.status).toBe(200);
      expect(citationsOutsideTheRepository(await res.text())).toEqual([]);
    });

    it(`specs/pages/${vendor.name}.yaml`, () => {
      expect(citationsOutsideTheRepository(readFileSync(new URL(`../../specs/pages/${vendor.name}.yaml`, import.meta.url), 'utf8'))).toEqual([]);
    });
  }

  it.each(DOCUMENTS)('%s', (file) => {
    expect(citationsOutsideTheRepository(readFileSync(new URL(file, ROOT), 'utf8'))).toEqual([]);
  });

  it('the API reference page', async () => {
    const res = await mock.app.request('/__admin/docs');
    expect(citationsOutsideTheRepository(await res.text())).toEqual([]);
  });

  it('reads the whole manual', () => {
    expect(DOCUMENTS).toEqual(expect.arrayContaining(['README.md', 'docs/dialnexa.md', 'docs/asisso.md', 'docs/sarvam.md']));
  });

  it('catches what it looks for', () => {
    expect(citationsOutsideTheRepository('see vendors.md §1 (D22) and ../shared/seeds/')).toHaveLength(3);
    expect(citationsOutsideTheRepository('E.164 numbers, an HH:MM time, "Create a campaign", S3 uploads, A1-style cells')).toEqual([]);
  });
});
