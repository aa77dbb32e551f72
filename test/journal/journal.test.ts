import { describe, expect, it } from 'vitest';
import type { Exchange } from '../../src/engine/hooks.js';
import { Journal } from '../../src/journal/journal.js';

const exchange = (key: string, path: string): Exchange => ({
  time: new Date().toISOString(),
  key,
  vendor: 'dialnexa',
  operationId: 'getCampaign',
  method: 'GET',
  path,
  query: '',
  status: 200,
  durationMs: 1,
  scenario: null,
  violations: [],
  replyViolations: [],
});

describe('Journal', () => {
  it('keeps the last entries up to its capacity, oldest first', () => {
    const journal = new Journal(3);
    for (let i = 1; i <= 7; i++) journal.record(exchange('k', `/${i}`));
    expect(journal.find().map((e) => [e.id, e.path])).toEqual([
      [5, '/5'],
      [6, '/6'],
      [7, '/7'],
    ]);
    expect(journal.size).toBe(3);
  });

  it("forgets one key's entries and keeps the others in order", () => {
    const journal = new Journal(4);
    for (const [key, path] of [['a', '/1'], ['b', '/2'], ['a', '/3'], ['b', '/4'], ['b', '/5']]) journal.record(exchange(key as string, path as string));
    journal.clear('a');
    expect(journal.find().map((e) => e.path)).toEqual(['/2', '/4', '/5']);
    journal.record(exchange('c', '/6'));
    journal.record(exchange('c', '/7'));
    expect(journal.find().map((e) => e.path)).toEqual(['/4', '/5', '/6', '/7']);
    journal.clear();
    expect(journal.find()).toEqual([]);
  });

  it('keeps a note of a large body instead of the body', () => {
    const journal = new Journal(2);
    journal.record({ ...exchange('k', '/'), requestBody: { name: 'x'.repeat(5000) } });
    expect(journal.find()[0]?.requestBody).toBe('<5011 characters, not kept>');
    journal.record({ ...exchange('k', '/'), responseBody: JSON.stringify({ data: 'y'.repeat(5000) }) });
    expect(journal.find()[1]?.responseBody).toBe('<5011 characters, not kept>');
    journal.record({ ...exchange('k', '/'), responseBody: '{"ok":true}' });
    expect(journal.find()[1]?.responseBody).toBe('{"ok":true}');
  });

  it('keeps every entry whole across many buffers, reusing the ones only dropped entries used', () => {
    // About 4 KB each: 1,000 entries fill several 1 MiB buffers; a capacity of 300 drops most of them.
    const journal = new Journal(300);
    const body = (i: number) => JSON.stringify({ i, text: 'é€'.repeat(1300) });
    for (let i = 1; i <= 1000; i++) journal.record({ ...exchange(`k${i % 3}`, `/${i}`), responseBody: body(i) });
    const entries = journal.find();
    expect(entries.map((e) => e.id)).toEqual(Array.from({ length: 300 }, (_, i) => 701 + i));
    for (const entry of entries) expect(entry.responseBody).toBe(body(entry.id));
  });

  it('grows past its first room and wraps at its capacity, entries in order', () => {
    const journal = new Journal(5000);
    for (let i = 1; i <= 7500; i++) journal.record(exchange('k', `/${i}`));
    const paths = journal.find().map((e) => e.path);
    expect(paths).toHaveLength(5000);
    expect(paths[0]).toBe('/2501');
    expect(paths[4999]).toBe('/7500');
  });

  it('keeps an entry larger than a buffer', () => {
    const journal = new Journal(3);
    const long = `/${'p'.repeat(1_200_000)}`;
    journal.record(exchange('k', '/before'));
    journal.record(exchange('k', long));
    journal.record(exchange('k', '/after'));
    expect(journal.find().map((e) => e.path)).toEqual(['/before', long, '/after']);
  });

  it('filters by key, operation, time and violations, and pages by id', () => {
    const journal = new Journal(100);
    const base = Date.parse('2026-01-01T00:00:00.000Z');
    for (let i = 0; i < 10; i++) {
      journal.record({
        ...exchange(i % 2 === 0 ? 'even' : 'odd', `/${i}`),
        time: new Date(base + i * 1000).toISOString(),
        operationId: i < 5 ? 'getCampaign' : 'listCampaigns',
        violations: i === 3 ? ['name must be a string'] : [],
      });
    }
    expect(journal.find({ key: 'even' }).map((e) => e.path)).toEqual(['/0', '/2', '/4', '/6', '/8']);
    expect(journal.find({ operationId: 'listCampaigns', key: 'odd' }).map((e) => e.path)).toEqual(['/5', '/7', '/9']);
    expect(journal.find({ since: base + 2000, until: base + 4000 }).map((e) => e.path)).toEqual(['/2', '/3']);
    expect(journal.find({ violationsOnly: true }).map((e) => [e.path, e.violations])).toEqual([['/3', ['name must be a string']]]);
    const first = journal.page({ key: 'even' }, 0, 2);
    expect(first.entries.map((e) => e.path)).toEqual(['/0', '/2']);
    expect(first.next).toBe(3);
    const second = journal.page({ key: 'even' }, first.next as number, 2);
    expect(second.entries.map((e) => e.path)).toEqual(['/4', '/6']);
    const last = journal.page({ key: 'even' }, second.next as number, 2);
    expect(last).toEqual({ entries: [expect.objectContaining({ path: '/8' })], next: null });
  });

  it("sums each key's activity without decoding entries", () => {
    const journal = new Journal(10);
    journal.record({ ...exchange('a', '/1'), time: '2026-01-01T00:00:01.000Z' });
    journal.record({ ...exchange('a', '/2'), vendor: 'sarvam', time: '2026-01-01T00:00:02.000Z' });
    journal.record({ ...exchange('b', '/3'), time: '2026-01-01T00:00:03.000Z' });
    journal.record({ ...exchange('b', '/4'), key: null });
    const activity = journal.activity();
    expect([...activity.keys()]).toEqual(['a', 'b']);
    expect(activity.get('a')).toEqual({ vendors: new Set(['dialnexa', 'sarvam']), requests: 2, last: Date.parse('2026-01-01T00:00:02.000Z') });
    expect(activity.get('b')?.requests).toBe(1);
  });

  it('keeps the other keys whole when one is forgotten after wrapping', () => {
    const journal = new Journal(50);
    const body = (i: number) => 'x'.repeat(4000) + i;
    for (let i = 1; i <= 400; i++) journal.record({ ...exchange(i % 2 ? 'a' : 'b', `/${i}`), responseBody: body(i) });
    journal.clear('a');
    const left = journal.find();
    expect(left.map((e) => e.id)).toEqual(Array.from({ length: 25 }, (_, i) => 352 + 2 * i));
    for (const entry of left) expect(entry.responseBody).toBe(body(entry.id));
    for (let i = 401; i <= 460; i++) journal.record({ ...exchange('c', `/${i}`), responseBody: body(i) });
    const after = journal.find();
    expect(after).toHaveLength(50);
    expect(after[0]?.id).toBe(411);
    for (const entry of after) expect(entry.responseBody).toBe(body(entry.id));
  });

  it('reuses buffers after a key is forgotten without overwriting an entry it kept', () => {
    const journal = new Journal(300);
    const body = (i: number) => `${i}:${'z'.repeat(4000)}`;
    for (let i = 1; i <= 600; i++) journal.record({ ...exchange(i % 3 === 0 ? 'gone' : 'kept', `/${i}`), responseBody: body(i) });
    journal.clear('gone');
    expect(journal.size).toBe(200);
    // Several more buffers' worth: the emptied ones are reused while the kept entries age out.
    for (let i = 601; i <= 1400; i++) {
      journal.record({ ...exchange('new', `/${i}`), responseBody: body(i) });
      if (i % 100 === 0) for (const entry of journal.find()) expect(entry.responseBody).toBe(body(entry.id));
    }
    expect(journal.find().map((e) => e.id)).toEqual(Array.from({ length: 300 }, (_, i) => 1101 + i));
  });
});

