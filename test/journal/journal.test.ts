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
});
