import type { Exchange } from '../engine/hooks.js';

/** Bodies longer than this (as JSON) are kept as a note of their size, so the journal stays small. */
const MAX_BODY_CHARS = 4096;

/** Entries are written, as JSON, into buffers of this size; a larger entry gets a buffer of its own. */
const SLAB_BYTES = 1 << 20;
/** Emptied buffers kept for reuse; more are left to the garbage collector. */
const SPARE_SLABS = 4;
/** Room for this many entries' details at first; doubled as the journal fills, up to its capacity. */
const FIRST_ROOM = 1024;

export type JournalEntry = Exchange & { id: number };

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

/** What the journal holds of one sandbox, read without decoding any entry. */
export interface KeyActivity {
  vendors: Set<string>;
  requests: number;
  /** The time of its latest entry (ms since the epoch). */
  last: number;
}

/**
 * The request journal: the last `capacity` exchanges in a ring, oldest overwritten first, so a
 * long CI run can neither exhaust memory nor slow the requests that record into it.
 *
 * An entry is kept as JSON text in a large buffer, outside the JavaScript heap, and decoded only
 * when it is read. Kept as objects, thousands of entries a second each survived a young-generation
 * garbage collection or two before being promoted, and copying them made every such pause long
 * enough to show in a busy mock's tail latency. What the filters ask (key, operation, time,
 * violations) is kept beside the text, so a query decodes only the entries it returns.
 */
export class Journal {
  /** Per ring slot: the buffer holding the entry's text, where in it, and how many bytes. */
  #slab: Buffer[] = [];
  #offset = new Uint32Array(0);
  #length = new Uint32Array(0);
  /** The answer's body, after the entry's JSON as it was sent (not escaped into it); -1 for none. */
  #bodyLength = new Int32Array(0);
  #id = new Float64Array(0);
  #time = new Float64Array(0);
  #violates = new Uint8Array(0);
  /** Strings the mock holds anyway (a sandbox's key, a vendor's and an operation's names): referenced, not copied. */
  #key: Array<string | null> = [];
  #vendor: Array<string | null> = [];
  #operation: Array<string | null> = [];

  /** Buffers holding live entries, oldest first, each with the id of the last entry written into it. */
  #slabs: Array<{ bytes: Buffer; lastId: number }> = [];
  #spare: Buffer[] = [];
  /** Bytes used of the newest buffer. */
  #used = 0;

  /** Where the next entry goes. */
  #next = 0;
  #count = 0;
  #nextId = 1;

  constructor(readonly capacity: number) {
    this.#grow(Math.min(capacity, FIRST_ROOM));
  }

  record(exchange: Exchange): void {
    const { requestBodyBytes } = exchange;
    let requestBody = exchange.requestBody;
    if (requestBodyBytes !== undefined) {
      // The size as sent decides, without serialising the body again.
      if (requestBodyBytes > MAX_BODY_CHARS) requestBody = `<${requestBodyBytes} bytes, not kept>`;
    } else if (requestBody !== undefined) {
      let text: string | undefined;
      try {
        text = JSON.stringify(requestBody);
      } catch {
        // Nested deeper than a JSON serialiser's stack: the request was refused; its body is not kept.
        requestBody = '<a body nested too deeply to keep>';
      }
      if (text !== undefined && text.length > MAX_BODY_CHARS) requestBody = `<${text.length} characters, not kept>`;
    }
    let responseBody = exchange.responseBody;
    if (responseBody !== undefined && responseBody.length > MAX_BODY_CHARS) responseBody = `<${responseBody.length} characters, not kept>`;
    const id = this.#nextId++;
    // Every field named, in the order entries have always had: one object of one shape, serialised
    // once. The answer's body is written after it as it is (see #append).
    const entry: Omit<JournalEntry, 'responseBody' | 'requestBodyBytes'> = {
      id,
      time: exchange.time,
      key: exchange.key,
      vendor: exchange.vendor,
      operationId: exchange.operationId,
      method: exchange.method,
      path: exchange.path,
      query: exchange.query,
      status: exchange.status,
      durationMs: exchange.durationMs,
      scenario: exchange.scenario,
      violations: exchange.violations,
      replyViolations: exchange.replyViolations,
      requestBody,
    };
    let json: string;
    try {
      json = JSON.stringify(entry);
    } catch {
      entry.requestBody = '<a body nested too deeply to keep>';
      json = JSON.stringify(entry);
    }
    this.#append(id, json, responseBody, Date.parse(exchange.time), exchange.key, exchange.vendor, exchange.operationId, exchange.violations.length > 0);
  }

