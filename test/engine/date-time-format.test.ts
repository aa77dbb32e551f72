import { fullFormats } from 'ajv-formats/dist/formats.js';
import { describe, expect, it } from 'vitest';
import { isDateTime } from '../../src/engine/spec/ajv-formats.js';

/** ajv-formats' own `date-time` check, the rule isDateTime must follow to the letter. */
const reference = (fullFormats['date-time'] as { validate: (text: string) => boolean }).validate;

const EXAMPLES = [
  '2026-12-05T10:00:00Z',
  '2026-12-05T10:00:00.123Z',
  '2026-12-05t10:00:00z',
  '2026-12-05 10:00:00Z',
  '2026-12-05\u00a010:00:00Z',
  '2026-12-05\n10:00:00Z',
  '2026-12-05\t10:00:00+05:30',
  '2026-12-05T10:00:00+0530',
  '2026-12-05T10:00:00+05',
  '2026-12-05T10:00:00-23:59',
  '2026-12-05T10:00:00+24:00',
  '2026-12-05T10:00:00+05:60',
  '2026-12-05T10:00:00+05:',
  '2026-12-05T10:00:00',
  '2026-12-05T10:00Z',
  '2026-12-05TT10:00:00Z',
  '2026-12-05T10:00:00.Z',
  '2026-12-05T10:00:00.5+01:00',
  '2026-02-29T00:00:00Z',
  '2024-02-29T00:00:00Z',
  '2000-02-29T00:00:00Z',
  '1900-02-29T00:00:00Z',
  '0000-02-29T00:00:00Z',
  '2026-04-31T00:00:00Z',
  '2026-13-01T00:00:00Z',
  '2026-00-01T00:00:00Z',
  '2026-01-00T00:00:00Z',
  '2026-12-31T23:59:60Z',
  '2026-12-31T23:59:60.999Z',
  '2026-12-31T22:59:60-01:00',
  '2026-12-31T18:29:60-05:30',
  '2027-01-01T00:59:60+01:00',
  '2026-12-31T23:58:60Z',
  '2026-12-31T23:59:61Z',
  '2026-12-31T24:00:00Z',
  '2026-12-31T99:99:99Z',
  '2026-12-31T00:00:60+00:01',
  '2026-12-31T00:00:60-00:01',
  '２０２６-12-05T10:00:00Z',
  '2026-12-05T10:00:00Z ',
  ' 2026-12-05T10:00:00Z',
  '2026-12-05T10:00:00Z\n',
  '',
  'not a date',
];

/** Texts made by changing, dropping or doubling one character of a valid one, or by random digits. */
function* variants(seed: number): Generator<string> {
  let state = seed;
  const random = (n: number) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
  const alphabet = '0123456789-:.+TtZz \u00a0x';
  for (const base of EXAMPLES.slice(0, 8).concat(['2026-12-31T23:59:60Z', '2024-02-29T23:59:59.5-00:30'])) {
    for (let i = 0; i < 400; i++) {
      const at = random(base.length + 1);
      const char = alphabet[random(alphabet.length)] as string;
      const kind = random(3);
      yield kind === 0 ? base.slice(0, at) + char + base.slice(at + 1) : kind === 1 ? base.slice(0, at) + base.slice(at + 1) : base.slice(0, at) + char + base.slice(at);
    }
  }
  const d = (n: number) => String(random(n)).padStart(2, '0');
  for (let i = 0; i < 4000; i++) {
    const zone = ['Z', `+${d(26)}:${d(62)}`, `-${d(26)}${d(62)}`, `+${d(26)}`][random(4)];
    yield `${String(random(2500)).padStart(4, '0')}-${d(14)}-${d(33)}T${d(26)}:${d(62)}:${d(62)}${random(2) ? `.${random(1000)}` : ''}${zone}`;
  }
}

describe('the date-time format', () => {
  it('agrees with ajv-formats on examples at every edge', () => {
    const disagreements = EXAMPLES.filter((text) => isDateTime(text) !== reference(text));
    expect(disagreements).toEqual([]);
    // Both answers occur, so agreement is not one constant.
    expect(new Set(EXAMPLES.map(isDateTime))).toEqual(new Set([true, false]));
  });

  it('agrees with ajv-formats on thousands of near misses and random dates', () => {
    const texts = [...variants(7)];
    const disagreements = texts.filter((text) => isDateTime(text) !== reference(text));
    expect(disagreements).toEqual([]);
    const valid = texts.filter((text) => reference(text)).length;
    expect(valid).toBeGreaterThan(1000);
    expect(texts.length - valid).toBeGreaterThan(1000);
  });
});
