import type { Database, Statement } from 'better-sqlite3';
import { sqlLimit } from '../../store/rows.js';
import { prepareLater } from '../../store/deferred.js';

export type CampaignState = 'draft' | 'running' | 'paused' | 'completed' | 'failed';

/** A campaign as stored; settings are JSON text (see settings.ts). */
export interface CampaignRecord {
  sandbox_id: number;
  id: number;
  name: string;
  workflow_id: number;
  workflow_name: string;
  state: CampaignState;
  source_type: string;
  source_id: string;
  total_rows: number | null;
  processed_rows: number;
  failed_rows: number;
  retry_config: string;
  max_concurrency: number | null;
  schedule_config: string | null;
  circuit_breaker: string | null;
  parent_campaign_id: number | null;
  redialed_campaign_id: number | null;
  telephony_configuration_id: number | null;
  telephony_configuration_name: string | null;
  rate_limit_per_second: number;
  source_sync_status: 'pending' | 'completed';
  source_last_synced_at: string | null;
  source_sync_error: string | null;
  /** JSON array of log entries. */
  logs: string;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  updated_at: string;
}

/** A campaign as read, with its queue counters. */
export interface CampaignRow extends CampaignRecord {
  /** Queued contacts already called. */
  executed_count: number;
  total_queued_count: number;
}

/** A new campaign: its id is allocated in the sandbox's own sequence. */
export type NewCampaign = Omit<CampaignRecord, 'id'>;

/** Dograh's queued run states the mock uses: waiting to be called, or called (Dograh's campaign runner). */
export type QueuedRunState = 'queued' | 'processed';

/** A contact waiting to be called (Dograh's queued run). */
export interface QueuedRun {
  source_uuid: string;
  phone_number: string;
  /** JSON object: the contact's CSV row. */
  context_variables: string;
}

export interface RunRow {
  sandbox_id: number;
  id: number;
  campaign_id: number;
  source_uuid: string;
  /** JSON object. */
  initial_context: string;
  /** The telephony status the call ended with: completed, busy, no-answer, failed, … */
  call_status: string;
  /** JSON array of Dograh call tags (`voicemail_detected`, `telephony_busy`, …). */
  call_tags: string;
  disposition: string | null;
  duration_seconds: number | null;
  is_completed: number;
  created_at: string;
}

export type NewRun = Omit<RunRow, 'id'>;

/** A run as the dialer reads a contact's calls back. */
export type ContactRun = Pick<RunRow, 'id' | 'call_status' | 'call_tags' | 'is_completed'>;

/** How a call ended, as its run records it. */
export type RunEnding = Pick<RunRow, 'call_status' | 'call_tags' | 'disposition' | 'duration_seconds'>;

/** A contact as the dialer takes it: its queued run's key and number. */
export type DialContact = Pick<QueuedRun, 'source_uuid' | 'phone_number'>;

/** An entry of a campaign's `logs` (Dograh's "Create Campaign" page). */
export interface LogEntry {
  ts: string;
  level: string;
  event: string;
  message: string;
  details?: Record<string, unknown>;
}

/** A failed call the circuit breaker remembers (Dograh's recent-failures entry, Dograh's campaign runner). */
export interface BreakerFailure {
  run_id: number;
  reason: string;
  at_ms: number;
}

export interface UploadRow {
  sandbox_id: number;
  file_key: string;
  content_type: string;
  max_size: number;
  content: Buffer | null;
  uploaded_at: string | null;
}

/** One condition of a runs query; a list of them is ANDed. `never` matches no run. */
export type RunCondition =
  | { field: 'created_at'; op: '>=' | '<='; value: string }
  | { field: 'duration_seconds'; op: '>=' | '<='; value: number }
  | { field: 'disposition'; op: 'in'; value: string[] }
  | { field: 'is_completed'; op: '='; value: 0 | 1 }
  | { field: 'never' };

export interface RunQuery {
  conditions: RunCondition[];
  sortBy: 'created_at' | 'duration_seconds';
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
}

