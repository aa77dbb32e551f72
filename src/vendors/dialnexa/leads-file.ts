import { ReplyError } from '../../engine/reply.js';
import { asTable, CsvError, csvBatches, MAX_FILE_ROWS, repeatedColumns, type CsvRow, type CsvTable } from '../../formats/csv.js';
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

/** A leads file as it is read: its header, then its rows, a batch at a time. */
export interface LeadsFileRows {
  header: string[];
  batches: Iterable<CsvRow[]>;
}

/**
 * Opens an uploaded leads file. "Bulk upload leads via file" takes CSV, XLSX and XLS; the
 * batch-calls OpenAPI "CSV or Excel". CSV and XLSX (told apart by name, type or content) are
 * read; an XLS workbook (Excel 97-2003) is refused with a 400 that says what to do. A CSV file
 * is parsed as its batches are taken, so half a million rows are never held at once; a CSV
 * error is a 400 when its batch is reached.
 */
export async function openLeadsFile(file: File): Promise<LeadsFileRows> {
  const name = file.name.toLowerCase();
  if (name.endsWith('.xls')) {
    throw new ReplyError(badRequest('campaign-mock reads CSV and XLSX files; save the XLS (Excel 97-2003) workbook as XLSX or CSV and upload that'));
  }
  const type = file.type.toLowerCase();
  const start = new Uint8Array(await file.slice(0, 4).arrayBuffer());
  if (name.endsWith('.xlsx') || type === XLSX_TYPE || looksLikeXlsx(start)) {
    let table: CsvTable;
    try {
      table = await readXlsx(new Uint8Array(await file.arrayBuffer()));
    } catch (error) {
      throw new ReplyError(badRequest(`The file is not a valid XLSX file: ${(error as Error).message}`));
    }
    return { header: table.header, batches: inBatches(table.rows) };
  }
  if (!name.endsWith('.csv') && !CSV_TYPES.has(type)) throw new ReplyError(badRequest('Only CSV, XLSX and XLS files are allowed'));
  const records = refusingBadCsv(csvBatches(await file.bytes()));
  const first = records.next();
  const { header, rows } = asTable(first.done ? [] : first.value);
  return {
    header,
    batches: (function* () {
      if (rows.length > 0) yield rows;
      yield* records;
    })(),
  };
}

function* refusingBadCsv(batches: Generator<CsvRow[]>): Generator<CsvRow[]> {
  try {
    yield* batches;
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    throw new ReplyError(badRequest(`The file is not valid CSV: ${error.message}`));
  }
}

function* inBatches(rows: readonly CsvRow[]): Generator<CsvRow[]> {
  for (let at = 0; at < rows.length; at += 256) yield rows.slice(at, at + 256);
}

/**
 * Reads a leads file's rows into leads, a batch at a time. Rows without a phone number are
 * skipped (the example message of "Bulk upload leads via file"); any other bad row fails the
 * whole upload with the rows named (`finish` throws the 400 once every row is read), so nothing
 * is half-imported. The header is checked at once.
 *
 * @example
 * const reader = new LeadsReader(header, (fields) => fields.phone_number);
 * for (const rows of batches) numbers.push(...reader.read(rows));
 * const { skipped } = reader.finish();
 */
export class LeadsReader<T> {
  readonly #phoneColumn: number;
  readonly #problems = new Map<string, number[]>();
  #rows = 0;
  #skipped = 0;

