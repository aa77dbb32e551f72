import type { Database, Statement } from 'better-sqlite3';
import { sqlLimit } from '../../store/rows.js';
import { prepareLater } from '../../store/deferred.js';

export type CampaignStatus = 'scheduled' | 'active' | 'paused' | 'ended' | 'cancelled';
export type CohortStatus = 'completed' | 'failed';
export type CohortSource = 'file_upload' | 'url' | 'stream';
export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** Where a request acts: the key's sandbox, and the org and workspace of its path (Sarvam's API introduction). */
export interface Workspace {
  sandboxId: number;
  orgId: string;
  workspaceId: string;
}

export interface CampaignRow {
  sandbox_id: number;
  org_id: string;
  workspace_id: string;
  id: string;
  name: string;
  description: string | null;
  status: CampaignStatus;
  /** JSON of the app_config as stored (see app-config.ts). */
  app_config: string;
  /** JSON of the top-level webhook_config, or null. */
  webhook_config: string | null;
  start_timestamp: string;
  end_timestamp: string;
  /** JSON of the allowed_schedule. */
  allowed_schedule: string;
  created_by: string;
  updated_by: string;
  created_at: string;
  updated_at: string;
}

export type CampaignSortColumn = 'created_at' | 'updated_at' | 'name' | 'start_timestamp' | 'end_timestamp';

export interface CampaignListFilter {
  status?: CampaignStatus;
  search?: string;
  sortBy: CampaignSortColumn;
  sortOrder: 'asc' | 'desc';
  limit: number;
  offset: number;
}

export interface CohortRow {
  sandbox_id: number;
  org_id: string;
  workspace_id: string;
  id: string;
  campaign_id: string;
  name: string;
  status: CohortStatus;
  source_type: CohortSource;
  failure_reason: string | null;
  total_records: number;
  valid_records: number;
  rejected_records: number;
  created_by: string;
  updated_by: string;
  created_at: string;
  updated_at: string;
}

export interface CohortUserRow {
  sandbox_id: number;
  org_id: string;
  workspace_id: string;
  cohort_id: string;
  /** 0-based order of the user in the cohort. */
  position: number;
  phone_number: string;
  user_identifier: string | null;
  /** JSON object. */
  app_variables: string;
  /** JSON object, or null. */
  app_overrides: string | null;
}

export interface DeliveryRow {
  seq: number;
  sandbox_id: number;
  org_id: string;
  workspace_id: string;
  campaign_id: string;
  attempt_id: string;
  url: string;
  status: DeliveryStatus;
  response_status_code: number | null;
  error: string | null;
  delivery_attempts: number;
  /** JSON of the Sarvam's "Webhook payload" page payload. */
  payload: string;
  created_at: string;
  last_attempted_at: string | null;
  /** When the delivery was last handed to the webhook sender (sandbox clock); null if never. */
  queued_at: string | null;
}

/** How one hand-over to the webhook sender ended. */
export interface DeliveryOutcome {
  status: 'delivered' | 'failed';
  /** Tries the sender made (a refused host counts as one). */
  attempts: number;
  responseStatusCode: number | null;
  error: string | null;
}

export type NewDelivery = Omit<DeliveryRow, 'seq'>;

/** A page of deliveries: older than `after`, or newer than `before` (both `seq`), newest first. */
export interface DeliveryListFilter {
  after?: number;
  before?: number;
  startDatetime?: string;
  endDatetime?: string;
  limit: number;
}

const CAMPAIGN_FILTER = `sandbox_id = @sandboxId AND org_id = @orgId AND workspace_id = @workspaceId
  AND (@status IS NULL OR status = @status)
  AND (@search IS NULL OR name LIKE @search ESCAPE '\\')`;

const DELIVERY_FILTER = `sandbox_id = @sandboxId AND campaign_id = @campaignId
  AND (@start IS NULL OR created_at >= @start) AND (@end IS NULL OR created_at <= @end)`;

const SORT_COLUMNS: readonly CampaignSortColumn[] = ['created_at', 'updated_at', 'name', 'start_timestamp', 'end_timestamp'];

/**
 * Sarvam's tables, behind statements prepared once. Every statement is scoped by sandbox, and
 * every campaign lookup by org and workspace too: nothing here can reach another tenant's rows.
 */