const CAMPAIGN_COLUMNS = [
  'name', 'workflow_id', 'workflow_name', 'state', 'source_type', 'source_id', 'total_rows', 'processed_rows', 'failed_rows',
  'retry_config', 'max_concurrency', 'schedule_config', 'circuit_breaker', 'parent_campaign_id', 'redialed_campaign_id',
  'telephony_configuration_id', 'telephony_configuration_name', 'rate_limit_per_second', 'source_sync_status',
  'source_last_synced_at', 'source_sync_error', 'logs', 'created_at', 'started_at', 'completed_at', 'updated_at',
] as const;

const SELECT_CAMPAIGN = `SELECT c.*,
  (SELECT count(*) FROM asisso_queued_runs q WHERE q.sandbox_id = c.sandbox_id AND q.campaign_id = c.id) AS total_queued_count,
  (SELECT count(*) FROM asisso_queued_runs q WHERE q.sandbox_id = c.sandbox_id AND q.campaign_id = c.id AND q.state = 'processed') AS executed_count
  FROM asisso_campaigns c`;

/**
 * Asisso's tables, behind statements prepared once. Every query is scoped by sandbox; ids are
 * integers allocated per sandbox, so each API key sees its own campaigns from 1.
 */
export class AsissoStore {
  readonly #insertCampaign: Statement<NewCampaign, { id: number }>;
  readonly #insertCampaignWithId: Statement<CampaignRecord>;
  readonly #getCampaign: Statement<[number, number], CampaignRow>;
  readonly #listCampaigns: Statement<[number], CampaignRow>;
  readonly #updateCampaign: Statement<CampaignRecord>;
  readonly #insertQueuedRun: Statement<QueuedRun & { sandbox_id: number; campaign_id: number; state: QueuedRunState }>;
  readonly #hasWorkflows: Statement<[number], { found: number }>;
  readonly #workflowName: Statement<[number, number], { name: string }>;
  readonly #insertWorkflow: Statement<[number, number, string]>;
  readonly #insertUpload: Statement<Omit<UploadRow, 'content' | 'uploaded_at'>>;
  readonly #getUpload: Statement<[number, string], UploadRow>;
  readonly #reportRuns: Statement<{ sandboxId: number; campaignId: number; from: string | null; to: string | null }, RunRow>;
  readonly #storeUpload: Statement<[Buffer, string, number, string]>;
  readonly #insertRun: Statement<NewRun, { id: number }>;
  readonly #countFailedCalls: Statement<[number, number], { total: number }>;
  readonly #redialCandidates: Statement<{ sandboxId: number; campaignId: number; tags: string }, QueuedRun>;
  readonly #runQueries = new Map<string, { page: Statement; count: Statement }>();
  readonly #queuedContacts: Statement<[number, number], DialContact>;
  readonly #queuedRefs: Statement<[number, number, number], string>;
  readonly #campaignState: Statement<[number, number], CampaignState>;
  readonly #deleteQueuedRun: Statement<[number, number, string]>;
  readonly #dialSettings: Statement<[number, number], Pick<CampaignRecord, 'retry_config' | 'circuit_breaker'>>;
  readonly #insertCallRun: Statement<{ sandbox_id: number; campaign_id: number; source_uuid: string; call_tags: string; created_at: string }>;
  readonly #markCalled: Statement<[number, number, string]>;
  readonly #addToCounters: Statement<{ sandbox_id: number; id: number; processed: number; failed: number; at: string }>;
  readonly #contactRuns: Statement<[number, number, string], ContactRun>;
  readonly #endRun: Statement<RunEnding & { sandbox_id: number; id: number }>;
  readonly #completeCampaign: Statement<[string, string, number, number]>;
  readonly #tripCampaign: Statement<[string, string, number, number]>;
  readonly #recordBreakerFailure: Statement<[number, number, number, string, number, number, number]>;
  readonly #breakerFailures: Statement<[number, number], BreakerFailure>;
  readonly #clearBreakerFailures: Statement<[number, number]>;
  readonly #pruneBreakerFailures: Statement<[number, number, number, number, number]>;

