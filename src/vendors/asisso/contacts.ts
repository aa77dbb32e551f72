import { crypto } from '../../crypto.js';
import { ReplyError } from '../../engine/reply.js';
import { CsvError, MAX_FILE_ROWS, parseCsvSteps } from '../../formats/csv.js';
import { Pacer, runSteps, runStepsPaced } from '../../pacer.js';
import { toE164 } from '../../formats/phone.js';
import { badRequest } from './errors.js';
import type { QueuedRun } from './store.js';

/**
 * Reads a campaign's CSV source as Dograh does (Dograh's code `source_sync.py`, `sources/csv.py`): headers
 * trimmed and lowercased, a `phone_number` column, every phone number with its country code,
 * no number twice. Rows without a number are skipped. Any other problem is a 400 with Dograh's
 * message, naming at most five rows.
 *
 * @returns the contacts to queue, one per row with a number, in file order.
 */
export function readContacts(sourceId: string, content: Uint8Array | null): QueuedRun[] {
  return runSteps(contactSteps(sourceId, content));
}

/** `readContacts` for a request: a big file is read a few milliseconds at a time (see Pacer). */
export function readContactsPaced(sourceId: string, content: Uint8Array | null, pacer = new Pacer()): Promise<QueuedRun[]> {
  return runStepsPaced(contactSteps(sourceId, content), pacer);
}

function* contactSteps(sourceId: string, content: Uint8Array | null): Generator<void, QueuedRun[]> {
  if (content === null) throw new ReplyError(badRequest(`Failed to access CSV file: ${sourceId}`));
  let table;
  try {
    table = yield* parseCsvSteps(content);
  } catch (error) {
    throw new ReplyError(badRequest(`Invalid CSV format: ${(error as CsvError).message}`));
  }
  if (table.header.length === 0 || table.rows.length === 0) {
    throw new ReplyError(badRequest('CSV file must have a header row and at least one data row'));
  }
  if (table.rows.length > MAX_FILE_ROWS) throw new ReplyError(badRequest(`CSV file has ${table.rows.length} data rows; campaign-mock reads at most ${MAX_FILE_ROWS} from one file`));
  const headers = table.header.map((name) => name.toLowerCase());
  const phoneColumn = headers.indexOf('phone_number');
  if (phoneColumn === -1) throw new ReplyError(badRequest("Source must contain a 'phone_number' column"));

  // Dograh names a contact after its file and row: csv_<md5(file key)[:8]>_row_<n>.
  const prefix = `csv_${crypto().createHash('md5').update(sourceId).digest('hex').slice(0, 8)}_row_`;
  const contacts: QueuedRun[] = [];
  /** The file line of each contact, for the messages. */
  const lines: number[] = [];
  const invalidRows: number[] = [];
  for (const [index, row] of table.rows.entries()) {
    if ((index & 255) === 255) yield;
    const written = row.fields[phoneColumn]?.trim() ?? '';
    if (written === '') continue;
    const phone = toE164(written);
    if (!phone) {
      invalidRows.push(row.line);
      continue;
    }
    const context = Object.fromEntries(headers.map((name, column) => [name, row.fields[column] ?? '']));
    contacts.push({ source_uuid: `${prefix}${index + 1}`, phone_number: phone, context_variables: JSON.stringify(context) });
    lines.push(row.line);
  }
  if (invalidRows.length > 0) {
    throw new ReplyError(badRequest(`Invalid phone numbers in rows: ${rowList(invalidRows)}. All phone numbers must include country code (start with '+')`));
  }
  const seen = new Set<string>();
  const duplicateRows: number[] = [];
  for (const [index, contact] of contacts.entries()) {
    if ((index & 4095) === 4095) yield;
    if (seen.has(contact.phone_number)) duplicateRows.push(lines[index] as number);
    seen.add(contact.phone_number);
  }
  if (duplicateRows.length > 0) {
    throw new ReplyError(badRequest(`Duplicate phone numbers found in rows: ${rowList(duplicateRows)}. Phone numbers in a campaign must be unique.`));
  }
  return contacts;
}

/** Dograh's code `_format_rows`: five row numbers, then "and N more". */
function rowList(rows: number[]): string {
  return rows.length > 5 ? `${rows.slice(0, 5).join(', ')} and ${rows.length - 5} more` : rows.join(', ');
}
