import writeExcelFile from 'write-excel-file/node';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * An XLSX workbook of one sheet, its first row the header. Numbers stay numbers in the sheet (a
 * phone number typed into Excel is one), `null` leaves a cell empty.
 *
 * @example
 * const bytes = await xlsxFile([['phone_number', 'name'], ['+14155550100', 'Ana'], [14155550101, 'Ben']]);
 */
export async function xlsxFile(rows: ReadonlyArray<ReadonlyArray<string | number | null>>): Promise<Uint8Array> {
  const data = rows.map((row) => row.map((value) => (value === null ? null : typeof value === 'number' ? { value, type: Number } : { value })));
  return new Uint8Array(await writeExcelFile(data as unknown as Parameters<typeof writeExcelFile>[0]).toBuffer());
}