  constructor(private readonly db: Database) {
    const columns = CAMPAIGN_COLUMNS.join(', ');
    this.#insertCampaign = prepareLater(db, `INSERT INTO asisso_campaigns (sandbox_id, id, ${columns})
      VALUES (@sandbox_id, (SELECT coalesce(max(id), 0) + 1 FROM asisso_campaigns WHERE sandbox_id = @sandbox_id), ${CAMPAIGN_COLUMNS.map((c) => `@${c}`).join(', ')})
      RETURNING id`);
    this.#insertCampaignWithId = prepareLater(db, `INSERT INTO asisso_campaigns (sandbox_id, id, ${columns})
      VALUES (@sandbox_id, @id, ${CAMPAIGN_COLUMNS.map((c) => `@${c}`).join(', ')})`);
    this.#getCampaign = prepareLater(db, `${SELECT_CAMPAIGN} WHERE c.sandbox_id = ? AND c.id = ?`);
    this.#listCampaigns = prepareLater(db, `${SELECT_CAMPAIGN} WHERE c.sandbox_id = ? ORDER BY c.id DESC`);
    this.#updateCampaign = prepareLater(db, `UPDATE asisso_campaigns SET ${CAMPAIGN_COLUMNS.map((c) => `${c} = @${c}`).join(', ')}
      WHERE sandbox_id = @sandbox_id AND id = @id`);
    this.#insertQueuedRun = prepareLater(db, `INSERT INTO asisso_queued_runs (sandbox_id, campaign_id, source_uuid, phone_number, context_variables, state)
      VALUES (@sandbox_id, @campaign_id, @source_uuid, @phone_number, @context_variables, @state)`);
    this.#hasWorkflows = prepareLater(db, 'SELECT 1 AS found FROM asisso_workflows WHERE sandbox_id = ? LIMIT 1');
    this.#workflowName = prepareLater(db, 'SELECT name FROM asisso_workflows WHERE sandbox_id = ? AND id = ?');
    this.#insertWorkflow = prepareLater(db, 'INSERT INTO asisso_workflows (sandbox_id, id, name) VALUES (?, ?, ?)');
    this.#insertUpload = prepareLater(db, `INSERT INTO asisso_uploads (sandbox_id, file_key, content_type, max_size)
      VALUES (@sandbox_id, @file_key, @content_type, @max_size)`);
    this.#getUpload = prepareLater(db, 'SELECT * FROM asisso_uploads WHERE sandbox_id = ? AND file_key = ?');
    this.#reportRuns = prepareLater(db, `SELECT * FROM asisso_runs
      WHERE sandbox_id = @sandboxId AND campaign_id = @campaignId AND is_completed = 1 AND duration_seconds IS NOT NULL
        AND (@from IS NULL OR created_at >= @from) AND (@to IS NULL OR created_at <= @to)
      ORDER BY created_at DESC, id DESC`);
    this.#storeUpload = prepareLater(db, 'UPDATE asisso_uploads SET content = ?, uploaded_at = ? WHERE sandbox_id = ? AND file_key = ?');
    this.#insertRun = prepareLater(db, `INSERT INTO asisso_runs
      (sandbox_id, id, campaign_id, source_uuid, initial_context, call_status, call_tags, disposition, duration_seconds, is_completed, created_at)
      VALUES (@sandbox_id, (SELECT coalesce(max(id), 0) + 1 FROM asisso_runs WHERE sandbox_id = @sandbox_id), @campaign_id, @source_uuid,
        @initial_context, @call_status, @call_tags, @disposition, @duration_seconds, @is_completed, @created_at)
      RETURNING id`);
    // Dograh's campaign runner counts a call as failed when its last telephony status is failed, busy or no-answer.
    this.#countFailedCalls = prepareLater(db, `SELECT count(*) AS total FROM asisso_runs
      WHERE sandbox_id = ? AND campaign_id = ? AND call_status IN ('failed', 'busy', 'no-answer')`);
    // Dograh's code: a contact is redialed when the latest call placed for it carries one of the selected tags.
    this.#redialCandidates = prepareLater(db, `SELECT q.source_uuid, q.phone_number, q.context_variables
      FROM asisso_queued_runs q
      JOIN asisso_runs r ON r.id = (
        SELECT latest.id FROM asisso_runs latest
        WHERE latest.sandbox_id = q.sandbox_id AND latest.campaign_id = q.campaign_id AND latest.source_uuid = q.source_uuid
        ORDER BY latest.created_at DESC, latest.id DESC LIMIT 1
      ) AND r.sandbox_id = q.sandbox_id
      WHERE q.sandbox_id = @sandboxId AND q.campaign_id = @campaignId
        AND EXISTS (SELECT 1 FROM json_each(r.call_tags) tag WHERE tag.value IN (SELECT value FROM json_each(@tags)))
      ORDER BY q.rowid`);

    // The dialer's statements: each call is a few indexed reads and writes, however large the campaign.
    this.#queuedContacts = prepareLater(db, 'SELECT source_uuid, phone_number FROM asisso_queued_runs WHERE sandbox_id = ? AND campaign_id = ? ORDER BY rowid');
    this.#campaignState = prepareLater<[number, number], CampaignState>(db, 'SELECT state FROM asisso_campaigns WHERE sandbox_id = ? AND id = ?').pluck();
    this.#queuedRefs = prepareLater<[number, number, number], string>(db, `SELECT source_uuid FROM asisso_queued_runs WHERE sandbox_id = ? AND campaign_id = ? ${sqlLimit('?')}`).pluck();
    this.#deleteQueuedRun = prepareLater(db, 'DELETE FROM asisso_queued_runs WHERE sandbox_id = ? AND campaign_id = ? AND source_uuid = ?');
    this.#dialSettings = prepareLater(db, 'SELECT retry_config, circuit_breaker FROM asisso_campaigns WHERE sandbox_id = ? AND id = ?');
    this.#insertCallRun = prepareLater(db, `INSERT INTO asisso_runs
      (sandbox_id, id, campaign_id, source_uuid, initial_context, call_status, call_tags, disposition, duration_seconds, is_completed, created_at)
      SELECT q.sandbox_id, (SELECT coalesce(max(id), 0) + 1 FROM asisso_runs WHERE sandbox_id = @sandbox_id), q.campaign_id, q.source_uuid,
        q.context_variables, 'initiated', @call_tags, NULL, NULL, 0, @created_at
      FROM asisso_queued_runs q WHERE q.sandbox_id = @sandbox_id AND q.campaign_id = @campaign_id AND q.source_uuid = @source_uuid`);
    this.#markCalled = prepareLater(db, "UPDATE asisso_queued_runs SET state = 'processed' WHERE sandbox_id = ? AND campaign_id = ? AND source_uuid = ? AND state = 'queued'");
    this.#addToCounters = prepareLater(db, `UPDATE asisso_campaigns SET processed_rows = processed_rows + @processed, failed_rows = failed_rows + @failed, updated_at = @at
      WHERE sandbox_id = @sandbox_id AND id = @id`);
    this.#contactRuns = prepareLater(db, `SELECT id, call_status, call_tags, is_completed FROM asisso_runs
      WHERE sandbox_id = ? AND campaign_id = ? AND source_uuid = ? ORDER BY created_at, id`);
    this.#endRun = prepareLater(db, `UPDATE asisso_runs SET call_status = @call_status, call_tags = @call_tags, disposition = @disposition,
      duration_seconds = @duration_seconds, is_completed = 1 WHERE sandbox_id = @sandbox_id AND id = @id`);
    // Dograh completes only a running campaign (Dograh's campaign runner); the simulation also completes one paused while its last calls end.
    this.#completeCampaign = prepareLater(db, `UPDATE asisso_campaigns SET state = 'completed', completed_at = ?, updated_at = ?
      WHERE sandbox_id = ? AND id = ? AND state IN ('running', 'paused')`);
    this.#tripCampaign = prepareLater(db, `UPDATE asisso_campaigns SET state = 'paused', logs = json_insert(logs, '$[#]', json(?)), updated_at = ?
      WHERE sandbox_id = ? AND id = ? AND state = 'running'`);
    // Dograh's campaign runner `record_and_evaluate`: a failure is remembered only while the campaign runs.
    this.#recordBreakerFailure = prepareLater(db, `INSERT INTO asisso_breaker_failures (sandbox_id, campaign_id, run_id, reason, at_ms)
      SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM asisso_campaigns WHERE sandbox_id = ? AND id = ? AND state = 'running')`);
    this.#breakerFailures = prepareLater(db, `SELECT run_id, reason, at_ms FROM asisso_breaker_failures
      WHERE sandbox_id = ? AND campaign_id = ? ORDER BY at_ms DESC, rowid DESC`);
    this.#clearBreakerFailures = prepareLater(db, 'DELETE FROM asisso_breaker_failures WHERE sandbox_id = ? AND campaign_id = ?');
    this.#pruneBreakerFailures = prepareLater(db, `DELETE FROM asisso_breaker_failures WHERE sandbox_id = ? AND campaign_id = ? AND rowid NOT IN (
      SELECT rowid FROM asisso_breaker_failures WHERE sandbox_id = ? AND campaign_id = ? ORDER BY at_ms DESC, rowid DESC ${sqlLimit('?')})`);
  }

  insertCampaign(campaign: NewCampaign): CampaignRow {
    const { id } = this.#insertCampaign.get(campaign) as { id: number };
    return this.getCampaign(campaign.sandbox_id, id) as CampaignRow;
  }

  /**
   * Writes a campaign under the id it already has (seed data). Later campaigns still take the
   * next id after the sandbox's highest, so they follow it. An id in use fails the insert.
   */
  insertCampaignWithId(campaign: CampaignRecord): void {
    this.#insertCampaignWithId.run(campaign);
  }

  getCampaign(sandboxId: number, id: number): CampaignRow | undefined {
    return this.#getCampaign.get(sandboxId, id);
  }

  /** A campaign's state alone: cheap where `getCampaign` counts its runs and queue. */
  campaignState(sandboxId: number, id: number): CampaignState | undefined {
    return this.#campaignState.get(sandboxId, id);
  }

  /** Every campaign of the sandbox, newest first. */
  listCampaigns(sandboxId: number): CampaignRow[] {
    return this.#listCampaigns.all(sandboxId);
  }

  /** The newest campaign of the sandbox, if any. */
  latestCampaign(sandboxId: number): CampaignRow | undefined {
    return this.#listCampaigns.get(sandboxId);
  }

  /**
   * The runs a campaign report lists (Dograh's `get_completed_runs_for_report`): completed, with
   * a call duration, created within the bounds (ISO times in UTC, as stored), newest first.
   */
  reportRuns(sandboxId: number, campaignId: number, from: string | null, to: string | null): RunRow[] {
    return this.#reportRuns.all({ sandboxId, campaignId, from, to });
  }

  updateCampaign(campaign: CampaignRecord): CampaignRow {
    this.#updateCampaign.run(recordOf(campaign));
    return this.getCampaign(campaign.sandbox_id, campaign.id) as CampaignRow;
  }

  /** Saves a started campaign and queues its contacts, all or nothing. */
  startCampaign(campaign: CampaignRecord, contacts: readonly QueuedRun[]): CampaignRow {
    this.db.transaction(() => {
      this.#updateCampaign.run(recordOf(campaign));
      this.#queue(campaign.sandbox_id, campaign.id, contacts);
    })();
    return this.getCampaign(campaign.sandbox_id, campaign.id) as CampaignRow;
  }

  /** Creates a redial campaign with its contacts and links its parent to it, all or nothing. */
  createRedial(child: NewCampaign, parentId: number, contacts: readonly QueuedRun[], now: string): CampaignRow {
    const id = this.db.transaction(() => {
      const { id: childId } = this.#insertCampaign.get(child) as { id: number };
      this.#queue(child.sandbox_id, childId, contacts);
      const parent = this.getCampaign(child.sandbox_id, parentId) as CampaignRow;
      this.#updateCampaign.run(recordOf({ ...parent, redialed_campaign_id: childId, updated_at: now }));
      return childId;
    })();
    return this.getCampaign(child.sandbox_id, id) as CampaignRow;
  }

  #queue(sandboxId: number, campaignId: number, contacts: readonly QueuedRun[]): void {
    this.queueContacts(sandboxId, campaignId, contacts.map((contact) => ({ ...contact, state: 'queued' })));
  }

  /** Queues a slice of a starting campaign's contacts (a big source is queued in slices), in the caller's transaction. */
  queueSlice(sandboxId: number, campaignId: number, contacts: readonly QueuedRun[]): void {
    this.#queue(sandboxId, campaignId, contacts);
  }

  /**
   * Takes at most `limit` contacts out of a campaign's queue (a start cut short); answers their
   * `source_uuid`s (their dialer contacts are the caller's to delete).
   */
  unqueueContacts(sandboxId: number, campaignId: number, limit: number): string[] {
    const refs = this.#queuedRefs.all(sandboxId, campaignId, limit);
    for (const ref of refs) this.#deleteQueuedRun.run(sandboxId, campaignId, ref);
    return refs;
  }

  /** Queues contacts for a campaign, in order, each in the state given (seed data: some already called). */
  queueContacts(sandboxId: number, campaignId: number, contacts: ReadonlyArray<QueuedRun & { state: QueuedRunState }>): void {
    for (const contact of contacts) this.#insertQueuedRun.run({ sandbox_id: sandboxId, campaign_id: campaignId, ...contact });
  }

  /**
   * The name of a workflow a campaign may use: the listed one when the sandbox lists its
   * workflows (fixtures), `undefined` if it is not listed; otherwise any positive id, named
   * after itself.
   */
  workflowName(sandboxId: number, workflowId: number): string | undefined {
    if (this.#hasWorkflows.get(sandboxId) === undefined) return workflowId > 0 ? `Workflow ${workflowId}` : undefined;
    return this.#workflowName.get(sandboxId, workflowId)?.name;
  }

  insertWorkflow(sandboxId: number, id: number, name: string): void {
    this.#insertWorkflow.run(sandboxId, id, name);
  }

  insertUpload(upload: Omit<UploadRow, 'content' | 'uploaded_at'>): void {
    this.#insertUpload.run(upload);
  }

  getUpload(sandboxId: number, fileKey: string): UploadRow | undefined {
    return this.#getUpload.get(sandboxId, fileKey);
  }

  storeUpload(sandboxId: number, fileKey: string, content: Buffer, uploadedAt: string): void {
    this.#storeUpload.run(content, uploadedAt, sandboxId, fileKey);
  }

  insertRun(run: NewRun): RunRow {
    const { id } = this.#insertRun.get(run) as { id: number };
    return { ...run, id };
  }

  countFailedCalls(sandboxId: number, campaignId: number): number {
    return (this.#countFailedCalls.get(sandboxId, campaignId) as { total: number }).total;
  }

  /** The contacts of a campaign whose latest call carries one of `tags`, in queue order. */
  redialCandidates(sandboxId: number, campaignId: number, tags: readonly string[]): QueuedRun[] {
    return this.#redialCandidates.all({ sandboxId, campaignId, tags: JSON.stringify(tags) });
  }

  /** Every contact queued for a campaign, in queue order. */
  queuedContacts(sandboxId: number, campaignId: number): DialContact[] {
    return this.#queuedContacts.all(sandboxId, campaignId);
  }

  /** The settings the dialer's effects read: retries and circuit breaker (JSON text). */
  dialSettings(sandboxId: number, campaignId: number): Pick<CampaignRecord, 'retry_config' | 'circuit_breaker'> | undefined {
    return this.#dialSettings.get(sandboxId, campaignId);
  }

  /**
   * A call placed for a queued contact: its run, in progress, with the contact's CSV row; the
   * contact's first call also marks its queued run processed and counts it in `processed_rows`
   * (Dograh's campaign runner `process_batch`).
   */
  startCall(sandboxId: number, campaignId: number, sourceUuid: string, callTags: readonly string[], at: string): void {
    this.#insertCallRun.run({ sandbox_id: sandboxId, campaign_id: campaignId, source_uuid: sourceUuid, call_tags: JSON.stringify(callTags), created_at: at });
    if (this.#markCalled.run(sandboxId, campaignId, sourceUuid).changes > 0) this.addToCounters(sandboxId, campaignId, { processed: 1, failed: 0 }, at);
  }

  /** A contact's runs in a campaign, in the order placed. */
  contactRuns(sandboxId: number, campaignId: number, sourceUuid: string): ContactRun[] {
    return this.#contactRuns.all(sandboxId, campaignId, sourceUuid);
  }

  endRun(sandboxId: number, runId: number, ending: RunEnding): void {
    this.#endRun.run({ sandbox_id: sandboxId, id: runId, ...ending });
  }

  addToCounters(sandboxId: number, campaignId: number, change: { processed: number; failed: number }, at: string): void {
    if (change.processed === 0 && change.failed === 0) return;
    this.#addToCounters.run({ sandbox_id: sandboxId, id: campaignId, ...change, at });
  }

  /** A running or paused campaign whose contacts are all done is `completed`. */
  completeCampaign(sandboxId: number, campaignId: number, at: string): void {
    this.#completeCampaign.run(at, at, sandboxId, campaignId);
  }

  /** A running campaign paused by its circuit breaker, with the entry that says why. */
  tripCampaign(sandboxId: number, campaignId: number, entry: LogEntry, at: string): void {
    this.#tripCampaign.run(JSON.stringify(entry), at, sandboxId, campaignId);
  }

  /** Remembers a failed call of a running campaign, keeping only the `keep` latest. */
  recordBreakerFailure(sandboxId: number, campaignId: number, failure: BreakerFailure, keep: number): void {
    if (this.#recordBreakerFailure.run(sandboxId, campaignId, failure.run_id, failure.reason, failure.at_ms, sandboxId, campaignId).changes === 0) return;
    this.#pruneBreakerFailures.run(sandboxId, campaignId, sandboxId, campaignId, keep);
  }

  /** The failures a campaign's breaker remembers, newest first. */
  breakerFailures(sandboxId: number, campaignId: number): BreakerFailure[] {
    return this.#breakerFailures.all(sandboxId, campaignId);
  }

  clearBreakerFailures(sandboxId: number, campaignId: number): void {
    this.#clearBreakerFailures.run(sandboxId, campaignId);
  }

  /** One page of a campaign's runs that meet every condition, and how many meet them. */
  listRuns(sandboxId: number, campaignId: number, query: RunQuery): { rows: RunRow[]; total: number } {
    const values: Record<string, unknown> = { sandboxId, campaignId };
    const where = ['sandbox_id = @sandboxId', 'campaign_id = @campaignId'];
    query.conditions.forEach((condition, index) => {
      const name = `c${index}`;
      if (condition.field === 'never') {
        where.push('0');
      } else if (condition.op === 'in') {
        where.push(`${condition.field} IN (SELECT value FROM json_each(@${name}))`);
        values[name] = JSON.stringify(condition.value);
      } else {
        where.push(`${condition.field} ${condition.op} @${name}`);
        values[name] = condition.value;
      }
    });
    const direction = query.order === 'asc' ? 'ASC' : 'DESC';
    const order = `${query.sortBy} IS NULL, ${query.sortBy} ${direction}, id ${direction}`;
    const filter = where.join(' AND ');
    const cacheKey = `${filter}|${order}`;
    let statements = this.#runQueries.get(cacheKey);
    if (!statements) {
      statements = {
        page: this.db.prepare(`SELECT * FROM asisso_runs WHERE ${filter} ORDER BY ${order} ${sqlLimit('@limit')} OFFSET @offset`),
        count: this.db.prepare(`SELECT count(*) FROM asisso_runs WHERE ${filter}`).pluck(),
      };
      this.#runQueries.set(cacheKey, statements);
    }
    return {
      rows: statements.page.all({ ...values, limit: query.limit, offset: query.offset }) as RunRow[],
      total: statements.count.get(values) as number,
    };
  }
}

/** The stored columns of a campaign read with its counters. */
function recordOf(campaign: CampaignRecord): CampaignRecord {
  const { executed_count: _executed, total_queued_count: _total, ...record } = campaign as CampaignRow;
  return record;
}
