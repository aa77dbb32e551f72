import { ReplyError } from '../../engine/vendor.js';
import { CsvError, parseCsv } from '../../formats/csv.js';
import { toE164 } from '../../formats/phone.js';
import { badRequest } from './errors.js';

/**
 * DialNexa's leads files, as the lead upload (D7) and the batch create (D22) read them: a CSV
 * with a `phone_number` column, every other column a variable of the lead.
 */

/** D7, D22: the file is at most 10 MB. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
/** D7: at most 15 columns besides `phone_number`. */
const MAX_CUSTOM_COLUMNS = 15;
export const INVALID_PHONE = 'phone_number must be a valid E.164 phone number';

/** One row of a leads file, read. */
export interface LeadFields {
  phone_number: string;
  name?: string;
  variables: Record<string, string>;
}

/** D7 accepts CSV, XLSX and XLS; the mock reads CSV only and says so. */
export function assertCsv(file: File): void {
  const name = file.name.toLowerCase();
  if (name.endsWith('.xlsx') || name.endsWith('.xls')) {
    throw new ReplyError(badRequest('campaign-mock reads CSV files only; save the spreadsheet as CSV and upload that'));
  }
  const csvType = ['text/csv', 'application/csv', 'text/plain', 'application/vnd.ms-excel', 'application/octet-stream', ''].includes(file.type.toLowerCase());
  if (!name.endsWith('.csv') && !csvType) throw new ReplyError(badRequest('Only CSV, XLSX and XLS files are allowed'));
}

/**
 * Reads the rows of an uploaded file. Rows without a phone number are skipped (D7's example
 * message); any other bad row fails the whole upload with the rows named, so nothing is
 * half-imported.
 */
export function readLeadsFile<T>(text: string, toLead: (fields: LeadFields) => T): { leads: T[]; skipped: number } {
  let table;
  try {
    table = parseCsv(text);
  } catch (error) {
    throw new ReplyError(badRequest(`The file is not valid CSV: ${(error as CsvError).message}`));
  }
  const { header, rows } = table;
  const phoneColumn = header.indexOf('phone_number');
  if (phoneColumn === -1) throw new ReplyError(badRequest('The uploaded file must include a phone_number column'));
  const duplicates = header.filter((name, index) => header.indexOf(name) !== index);
  if (duplicates.length > 0) throw new ReplyError(badRequest(`The uploaded file repeats the column ${[...new Set(duplicates)].join(', ')}`));
  const custom = header.filter((name) => name !== 'phone_number');
  if (custom.length > MAX_CUSTOM_COLUMNS) {
    throw new ReplyError(badRequest(`The uploaded file has ${custom.length} columns besides phone_number; at most ${MAX_CUSTOM_COLUMNS} are allowed`));
  }
  if (custom.some((name) => name === '')) throw new ReplyError(badRequest('Every column of the uploaded file needs a name in the header row'));
  if (rows.length === 0) throw new ReplyError(badRequest('The uploaded file has no data rows'));

  const problems = new Map<string, number[]>();
  const note = (problem: string, line: number) => {
    const lines = problems.get(problem) ?? [];
    lines.push(line);
    problems.set(problem, lines);
  };
  const leads: T[] = [];
  let skipped = 0;
  for (const row of rows) {
    if (row.fields.length > header.length) {
      note(`has more fields than the header's ${header.length} columns`, row.line);
      continue;
    }
    const written = (row.fields[phoneColumn] ?? '').trim();
    if (written === '') {
      skipped++;
      continue;
    }
    const phone = toE164(written);
    if (!phone) {
      note(INVALID_PHONE, row.line);
      continue;
    }
    const variables: Record<string, string> = {};
    header.forEach((name, index) => {
      const value = row.fields[index]?.trim() ?? '';
      if (index !== phoneColumn && value !== '') variables[name] = value;
    });
    leads.push(toLead({ phone_number: phone, ...(variables.name ? { name: variables.name } : {}), variables }));
  }
  if (problems.size > 0) throw new ReplyError(badRequest([...problems].map(([problem, lines]) => `${rowList(lines)}: ${problem}`)));
  return { leads, skipped };
}

function rowList(lines: number[]): string {
  const shown = lines.slice(0, 20).join(', ');
  const more = lines.length > 20 ? ` and ${lines.length - 20} more` : '';
  return `${lines.length === 1 ? 'Row' : 'Rows'} ${shown}${more}`;
}
