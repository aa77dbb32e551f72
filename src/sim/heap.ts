/** A binary min-heap; `before(a, b)` says whether `a` comes out first. */
export class Heap<T> {
  readonly #items: T[] = [];

  constructor(private readonly before: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.#items.length;
  }

  peek(): T | undefined {
    return this.#items[0];
  }

  push(item: T): void {
    const items = this.#items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(items[i] as T, items[parent] as T)) break;
      [items[i], items[parent]] = [items[parent] as T, items[i] as T];
      i = parent;
    }
  }

  pop(): T | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let first = i;
        if (left < items.length && this.before(items[left] as T, items[first] as T)) first = left;
        if (right < items.length && this.before(items[right] as T, items[first] as T)) first = right;
        if (first === i) break;
        [items[i], items[first]] = [items[first] as T, items[i] as T];
        i = first;
      }
    }
    return top;
  }

  /** The items, in no particular order. */
  values(): readonly T[] {
    return this.#items;
  }

  /** Removes every item `drop` picks; returns them. */
  removeWhere(drop: (item: T) => boolean): T[] {
    const kept = this.#items.filter((item) => !drop(item));
    const removed = this.#items.filter(drop);
    this.#items.length = 0;
    for (const item of kept) this.push(item);
    return removed;
  }
}