  constructor(
    private readonly header: readonly string[],
    private readonly toLead: (fields: LeadFields) => T,
  ) {
    this.#phoneColumn = header.indexOf('phone_number');
    if (this.#phoneColumn === -1) throw new ReplyError(badRequest('The uploaded file must include a phone_number column'));
    const duplicates = repeatedColumns(header);
    if (duplicates.length > 0) throw new ReplyError(badRequest(`The uploaded file repeats the column ${duplicates.join(', ')}`));
    const custom = header.filter((name) => name !== 'phone_number');
    if (custom.length > MAX_CUSTOM_COLUMNS) {
      throw new ReplyError(badRequest(`The uploaded file has ${custom.length} columns besides phone_number; at most ${MAX_CUSTOM_COLUMNS} are allowed`));
    }
    if (custom.some((name) => name === '')) throw new ReplyError(badRequest('Every column of the uploaded file needs a name in the header row'));
  }

  /** Whether the file is refused already (a bad row, or more rows than one file may hold): no lead of it is to be kept. */
  get refused(): boolean {
    return this.#problems.size > 0 || this.tooLong;
  }

  /** Whether the file has more data rows than one file may hold. */
  get tooLong(): boolean {
    return this.#rows > MAX_FILE_ROWS;
  }

  /** The leads of a batch of rows (none once the file is refused; its bad rows are noted). */
  read(rows: readonly CsvRow[]): T[] {
    const { header } = this;
    const phoneColumn = this.#phoneColumn;
    const leads: T[] = [];
    this.#rows += rows.length;
    // Past the limit, rows are only counted: the 400 names how many the file has.
    if (this.tooLong) return leads;
    for (const row of rows) {
      if (row.fields.length > header.length) {
        this.#note(`has more fields than the header's ${header.length} columns`, row.line);
        continue;
      }
      const written = (row.fields[phoneColumn] ?? '').trim();
      if (written === '') {
        this.#skipped++;
        continue;
      }
      // Excel reads "+14155550100" typed into a cell as the number 14155550100: a number cell is
      // the digits of an E.164 number.
      const phone = toE164(row.numeric?.has(phoneColumn) && /^\d+$/.test(written) ? `+${written}` : written);
      if (!phone) {
        this.#note(INVALID_PHONE, row.line);
        continue;
      }
      if (this.refused) continue;
      const variables: Record<string, string> = {};
      header.forEach((name, index) => {
        const value = row.fields[index]?.trim() ?? '';
        if (index !== phoneColumn && value !== '') variables[name] = value;
      });
      leads.push(this.toLead({ phone_number: phone, ...(variables.name ? { name: variables.name } : {}), variables }));
    }
    return this.refused ? [] : leads;
  }

  /** Once every row is read: the 400 the file earns, if any (too many rows, then bad rows, then none at all). */
  finish(): { skipped: number } {
    if (this.tooLong) throw new ReplyError(badRequest(`The uploaded file has ${this.#rows} data rows; campaign-mock reads at most ${MAX_FILE_ROWS} from one file`));
    if (this.#problems.size > 0) throw new ReplyError(badRequest([...this.#problems].map(([problem, lines]) => `${rowList(lines)}: ${problem}`)));
    if (this.#rows === 0) throw new ReplyError(badRequest('The uploaded file has no data rows'));
    return { skipped: this.#skipped };
  }

  #note(problem: string, line: number): void {
    const lines = this.#problems.get(problem) ?? [];
    lines.push(line);
    this.#problems.set(problem, lines);
  }
}

/** A whole leads file read into leads, a few milliseconds at a time (see Pacer); throws its 400. */
export async function readLeads<T>(file: File, toLead: (fields: LeadFields) => T, pacer = new Pacer()): Promise<{ leads: T[]; skipped: number }> {
  const { header, batches } = await openLeadsFile(file);
  const reader = new LeadsReader(header, toLead);
  const leads: T[] = [];
  for (const rows of batches) {
    for (const lead of reader.read(rows)) leads.push(lead);
    if (pacer.due(true)) await pacer.pause();
  }
  return { leads, skipped: reader.finish().skipped };
}

function rowList(lines: number[]): string {
  const shown = lines.slice(0, 20).join(', ');
  const more = lines.length > 20 ? ` and ${lines.length - 20} more` : '';
  return `${lines.length === 1 ? 'Row' : 'Rows'} ${shown}${more}`;
}
