import { describe, expect, it } from 'vitest';
import { MultipartError, readMultipart } from '../../src/formats/multipart.js';

/** A form as a client sends it: the bytes and Content-Type undici's Request writes for a FormData. */
async function encode(form: FormData): Promise<{ bytes: Uint8Array; contentType: string }> {
  const request = new Request('http://form.local/', { method: 'POST', body: form });
  return { bytes: new Uint8Array(await request.arrayBuffer()), contentType: request.headers.get('content-type') as string };
}

/** What `Request.formData()` reads from the same bytes, as plain values. */
async function referenceRead(bytes: Uint8Array, contentType: string) {
  const form = await new Request('http://form.local/', { method: 'POST', headers: { 'content-type': contentType }, body: bytes }).formData();
  return Promise.all([...form.entries()].map(async ([name, value]) => [name, await plain(value)]));
}

async function plain(value: string | File) {
  return typeof value === 'string' ? value : { file: value.name, type: value.type, text: await value.text() };
}

describe('readMultipart', () => {
  it('reads what Request.formData() reads: fields, files, names and types, Unicode, line breaks and look-alike boundaries', async () => {
    const form = new FormData();
    form.append('title', 'June calls');
    form.append('empty', '');
    form.append('note', 'line one\r\nline two\n--not a boundary\r\n');
    form.append('unicode', 'Zoë — 東京 ✓');
    form.append('file', new Blob(['phone_number,name\n+14155550100,"A, B"\r\n'], { type: 'text/csv' }), 'leads.csv');
    form.append('file2', new Blob([new Uint8Array([0, 1, 2, 255, 13, 10, 45, 45])]), 'raw.bin');
    form.append('title', 'second value');
    const { bytes, contentType } = await encode(form);
    const ours = await Promise.all(readMultipart(bytes, contentType).map(async ({ name, value }) => [name, await plain(value)]));
    expect(ours).toEqual(await referenceRead(bytes, contentType));
    expect(ours).toHaveLength(7);
  });

  it('reads a hand-written body with a preamble, a quoted boundary, padding and an epilogue', () => {
    const body = [
      'This is the preamble.',
      '--b"q',
      'Content-Disposition: form-data; name="a"',
      '',
      'one',
      '--b"q  ',
      'content-disposition: form-data; name="f"; filename="x y.csv"',
      'Content-Type: text/csv',
      '',
      'p,q',
      '--b"q--',
      'epilogue',
    ].join('\r\n');
    const parts = readMultipart(new TextEncoder().encode(body), 'multipart/form-data; boundary="b\\"q"');
    expect(parts.map((p) => p.name)).toEqual(['a', 'f']);
    expect(parts[0]?.value).toBe('one');
    expect(parts[1]?.value).toBeInstanceOf(File);
    expect((parts[1]?.value as File).name).toBe('x y.csv');
    expect((parts[1]?.value as File).type).toBe('text/csv');
  });

  it('reads a body whose empty preamble leaves it starting with the line break before the first boundary, as Request.formData() does', async () => {
    const body = new TextEncoder().encode('\r\n--z\r\nContent-Disposition: form-data; name="a"\r\n\r\nv\r\n--z--\r\n');
    const ours = readMultipart(body, 'multipart/form-data; boundary=z').map(({ name, value }) => [name, value]);
    expect(ours).toEqual([['a', 'v']]);
    expect(ours).toEqual(await referenceRead(body, 'multipart/form-data; boundary=z'));
  });

  it('decodes an RFC 8187 file name', () => {
    const body = `--z\r\nContent-Disposition: form-data; name="f"; filename="fallback.csv"; filename*=UTF-8''Z%C3%ABl.csv\r\n\r\nx\r\n--z--\r\n`;
    expect((readMultipart(new TextEncoder().encode(body), 'multipart/form-data; boundary=z')[0]?.value as File).name).toBe('Zël.csv');
  });

  it.each([
    ['no boundary', 'multipart/form-data', '--z\r\n\r\n--z--', 'names no boundary'],
    ['no part', 'multipart/form-data; boundary=z', 'just text', 'holds no part'],
    ['no closing boundary', 'multipart/form-data; boundary=z', '--z\r\nContent-Disposition: form-data; name="a"\r\n\r\nvalue', 'ends before its closing boundary'],
    ['no disposition', 'multipart/form-data; boundary=z', '--z\r\nContent-Type: text/plain\r\n\r\nv\r\n--z--', 'no Content-Disposition'],
    ['no name', 'multipart/form-data; boundary=z', '--z\r\nContent-Disposition: form-data\r\n\r\nv\r\n--z--', 'has no name'],
    ['headers that never end', 'multipart/form-data; boundary=z', '--z\r\nContent-Disposition: form-data; name="a"', "headers never end"],
  ])('refuses a body with %s', (_, contentType, body, message) => {
    expect(() => readMultipart(new TextEncoder().encode(body), contentType)).toThrow(MultipartError);
    expect(() => readMultipart(new TextEncoder().encode(body), contentType)).toThrow(message);
  });

  it('reads a 10 MB file part whole', () => {
    const csv = `phone_number\n${'+14155550100\n'.repeat(800_000)}`;
    const body = Buffer.concat([Buffer.from('--z\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n\r\n'), Buffer.from(csv), Buffer.from('\r\n--z--\r\n')]);
    const [part] = readMultipart(body, 'multipart/form-data; boundary=z');
    expect((part?.value as File).size).toBe(csv.length);
  });
});
