import { CsvError, MAX_FILE_ROWS, parseCsvPaced, repeatedColumns } from '../../formats/csv.js';
import { Pacer } from '../../pacer.js';
import { toCohortPhone } from './phone.js';

/**
 * Turning a cohort's source into users (Sarvam's cohort pages and "Stream Cohort" page): which column holds what, and which records are
 * valid. A record without a usable phone number is rejected and counted, not stored.
 */

/** Where each field of a user is read from: a CSV column. */
export interface CohortTransformation {
  phoneColumn: string;
  userIdentifierColumn?: string;
  /** App variable name → column, for the mappings that rename a column. */
  variableColumns: Map<string, string>;
}

export interface CohortUser {
  phone_number: string;
  user_identifier: string | null;
  app_variables: Record<string, unknown>;
  app_overrides: Record<string, unknown> | null;
}

export interface CohortRecords {
  users: CohortUser[];
  total: number;
  rejected: number;
}

/** Without a transformation, the phone number is read from a `phone_number` column (inferred). */
export const DEFAULT_TRANSFORMATION: CohortTransformation = { phoneColumn: 'phone_number', variableColumns: new Map() };

/**
 * Reads `cohort_transformation` (Sarvam's cohort pages): `{phone_number: {column_name}, user_identifier?: {column_name},
 * <variable>: {column_name}, …}`. Returns what is wrong with it as a sentence, or the mapping.
 */
export function readTransformation(value: unknown): CohortTransformation | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'must be a JSON object mapping fields to {"column_name": …}';
  const columns = new Map<string, string>();
  for (const [field, mapping] of Object.entries(value)) {
    const column = (mapping as { column_name?: unknown } | null)?.column_name;
    if (typeof mapping !== 'object' || mapping === null || typeof column !== 'string' || column === '') {
      return `${field} must be {"column_name": "<a column of the file>"}`;
    }
    columns.set(field, column);
  }
  const phoneColumn = columns.get('phone_number');
  if (phoneColumn === undefined) return 'must map phone_number to a column';
  const userIdentifierColumn = columns.get('user_identifier');
  columns.delete('phone_number');
  columns.delete('user_identifier');
  return { phoneColumn, ...(userIdentifierColumn === undefined ? {} : { userIdentifierColumn }), variableColumns: columns };
}

/**
 * Reads a CSV cohort (Sarvam's cohort pages: a header row and at least one data row). Every column not mapped to the
 * phone number or user identifier becomes an app variable, named by its column or by the key
 * that maps it. Returns what is wrong with the file as a sentence, or the records. A big file is
 * read a few milliseconds at a time (see Pacer).
 */
export async function readCohortCsv(file: string | Uint8Array, transformation: CohortTransformation, pacer = new Pacer()): Promise<CohortRecords | string> {
  let table;
  try {
    table = await parseCsvPaced(file, pacer);
  } catch (error) {
    return `is not valid CSV: ${(error as CsvError).message}`;
  }
  const { header, rows } = table;
  if (header.length === 0) return 'has no header row';
  if (rows.length === 0) return 'has a header row but no data rows';
  if (rows.length > MAX_FILE_ROWS) return `has ${rows.length} data rows; campaign-mock reads at most ${MAX_FILE_ROWS} from one file`;
  const repeated = repeatedColumns(header);
  if (repeated.length > 0) return `repeats the column ${repeated.join(', ')}`;
  const wanted = [transformation.phoneColumn, transformation.userIdentifierColumn, ...transformation.variableColumns.values()];
  const columns = new Set(header);
  const missing = wanted.filter((column): column is string => column !== undefined && !columns.has(column));
  if (missing.length > 0) return `has no column ${[...new Set(missing)].join(', ')}`;

  const variableOf = new Map<string, string>(header.map((column) => [column, column]));
  for (const [variable, column] of transformation.variableColumns) variableOf.set(column, variable);
  variableOf.delete(transformation.phoneColumn);
  if (transformation.userIdentifierColumn !== undefined) variableOf.delete(transformation.userIdentifierColumn);

  const indexOf = new Map(header.map((column, index) => [column, index]));
  const users: CohortUser[] = [];
  for (const row of rows) {
    if (pacer.due()) await pacer.pause();
    const field = (column: string) => (row.fields[indexOf.get(column) as number] ?? '').trim();
    const phone = row.fields.length > header.length ? undefined : toCohortPhone(field(transformation.phoneColumn));
    if (phone === undefined) continue;
    const identifier = transformation.userIdentifierColumn === undefined ? '' : field(transformation.userIdentifierColumn);
    const variables: Record<string, string> = {};
    for (const [column, variable] of variableOf) {
      const value = field(column);
      if (value !== '') variables[variable] = value;
    }
    users.push({ phone_number: phone, user_identifier: identifier === '' ? null : identifier, app_variables: variables, app_overrides: null });
  }
  return { users, total: rows.length, rejected: rows.length - users.length };
}
