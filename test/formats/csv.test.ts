import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/formats/csv.js';
import { toE164 } from '../../src/formats/phone.js';

describe('parseCsv', () => {
  it('reads quoted fields, doubled quotes, CRLF, a BOM and blank lines', () => {
    const text = '\ufeffphone_number, name \r\n"+1 415","Rao, ""B"""\r\n\r\n+91,"two\nlines"\n';
    expect(parseCsv(text)).toEqual({
      header: ['phone_number', 'name'],
      rows: [
        { line: 2, fields: ['+1 415', 'Rao, "B"'] },
        { line: 4, fields: ['+91', 'two\nlines'] },
      ],
    });
  });

  it('keeps a row of empty fields, and a last row without a newline', () => {
    expect(parseCsv('a,b\n,\nx,y').rows).toEqual([
      { line: 2, fields: ['', ''] },
      { line: 3, fields: ['x', 'y'] },
    ]);
  });

  it('names the line of an unclosed quote and of a stray one', () => {
    expect(() => parseCsv('a\n"open\n\n')).toThrow('a quoted field opened on line 2 is never closed');
    expect(() => parseCsv('a,b\nx"y,z\n')).toThrow('a quote inside an unquoted field on line 2');
  });

  it('reads an empty file as no header and no rows', () => {
    expect(parseCsv('')).toEqual({ header: [], rows: [] });
  });
});

describe('toE164', () => {
  it.each([
    ['+1 (415) 555-0100', '+14155550100'],
    ['+91.98765.43210', '+919876543210'],
    ['4155550100', undefined],
    ['+0123', undefined],
    ['+1234567890123456', undefined],
  ])('%s → %s', (written, expected) => {
    expect(toE164(written)).toBe(expected);
  });
});
