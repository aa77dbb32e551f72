import { ReplyError, type Reply } from '../../../engine/reply.js';
import type { AnyHandler, PreparedHandler, RequestContext, VendorEnvironment } from '../../../engine/vendor.js';
import { orderedId, randomId } from '../../../store/ids.js';
import { WRITTEN_AT_ONCE } from '../../../store/imports.js';
import { sendEvent } from '../dialer.js';
import { badRequest, dialnexaErrors, notFound, payloadTooLarge } from '../errors.js';
import { MAX_UPLOAD_BYTES, readLeads } from '../leads-file.js';
import { batchPolicy } from '../batch-calls/dialer.js';
import { presentBatchCall, presentBatchSummary, type PresentedBatchCall } from '../batch-calls/present.js';
import { VENDOR, type BatchQueue } from '../batch-calls/queue.js';
import { ACTION_MESSAGES, assertActionAllowed, BATCH_RETRIES, readyStatus, type BatchAction } from '../batch-calls/rules.js';
import type { BatchCallFilter, BatchRow, BatchStore, NewBatch, NewBatchCall } from '../batch-calls/store.js';
import type { DialnexaStore } from '../store.js';
import { assertDestinationsEnabled, resolveAgentVersion, workspaceOf } from '../workspace.js';

interface CreateBatchCallBody {
  title: string;
  agent_id: string;
  agent_version_number?: number;
  starts_at?: string;
  ends_at?: string;
  calling_hours_start?: string;
  calling_hours_end?: string;
}

/** What a batch's create has checked and read before it writes. */
interface ReadBatch {
  schedule: Schedule;
  agent: { version: number | null; fromNumber: string };
  /** The file's phone numbers, in E.164. */
  numbers: string[];
}

/** A create's prepare step: a batch read and waiting to be written, or a big one written already. */
type PreparedBatch = ReadBatch | { created: Reply };

const BATCH_IMPORT = 'dialnexa/batch-call';

interface ListQuery {
  page?: number;
  limit?: number;
  status?: string;
}

interface CallsQuery {
  agent_id?: string;
  call_id?: string;
  batch_call_id?: string;
  from?: string;
  to?: string;
  type?: string;
  call_direction?: string;
  agent_version_id?: string;
  sentiment?: string;
  start_date?: string;
  end_date?: string;
  duration_greater_than?: number;
  duration_less_than?: number;
  duration_min?: number;
  duration_max?: number;
  page?: number;
  limit?: number;
  created_at?: 'asc' | 'desc';
  duration?: 'asc' | 'desc';
  status?: string;
  export?: boolean;
  end_reason?: string;
  columns?: string;
}

/** the batch-calls OpenAPI does not say what a well-formed id is; see BatchCallId in the spec. */
const BATCH_ID_FORMAT = /^batch_[A-Za-z0-9]+$/;
/** "Batch call retries and statuses": the legacy `active` is a batch ready or scheduled but not dialing. */
const LEGACY_ACTIVE = ['waiting', 'scheduled'];
/** the batch-calls OpenAPI: "Omitting both transcript and summary raises the single-export limit from 5000 to 10000 rows." */
const EXPORT_LIMIT = { allColumns: 5000, withoutTranscriptAndSummary: 10_000 };
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d))?$/;
const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;

export interface BatchCallDependencies {
  store: BatchStore;
  queue: BatchQueue;
  /** DialNexa's own tables, for the user webhooks that batch events go to. */
  campaigns: DialnexaStore;
  environment: VendorEnvironment;
}

