/** A CSV file read as a header and data rows, each row with the line it started on. */
export interface CsvTable {
  header: string[];
  rows: CsvRow[];
}

export interface CsvRow {
  /** 1-based line number of the row in the file (the header is line 1 in a typical file). */
  line: number;
  fields: string[];
  /** Columns whose cell held a number rather than text (spreadsheets only). */
  numeric?: ReadonlySet<number>;
}

export class CsvError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'CsvError';
  }
}

/**
 * Parses CSV as RFC 4180 describes it: comma-separated, fields optionally in double quotes, a
 * doubled quote for a quote inside one, CRLF or LF line ends. A byte-order mark is dropped and
 * blank lines are skipped. The first non-blank line is the header.
 *
 * @example
 * parseCsv('phone_number,plan\n+14155550100,gold\n');
 * // { header: ['phone_number', 'plan'], rows: [{ line: 2, fields: ['+14155550100', 'gold'] }] }
 */
export function parseCsv(text: string): CsvTable {
  const records: CsvRow[] = [];
  let field = '';
  let fields: string[] = [];
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let fieldStarted = false;
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;

  const endRecord = () => {
    fields.push(field);
    const blank = fields.length === 1 && fields[0] === '' && !fieldStarted;
    if (!blank) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
    fieldStarted = false;
  };

  for (let i = 0; i < input.length; i++) {
    const ch = input[i];
    if (quoted) {
      if (ch === '"') {
        if (input[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"') {
      if (field !== '') throw new CsvError(`a quote inside an unquoted field on line ${line}`, line);
      quoted = true;
      fieldStarted = true;
    } else if (ch === ',') {
      fields.push(field);
      field = '';
      fieldStarted = true;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && input[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      field += ch;
    }
  }
  if (quoted) throw new CsvError(`a quoted field opened on line ${recordLine} is never closed`, recordLine);
  if (field !== '' || fields.length > 0 || fieldStarted) endRecord();

  const [headerRow, ...rows] = records;
  return { header: headerRow ? headerRow.fields.map((name) => name.trim()) : [], rows };
}

/**
 * Writes rows as CSV the way Python's `csv.writer` does by default: a field is quoted only when
 * it holds a comma, a quote or a line break (quotes doubled), null reads as an empty field, and
 * every row ends in CRLF.
 *
 * @example
 * formatCsv([['a', 'b, c'], [1, null]]); // 'a,"b, c"\r\n1,\r\n'
 */
export function formatCsv(rows: ReadonlyArray<ReadonlyArray<string | number | null>>): string {
  let out = '';
  for (const row of rows) {
    out += row.map(csvField).join(',') + '\r\n';
  }
  return out;
}

function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The column names a header repeats, each once, in the order they first repeat (linear time). */
export function repeatedColumns(header: readonly string[]): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const name of header) (seen.has(name) ? repeated : seen).add(name);
  return [...repeated];
}

/**
 * The most data rows campaign-mock reads from one uploaded file (CSV or XLSX), whatever the
 * vendor: enough for any test, and a bound on the time and memory one upload may take. None of the
 * vendors documents a row limit; their file size limits (10 MB) allow about this many short rows.
 */
export const MAX_FILE_ROWS = 500_000;