export class SarvamStore {
  readonly #insertCampaign: Statement<CampaignRow>;
  readonly #getCampaign: Statement<[number, string, string, string], CampaignRow>;
  readonly #campaignById: Statement<[number, string], CampaignRow>;
  readonly #updateCampaign: Statement<CampaignRow>;
  readonly #endCampaign: Statement<{ sandboxId: number; id: string; at: string }>;
  readonly #startDueCampaigns: Statement<{ sandboxId: number; now: string }>;
  readonly #countLiveCampaigns: Statement<[number, string, string], { total: number }>;
  readonly #countCampaigns: Statement<Record<string, unknown>, { total: number }>;
  readonly #keptCampaignCount: Statement<Record<string, unknown>, { total: number }>;
  readonly #campaignPages = new Map<string, Statement<Record<string, unknown>, CampaignRow>>();
  readonly #insertCohort: Statement<CohortRow>;
  readonly #insertCohortUser: Statement<CohortUserRow>;
  readonly #cohortPositions: Statement<[number, string, number], number>;
  readonly #deleteCohortUser: Statement<[number, string, number]>;
  readonly #deleteCohort: Statement<[number, string]>;
  readonly #getCohort: Statement<[number, string, string, string, string], CohortRow>;
  readonly #listCohorts: Statement<[number, string, number, number], CohortRow>;
  readonly #countCohorts: Statement<[number, string], { total: number }>;
  readonly #cohortUsers: Statement<[number, string], CohortUserRow>;
  readonly #cohortUser: Statement<[number, string, number], CohortUserRow>;
  readonly #insertDelivery: Statement<NewDelivery>;
  readonly #deliveriesOlder: Statement<Record<string, unknown>, DeliveryRow>;
  readonly #deliveriesNewer: Statement<Record<string, unknown>, DeliveryRow>;
  readonly #deliveryOlderExists: Statement<Record<string, unknown>, { found: number }>;
  readonly #deliveryNewerExists: Statement<Record<string, unknown>, { found: number }>;
  readonly #requeueDelivery: Statement<[string, number, string, string], DeliveryRow>;
  readonly #recordDeliveryOutcome: Statement<Record<string, unknown>>;

