import { describe, expect, it } from 'vitest';
import { parseCsv, parseCsvSteps } from '../../src/formats/csv.js';
import { runSteps } from '../../src/pacer.js';
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

describe('parseCsvSteps from bytes, a piece at a time', () => {
  /** The answer, or the error's message. */
  const read = (run: () => unknown) => {
    try {
      return run();
    } catch (error) {
      return (error as Error).message;
    }
  };

  it('reads what parseCsv reads, whatever the pieces: quoted line breaks, CR line ends, a BOM, UTF-8, errors', () => {
    // A fixed pseudo-random sequence (a linear congruential generator), so a failure can be replayed.
    let seed = 20261205;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const alphabet = ['a', 'é', '東', ',', '"', '""', '\n', '\r', '\r\n', ' ', '\ufeff'];
    let compared = 0;
    for (let k = 0; k < 20_000; k++) {
      let text = '';
      for (let length = Math.floor(next() * 16); length > 0; length--) text += alphabet[Math.floor(next() * alphabet.length)];
      const expected = read(() => parseCsv(text));
      expect(read(() => runSteps(parseCsvSteps(new TextEncoder().encode(text), 1 + (k % 5)))), JSON.stringify(text)).toEqual(expected);
      compared++;
    }
    expect(compared).toBe(20_000);
  });

  it('cuts a big file into pieces at line ends outside quotes, and counts lines across them', () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `+1415${String(i).padStart(7, '0')},"Lead\n${i}, ""quoted"""`);
    const text = `phone_number,name\n${rows.join('\n')}\n`;
    const table = runSteps(parseCsvSteps(new TextEncoder().encode(text), 1024));
    expect(table).toEqual(parseCsv(text));
    expect(table.rows[2999]).toEqual({ line: 2 + 2 * 2999, fields: ['+14150002999', 'Lead\n2999, "quoted"'] });
  });
});
