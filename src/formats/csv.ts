import { Pacer, runStepsPaced } from '../pacer.js';

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
  return asTable([...csvRecords(text)]);
}

/**
 * `parseCsv` for a big file on a busy server: it lets the event loop run every few milliseconds
 * (see Pacer), so other requests are answered while a file of half a million rows is read. Given
 * the file's bytes (UTF-8), it decodes them a piece at a time too, never holding the whole text.
 */
export async function parseCsvPaced(input: string | Uint8Array, pacer = new Pacer()): Promise<CsvTable> {
  return runStepsPaced(parseCsvSteps(input), pacer);
}

/** `parseCsvPaced` as steps (see runSteps): it may pause every 256 records and after each piece. */
export function* parseCsvSteps(input: string | Uint8Array, pieceBytes = PIECE_BYTES): Generator<void, CsvTable> {
  const records: CsvRow[] = [];
  for (const batch of csvBatches(input, pieceBytes)) {
    for (const record of batch) records.push(record);
    yield;
  }
  return asTable(records);
}

/**
 * A CSV file's records as it is read, in batches of at most 256 (the header is the first record
 * of the first): for a file too big to hold whole as rows, read and used a batch at a time.
 * Given bytes (UTF-8), it decodes them a piece at a time too. Throws a CsvError where parseCsv does.
 */
export function* csvBatches(input: string | Uint8Array, pieceBytes = PIECE_BYTES): Generator<CsvRow[]> {
  const pieces = typeof input === 'string' ? [input] : textPieces(input, pieceBytes);
  let line = 1;
  let batch: CsvRow[] = [];
  for (const piece of pieces) {
    const pieceRecords = csvRecords(piece, line);
    for (let next = pieceRecords.next(); ; next = pieceRecords.next()) {
      if (next.done) {
        line = next.value;
        break;
      }
      if (batch.push(next.value) === 256) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
    batch = [];
  }
}

/** About how many bytes of a file are decoded and parsed at once. */
const PIECE_BYTES = 1 << 20;

/**
 * UTF-8 bytes as text in pieces of about `size` bytes, each ending at a line end outside any
 * quoted field (where the quotes before it are even in number), so that no record spans two.
 * A cut at a line feed never splits a UTF-8 sequence. Without such a line end, one piece.
 */
function* textPieces(bytes: Uint8Array, size: number): Generator<string> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let start = 0;
  let quotes = 0;
  let counted = 0;
  while (start < buffer.length) {
    let cut = buffer.length;
    for (let at = buffer.indexOf(LF, Math.min(start + size, buffer.length)); at !== -1; at = buffer.indexOf(LF, at + 1)) {
      for (let quote = buffer.indexOf(QUOTE, counted); quote !== -1 && quote < at; quote = buffer.indexOf(QUOTE, quote + 1)) quotes++;
      counted = at;
      if (quotes % 2 === 0) {
        cut = at + 1;
        break;
      }
    }
    yield buffer.toString('utf8', start, cut);
    start = cut;
  }
}

/** Records as a table: the first is the header (its names trimmed), the rest are the rows. */
export function asTable(records: readonly CsvRow[]): CsvTable {
  const headerRow = records[0];
  return { header: headerRow ? headerRow.fields.map((name) => name.trim()) : [], rows: records.slice(1) };
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

/**
 * The records of a CSV text, header first, one at a time; the text's first line is `firstLine`.
 * Returns the line after its last.
 */
function* csvRecords(text: string, firstLine = 1): Generator<CsvRow, number> {
  const input = firstLine === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const end = input.length;
  let line = firstLine;
  let i = 0;
  while (i < end) {
    const recordLine = line;
    const fields: string[] = [];
    let started = false;
    // One record: fields up to an unquoted line end (or the end of the text).
    for (;;) {
      let field = '';
      if (input.charCodeAt(i) === QUOTE) {
        started = true;
        let from = ++i;
        for (;;) {
          const quote = input.indexOf('"', from);
          if (quote === -1) throw new CsvError(`a quoted field opened on line ${recordLine} is never closed`, recordLine);
          field += input.slice(from, quote);
          if (input.charCodeAt(quote + 1) === QUOTE) {
            field += '"';
            from = quote + 2;
          } else {
            i = quote + 1;
            break;
          }
        }
        line += countLineEnds(field);
      }
      // Up to a separator, a line end or the end: an unquoted field, or text after a closing
      // quote (kept, as Python's csv module keeps it). A quote there is an error.
      const from = i;
      while (i < end && !isBoundary(input.charCodeAt(i))) i++;
      const rest = input.slice(from, i);
      if (rest.includes('"')) throw new CsvError(`a quote inside an unquoted field on line ${line}`, line);
      field += rest;
      fields.push(field);
      if (i < end && input.charCodeAt(i) === COMMA) {
        started = true;
        i++;
        continue;
      }
      break;
    }
    // At a line end or the end of the text.
    if (input.charCodeAt(i) === CR && input.charCodeAt(i + 1) === LF) i++;
    if (i < end) {
      i++;
      line++;
    }
    const blank = fields.length === 1 && fields[0] === '' && !started;
    if (!blank) yield { line: recordLine, fields };
  }
  return line;
}

function isBoundary(code: number): boolean {
  return code === COMMA || code === LF || code === CR;
}

function countLineEnds(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count++;
  return count;
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
