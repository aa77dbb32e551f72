import type { Database, Statement } from 'better-sqlite3';
import { RowReader, sqlLimit } from '../../store/rows.js';
import { prepareLater } from '../../store/deferred.js';

export type CampaignStatus = 'draft' | 'active' | 'running' | 'paused' | 'completed' | 'cancelled';
export type LeadStatus = 'pending' | 'in_progress' | 'completed' | 'failed' | 'removed';

export interface CampaignRow {
  sandbox_id: number;
  id: string;
  name: string;
  agent_id: string;
  from_phone_number: string;
  status: CampaignStatus;
  max_concurrent_calls: number;
  scheduled_at: string | null;
  max_retries: number;
  retry_interval_minutes: number;
  total_leads: number;
  completed_calls: number;
  pending_calls: number;
  created_at: string;
  updated_at: string;
}

export type NewCampaign = Omit<CampaignRow, 'total_leads' | 'completed_calls' | 'pending_calls'>;

export interface LeadRow {
  sandbox_id: number;
  id: string;
  campaign_id: string;
  name: string | null;
  phone_number: string;
  status: LeadStatus;
  /** JSON object of the lead's variables. */
  variables: string;
  call_log_id: string | null;
  created_at: string;
}

export interface CallLogRow {
  sandbox_id: number;
  id: string;
  campaign_id: string | null;
  lead_id: string | null;
  call_id: string;
  agent_id: string;
  status: string;
  sentiment: string | null;
  duration_seconds: number | null;
  recording_url: string | null;
  /** JSON object, or null. */
  analysis: string | null;
  end_reason: string | null;
  fallback_stt_transcriber_id: string | null;
  created_at: string;
}

export interface WebhookRow {
  sandbox_id: number;
  id: string;
  url: string;
  /** JSON array of event names. */
  events: string;
  secret: string | null;
  is_active: number;
  created_at: string;
}

/** The columns a call log's page shows ("List call logs"): each value read costs, and a page reads dozens. */
const LISTED_CALL_LOG_COLUMNS = ['id', 'call_id', 'agent_id', 'status', 'sentiment', 'duration_seconds', 'recording_url', 'analysis', 'created_at', 'end_reason', 'fallback_stt_transcriber_id'] as const;
export type ListedCallLog = Pick<CallLogRow, (typeof LISTED_CALL_LOG_COLUMNS)[number]>;

/** The filters of "List call logs": a condition each, on a value taken from the filter. */
const CALL_LOG_FILTERS: ReadonlyArray<{ name: string; condition: string; value: (filter: CallLogFilter) => unknown }> = [
  { name: 'campaignId', condition: 'campaign_id = @campaignId', value: (f) => f.campaignId },
  { name: 'agentId', condition: 'agent_id = @agentId', value: (f) => f.agentId },
  { name: 'status', condition: 'status = @status', value: (f) => f.status },
  { name: 'sentiment', condition: 'sentiment = @sentiment', value: (f) => f.sentiment },
  { name: 'startDate', condition: 'created_at >= @startDate', value: (f) => f.startDate && `${f.startDate}T00:00:00.000Z` },
  { name: 'endDate', condition: 'created_at < @endDate', value: (f) => f.endDate && nextDay(f.endDate) },
  { name: 'durationMin', condition: 'duration_seconds >= @durationMin', value: (f) => f.durationMin },
  { name: 'durationMax', condition: 'duration_seconds <= @durationMax', value: (f) => f.durationMax },
];

interface CallLogQueries {
  page: RowReader<[Record<string, unknown>], ListedCallLog>;
  count: Statement;
}

/** The outcome of a lead's latest call, as the dialer writes it. */
export type EndedCall = Pick<CallLogRow, 'sandbox_id' | 'status' | 'sentiment' | 'duration_seconds' | 'recording_url' | 'analysis' | 'end_reason'> & { lead_id: string };