export function batchCallHandlers({ store, queue, campaigns, environment }: BatchCallDependencies): Record<string, AnyHandler> {
  const { simulator, webhooks, imports } = environment;

  /** The batch named in the path: a 400 for an id that cannot be one, 403 for another organization's, 404 for none. */
  const findBatch = (request: RequestContext): BatchRow => {
    const id = request.params.id as string;
    if (!BATCH_ID_FORMAT.test(id)) throw new ReplyError(badRequest('Invalid batch call ID format'));
    const batch = store.getBatch(request.sandbox.id, id);
    if (batch) return batch;
    // Every key is an organization: a batch made with another key belongs to another organization.
    throw new ReplyError(store.existsAnywhere(id) ? dialnexaErrors.forbidden() : notFound('Batch call not found'));
  };

  const catchUp = (request: RequestContext) => queue.catchUp(request.sandbox.id, request.now().getTime());

  /** A new batch's row and how its calls are built, once its recipients are checked. */
  const newBatch = (request: RequestContext, { schedule, agent, numbers }: ReadBatch) => {
    const body = request.body as CreateBatchCallBody;
    const workspace = workspaceOf(request.sandbox);
    if (numbers.length === 0) throw new ReplyError(badRequest('The uploaded file has no row with a phone_number'));
    assertDestinationsEnabled(workspace, numbers);
    const sandboxId = request.sandbox.id;
    const at = request.now();
    const id = randomId('batch_');
    const createdAt = at.toISOString();
    const batch: NewBatch = {
      sandbox_id: sandboxId,
      id,
      title: body.title,
      agent_id: body.agent_id,
      agent_version_number: agent.version,
      from_number: agent.fromNumber,
      status: readyStatus(schedule.startsAt, at),
      starts_at: schedule.startsAt,
      ends_at: schedule.endsAt,
      calling_hours_start: schedule.callingHoursStart,
      calling_hours_end: schedule.callingHoursEnd,
      concurrency: workspace.concurrencyLimit,
      number_of_retries: BATCH_RETRIES.count,
      retry_interval_minutes: BATCH_RETRIES.intervalMinutes,
      total_records: numbers.length,
      ready_at: schedule.startsAt ?? createdAt,
      created_at: createdAt,
      updated_at: createdAt,
    };
    const callRow = (number: string): NewBatchCall => {
      const callId = orderedId('call_');
      return {
        sandbox_id: sandboxId,
        id: callId,
        batch_id: id,
        recipient_id: callId,
        depth: 0,
        agent_id: body.agent_id,
        agent_version_number: agent.version,
        from_number: agent.fromNumber,
        to_number: number,
        created_at: createdAt,
      };
    };
    return { batch, callRow };
  };

  /** The organization's batches a new one will wait behind (the create's warning). */
  const batchesAhead = (batch: NewBatch): BatchRow[] => {
    const startsAt = Date.parse(batch.starts_at ?? batch.created_at);
    return store.ahead(batch.sandbox_id).filter((other) => other.status !== 'scheduled' || Date.parse(other.starts_at as string) <= startsAt);
  };

  /** Hands a batch's calls to the dialer, the batch held paused until its turn (see BatchQueue). */
  const simulateBatch = (batch: NewBatch, calls: readonly NewBatchCall[], slice: 'first' | 'next') => {
    const at = Date.parse(batch.created_at);
    if (slice === 'first') simulator.upsertCampaign(batch.sandbox_id, VENDOR, batch.id, batchPolicy(batch), 'paused', at);
    simulator.addContacts(batch.sandbox_id, VENDOR, batch.id, calls.map((call) => ({ ref: call.id, phone: call.to_number })), at);
  };

  /** A batch written whole joins the organization's queue at `at` (ms); the create's answer. */
  const reveal = (batch: NewBatch, ahead: readonly BatchRow[], at: number): Reply => {
    queue.rebalance(batch.sandbox_id, at);
    return {
      status: 201,
      body: {
        id: batch.id,
        title: batch.title,
        total_records: batch.total_records,
        status: 'initiated',
        from_number: batch.from_number,
        ...(ahead.length > 0 ? { warning: schedulingWarning(ahead) } : {}),
      },
    };
  };

  // A batch cut short while its calls were written: they leave the dialer, then the batch goes.
  imports.define(BATCH_IMPORT, (entry, limit) => {
    const removed = store.deleteImportingBatch(entry.sandbox_id, entry.ref, limit);
    simulator.deleteContacts(entry.sandbox_id, VENDOR, entry.ref, removed);
    if (removed.length < limit) simulator.deleteCampaign(entry.sandbox_id, VENDOR, entry.ref);
    return removed.length;
  });

  /**
   * Writes a big batch in slices: the batch row first, hidden (see BatchStore.insertImportingBatch),
   * then its calls and their dialer contacts; the last slice shows it and hands out the turn, in
   * the transaction that closes the import. A reset half-way takes it all (the engine answers 404).
   */
  const createInSlices = async (request: RequestContext, read: ReadBatch): Promise<Reply> => {
    const { batch, callRow } = newBatch(request, read);
    let written = 0;
    let reply: Reply | undefined;
    await imports.run({ sandbox: request.sandbox, kind: BATCH_IMPORT, ref: batch.id }, read.numbers, (numbers) => {
      if (written === 0) store.insertImportingBatch(batch);
      const calls = numbers.map(callRow);
      store.insertCalls(calls);
      simulateBatch(batch, calls, written === 0 ? 'first' : 'next');
      written += calls.length;
      if (written < read.numbers.length) return;
      // The sandbox's clock may have moved while the slices were written: the batch joins the queue now.
      const now = request.now().getTime();
      queue.catchUp(batch.sandbox_id, now);
      const ahead = batchesAhead(batch);
      store.setStatus(batch.sandbox_id, batch.id, batch.status, batch.updated_at);
      reply = reveal(batch, ahead, now);
    });
    return reply as Reply;
  };

  return {
    createBatchCall: {
      // The form's fields and the agent are checked before the file is read (an XLSX workbook is
      // unzipped, which waits; a big CSV is read a slice at a time). A batch of a few thousand
      // calls is written by the handler proper, in the request's transaction; a bigger one here,
      // in slices (see src/store/imports.ts), so other requests are answered meanwhile.
      async prepare(request): Promise<PreparedBatch> {
        const body = request.body as CreateBatchCallBody;
        const file = request.files.file;
        if (!file) throw new ReplyError(badRequest('file must be a file upload, not a text field'));
        if (file.size > MAX_UPLOAD_BYTES) throw new ReplyError(payloadTooLarge());
        const schedule = readSchedule(body, request.now());
        const workspace = workspaceOf(request.sandbox);
        const agent = resolveAgentVersion(workspace, body.agent_id, body.agent_version_number);
        const { leads: numbers } = await readLeads(file, (fields) => fields.phone_number);
        const read = { schedule, agent, numbers };
        return numbers.length <= WRITTEN_AT_ONCE ? read : { created: await createInSlices(request, read) };
      },
      handle(request, prepared) {
        if ('created' in prepared) return prepared.created;
        const { batch, callRow } = newBatch(request, prepared);
        catchUp(request);
        const ahead = batchesAhead(batch);
        const calls = prepared.numbers.map(callRow);
        store.insertBatch(batch, calls);
        simulateBatch(batch, calls, 'first');
        return reveal(batch, ahead, Date.parse(batch.created_at));
      },
    } satisfies PreparedHandler<PreparedBatch>,

    listBatchCalls(request) {
      catchUp(request);
      const query = request.query as ListQuery;
      const page = query.page ?? 1;
      const limit = query.limit ?? 20;
      const statuses = query.status === undefined ? undefined : [...new Set(query.status.split(',').flatMap((s) => (s === 'active' ? LEGACY_ACTIVE : [s])))];
      const { rows, total } = store.listBatches(request.sandbox.id, statuses, limit, (page - 1) * limit);
      return { status: 200, body: { items: rows.map(presentBatchSummary), total, page, limit } };
    },

    getBatchCall(request) {
      catchUp(request);
      const batch = findBatch(request);
      const query = request.query as CallsQuery;
      const filter = callFilter(query);
      if (query.export === true) {
        const columns = query.columns?.split(',').map((column) => column.trim());
        const cap = columns && !columns.includes('transcript') && !columns.includes('summary') ? EXPORT_LIMIT.withoutTranscriptAndSummary : EXPORT_LIMIT.allColumns;
        const { rows, total } = store.listCalls(request.sandbox.id, batch.id, { ...filter, limit: cap, offset: 0 });
        const callLogs = rows.map((row) => selectColumns(presentBatchCall(row), columns));
        return { status: 200, body: { callLogs, total, page: 1, limit: callLogs.length, totalPages: callLogs.length === 0 ? 0 : 1 } };
      }
      const page = query.page ?? 1;
      const limit = query.limit ?? 20;
      const { rows, total } = store.listCalls(request.sandbox.id, batch.id, { ...filter, limit, offset: (page - 1) * limit });
      return { status: 200, body: { callLogs: rows.map(presentBatchCall), total, page, limit, totalPages: Math.ceil(total / limit) } };
    },

    updateBatchCallStatus(request) {
      catchUp(request);
      const batch = findBatch(request);
      const action = (request.body as { action: BatchAction }).action;
      assertActionAllowed(batch.status, action);
      const sandboxId = request.sandbox.id;
      const now = request.now();
      const at = now.getTime();
      const waiting = store.countCalls(sandboxId, batch.id, 'created');
      const affectedCalls = { initiated: store.countCalls(sandboxId, batch.id, 'initiated'), queued: 0, removedFromQueue: 0, cancelledCallLogs: 0, resumedCallLogs: 0 };
      // Call logs are in the dialer's queue while the batch has the turn or waits for its start as the next.
      const inQueue = (row: BatchRow) => row.status === 'running' || row.armed === 1;
      const updated = (() => {
        if (action === 'pause') {
          store.setStatus(sandboxId, batch.id, 'paused', now.toISOString());
          simulator.setState(sandboxId, VENDOR, batch.id, 'paused', at);
          affectedCalls.removedFromQueue = inQueue(batch) ? waiting : 0;
        } else if (action === 'cancel') {
          store.setStatus(sandboxId, batch.id, 'cancelled', now.toISOString());
          simulator.setState(sandboxId, VENDOR, batch.id, 'stopped', at);
          affectedCalls.removedFromQueue = inQueue(batch) ? waiting : 0;
          affectedCalls.cancelledCallLogs = store.cancelWaitingCalls(sandboxId, batch.id);
        } else {
          store.setStatus(sandboxId, batch.id, readyStatus(batch.starts_at, now), now.toISOString());
          affectedCalls.resumedCallLogs = waiting;
        }
        queue.rebalance(sandboxId, at);
        const row = store.getBatch(sandboxId, batch.id) as BatchRow;
        if (action === 'resume') affectedCalls.queued = inQueue(row) ? waiting : 0;
        return row;
      })();
      if (action === 'pause') sendEvent(campaigns, webhooks, sandboxId, 'campaign.paused', at, presentBatchSummary(updated));
      return {
        status: 200,
        body: { success: true, message: ACTION_MESSAGES[action], campaign: { id: updated.id, status: updated.status, title: updated.title }, affectedCalls },
      };
    },
  };
}