  /** Entries matching the query, oldest first. */
  find(query: JournalQuery = {}): JournalEntry[] {
    return this.page(query, 0, this.#count).entries;
  }

  /**
   * Up to `limit` entries matching the query, oldest first, from the first whose id is above
   * `after`; `next` is the id to pass as `after` for the page that follows, or null at the end.
   */
  page(query: JournalQuery, after: number, limit: number): { entries: JournalEntry[]; next: number | null } {
    const entries: JournalEntry[] = [];
    for (let n = 0; n < this.#count; n++) {
      const slot = this.#slot(n);
      if ((this.#id[slot] as number) <= after || !this.#matches(slot, query)) continue;
      if (entries.length === limit) return { entries, next: entries[entries.length - 1]?.id ?? null };
      entries.push(this.#decode(slot));
    }
    return { entries, next: null };
  }

  /** For each key with entries: the vendors it called, how many requests, and when the last came. */
  activity(): Map<string, KeyActivity> {
    const out = new Map<string, KeyActivity>();
    for (let n = 0; n < this.#count; n++) {
      const slot = this.#slot(n);
      const key = this.#key[slot];
      if (key === null || key === undefined) continue;
      let seen = out.get(key);
      if (!seen) out.set(key, (seen = { vendors: new Set(), requests: 0, last: 0 }));
      const vendor = this.#vendor[slot];
      if (vendor !== null && vendor !== undefined) seen.vendors.add(vendor);
      seen.requests++;
      seen.last = this.#time[slot] as number;
    }
    return out;
  }

  /**
   * Forgets one key's entries, or all of them. The others move up in order, their text left where
   * it is: nothing is copied but the details beside it.
   */
  clear(key?: string): void {
    const moved = [];
    for (let n = 0; key !== undefined && n < this.#count; n++) {
      const slot = this.#slot(n);
      if (this.#key[slot] === key) continue;
      moved.push({
        slab: this.#slab[slot] as Buffer,
        offset: this.#offset[slot] as number,
        length: this.#length[slot] as number,
        bodyLength: this.#bodyLength[slot] as number,
        id: this.#id[slot] as number,
        time: this.#time[slot] as number,
        violates: this.#violates[slot] as number,
        key: this.#key[slot] ?? null,
        vendor: this.#vendor[slot] ?? null,
        operation: this.#operation[slot] ?? null,
      });
    }
    // Nothing forgotten stays referenced.
    this.#slab.fill(undefined as unknown as Buffer);
    this.#key.fill(null);
    this.#vendor.fill(null);
    this.#operation.fill(null);
    moved.forEach((entry, slot) => {
      this.#slab[slot] = entry.slab;
      this.#offset[slot] = entry.offset;
      this.#length[slot] = entry.length;
      this.#bodyLength[slot] = entry.bodyLength;
      this.#id[slot] = entry.id;
      this.#time[slot] = entry.time;
      this.#violates[slot] = entry.violates;
      this.#key[slot] = entry.key;
      this.#vendor[slot] = entry.vendor;
      this.#operation[slot] = entry.operation;
    });
    this.#count = moved.length;
    this.#next = moved.length % this.capacity;
    if (moved.length === 0) {
      for (const { bytes } of this.#slabs) this.#keepSpare(bytes);
      this.#slabs = [];
      this.#used = 0;
    } else {
      this.#releaseSlabs((moved[0] as { id: number }).id);
    }
  }

  get size(): number {
    return this.#count;
  }

  /** The ring slot of the n-th entry, oldest first. */
  #slot(n: number): number {
    return (this.#next - this.#count + n + this.capacity) % this.capacity;
  }

  #matches(slot: number, query: JournalQuery): boolean {
    const time = this.#time[slot] as number;
    return (
      (query.key === undefined || this.#key[slot] === query.key) &&
      (query.operationId === undefined || this.#operation[slot] === query.operationId) &&
      (query.since === undefined || time >= query.since) &&
      (query.until === undefined || time < query.until) &&
      (!query.violationsOnly || this.#violates[slot] === 1)
    );
  }

  #text(slot: number): string {
    const offset = this.#offset[slot] as number;
    return (this.#slab[slot] as Buffer).toString('utf8', offset, offset + (this.#length[slot] as number));
  }

  #body(slot: number): string | undefined {
    const length = this.#bodyLength[slot] as number;
    if (length < 0) return undefined;
    const start = (this.#offset[slot] as number) + (this.#length[slot] as number);
    return (this.#slab[slot] as Buffer).toString('utf8', start, start + length);
  }

  #decode(slot: number): JournalEntry {
    const entry = JSON.parse(this.#text(slot)) as JournalEntry;
    const body = this.#body(slot);
    if (body !== undefined) entry.responseBody = body;
    return entry;
  }

  #append(id: number, text: string, body: string | undefined, time: number, key: string | null, vendor: string | null, operation: string | null, violates: boolean): void {
    if (this.#count === this.capacity) {
      // The oldest entry is overwritten; the buffers only older entries used are let go.
      this.#count--;
      this.#releaseSlabs(this.#count > 0 ? (this.#id[this.#slot(0)] as number) : id);
    } else if (this.#next === this.#offset.length) {
      this.#grow(Math.min(this.capacity, this.#offset.length * 2));
    }
    const slab = this.#room(text, body ?? '');
    const slot = this.#next;
    const written = slab.write(text, this.#used);
    const bodyWritten = body === undefined ? -1 : slab.write(body, this.#used + written);
    this.#slab[slot] = slab;
    this.#offset[slot] = this.#used;
    this.#length[slot] = written;
    this.#bodyLength[slot] = bodyWritten;
    this.#used += written + Math.max(bodyWritten, 0);
    (this.#slabs[this.#slabs.length - 1] as { lastId: number }).lastId = id;
    this.#id[slot] = id;
    this.#time[slot] = time;
    this.#violates[slot] = violates ? 1 : 0;
    this.#key[slot] = key;
    this.#vendor[slot] = vendor;
    this.#operation[slot] = operation;
    this.#next = (this.#next + 1) % this.capacity;
    this.#count++;
  }

  /** The buffer the texts go into: the newest, or a new one if it has no room left. */
  #room(text: string, body: string): Buffer {
    const newest = this.#slabs[this.#slabs.length - 1];
    const room = newest === undefined ? -1 : newest.bytes.length - this.#used;
    // A UTF-8 character takes at most 3 bytes per UTF-16 unit; counted exactly only near the end.
    if (newest !== undefined && (text.length + body.length) * 3 <= room) return newest.bytes;
    const needed = Buffer.byteLength(text) + Buffer.byteLength(body);
    if (newest !== undefined && needed <= room) return newest.bytes;
    const bytes = needed > SLAB_BYTES ? Buffer.allocUnsafeSlow(needed) : (this.#spare.pop() ?? Buffer.allocUnsafeSlow(SLAB_BYTES));
    this.#slabs.push({ bytes, lastId: 0 });
    this.#used = 0;
    return bytes;
  }

  /** Lets go of the oldest buffers whose entries all come before `oldestId`. */
  #releaseSlabs(oldestId: number): void {
    while (this.#slabs.length > 1 && (this.#slabs[0] as { lastId: number }).lastId < oldestId) this.#keepSpare((this.#slabs.shift() as { bytes: Buffer }).bytes);
  }

  #keepSpare(bytes: Buffer): void {
    if (bytes.length === SLAB_BYTES && this.#spare.length < SPARE_SLABS) this.#spare.push(bytes);
  }

  /** Room for `size` entries' details; only while the ring has not yet wrapped, so slots keep their places. */
  #grow(size: number): void {
    const grown = <T extends Uint32Array | Int32Array | Float64Array | Uint8Array>(old: T, make: (n: number) => T): T => {
      const next = make(size);
      next.set(old);
      return next;
    };
    this.#offset = grown(this.#offset, (n) => new Uint32Array(n));
    this.#length = grown(this.#length, (n) => new Uint32Array(n));
    this.#bodyLength = grown(this.#bodyLength, (n) => new Int32Array(n));
    this.#id = grown(this.#id, (n) => new Float64Array(n));
    this.#time = grown(this.#time, (n) => new Float64Array(n));
    this.#violates = grown(this.#violates, (n) => new Uint8Array(n));
  }
}