/** Filters of `GET /v1/call-logs`; all optional. Dates are whole UTC days, both inclusive. */
export interface CallLogFilter {
  campaignId?: string;
  agentId?: string;
  status?: string;
  sentiment?: string;
  startDate?: string;
  endDate?: string;
  durationMin?: number;
  durationMax?: number;
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
}

/**
 * DialNexa's tables, behind statements prepared once. Every query is scoped by sandbox: no
 * statement here can read or change another sandbox's rows.
 */
export class DialnexaStore {
  readonly #insertCampaign: Statement<[NewCampaign]>;
  readonly #getCampaign: RowReader<[number, string], CampaignRow>;
  readonly #updateCampaign: Statement<CampaignRow>;
  readonly #campaignHasCalls: Statement<[number, string], { found: number }>;
  readonly #insertLead: Statement<[LeadRow, number | null]>;
  readonly #getLead: Statement<[number, string], LeadRow>;
  readonly #setLeadStatus: Statement<[LeadStatus, number, string]>;
  readonly #insertCallLog: Statement<CallLogRow>;
  readonly #insertWebhook: Statement<WebhookRow>;
  readonly #setCampaignStatus: Statement<[CampaignStatus, string, number, string]>;
  readonly #startCall: Statement<{ sandbox: number; log: string; campaign: string; lead: string; call: string; at: string }>;
  readonly #leadCalled: Statement<[string, number, string]>;
  readonly #leadCallEnded: Statement<[LeadStatus, number, string]>;
  readonly #endCall: Statement<EndedCall, CallLogRow>;
  readonly #activateCampaign: Statement<[string, number, string]>;
  readonly #webhooksFor: Statement<[number, string], WebhookRow>;
  readonly #sandboxKey: Statement<[number], { api_key: string }>;
  readonly #leadsToDial: Statement<[number, string], Pick<LeadRow, 'id' | 'phone_number'>>;
  readonly #importedLeads: Statement<[number, string, number, number], Pick<LeadRow, 'id' | 'status'>>;
  readonly #deleteLead: Statement<[number, string]>;
  readonly #countLeadsIn: Statement<[number, number, number, string]>;
  readonly #countLeadsOut: Statement<{ sandbox: number; campaign: string; total: number; completed: number; pending: number }>;
  readonly #callLogQueries = new Map<number, CallLogQueries>();