interface Schedule {
  startsAt: string | null;
  endsAt: string | null;
  callingHoursStart: string | null;
  callingHoursEnd: string | null;
}

/**
 * The scheduling fields of a create (the batch-calls OpenAPI): `starts_at` empty or absent starts at once; times
 * canonical (ISO 8601 with milliseconds and Z). Every problem is reported at once, as NestJS does.
 */
function readSchedule(body: CreateBatchCallBody, now: Date): Schedule {
  const problems: string[] = [];
  const dateTime = (name: 'starts_at' | 'ends_at'): string | null => {
    const value = body[name]?.trim();
    if (!value) return null;
    const ms = isoMilliseconds(value);
    if (ms === undefined || !value.includes('T')) {
      problems.push(`${name} must be a valid ISO 8601 date string`);
      return null;
    }
    return new Date(ms).toISOString();
  };
  const timeOfDay = (name: 'calling_hours_start' | 'calling_hours_end'): string | null => {
    const value = body[name]?.trim();
    if (!value) return null;
    if (!TIME_OF_DAY.test(value)) {
      problems.push(`${name} must be a time of day as HH:MM`);
      return null;
    }
    return value;
  };
  const schedule = {
    startsAt: dateTime('starts_at'),
    endsAt: dateTime('ends_at'),
    callingHoursStart: timeOfDay('calling_hours_start'),
    callingHoursEnd: timeOfDay('calling_hours_end'),
  };
  const start = schedule.startsAt === null ? now.getTime() : Date.parse(schedule.startsAt);
  if (schedule.endsAt !== null && Date.parse(schedule.endsAt) <= start) problems.push('ends_at must be after starts_at and in the future');
  if (schedule.callingHoursStart !== null && schedule.callingHoursStart === schedule.callingHoursEnd) {
    problems.push('calling_hours_end must differ from calling_hours_start');
  }
  if (problems.length > 0) throw new ReplyError(badRequest(problems));
  return schedule;
}

