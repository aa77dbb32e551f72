import { ReplyError } from '../../engine/vendor.js';
import { MAX_FILE_ROWS, parseCsvPaced, repeatedColumns, type CsvError, type CsvTable } from '../../formats/csv.js';
import { looksLikeXlsx, readXlsx } from '../../formats/xlsx.js';
import { toE164 } from '../../formats/phone.js';
import { Pacer } from '../../pacer.js';
import { badRequest } from './errors.js';

/**
 * DialNexa's leads files, as the lead upload ("Bulk upload leads via file") and the batch create
 * (the batch-calls OpenAPI) read them: a CSV or XLSX sheet with a `phone_number` column, every
 * other column a variable of the lead.
 */

/** "Bulk upload leads via file", the batch-calls OpenAPI: the file is at most 10 MB. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
/** "Bulk upload leads via file": at most 15 columns besides `phone_number`. */
const MAX_CUSTOM_COLUMNS = 15;
export const INVALID_PHONE = 'phone_number must be a valid E.164 phone number';

/** One row of a leads file, read. */
export interface LeadFields {
  phone_number: string;
  name?: string;
  variables: Record<string, string>;
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const CSV_TYPES = new Set(['text/csv', 'application/csv', 'text/plain', 'application/vnd.ms-excel', 'application/octet-stream', '']);

/**
 * Reads an uploaded leads file as a header and rows. "Bulk upload leads via file" takes CSV, XLSX
 * and XLS; the batch-calls OpenAPI "CSV or Excel". CSV and XLSX (told apart by name, type or
 * content) are read; an XLS workbook (Excel 97-2003) is refused with a 400 that says what to do.
 */
export async function readLeadsTable(file: File, pacer = new Pacer()): Promise<CsvTable> {
  const name = file.name.toLowerCase();
  if (name.endsWith('.xls')) {
    throw new ReplyError(badRequest('campaign-mock reads CSV and XLSX files; save the XLS (Excel 97-2003) workbook as XLSX or CSV and upload that'));
  }
  const type = file.type.toLowerCase();
  const start = new Uint8Array(await file.slice(0, 4).arrayBuffer());
  if (name.endsWith('.xlsx') || type === XLSX_TYPE || looksLikeXlsx(start)) {
    try {
      return await readXlsx(new Uint8Array(await file.arrayBuffer()));
    } catch (error) {
      throw new ReplyError(badRequest(`The file is not a valid XLSX file: ${(error as Error).message}`));
    }
  }
  if (!name.endsWith('.csv') && !CSV_TYPES.has(type)) throw new ReplyError(badRequest('Only CSV, XLSX and XLS files are allowed'));
  try {
    return await parseCsvPaced(await file.bytes(), pacer);
  } catch (error) {
    throw new ReplyError(badRequest(`The file is not valid CSV: ${(error as CsvError).message}`));
  }
}

/**
 * Reads the rows of an uploaded file. Rows without a phone number are skipped (the example
 * message of "Bulk upload leads via file"); any other bad row fails the whole upload with the rows
 * named, so nothing is half-imported. A big file is read a few milliseconds at a time (see Pacer).
 */
export async function readLeadsFile<T>({ header, rows }: CsvTable, toLead: (fields: LeadFields) => T, pacer = new Pacer()): Promise<{ leads: T[]; skipped: number }> {
  const phoneColumn = header.indexOf('phone_number');
  if (phoneColumn === -1) throw new ReplyError(badRequest('The uploaded file must include a phone_number column'));
  const duplicates = repeatedColumns(header);
  if (duplicates.length > 0) throw new ReplyError(badRequest(`The uploaded file repeats the column ${duplicates.join(', ')}`));
  const custom = header.filter((name) => name !== 'phone_number');
  if (custom.length > MAX_CUSTOM_COLUMNS) {
    throw new ReplyError(badRequest(`The uploaded file has ${custom.length} columns besides phone_number; at most ${MAX_CUSTOM_COLUMNS} are allowed`));
  }
  if (custom.some((name) => name === '')) throw new ReplyError(badRequest('Every column of the uploaded file needs a name in the header row'));
  if (rows.length === 0) throw new ReplyError(badRequest('The uploaded file has no data rows'));
  if (rows.length > MAX_FILE_ROWS) throw new ReplyError(badRequest(`The uploaded file has ${rows.length} data rows; campaign-mock reads at most ${MAX_FILE_ROWS} from one file`));

  const problems = new Map<string, number[]>();
  const note = (problem: string, line: number) => {
    const lines = problems.get(problem) ?? [];
    lines.push(line);
    problems.set(problem, lines);
  };
  const leads: T[] = [];
  let skipped = 0;
  for (const row of rows) {
    if (pacer.due()) await pacer.pause();
    if (row.fields.length > header.length) {
      note(`has more fields than the header's ${header.length} columns`, row.line);
      continue;
    }
    const written = (row.fields[phoneColumn] ?? '').trim();
    if (written === '') {
      skipped++;
      continue;
    }
    // Excel reads "+14155550100" typed into a cell as the number 14155550100: a number cell is
    // the digits of an E.164 number.
    const phone = toE164(row.numeric?.has(phoneColumn) && /^\d+$/.test(written) ? `+${written}` : written);
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
