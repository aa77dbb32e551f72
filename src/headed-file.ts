/**
 * Files the build writes headed by a copy of what they were made from (its length in four bytes,
 * then its bytes), so that a reader can tell, byte for byte, whether one still fits: the schema
 * script, headed by the migrations' SQL, and the code cache, headed by the bundle. Compared rather
 * than hashed: loading Node's crypto module took a start longer than reading the copy does.
 *
 * @example
 * writeFileSync(file, headedBy(migrations, Buffer.from(script)));
 * const script = afterHead(readFileSync(file), migrations); // undefined if the migrations changed
 */
export function headedBy(source: Buffer, content: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32LE(source.length);
  return Buffer.concat([length, source, content]);
}

/** What follows the head of `file` if it was made from exactly `source`; undefined otherwise. */
export function afterHead(file: Buffer, source: Buffer): Buffer | undefined {
  if (file.length < 4 || file.readUInt32LE(0) !== source.length) return undefined;
  const end = 4 + source.length;
  return file.subarray(4, end).equals(source) ? file.subarray(end) : undefined;
}
