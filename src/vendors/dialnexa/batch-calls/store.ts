import type { Database, Statement } from 'better-sqlite3';
import { sqlLimit } from '../../../store/rows.js';
import { prepareLater } from '../../../store/deferred.js';

/** A batch's status (the batch-calls OpenAPI's enum, less `initiated`, `draft` and `deleted`, which the mock never stores). */
export type BatchStatus = 'waiting' | 'scheduled' | 'running' | 'paused' | 'completed' | 'cancelled';

/**
 * The stored status of a batch whose calls are still being written in slices (see
 * src/store/imports.ts): no read shows it, and the organization's queue passes it by, until its
 * last slice gives it its real status.
 */
const IMPORTING = 'importing';

export interface BatchRow {
  sandbox_id: number;
  id: string;
  title: string;
  agent_id: string;
  agent_version_number: number | null;
  from_number: string;
  status: BatchStatus;
  /** 1 while the dialer waits for this scheduled batch's start: the organization's next turn. */
  armed: number;
  /** 1 when a dialer run handed this batch the organization's turn (see BatchQueue.catchUp). */
  handed_over: number;
  starts_at: string | null;
  ends_at: string | null;
  calling_hours_start: string | null;
  calling_hours_end: string | null;
  concurrency: number;
  number_of_retries: number;
  retry_interval_minutes: number;
  total_records: number;
  /** Calls placed at each depth: 0 the first calls, 1-4 the retries. */
  attempted_0: number;
  attempted_1: number;
  attempted_2: number;
  attempted_3: number;
  attempted_4: number;
  /** Retries scheduled at each depth. */
  retries_1: number;
  retries_2: number;
  retries_3: number;
  retries_4: number;
  picked_up_calls: number;
  last_call_sent_at: string | null;
  ready_at: string;
  created_at: string;
  updated_at: string;
}

type Counters = 'attempted_0' | 'attempted_1' | 'attempted_2' | 'attempted_3' | 'attempted_4' | 'retries_1' | 'retries_2' | 'retries_3' | 'retries_4' | 'picked_up_calls' | 'last_call_sent_at';
export type NewBatch = Omit<BatchRow, Counters | 'armed' | 'handed_over'>;

/** Per-recipient call statuses ("Batch call retries and statuses") that the mock's batch calls take. */
export type BatchCallStatus = 'created' | 'initiated' | 'completed' | 'busy' | 'no_answer' | 'failed' | 'cancelled' | 'retry_expired';

export interface BatchCallRow {
  sandbox_id: number;
  id: string;
  batch_id: string;
  recipient_id: string;
  depth: number;
  agent_id: string;
  agent_version_number: number | null;
  from_number: string;
  to_number: string;
  status: BatchCallStatus;
  duration_seconds: number;
  sentiment: string;
  end_reason: string | null;
  started_at: string | null;
  created_at: string;
}

export type NewBatchCall = Pick<BatchCallRow, 'sandbox_id' | 'id' | 'batch_id' | 'recipient_id' | 'depth' | 'agent_id' | 'agent_version_number' | 'from_number' | 'to_number' | 'created_at'>;

/** How a call ended, as the dialer writes it. */
export interface EndedBatchCall {
  sandbox_id: number;
  recipient_id: string;
  depth: number;
  status: BatchCallStatus;
  duration_seconds: number;
  sentiment: string;
  end_reason: string;
}

/** Filters of `GET /v1/batch-calls/{id}` (the batch-calls OpenAPI); lists are JSON arrays, bounds ISO times or milliseconds. */
export interface BatchCallFilter {
  agentIds?: string[];
  callIds?: string[];
  batchIds?: string[];
  from?: string;
  to?: string;
  types?: string[];
  directions?: string[];
  versions?: string[];
  sentiments?: string[];
  createdFrom?: string;
  createdBefore?: string;
  durationAbove?: number;
  durationBelow?: number;
  durationMin?: number;
  durationMax?: number;
  statuses?: string[];
  endReasons?: string[];
  order: { createdAt?: 'asc' | 'desc'; duration?: 'asc' | 'desc' };
  limit: number;
  offset: number;
}

/**
 * The batch tables, behind statements prepared once. Every statement is scoped by sandbox, but
 * one: `existsElsewhere`, which says only whether another organization has a batch of that id.
 */
