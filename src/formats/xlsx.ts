import type { CsvRow, CsvTable } from './csv.js';

/** The XLSX reader, loaded at the first workbook: it takes longer to load than the rest of startup. */
let reader: Promise<typeof import('read-excel-file/node')> | undefined;

/** An XLSX file that cannot be read as a spreadsheet: not a ZIP, not a workbook, no sheet. */
export class XlsxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XlsxError';
  }
}

/** A number cell, as the text the sheet stores it in (so a phone number keeps every digit). */
class NumberCell {
  constructor(readonly text: string) {}
}

/** The first bytes of a ZIP archive, which every XLSX file is. */
export function looksLikeXlsx(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/**
 * Reads the first sheet of an XLSX workbook as a header and data rows, like a CSV file: every
 * cell as text (numbers exactly as the sheet stores them, dates in ISO 8601), empty rows
 * skipped, each row with its row number in the sheet and the columns that held numbers.
 *
 * @example
 * const { header, rows } = await readXlsx(bytes);
 * header; // ['phone_number', 'name']
 * rows[0]; // { line: 2, fields: ['14155550100', 'Asha'], numeric: Set { 0 } }
 */
export async function readXlsx(bytes: Uint8Array): Promise<CsvTable> {
  let sheet: unknown[][];
  try {
    const { readSheet } = await (reader ??= import('read-excel-file/node'));
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    sheet = await readSheet(buffer, { parseNumber: (text: string) => new NumberCell(text) });
  } catch (error) {
    throw new XlsxError((error as Error).message);
  }
  const rows = sheet.map((cells, index): CsvRow => {
    const numeric = new Set<number>();
    cells.forEach((cell, column) => {
      if (cell instanceof NumberCell) numeric.add(column);
    });
    return { line: index + 1, fields: cells.map(cellText), ...(numeric.size > 0 ? { numeric } : {}) };
  });
  const filled = rows.filter((row) => row.fields.some((field) => field !== ''));
  const [headerRow, ...data] = filled;
  return { header: headerRow ? headerRow.fields.map((name) => name.trim()) : [], rows: data };
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof NumberCell) return value.text;
  if (value instanceof Date) return value.toISOString();
  return String(value);
}
