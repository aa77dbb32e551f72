import type { Exchange } from '../engine/hooks.js';

/** Bodies longer than this (as JSON) are kept as a note of their size, so the journal stays small. */
const MAX_BODY_CHARS = 4096;

export interface JournalQuery {
  key?: string;
  operationId?: string;
  /** ISO 8601: entries at or after. */
  since?: string;
  /** ISO 8601: entries before. */
  until?: string;
  /** Only entries whose request broke the contract. */
  violationsOnly?: boolean;
}

/**
 * The request journal: the last `capacity` exchanges, oldest dropped first, so a long CI run
 * cannot exhaust memory.
 */
export class Journal {
  readonly #entries: Array<Exchange & { id: number }> = [];
  #nextId = 1;

  constructor(readonly capacity: number) {}

  record(exchange: Exchange): void {
    const entry = { id: this.#nextId++, ...exchange };
    if (exchange.requestBody !== undefined) {
      const text = JSON.stringify(exchange.requestBody);
      if (text !== undefined && text.length > MAX_BODY_CHARS) entry.requestBody = `<${text.length} characters, not kept>`;
    }
    this.#entries.push(entry);
    if (this.#entries.length > this.capacity) this.#entries.splice(0, this.#entries.length - this.capacity);
  }

  /** Entries matching the query, oldest first. */
  find(query: JournalQuery = {}): Array<Exchange & { id: number }> {
    return this.#entries.filter(
      (e) =>
        (query.key === undefined || e.key === query.key) &&
        (query.operationId === undefined || e.operationId === query.operationId) &&
        (query.since === undefined || e.time >= query.since) &&
        (query.until === undefined || e.time < query.until) &&
        (!query.violationsOnly || e.violations.length > 0),
    );
  }

  /** Forgets one key's entries, or all of them. */
  clear(key?: string): void {
    if (key === undefined) this.#entries.length = 0;
    else for (let i = this.#entries.length - 1; i >= 0; i--) if (this.#entries[i]?.key === key) this.#entries.splice(i, 1);
  }

  get size(): number {
    return this.#entries.length;
  }
}