export class BatchStore {
  /** Also writes a batch in the stored-only status IMPORTING. */
  readonly #insertBatch: Statement<Omit<NewBatch, 'status'> & { status: BatchStatus | typeof IMPORTING }>;
  readonly #importing: Statement<[number, string], unknown>;
  readonly #deleteImportedCalls: Statement<[number, string, number], { id: string }>;
  readonly #deleteImportingBatch: Statement<[number, string]>;
  readonly #getBatch: Statement<[number, string], BatchRow>;
  readonly #existsAnywhere: Statement<[string], unknown>;
  readonly #setStatus: Statement<{ sandbox: number; id: string; status: BatchStatus; armed: number; at: string }>;
  readonly #setArmed: Statement<{ sandbox: number; id: string; armed: number }>;
  readonly #running: Statement<[number], BatchRow>;
  readonly #nextReady: Statement<{ sandbox: number; at: string }, BatchRow>;
  readonly #nextScheduled: Statement<[number], BatchRow>;
  readonly #armedOthers: Statement<[number, string], BatchRow>;
  readonly #overdueToWaiting: Statement<{ sandbox: number; at: string }>;
  readonly #ahead: Statement<[number], BatchRow>;
  readonly #markHandedOver: Statement<[number, string]>;
  readonly #takeHandedOver: Statement<[number]>;
  readonly #list: Statement<{ sandbox: number; limit: number; offset: number }, BatchRow>;
  readonly #count: Statement<[number], unknown>;
  readonly #listByStatus: Statement<{ sandbox: number; statuses: string; limit: number; offset: number }, BatchRow>;
  readonly #countByStatus: Statement<{ sandbox: number; statuses: string }, unknown>;
  readonly #insertCall: Statement<NewBatchCall>;
  readonly #countCalls: Statement<[number, string, BatchCallStatus], unknown>;
  readonly #cancelWaitingCalls: Statement<[number, string]>;
  readonly #expireWaitingCalls: Statement<[number, string]>;
  readonly #startCall: Statement<{ sandbox: number; recipient: string; depth: number; at: string }>;
  readonly #endCall: Statement<EndedBatchCall, BatchCallRow>;
  readonly #callQueries = new Map<string, { page: Statement; count: Statement }>();