  constructor(private readonly db: Database) {
    this.#insertCampaign = prepareLater(db, `INSERT INTO dialnexa_campaigns
      (sandbox_id, id, name, agent_id, from_phone_number, status, max_concurrent_calls, scheduled_at, max_retries, retry_interval_minutes, created_at, updated_at)
      VALUES (@sandbox_id, @id, @name, @agent_id, @from_phone_number, @status, @max_concurrent_calls, @scheduled_at, @max_retries, @retry_interval_minutes, @created_at, @updated_at)`);
    this.#getCampaign = new RowReader(db, 'SELECT * FROM dialnexa_campaigns WHERE sandbox_id = ? AND id = ?');
    this.#updateCampaign = prepareLater(db, `UPDATE dialnexa_campaigns SET
      name = @name, agent_id = @agent_id, from_phone_number = @from_phone_number, status = @status,
      max_concurrent_calls = @max_concurrent_calls, scheduled_at = @scheduled_at, max_retries = @max_retries,
      retry_interval_minutes = @retry_interval_minutes, updated_at = @updated_at
      WHERE sandbox_id = @sandbox_id AND id = @id`);
    this.#campaignHasCalls = prepareLater(db, 'SELECT 1 AS found FROM dialnexa_call_logs WHERE sandbox_id = ? AND campaign_id = ? LIMIT 1');
    this.#insertLead = prepareLater(db, `INSERT INTO dialnexa_leads
      (sandbox_id, id, campaign_id, name, phone_number, status, variables, call_log_id, created_at, import_id)
      VALUES (@sandbox_id, @id, @campaign_id, @name, @phone_number, @status, @variables, @call_log_id, @created_at, ?)`);
    this.#importedLeads = prepareLater(db, `SELECT id, status FROM dialnexa_leads WHERE sandbox_id = ? AND campaign_id = ? AND import_id = ? ${sqlLimit('?')}`);
    this.#deleteLead = prepareLater(db, 'DELETE FROM dialnexa_leads WHERE sandbox_id = ? AND id = ?');
    this.#countLeadsIn = prepareLater(db, 'UPDATE dialnexa_campaigns SET total_leads = total_leads + ?, pending_calls = pending_calls + ? WHERE sandbox_id = ? AND id = ?');
    // Leads are deleted only here and with their campaign, so the counters have no DELETE trigger.
    this.#countLeadsOut = prepareLater(db, `UPDATE dialnexa_campaigns SET total_leads = total_leads - @total,
      completed_calls = completed_calls - @completed, pending_calls = pending_calls - @pending
      WHERE sandbox_id = @sandbox AND id = @campaign`);
    this.#getLead = prepareLater(db, 'SELECT * FROM dialnexa_leads WHERE sandbox_id = ? AND id = ?');
    this.#setLeadStatus = prepareLater(db, 'UPDATE dialnexa_leads SET status = ? WHERE sandbox_id = ? AND id = ?');
    this.#insertCallLog = prepareLater(db, `INSERT INTO dialnexa_call_logs
      (sandbox_id, id, campaign_id, lead_id, call_id, agent_id, status, sentiment, duration_seconds, recording_url, analysis, end_reason, fallback_stt_transcriber_id, created_at)
      VALUES (@sandbox_id, @id, @campaign_id, @lead_id, @call_id, @agent_id, @status, @sentiment, @duration_seconds, @recording_url, @analysis, @end_reason, @fallback_stt_transcriber_id, @created_at)`);
    this.#setCampaignStatus = prepareLater(db, 'UPDATE dialnexa_campaigns SET status = ?, updated_at = ? WHERE sandbox_id = ? AND id = ?');
    // The dialer's writes: one statement each, as they run for every call of every campaign.
    this.#startCall = prepareLater(db, `INSERT INTO dialnexa_call_logs (sandbox_id, id, campaign_id, lead_id, call_id, agent_id, status, created_at)
      SELECT @sandbox, @log, @campaign, @lead, @call, agent_id, 'initiated', @at FROM dialnexa_campaigns WHERE sandbox_id = @sandbox AND id = @campaign`);
    this.#leadCalled = prepareLater(
      db,
      "UPDATE dialnexa_leads SET call_log_id = ?, status = CASE status WHEN 'removed' THEN status ELSE 'in_progress' END WHERE sandbox_id = ? AND id = ?",
    );
    this.#leadCallEnded = prepareLater(db, "UPDATE dialnexa_leads SET status = CASE status WHEN 'removed' THEN status ELSE ? END WHERE sandbox_id = ? AND id = ?");
    this.#endCall = prepareLater(db, `UPDATE dialnexa_call_logs SET status = @status, sentiment = @sentiment, duration_seconds = @duration_seconds,
      recording_url = @recording_url, analysis = @analysis, end_reason = @end_reason
      WHERE sandbox_id = @sandbox_id AND id = (SELECT call_log_id FROM dialnexa_leads WHERE sandbox_id = @sandbox_id AND id = @lead_id) RETURNING *`);
    this.#activateCampaign = prepareLater(db, "UPDATE dialnexa_campaigns SET status = 'running', updated_at = ? WHERE sandbox_id = ? AND id = ? AND status = 'active'");
    this.#webhooksFor = prepareLater(
      db,
      'SELECT * FROM dialnexa_webhooks WHERE sandbox_id = ? AND is_active = 1 AND EXISTS (SELECT 1 FROM json_each(events) WHERE value = ?) ORDER BY rowid',
    );
    this.#sandboxKey = prepareLater(db, 'SELECT api_key FROM sandboxes WHERE id = ?');
    this.#leadsToDial = prepareLater(db, "SELECT id, phone_number FROM dialnexa_leads WHERE sandbox_id = ? AND campaign_id = ? AND status IN ('pending', 'in_progress') ORDER BY created_at, rowid");
    this.#insertWebhook = prepareLater(db, `INSERT INTO dialnexa_webhooks (sandbox_id, id, url, events, secret, is_active, created_at)
      VALUES (@sandbox_id, @id, @url, @events, @secret, @is_active, @created_at)`);
  }

  /**
   * Writes a new campaign and returns its row, not read back: the columns left out start at their
   * defaults, no leads and no calls (RETURNING cost 3.4 µs a create, a third of the insert). The
   * row is built field by field in the table's column order, as getCampaign's rows are: made by
   * spreading the campaign, an object of another shape, a create took about 5 µs longer in all.
   */
  insertCampaign(c: NewCampaign): CampaignRow {
    this.#insertCampaign.run(c);
    return {
      sandbox_id: c.sandbox_id,
      id: c.id,
      name: c.name,
      agent_id: c.agent_id,
      from_phone_number: c.from_phone_number,
      status: c.status,
      max_concurrent_calls: c.max_concurrent_calls,
      scheduled_at: c.scheduled_at,
      max_retries: c.max_retries,
      retry_interval_minutes: c.retry_interval_minutes,
      total_leads: 0,
      completed_calls: 0,
      pending_calls: 0,
      created_at: c.created_at,
      updated_at: c.updated_at,
    };
  }

  getCampaign(sandboxId: number, id: string): CampaignRow | undefined {
    return this.#getCampaign.get(sandboxId, id);
  }

  /**
   * Writes a campaign row read before in the same transaction, with its changes. The row is
   * returned as given, not read back: the update sets its columns from it, and the others are the
   * ones it was read with (reading back, or RETURNING, cost 3 to 5 µs a request).
   */
  updateCampaign(campaign: CampaignRow): CampaignRow {
    this.#updateCampaign.run(campaign);
    return campaign;
  }

  /** Whether any call was placed for the campaign: a call log exists for it. */
  campaignHasCalls(sandboxId: number, campaignId: string): boolean {
    return this.#campaignHasCalls.get(sandboxId, campaignId) !== undefined;
  }

  insertLead(lead: LeadRow): LeadRow {
    this.#insertLead.run(lead, null);
    return lead;
  }

  /** Inserts many leads in one transaction: all of them, or none; an upload's carry its import's id. */
  insertLeads(leads: readonly LeadRow[], importId: number | null = null): void {
    if (!this.db.inTransaction) return void this.db.transaction(() => this.insertLeads(leads, importId))();
    for (const lead of leads) this.#insertLead.run(lead, importId);
    // An import's leads, all pending, are counted here at once (the insert trigger skips them).
    if (importId !== null) this.#countLeadsIn.run(leads.length, leads.length, leads[0]?.sandbox_id ?? 0, leads[0]?.campaign_id ?? '');
  }

  /**
   * Deletes at most `limit` leads an import wrote and takes them out of the campaign's counters;
   * answers the ids of those it deleted (their dialer contacts are the caller's to delete).
   */
  deleteImportedLeads(sandboxId: number, campaignId: string, importId: number, limit: number): string[] {
    const leads = this.#importedLeads.all(sandboxId, campaignId, importId, limit);
    const counted = { sandbox: sandboxId, campaign: campaignId, total: 0, completed: 0, pending: 0 };
    for (const lead of leads) {
      this.#deleteLead.run(sandboxId, lead.id);
      if (lead.status !== 'removed') counted.total++;
      if (lead.status === 'completed' || lead.status === 'failed') counted.completed++;
      if (lead.status === 'pending' || lead.status === 'in_progress') counted.pending++;
    }
    if (leads.length > 0) this.#countLeadsOut.run(counted);
    return leads.map((lead) => lead.id);
  }

  getLead(sandboxId: number, id: string): LeadRow | undefined {
    return this.#getLead.get(sandboxId, id);
  }

  setLeadStatus(sandboxId: number, id: string, status: LeadStatus): void {
    this.#setLeadStatus.run(status, sandboxId, id);
  }

  insertCallLog(log: CallLogRow): void {
    this.#insertCallLog.run(log);
  }

  setCampaignStatus(sandboxId: number, id: string, status: CampaignStatus, at: string): void {
    this.#setCampaignStatus.run(status, at, sandboxId, id);
  }

  /** A call to a lead starts: its log (`initiated`, the campaign's agent) and the lead in progress, unless removed. */
  startCall(sandboxId: number, campaignId: string, leadId: string, ids: { log: string; call: string }, at: string): void {
    this.#startCall.run({ sandbox: sandboxId, log: ids.log, campaign: campaignId, lead: leadId, call: ids.call, at });
    this.#leadCalled.run(ids.log, sandboxId, leadId);
  }

  /** A lead's call ends: its latest log gets the outcome, the lead its status (unless removed). Returns the log. */
  endCall(call: EndedCall, leadStatus: LeadStatus): CallLogRow | undefined {
    this.#leadCallEnded.run(leadStatus, call.sandbox_id, call.lead_id);
    return this.#endCall.get(call);
  }

  /** A scheduled (active) campaign becomes running. */
  activateCampaign(sandboxId: number, id: string, at: string): void {
    this.#activateCampaign.run(at, sandboxId, id);
  }

  /** The API key of a sandbox (what its organization id derives from). */
  sandboxKey(sandboxId: number): string | undefined {
    return this.#sandboxKey.get(sandboxId)?.api_key;
  }

  /** The sandbox's active webhooks that subscribe to an event. */
  webhooksFor(sandboxId: number, event: string): WebhookRow[] {
    return this.#webhooksFor.all(sandboxId, event);
  }

  /** A campaign's leads still to be called, oldest first. */
  leadsToDial(sandboxId: number, campaignId: string): Array<Pick<LeadRow, 'id' | 'phone_number'>> {
    return this.#leadsToDial.all(sandboxId, campaignId);
  }

  insertWebhook(webhook: WebhookRow): void {
    this.#insertWebhook.run(webhook);
  }

  /** One page of call logs and the total that match the filter. */
  listCallLogs(sandboxId: number, filter: CallLogFilter): { rows: ListedCallLog[]; total: number } {
    // Both statements read the values they name and pass over the others.
    const values: Record<string, unknown> = { sandboxId, limit: filter.limit, offset: filter.offset };
    // The filters given, as bits: a query is prepared once for each combination asked for.
    let given = filter.order === 'asc' ? 1 : 0;
    CALL_LOG_FILTERS.forEach(({ name, value }, i) => {
      const v = value(filter);
      if (v === undefined) return;
      values[name] = v;
      given |= 2 << i;
    });
    const queries = this.#callLogQueries.get(given) ?? this.#prepareCallLogQueries(given);
    return { rows: queries.page.all(values), total: queries.count.get(values) as number };
  }

  #prepareCallLogQueries(given: number): CallLogQueries {
    const where = ['sandbox_id = @sandboxId', ...CALL_LOG_FILTERS.filter((_, i) => given & (2 << i)).map((f) => f.condition)].join(' AND ');
    const direction = given & 1 ? 'ASC' : 'DESC';
    const queries: CallLogQueries = {
      page: new RowReader(this.db, `SELECT ${LISTED_CALL_LOG_COLUMNS.join(', ')} FROM dialnexa_call_logs WHERE ${where} ORDER BY created_at ${direction}, rowid ${direction} ${sqlLimit('@limit')} OFFSET @offset`),
      count: this.db.prepare(`SELECT count(*) AS total FROM dialnexa_call_logs WHERE ${where}`).pluck(),
    };
    this.#callLogQueries.set(given, queries);
    return queries;
  }
}

function nextDay(date: string): string {
  const day = new Date(`${date}T00:00:00.000Z`);
  day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString();
}