/** the batch-calls OpenAPI's non-blocking warning: the batches ahead, counted by kind, and each of them. */
function schedulingWarning(ahead: readonly BatchRow[]) {
  const kinds = (['running', 'waiting', 'scheduled'] as const)
    .map((kind) => ({ kind, count: ahead.filter((batch) => batch.status === kind).length }))
    .filter(({ count }) => count > 0)
    .map(({ kind, count }) => `${count} ${kind} ${count === 1 ? 'batch' : 'batches'}`);
  const listed = kinds.length === 1 ? kinds[0] : `${kinds.slice(0, -1).join(', ')} and ${kinds[kinds.length - 1]}`;
  return {
    message: `This batch was created, but your organization already has ${listed} ahead of it. Batches run one at a time per organization, so this batch may be delayed.`,
    conflicts: ahead.map((batch) => ({
      kind: batch.status,
      batch_name: batch.title,
      processed_leads: batch.attempted_0,
      total_leads: batch.total_records,
      ...(batch.starts_at ? { starts_at: batch.starts_at } : {}),
    })),
  };
}

/** The filters of `GET /v1/batch-calls/{id}` (the batch-calls OpenAPI); see the spec for how each one reads. */
function callFilter(query: CallsQuery): Omit<BatchCallFilter, 'limit' | 'offset'> {
  const list = (value: string | undefined) => (value === undefined ? undefined : value.split(',').map((item) => item.trim()));
  // A `+` sent unencoded in a query string reads as a space: numbers compare by their digits.
  const number = (value: string | undefined) => (value === undefined ? undefined : `+${value.replace(/\D/g, '')}`);
  const problems: string[] = [];
  const createdFrom = dateBound('start_date', query.start_date, 'start', problems);
  const createdBefore = dateBound('end_date', query.end_date, 'end', problems);
  if (problems.length > 0) throw new ReplyError(badRequest(problems));
  return {
    agentIds: list(query.agent_id),
    callIds: list(query.call_id),
    batchIds: list(query.batch_call_id),
    from: number(query.from),
    to: number(query.to),
    types: list(query.type),
    directions: list(query.call_direction),
    versions: list(query.agent_version_id),
    sentiments: list(query.sentiment),
    createdFrom,
    createdBefore,
    durationAbove: query.duration_greater_than,
    durationBelow: query.duration_less_than,
    durationMin: query.duration_min,
    durationMax: query.duration_max,
    statuses: list(query.status),
    endReasons: list(query.end_reason),
    order: { createdAt: query.created_at, duration: query.duration },
  };
}