  constructor(private readonly db: Database) {
    this.#insertBatch = prepareLater(db, `INSERT INTO dialnexa_batches
      (sandbox_id, id, title, agent_id, agent_version_number, from_number, status, starts_at, ends_at, calling_hours_start, calling_hours_end,
       concurrency, number_of_retries, retry_interval_minutes, total_records, ready_at, created_at, updated_at)
      VALUES (@sandbox_id, @id, @title, @agent_id, @agent_version_number, @from_number, @status, @starts_at, @ends_at, @calling_hours_start, @calling_hours_end,
       @concurrency, @number_of_retries, @retry_interval_minutes, @total_records, @ready_at, @created_at, @updated_at)`);
    this.#importing = prepareLater(db, `SELECT count(*) FROM dialnexa_batches WHERE sandbox_id = ? AND id = ? AND status = '${IMPORTING}'`).pluck();
    this.#deleteImportedCalls = prepareLater(
      db,
      `DELETE FROM dialnexa_batch_calls WHERE rowid IN (SELECT rowid FROM dialnexa_batch_calls WHERE sandbox_id = ? AND batch_id = ? ${sqlLimit('?')}) RETURNING id`,
    );
    this.#deleteImportingBatch = prepareLater(db, `DELETE FROM dialnexa_batches WHERE sandbox_id = ? AND id = ? AND status = '${IMPORTING}'`);
    const shown = `status <> '${IMPORTING}'`;
    this.#getBatch = prepareLater(db, `SELECT * FROM dialnexa_batches WHERE sandbox_id = ? AND id = ? AND ${shown}`);
    this.#existsAnywhere = prepareLater(db, `SELECT count(*) FROM dialnexa_batches WHERE id = ? AND ${shown}`).pluck();
    this.#setStatus = prepareLater(db, 'UPDATE dialnexa_batches SET status = @status, armed = @armed, updated_at = @at WHERE sandbox_id = @sandbox AND id = @id');
    this.#setArmed = prepareLater(db, 'UPDATE dialnexa_batches SET armed = @armed WHERE sandbox_id = @sandbox AND id = @id');
    this.#running = prepareLater(db, "SELECT * FROM dialnexa_batches WHERE sandbox_id = ? AND status = 'running' LIMIT 1");
    this.#nextReady = prepareLater(db, `SELECT * FROM dialnexa_batches WHERE sandbox_id = @sandbox
      AND (status = 'waiting' OR (status = 'scheduled' AND starts_at <= @at)) ORDER BY ready_at, rowid LIMIT 1`);
    this.#nextScheduled = prepareLater(db, "SELECT * FROM dialnexa_batches WHERE sandbox_id = ? AND status = 'scheduled' ORDER BY ready_at, rowid LIMIT 1");
    this.#armedOthers = prepareLater(db, 'SELECT * FROM dialnexa_batches WHERE sandbox_id = ? AND armed = 1 AND id <> ?');
    this.#overdueToWaiting = prepareLater(
      db,
      "UPDATE dialnexa_batches SET status = 'waiting', updated_at = @at WHERE sandbox_id = @sandbox AND status = 'scheduled' AND armed = 0 AND starts_at <= @at",
    );
    this.#ahead = prepareLater(db, `SELECT * FROM dialnexa_batches WHERE sandbox_id = ? AND status IN ('running', 'waiting', 'scheduled')
      ORDER BY CASE status WHEN 'running' THEN 0 WHEN 'waiting' THEN 1 ELSE 2 END, ready_at, rowid`);
    this.#markHandedOver = prepareLater(db, 'UPDATE dialnexa_batches SET handed_over = 1 WHERE sandbox_id = ? AND id = ?');
    this.#takeHandedOver = prepareLater(db, 'UPDATE dialnexa_batches SET handed_over = 0 WHERE sandbox_id = ? AND handed_over = 1');
    this.#list = prepareLater(db, `SELECT * FROM dialnexa_batches WHERE sandbox_id = @sandbox AND ${shown} ORDER BY created_at DESC, rowid DESC ${sqlLimit('@limit')} OFFSET @offset`);
    this.#count = prepareLater(db, `SELECT count(*) FROM dialnexa_batches WHERE sandbox_id = ? AND ${shown}`).pluck();
    const byStatus = 'sandbox_id = @sandbox AND status IN (SELECT value FROM json_each(@statuses))';
    this.#listByStatus = prepareLater(db, `SELECT * FROM dialnexa_batches WHERE ${byStatus} ORDER BY created_at DESC, rowid DESC ${sqlLimit('@limit')} OFFSET @offset`);
    this.#countByStatus = prepareLater(db, `SELECT count(*) FROM dialnexa_batches WHERE ${byStatus}`).pluck();

    this.#insertCall = prepareLater(db, `INSERT INTO dialnexa_batch_calls
      (sandbox_id, id, batch_id, recipient_id, depth, agent_id, agent_version_number, from_number, to_number, status, created_at)
      VALUES (@sandbox_id, @id, @batch_id, @recipient_id, @depth, @agent_id, @agent_version_number, @from_number, @to_number, 'created', @created_at)`);
    this.#countCalls = prepareLater(db, 'SELECT count(*) FROM dialnexa_batch_calls WHERE sandbox_id = ? AND batch_id = ? AND status = ?').pluck();
    this.#cancelWaitingCalls = prepareLater(db, "UPDATE dialnexa_batch_calls SET status = 'cancelled' WHERE sandbox_id = ? AND batch_id = ? AND status = 'created'");
    this.#expireWaitingCalls = prepareLater(
      db,
      "UPDATE dialnexa_batch_calls SET status = CASE depth WHEN 0 THEN 'cancelled' ELSE 'retry_expired' END WHERE sandbox_id = ? AND batch_id = ? AND status = 'created'",
    );
    this.#startCall = prepareLater(db, `UPDATE dialnexa_batch_calls SET status = 'initiated', started_at = @at
      WHERE sandbox_id = @sandbox AND recipient_id = @recipient AND depth = @depth AND status = 'created'`);
    this.#endCall = prepareLater(db, `UPDATE dialnexa_batch_calls SET status = @status, duration_seconds = @duration_seconds, sentiment = @sentiment, end_reason = @end_reason
      WHERE sandbox_id = @sandbox_id AND recipient_id = @recipient_id AND depth = @depth RETURNING *`);
  }

  /** Inserts a batch and the first call log of each recipient, in one transaction. */
  insertBatch(batch: NewBatch, calls: readonly NewBatchCall[]): void {
    this.db.transaction(() => {
      this.#insertBatch.run(batch);
      this.insertCalls(calls);
    })();
  }

  /**
   * Starts a batch whose calls are written in slices (`insertCalls`), hidden until `setStatus`
   * gives it its real status in the last slice.
   */
  insertImportingBatch(batch: NewBatch): void {
    this.#insertBatch.run({ ...batch, status: IMPORTING });
  }

  /** Call logs of a batch being written, in the caller's transaction. */
  insertCalls(calls: readonly NewBatchCall[]): void {
    for (const call of calls) this.#insertCall.run(call);
  }

  /**
   * Takes back at most `limit` call logs of a batch cut short while it was being written, and the
   * batch itself once they are all gone; answers the ids of the calls removed. A batch that was
   * finished is never touched.
   */
  deleteImportingBatch(sandboxId: number, id: string, limit: number): string[] {
    if (this.#importing.get(sandboxId, id) === 0) return [];
    const removed = this.#deleteImportedCalls.all(sandboxId, id, limit).map((call) => call.id);
    if (removed.length < limit) this.#deleteImportingBatch.run(sandboxId, id);
    return removed;
  }

  getBatch(sandboxId: number, id: string): BatchRow | undefined {
    return this.#getBatch.get(sandboxId, id);
  }

  /** Whether any organization has a batch of this id: nothing else about it is read. */
  existsAnywhere(id: string): boolean {
    return (this.#existsAnywhere.get(id) as number) > 0;
  }

  setStatus(sandboxId: number, id: string, status: BatchStatus, at: string): void {
    this.#setStatus.run({ sandbox: sandboxId, id, status, armed: 0, at });
  }

  setArmed(sandboxId: number, id: string, armed: boolean): void {
    this.#setArmed.run({ sandbox: sandboxId, id, armed: armed ? 1 : 0 });
  }

  /** The batch that has the organization's turn, if any. */
  running(sandboxId: number): BatchRow | undefined {
    return this.#running.get(sandboxId);
  }

  /** The batch next in line: waiting, or scheduled and due, the earliest ready first. */
  nextReady(sandboxId: number, at: string): BatchRow | undefined {
    return this.#nextReady.get({ sandbox: sandboxId, at });
  }

  /** The scheduled batch that starts first. */
  nextScheduled(sandboxId: number): BatchRow | undefined {
    return this.#nextScheduled.get(sandboxId);
  }

  /** Armed batches other than `keep`. */
  armedOthers(sandboxId: number, keep: string): BatchRow[] {
    return this.#armedOthers.all(sandboxId, keep);
  }

  /** Scheduled batches held behind another whose start has come are waiting. */
  markOverdueWaiting(sandboxId: number, at: string): void {
    this.#overdueToWaiting.run({ sandbox: sandboxId, at });
  }

  /** The batches ahead of a new one: running, waiting (in turn) and scheduled (by start). */
  ahead(sandboxId: number): BatchRow[] {
    return this.#ahead.all(sandboxId);
  }

  markHandedOver(sandboxId: number, id: string): void {
    this.#markHandedOver.run(sandboxId, id);
  }

  /** Whether a dialer run handed a batch the turn since the last call; clears the marks. */
  takeHandedOver(sandboxId: number): boolean {
    return this.#takeHandedOver.run(sandboxId).changes > 0;
  }

  /** One page of the organization's batches, newest first, and how many match. */
  listBatches(sandboxId: number, statuses: readonly string[] | undefined, limit: number, offset: number): { rows: BatchRow[]; total: number } {
    if (statuses === undefined) {
      return { rows: this.#list.all({ sandbox: sandboxId, limit, offset }), total: this.#count.get(sandboxId) as number };
    }
    const filter = { sandbox: sandboxId, statuses: JSON.stringify(statuses) };
    return { rows: this.#listByStatus.all({ ...filter, limit, offset }), total: this.#countByStatus.get(filter) as number };
  }

  insertCall(call: NewBatchCall): void {
    this.#insertCall.run(call);
  }

  countCalls(sandboxId: number, batchId: string, status: BatchCallStatus): number {
    return this.#countCalls.get(sandboxId, batchId, status) as number;
  }

  /** Marks the call logs still waiting to be dialed `cancelled`; returns how many. */
  cancelWaitingCalls(sandboxId: number, batchId: string): number {
    return this.#cancelWaitingCalls.run(sandboxId, batchId).changes;
  }

  /** A batch that ended with calls never placed: first calls are `cancelled`, retries `retry_expired` ("Batch call retries and statuses"). */
  expireWaitingCalls(sandboxId: number, batchId: string): void {
    this.#expireWaitingCalls.run(sandboxId, batchId);
  }

  startCall(sandboxId: number, recipientId: string, depth: number, at: string): void {
    this.#startCall.run({ sandbox: sandboxId, recipient: recipientId, depth, at });
  }

  /** Writes a call's outcome; returns its log. */
  endCall(call: EndedBatchCall): BatchCallRow | undefined {
    return this.#endCall.get(call);
  }

  /** One page of a batch's call logs and how many match the filter. */
  listCalls(sandboxId: number, batchId: string, filter: BatchCallFilter): { rows: BatchCallRow[]; total: number } {
    const conditions = ['sandbox_id = @sandboxId', 'batch_id = @batchId'];
    const values: Record<string, unknown> = { sandboxId, batchId };
    const add = (condition: string, name: string, value: unknown) => {
      if (value === undefined) return;
      conditions.push(condition);
      values[name] = Array.isArray(value) ? JSON.stringify(value) : value;
    };
    const inList = (column: string, name: string) => `${column} IN (SELECT value FROM json_each(@${name}))`;
    add(inList('agent_id', 'agentIds'), 'agentIds', filter.agentIds);
    add(inList('id', 'callIds'), 'callIds', filter.callIds);
    add(inList('batch_id', 'batchIds'), 'batchIds', filter.batchIds);
    add('from_number = @from', 'from', filter.from);
    add('to_number = @to', 'to', filter.to);
    // Every batch call is an outbound phone call.
    add(`'phone' IN (SELECT value FROM json_each(@types))`, 'types', filter.types);
    add(`'outbound' IN (SELECT value FROM json_each(@directions))`, 'directions', filter.directions);
    add(inList('CAST(agent_version_number AS TEXT)', 'versions'), 'versions', filter.versions);
    add(inList('sentiment', 'sentiments'), 'sentiments', filter.sentiments);
    add('created_at >= @createdFrom', 'createdFrom', filter.createdFrom);
    add('created_at < @createdBefore', 'createdBefore', filter.createdBefore);
    add('duration_seconds * 1000 > @durationAbove', 'durationAbove', filter.durationAbove);
    add('duration_seconds * 1000 < @durationBelow', 'durationBelow', filter.durationBelow);
    add('duration_seconds * 1000 >= @durationMin', 'durationMin', filter.durationMin);
    add('duration_seconds * 1000 <= @durationMax', 'durationMax', filter.durationMax);
    add(inList('status', 'statuses'), 'statuses', filter.statuses);
    add(inList('end_reason', 'endReasons'), 'endReasons', filter.endReasons);
    const where = conditions.join(' AND ');
    const { createdAt, duration } = filter.order;
    const direction = (order: 'asc' | 'desc') => (order === 'asc' ? 'ASC' : 'DESC');
    const keys = [
      ...(createdAt ? [`created_at ${direction(createdAt)}`] : []),
      ...(duration ? [`duration_seconds ${direction(duration)}`] : []),
      ...(createdAt || duration ? [] : ['created_at DESC']),
      `rowid ${direction(createdAt ?? 'desc')}`,
    ].join(', ');
    const cacheKey = `${where}|${keys}`;
    let queries = this.#callQueries.get(cacheKey);
    if (!queries) {
      queries = {
        page: this.db.prepare(`SELECT * FROM dialnexa_batch_calls WHERE ${where} ORDER BY ${keys} ${sqlLimit('@limit')} OFFSET @offset`),
        count: this.db.prepare(`SELECT count(*) FROM dialnexa_batch_calls WHERE ${where}`).pluck(),
      };
      this.#callQueries.set(cacheKey, queries);
    }
    return {
      rows: queries.page.all({ ...values, limit: filter.limit, offset: filter.offset }) as BatchCallRow[],
      total: queries.count.get(values) as number,
    };
  }
}
