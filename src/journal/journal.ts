import type { Exchange } from '../engine/hooks.js';

/** Bodies longer than this (as JSON) are kept as a note of their size, so the journal stays small. */
const MAX_BODY_CHARS = 4096;

export interface JournalQuery {
  key?: string;
  operationId?: string;
  /** Entries at or after this time (ms since the epoch). */
  since?: number;
  /** Entries before this time (ms since the epoch). */
  until?: number;
  /** Only entries whose request broke the contract. */
  violationsOnly?: boolean;
}

/**
 * The request journal: the last `capacity` exchanges in a ring, oldest overwritten first, so a
 * long CI run can neither exhaust memory nor slow the requests that record into it.
 */
export class Journal {
  readonly #ring: Array<(Exchange & { id: number }) | undefined>;
  /** Where the next entry goes. */
  #next = 0;
  #count = 0;
  #nextId = 1;

  constructor(readonly capacity: number) {
    this.#ring = new Array(capacity);
  }

  record(exchange: Exchange): void {
    const { requestBodyBytes, ...kept } = exchange;
    const entry = { id: this.#nextId++, ...kept };
    if (requestBodyBytes !== undefined) {
      // The size as sent decides, without serialising the body again.
      if (requestBodyBytes > MAX_BODY_CHARS) entry.requestBody = `<${requestBodyBytes} bytes, not kept>`;
    } else if (exchange.requestBody !== undefined) {
      let text: string | undefined;
      try {
        text = JSON.stringify(exchange.requestBody);
      } catch {
        // Nested deeper than a JSON serialiser's stack: the request was refused; its body is not kept.
        entry.requestBody = '<a body nested too deeply to keep>';
      }
      if (text !== undefined && text.length > MAX_BODY_CHARS) entry.requestBody = `<${text.length} characters, not kept>`;
    }
    if (entry.responseBody !== undefined && entry.responseBody.length > MAX_BODY_CHARS) entry.responseBody = `<${entry.responseBody.length} characters, not kept>`;
    this.#ring[this.#next] = entry;
    this.#next = (this.#next + 1) % this.capacity;
    this.#count = Math.min(this.#count + 1, this.capacity);
  }

  /** Entries matching the query, oldest first. */
  find(query: JournalQuery = {}): Array<Exchange & { id: number }> {
    return this.#entries().filter(
      (e) =>
        (query.key === undefined || e.key === query.key) &&
        (query.operationId === undefined || e.operationId === query.operationId) &&
        (query.since === undefined || Date.parse(e.time) >= query.since) &&
        (query.until === undefined || Date.parse(e.time) < query.until) &&
        (!query.violationsOnly || e.violations.length > 0),
    );
  }

  /** Forgets one key's entries, or all of them. */
  clear(key?: string): void {
    const kept = key === undefined ? [] : this.#entries().filter((e) => e.key !== key);
    this.#ring.fill(undefined);
    this.#next = 0;
    this.#count = 0;
    for (const entry of kept) {
      this.#ring[this.#next] = entry;
      this.#next = (this.#next + 1) % this.capacity;
      this.#count++;
    }
  }

  get size(): number {
    return this.#count;
  }

  #entries(): Array<Exchange & { id: number }> {
    const start = (this.#next - this.#count + this.capacity) % this.capacity;
    const out: Array<Exchange & { id: number }> = [];
    for (let i = 0; i < this.#count; i++) out.push(this.#ring[(start + i) % this.capacity] as Exchange & { id: number });
    return out;
  }
}