  constructor(private readonly db: Database) {
    this.#insertCampaign = prepareLater(db, `INSERT INTO sarvam_campaigns
      (sandbox_id, org_id, workspace_id, id, name, description, status, app_config, webhook_config, start_timestamp, end_timestamp, allowed_schedule, created_by, updated_by, created_at, updated_at)
      VALUES (@sandbox_id, @org_id, @workspace_id, @id, @name, @description, @status, @app_config, @webhook_config, @start_timestamp, @end_timestamp, @allowed_schedule, @created_by, @updated_by, @created_at, @updated_at)`);
    this.#getCampaign = prepareLater(db, 'SELECT * FROM sarvam_campaigns WHERE sandbox_id = ? AND org_id = ? AND workspace_id = ? AND id = ?');
    this.#campaignById = prepareLater(db, 'SELECT * FROM sarvam_campaigns WHERE sandbox_id = ? AND id = ?');
    this.#updateCampaign = prepareLater(db, `UPDATE sarvam_campaigns SET
      name = @name, description = @description, status = @status, app_config = @app_config, webhook_config = @webhook_config,
      end_timestamp = @end_timestamp, allowed_schedule = @allowed_schedule, updated_by = @updated_by, updated_at = @updated_at
      WHERE sandbox_id = @sandbox_id AND id = @id`);
    // Timestamps are stored as toISOString() text, so text order is time order.
    this.#endCampaign = prepareLater(db, `UPDATE sarvam_campaigns SET status = 'ended', updated_at = max(updated_at, @at)
      WHERE sandbox_id = @sandboxId AND id = @id AND status IN ('scheduled', 'active')`);
    this.#startDueCampaigns = prepareLater(db, `UPDATE sarvam_campaigns SET status = 'active', updated_at = max(updated_at, start_timestamp)
      WHERE sandbox_id = @sandboxId AND status = 'scheduled' AND start_timestamp <= @now`);
    this.#countLiveCampaigns = prepareLater(db, `SELECT count(*) AS total FROM sarvam_campaigns
      WHERE sandbox_id = ? AND org_id = ? AND workspace_id = ? AND status IN ('scheduled', 'active')`);
    this.#countCampaigns = prepareLater(db, `SELECT count(*) AS total FROM sarvam_campaigns WHERE ${CAMPAIGN_FILTER}`);
    this.#keptCampaignCount = prepareLater(db, `SELECT coalesce(sum(total), 0) AS total FROM sarvam_campaign_counts
      WHERE sandbox_id = @sandboxId AND org_id = @orgId AND workspace_id = @workspaceId AND (@status IS NULL OR status = @status)`);
    this.#insertCohort = prepareLater(db, `INSERT INTO sarvam_cohorts
      (sandbox_id, org_id, workspace_id, id, campaign_id, name, status, source_type, failure_reason, total_records, valid_records, rejected_records, created_by, updated_by, created_at, updated_at)
      VALUES (@sandbox_id, @org_id, @workspace_id, @id, @campaign_id, @name, @status, @source_type, @failure_reason, @total_records, @valid_records, @rejected_records, @created_by, @updated_by, @created_at, @updated_at)`);
    this.#insertCohortUser = prepareLater(db, `INSERT INTO sarvam_cohort_users
      (sandbox_id, org_id, workspace_id, cohort_id, position, phone_number, user_identifier, app_variables, app_overrides)
      VALUES (@sandbox_id, @org_id, @workspace_id, @cohort_id, @position, @phone_number, @user_identifier, @app_variables, @app_overrides)`);
    this.#cohortPositions = prepareLater<[number, string, number], number>(db, `SELECT position FROM sarvam_cohort_users WHERE sandbox_id = ? AND cohort_id = ? ${sqlLimit('?')}`).pluck();
    this.#deleteCohortUser = prepareLater(db, 'DELETE FROM sarvam_cohort_users WHERE sandbox_id = ? AND cohort_id = ? AND position = ?');
    this.#deleteCohort = prepareLater(db, 'DELETE FROM sarvam_cohorts WHERE sandbox_id = ? AND id = ?');
    this.#getCohort = prepareLater(db, 'SELECT * FROM sarvam_cohorts WHERE sandbox_id = ? AND org_id = ? AND workspace_id = ? AND campaign_id = ? AND id = ?');
    this.#listCohorts = prepareLater(db, `SELECT * FROM sarvam_cohorts WHERE sandbox_id = ? AND campaign_id = ? ORDER BY created_at DESC, rowid DESC ${sqlLimit('?')} OFFSET ?`);
    this.#countCohorts = prepareLater(db, 'SELECT count(*) AS total FROM sarvam_cohorts WHERE sandbox_id = ? AND campaign_id = ?');
    this.#cohortUsers = prepareLater(db, 'SELECT * FROM sarvam_cohort_users WHERE sandbox_id = ? AND cohort_id = ? ORDER BY position');
    this.#cohortUser = prepareLater(db, 'SELECT * FROM sarvam_cohort_users WHERE sandbox_id = ? AND cohort_id = ? AND position = ?');
    this.#insertDelivery = prepareLater(db, `INSERT INTO sarvam_webhook_deliveries
      (sandbox_id, org_id, workspace_id, campaign_id, attempt_id, url, status, response_status_code, error, delivery_attempts, payload, created_at, last_attempted_at, queued_at)
      VALUES (@sandbox_id, @org_id, @workspace_id, @campaign_id, @attempt_id, @url, @status, @response_status_code, @error, @delivery_attempts, @payload, @created_at, @last_attempted_at, @queued_at)`);
    this.#deliveriesOlder = prepareLater(db, `SELECT * FROM sarvam_webhook_deliveries WHERE ${DELIVERY_FILTER} AND seq < @seq ORDER BY seq DESC ${sqlLimit('@limit')}`);
    this.#deliveriesNewer = prepareLater(db, `SELECT * FROM sarvam_webhook_deliveries WHERE ${DELIVERY_FILTER} AND seq > @seq ORDER BY seq ASC ${sqlLimit('@limit')}`);
    this.#deliveryOlderExists = prepareLater(db, `SELECT 1 AS found FROM sarvam_webhook_deliveries WHERE ${DELIVERY_FILTER} AND seq < @seq LIMIT 1`);
    this.#deliveryNewerExists = prepareLater(db, `SELECT 1 AS found FROM sarvam_webhook_deliveries WHERE ${DELIVERY_FILTER} AND seq > @seq LIMIT 1`);
    this.#requeueDelivery = prepareLater(db, `UPDATE sarvam_webhook_deliveries SET status = 'pending', queued_at = ?
      WHERE sandbox_id = ? AND campaign_id = ? AND attempt_id = ? AND status <> 'pending' RETURNING *`);
    this.#recordDeliveryOutcome = prepareLater(db, `UPDATE sarvam_webhook_deliveries SET status = @status, response_status_code = @responseStatusCode,
      error = @error, delivery_attempts = delivery_attempts + @attempts, last_attempted_at = queued_at
      WHERE sandbox_id = @sandboxId AND attempt_id = @attemptId AND status = 'pending'`);
  }

  insertCampaign(campaign: CampaignRow): CampaignRow {
    this.#insertCampaign.run(campaign);
    return campaign;
  }

  getCampaign(workspace: Workspace, id: string): CampaignRow | undefined {
    return this.#getCampaign.get(workspace.sandboxId, workspace.orgId, workspace.workspaceId, id);
  }

  /** A campaign by id alone, for the dialer simulation, which knows the sandbox but not the path. */
  campaignById(sandboxId: number, id: string): CampaignRow | undefined {
    return this.#campaignById.get(sandboxId, id);
  }

  updateCampaign(campaign: CampaignRow): CampaignRow {
    this.#updateCampaign.run(campaign);
    return campaign;
  }

  /**
   * `scheduled` becomes `active` once start_timestamp is reached (Sarvam's "Create Campaign" page), up to `now`. The end is
   * not here: the dialer simulation ends a campaign at end_timestamp (see dialer.ts), so each
   * change of status has one source.
   */
  startDueCampaigns(sandboxId: number, now: string): void {
    this.#startDueCampaigns.run({ sandboxId, now });
  }

  /** `scheduled` or `active` becomes `ended` (Sarvam's scheduling API "Update Campaign Status" page, at end_timestamp); other statuses stay. */
  endCampaign(sandboxId: number, id: string, at: string): void {
    this.#endCampaign.run({ sandboxId, id, at });
  }

  /** Campaigns of the workspace that count against the concurrency limit: active or scheduled (Sarvam's "Campaign lifecycle" page). */
  countLiveCampaigns(workspace: Workspace): number {
    return (this.#countLiveCampaigns.get(workspace.sandboxId, workspace.orgId, workspace.workspaceId) as { total: number }).total;
  }

  /** One page of the workspace's campaigns and the total that match the filter. */
  listCampaigns(workspace: Workspace, filter: CampaignListFilter): { rows: CampaignRow[]; total: number } {
    const values = {
      sandboxId: workspace.sandboxId,
      orgId: workspace.orgId,
      workspaceId: workspace.workspaceId,
      status: filter.status ?? null,
      search: filter.search === undefined ? null : `%${filter.search.replace(/[\\%_]/g, '\\$&')}%`,
    };
    return {
      rows: this.#campaignPage(filter.sortBy, filter.sortOrder).all({ ...values, limit: filter.limit, offset: filter.offset }),
      // Without a search, the total is the count the triggers of sarvam/004 keep.
      total: ((values.search === null ? this.#keptCampaignCount : this.#countCampaigns).get(values) as { total: number }).total,
    };
  }

  /** The page statement of one sort order, prepared the first time it is used. */
  #campaignPage(sortBy: CampaignSortColumn, sortOrder: 'asc' | 'desc'): Statement<Record<string, unknown>, CampaignRow> {
    // The column is written into the SQL, so only known columns get there (the spec's enum holds them too).
    if (!SORT_COLUMNS.includes(sortBy)) throw new Error(`campaign-mock: cannot sort Sarvam campaigns by ${String(sortBy)}`);
    const direction = sortOrder === 'asc' ? 'ASC' : 'DESC';
    const key = `${sortBy} ${direction}`;
    let statement = this.#campaignPages.get(key);
    if (!statement) {
      statement = this.db.prepare(`SELECT * FROM sarvam_campaigns WHERE ${CAMPAIGN_FILTER}
        ORDER BY ${sortBy} ${direction}, rowid ${direction} ${sqlLimit('@limit')} OFFSET @offset`);
      this.#campaignPages.set(key, statement);
    }
    return statement;
  }

  /** Inserts a cohort and its users in one transaction: all of them, or none. */
  insertCohort(cohort: CohortRow, users: readonly CohortUserRow[]): CohortRow {
    this.db.transaction(() => {
      this.#insertCohort.run(cohort);
      this.insertCohortUsers(users);
    })();
    return cohort;
  }

  /** Adds users to a cohort (a big cohort's are written in slices), in the caller's transaction. */
  insertCohortUsers(users: readonly CohortUserRow[]): void {
    for (const user of users) this.#insertCohortUser.run(user);
  }

  /**
   * Deletes at most `limit` users of a cohort; answers the positions of those it deleted (their
   * dialer contacts are the caller's to delete).
   */
  deleteCohortUsers(sandboxId: number, cohortId: string, limit: number): number[] {
    const positions = this.#cohortPositions.all(sandboxId, cohortId, limit);
    for (const position of positions) this.#deleteCohortUser.run(sandboxId, cohortId, position);
    return positions;
  }

  deleteCohort(sandboxId: number, cohortId: string): void {
    this.#deleteCohort.run(sandboxId, cohortId);
  }

  getCohort(workspace: Workspace, campaignId: string, id: string): CohortRow | undefined {
    return this.#getCohort.get(workspace.sandboxId, workspace.orgId, workspace.workspaceId, campaignId, id);
  }

  /** One page of a campaign's cohorts, newest first, and their total. */
  listCohorts(sandboxId: number, campaignId: string, limit: number, offset: number): { rows: CohortRow[]; total: number } {
    return {
      rows: this.#listCohorts.all(sandboxId, campaignId, limit, offset),
      total: (this.#countCohorts.get(sandboxId, campaignId) as { total: number }).total,
    };
  }

  /** A cohort's users in their order: who the dialer calls. */
  cohortUsers(sandboxId: number, cohortId: string): CohortUserRow[] {
    return this.#cohortUsers.all(sandboxId, cohortId);
  }

  cohortUser(sandboxId: number, cohortId: string, position: number): CohortUserRow | undefined {
    return this.#cohortUser.get(sandboxId, cohortId, position);
  }

  insertDelivery(delivery: NewDelivery): DeliveryRow {
    const { lastInsertRowid } = this.#insertDelivery.run(delivery);
    return { ...delivery, seq: Number(lastInsertRowid) };
  }

  /**
   * One page of a campaign's deliveries, newest first, and whether more lie beyond it on either
   * side (with the same filters).
   */
  listDeliveries(sandboxId: number, campaignId: string, filter: DeliveryListFilter): { rows: DeliveryRow[]; hasOlder: boolean; hasNewer: boolean } {
    const scope = { sandboxId, campaignId, start: filter.startDatetime ?? null, end: filter.endDatetime ?? null };
    const rows =
      filter.before === undefined
        ? this.#deliveriesOlder.all({ ...scope, seq: filter.after ?? Number.MAX_SAFE_INTEGER, limit: filter.limit })
        : this.#deliveriesNewer.all({ ...scope, seq: filter.before, limit: filter.limit }).reverse();
    const newest = rows[0];
    const oldest = rows[rows.length - 1];
    return {
      rows,
      hasOlder: oldest !== undefined && this.#deliveryOlderExists.get({ ...scope, seq: oldest.seq }) !== undefined,
      hasNewer: newest !== undefined && this.#deliveryNewerExists.get({ ...scope, seq: newest.seq }) !== undefined,
    };
  }

  /**
   * Marks the campaign's deliveries of these attempts `pending` again, as handed to the sender at
   * `queuedAt`, skipping those still pending (Sarvam's "Retry webhook deliveries" page: "running deliveries are skipped") and ids of
   * no delivery. Returns the deliveries to send.
   */
  requeueDeliveries(sandboxId: number, campaignId: string, attemptIds: readonly string[], queuedAt: string): DeliveryRow[] {
    return this.db.transaction(() => attemptIds.flatMap((attemptId) => this.#requeueDelivery.get(queuedAt, sandboxId, campaignId, attemptId) ?? []))();
  }

  /** Records how a pending delivery's hand-over to the sender ended. */
  recordDeliveryOutcome(sandboxId: number, attemptId: string, outcome: DeliveryOutcome): void {
    this.#recordDeliveryOutcome.run({ sandboxId, attemptId, ...outcome });
  }
}

