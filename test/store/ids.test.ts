import { describe, expect, it } from 'vitest';
import { orderedId, randomId } from '../../src/store/ids.js';

describe('ids', () => {
  it('randomId: the prefix and lowercase alphanumerics, all different', () => {
    const ids = Array.from({ length: 10_000 }, () => randomId('cmp_'));
    for (const id of ids) expect(id).toMatch(/^cmp_[a-z0-9]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('orderedId: the same shape (DialNexa\'s lead id pattern), each made later sorting later, none the same', () => {
    const ids = Array.from({ length: 100_000 }, () => orderedId('lead_'));
    for (const id of ids.slice(0, 1000)) expect(id).toMatch(/^lead_[a-z0-9]{12}$/);
    expect(ids.every((id, i) => i === 0 || (ids[i - 1] as string).slice(0, 14) < id.slice(0, 14))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