/**
 * A date filter as a bound on `createdAt`: a date is the whole UTC day (an end date includes
 * it); a date-time is exact and inclusive.
 */
function dateBound(name: string, value: string | undefined, side: 'start' | 'end', problems: string[]): string | undefined {
  if (value === undefined) return undefined;
  const ms = isoMilliseconds(value);
  if (ms === undefined) {
    problems.push(`${name} must be a valid ISO 8601 date string`);
    return undefined;
  }
  if (side === 'start') return new Date(ms).toISOString();
  return new Date(ms + (value.includes('T') ? 1 : 86_400_000)).toISOString();
}

/**
 * The instant an ISO 8601 date (`YYYY-MM-DD`, midnight UTC) or date-time with its offset stands
 * for, or undefined when it is not one; a date that does not exist (30 February) is not one.
 */
function isoMilliseconds(value: string): number | undefined {
  const match = ISO_8601.exec(value);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) return undefined;
  const ms = Date.parse(value.includes('T') ? value : `${value}T00:00:00.000Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** An export with `columns` returns only those fields of each call (unknown names are ignored). */
function selectColumns(call: PresentedBatchCall, columns: readonly string[] | undefined): Partial<PresentedBatchCall> {
  if (!columns) return call;
  return Object.fromEntries(Object.entries(call).filter(([key]) => columns.includes(key))) as Partial<PresentedBatchCall>;
}
