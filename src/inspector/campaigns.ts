import type { Database, Statement } from 'better-sqlite3';
import type { Sandbox } from '../store/sandboxes.js';
import { presentCampaign as presentAsissoCampaign, presentRun } from '../vendors/asisso/present.js';
import { AsissoStore, type CampaignRow as AsissoCampaignRow } from '../vendors/asisso/store.js';
import { organizationId, presentCampaign, presentCallLog, presentLead } from '../vendors/dialnexa/present.js';
import { DialnexaStore, type CampaignRow, type LeadRow } from '../vendors/dialnexa/store.js';
import { presentSummary as presentSarvamSummary } from '../vendors/sarvam/present.js';
import { SarvamStore, type CampaignRow as SarvamCampaignRow } from '../vendors/sarvam/store.js';
import { sqlLimit } from '../store/rows.js';

/** A campaign as the inspector lists it: the vendor's own status and counters, and how far it got. */
export interface CampaignSummary {
  vendor: string;
  id: string;
  name: string | null;
  status: string;
  /**
   * The counters as the vendor's API reports them (DialNexa's `total_leads`, …, Asisso's
   * `total_rows`, …); Sarvam's API has none, so its campaigns show the simulation's contacts.
   */
  counters: Record<string, number>;
  /** Contacts dialed to the end, out of all of them (Asisso's `processed_rows` of `total_rows`). */
  progress: { done: number; total: number };
  createdAt: string | null;
}

export interface Page<T> {
  total: number;
  offset: number;
  items: T[];
}

export interface CampaignDetail {
  campaign: CampaignSummary;
  /** DialNexa's leads, or (Asisso, Sarvam) the simulation's contacts, in the order they were added. */
  leads: Page<Record<string, unknown>>;
  /** The latest calls, newest first: DialNexa's call logs, Asisso's runs; none for Sarvam. */
  calls: Page<Record<string, unknown>>;
}

/** Calls placed, answered, failed and retried in one interval of a sandbox's clock. */
export interface TimelineBucket {
  start: string;
  placed: number;
  answered: number;
  failed: number;
  retried: number;
}

export interface Timeline {
  intervalSeconds: number;
  /** The sandbox's clock when the timeline was drawn. */
  now: string;
  buckets: TimelineBucket[];
  totals: Omit<TimelineBucket, 'start'>;
  /** When each campaign was created, and when it last changed status (to the status it has). */
  marks: Array<{ vendor: string; campaign: string; at: string; status: string }>;
}

/** Intervals the timeline picks from, so that a run of any length draws about a hundred bars at most. */
const INTERVALS = [60, 300, 900, 3_600, 6 * 3_600, 86_400, 7 * 86_400, 30 * 86_400];
const MAX_BUCKETS = 120;
/** However short an interval is asked for, a timeline has no more intervals than this. */
const MOST_BUCKETS = 5_000;

/**
 * How the timeline reads a call's status: DialNexa's call log status (CALL_LOG in
 * src/vendors/dialnexa/dialer.ts) and Asisso's run `call_status` (RUN_ENDING in
 * src/vendors/asisso/dialer.ts). Any other status is a call still under way.
 */
const ANSWERED = ['completed'];
const FAILED = ['busy', 'no_answer', 'no-answer', 'failed', 'error'];

/**
 * What the inspector page shows of a sandbox's campaigns, read-only. Each vendor's campaigns are
 * read from its own tables and presented by its own presenters, so the page shows the status and
 * counters its GET endpoints answer; contacts and their progress, where the vendor's API does
 * not count them, come from the dialer simulation's vendor-neutral model. Every statement is
 * scoped by sandbox.
 *
 * @example
 * const inspector = new CampaignInspector(db);
 * inspector.campaigns(sandbox); // [{ vendor: 'dialnexa', id: 'cmp_…', status: 'running', … }]
 */
export class CampaignInspector {
  readonly #dialnexaCampaigns: Statement<[number], CampaignRow>;
  readonly #dialnexaLeads: Statement<[number, string, number, number], LeadRow>;
  readonly #callBuckets: Statement<{ sandbox: number; from: number; interval: number }, { bucket: number; placed: number; answered: number; failed: number; retried: number }>;
  readonly #firstCall: Statement<{ sandbox: number }, { first: number | null }>;
  readonly #statusChanges: Statement<[number], { vendor: string; campaign: string; status: string; at: string }>;
  readonly #creations: Statement<{ sandbox: number }, { vendor: string; campaign: string; at: string }>;
  readonly #simCampaign: Statement<[number, string, string], SimCounts>;
  readonly #simContacts: Statement<[number, string, string, number, number], Record<string, unknown>>;
  readonly #dialnexa: DialnexaStore;
  readonly #asisso: AsissoStore;
  readonly #sarvam: SarvamStore;
  readonly #sarvamCampaigns: Statement<[number], SarvamCampaignRow>;

  constructor(db: Database) {
    this.#dialnexa = new DialnexaStore(db);
    this.#asisso = new AsissoStore(db);
    this.#sarvam = new SarvamStore(db);
    this.#sarvamCampaigns = db.prepare('SELECT * FROM sarvam_campaigns WHERE sandbox_id = ? ORDER BY created_at, id');
    this.#dialnexaCampaigns = db.prepare('SELECT * FROM dialnexa_campaigns WHERE sandbox_id = ? ORDER BY created_at, id');
    this.#dialnexaLeads = db.prepare(`SELECT * FROM dialnexa_leads WHERE sandbox_id = ? AND campaign_id = ? ORDER BY rowid ${sqlLimit('?')} OFFSET ?`);
    const answered = ANSWERED.map((s) => `'${s}'`).join(', ');
    const failed = FAILED.map((s) => `'${s}'`).join(', ');
    // Every campaign call of the sandbox, one row each: DialNexa's call logs, Asisso's runs, and
    // Sarvam's call attempts as the webhook deliveries of campaigns with a webhook carry them
    // (Sarvam's "Webhook payload" page: executed_at, connectivity_status, retry_attempt).
    const calls = `SELECT 'dialnexa' AS vendor, campaign_id AS campaign, lead_id AS contact, created_at, status, rowid AS seq, NULL AS retry
        FROM dialnexa_call_logs WHERE sandbox_id = @sandbox AND campaign_id IS NOT NULL
      UNION ALL
      SELECT 'asisso', CAST(campaign_id AS TEXT), source_uuid, created_at, call_status, id, NULL FROM asisso_runs WHERE sandbox_id = @sandbox
      UNION ALL
      SELECT 'sarvam', campaign_id, attempt_id, payload ->> '$.executed_at',
        CASE payload ->> '$.connectivity_status' WHEN 'connected' THEN 'completed' ELSE payload ->> '$.connectivity_status' END,
        seq, (payload ->> '$.retry_attempt') > 0
        FROM sarvam_webhook_deliveries WHERE sandbox_id = @sandbox`;
    // A call is a retry when its contact was called before in that campaign (its second call, or
    // later), or, for Sarvam, when the attempt says so.
    this.#callBuckets = db.prepare(`SELECT CAST((CAST(strftime('%s', created_at) AS INTEGER) * 1000 - @from) / (@interval * 1000) AS INTEGER) AS bucket,
        count(*) AS placed, sum(status IN (${answered})) AS answered, sum(status IN (${failed})) AS failed, sum(coalesce(retry, nth > 1)) AS retried
      FROM (SELECT created_at, status, retry, row_number() OVER (PARTITION BY vendor, campaign, contact ORDER BY created_at, seq) AS nth FROM (${calls}))
      GROUP BY bucket ORDER BY bucket`);
    this.#statusChanges = db.prepare('SELECT vendor, campaign_id AS campaign, status, at FROM campaign_status_changes WHERE sandbox_id = ? ORDER BY at, rowid');
    this.#creations = db.prepare(`SELECT 'dialnexa' AS vendor, id AS campaign, created_at AS at FROM dialnexa_campaigns WHERE sandbox_id = @sandbox
      UNION ALL SELECT 'asisso', CAST(id AS TEXT), created_at FROM asisso_campaigns WHERE sandbox_id = @sandbox
      UNION ALL SELECT 'sarvam', id, created_at FROM sarvam_campaigns WHERE sandbox_id = @sandbox`);
    this.#firstCall = db.prepare(`SELECT min(CAST(strftime('%s', created_at) AS INTEGER)) * 1000 AS first FROM (${calls})`);
    this.#simCampaign = db.prepare(`SELECT c.state,
        (SELECT count(*) FROM sim_contacts k WHERE k.sandbox_id = c.sandbox_id AND k.vendor = c.vendor AND k.campaign_ref = c.ref AND k.status != 'removed') AS contacts,
        (SELECT count(*) FROM sim_contacts k WHERE k.sandbox_id = c.sandbox_id AND k.vendor = c.vendor AND k.campaign_ref = c.ref AND k.status = 'queued') AS queued,
        (SELECT count(*) FROM sim_contacts k WHERE k.sandbox_id = c.sandbox_id AND k.vendor = c.vendor AND k.campaign_ref = c.ref AND k.status = 'dialing') AS dialing,
        (SELECT count(*) FROM sim_contacts k WHERE k.sandbox_id = c.sandbox_id AND k.vendor = c.vendor AND k.campaign_ref = c.ref AND k.status = 'done') AS done
      FROM sim_campaigns c WHERE c.sandbox_id = ? AND c.vendor = ? AND c.ref = ?`);
    this.#simContacts = db.prepare(
      `SELECT ref AS id, phone, status, attempts, outcome FROM sim_contacts WHERE sandbox_id = ? AND vendor = ? AND campaign_ref = ? ORDER BY seq ${sqlLimit('?')} OFFSET ?`,
    );
  }

  /** Every campaign of a sandbox, vendor by vendor, oldest first. */
  campaigns(sandbox: Sandbox): CampaignSummary[] {
    const organization = organizationId(sandbox.key);
    return [
      ...this.#dialnexaCampaigns.all(sandbox.id).map((row) => dialnexaSummary(row, organization)),
      ...this.#asisso.listCampaigns(sandbox.id).reverse().map(asissoSummary),
      ...this.#sarvamCampaigns.all(sandbox.id).map((row) => this.#sarvamSummary(row, this.#simCounts(sandbox, 'sarvam', row.id))),
    ];
  }

  /** What the dialer simulation holds of a campaign's contacts. */
  #simCounts(sandbox: Sandbox, vendor: string, id: string): SimCounts {
    return this.#simCampaign.get(sandbox.id, vendor, id) ?? NOT_SIMULATED;
  }

  #sarvamSummary(row: SarvamCampaignRow, sim: SimCounts): CampaignSummary {
    const campaign = presentSarvamSummary(row);
    return {
      vendor: 'sarvam',
      id: campaign.campaign_id,
      name: campaign.name,
      status: campaign.status,
      counters: { contacts: sim.contacts, queued: sim.queued, dialing: sim.dialing, done: sim.done },
      progress: { done: sim.done, total: sim.contacts },
      createdAt: campaign.created_at,
    };
  }

  /** One campaign with a page of its leads and of its calls, or undefined when the sandbox has no such campaign. */
  campaign(sandbox: Sandbox, vendor: string, id: string, page: { offset: number; limit: number }): CampaignDetail | undefined {
    if (vendor === 'dialnexa') {
      const row = this.#dialnexa.getCampaign(sandbox.id, id);
      if (!row) return undefined;
      const latest = this.#dialnexa.listCallLogs(sandbox.id, { campaignId: id, order: 'desc', limit: page.limit, offset: 0 });
      return {
        campaign: dialnexaSummary(row, organizationId(sandbox.key)),
        leads: { total: row.total_leads, offset: page.offset, items: this.#dialnexaLeads.all(sandbox.id, id, page.limit, page.offset).map(presentLead) },
        calls: { total: latest.total, offset: 0, items: latest.rows.map(presentCallLog) },
      };
    }
    let campaign: CampaignSummary;
    let calls: Page<Record<string, unknown>> = { total: 0, offset: 0, items: [] };
    const sim = this.#simCounts(sandbox, vendor, id);
    if (vendor === 'asisso') {
      const row = /^\d{1,15}$/.test(id) ? this.#asisso.getCampaign(sandbox.id, Number(id)) : undefined;
      if (!row) return undefined;
      campaign = asissoSummary(row);
      const runs = this.#asisso.listRuns(sandbox.id, row.id, { conditions: [], sortBy: 'created_at', order: 'desc', limit: page.limit, offset: 0 });
      calls = { total: runs.total, offset: 0, items: runs.rows.map((run) => presentRun(run, row.workflow_id)) };
    } else if (vendor === 'sarvam') {
      const row = this.#sarvam.campaignById(sandbox.id, id);
      if (!row) return undefined;
      campaign = this.#sarvamSummary(row, sim);
    } else {
      return undefined;
    }
    return {
      campaign,
      leads: { total: sim.contacts, offset: page.offset, items: this.#simContacts.all(sandbox.id, vendor, id, page.limit, page.offset) },
      calls,
    };
  }

  /**
   * Campaign calls per interval of the sandbox clock, by the time each started, from DialNexa's call
   * logs (what `GET /v1/call-logs` lists) and Asisso's runs (what `GET /api/v1/campaign/{id}/runs`
   * lists): placed, answered (`completed`), failed (`busy`, `no_answer`/`no-answer`, `failed`,
   * `error`) and retried (a contact's second call or later); and Sarvam's call attempts, from the
   * webhook deliveries its campaigns with a webhook send (what `GET …/campaigns/{id}/webhooks`
   * lists), by `connectivity_status` and `retry_attempt`. Each campaign's creation and every status
   * it took afterwards are marked (see src/inspector/migrations.ts). `intervalSeconds` is chosen to draw at
   * most about a hundred intervals when absent, and lengthened when it would draw more than 5,000.
   */
  timeline(sandbox: Sandbox, now: Date, intervalSeconds?: number): Timeline {
    // Each campaign's creation, read from its vendor's table alone: the whole campaign (Asisso's
    // counts its queue) is not needed for a mark.
    const creations = this.#creations.all({ sandbox: sandbox.id });
    const marks = [...creations.map((c) => ({ ...c, status: 'created' })), ...this.#statusChanges.all(sandbox.id)].sort((a, b) => a.at.localeCompare(b.at));
    const firstCall = this.#firstCall.get({ sandbox: sandbox.id })?.first ?? null;
    const starts = [firstCall, ...creations.map((c) => Date.parse(c.at))].filter((ms): ms is number => ms !== null && Number.isFinite(ms));
    const end = now.getTime();
    const begin = Math.min(end, ...starts);
    const shortest = Math.ceil((end - begin) / 1000 / MOST_BUCKETS);
    const chosen = intervalSeconds ?? INTERVALS.find((seconds) => (end - begin) / (seconds * 1000) <= MAX_BUCKETS) ?? Math.ceil((end - begin) / 1000 / MAX_BUCKETS);
    const interval = Math.max(chosen, shortest, 1);
    const from = Math.floor(begin / (interval * 1000)) * interval * 1000;
    const count = Math.max(1, Math.floor((end - from) / (interval * 1000)) + 1);
    const buckets: TimelineBucket[] = Array.from({ length: count }, (_, i) => ({ start: new Date(from + i * interval * 1000).toISOString(), placed: 0, answered: 0, failed: 0, retried: 0 }));
    const totals = { placed: 0, answered: 0, failed: 0, retried: 0 };
    for (const row of this.#callBuckets.all({ sandbox: sandbox.id, from, interval })) {
      const bucket = buckets[row.bucket];
      if (!bucket) continue;
      for (const name of ['placed', 'answered', 'failed', 'retried'] as const) {
        bucket[name] += row[name];
        totals[name] += row[name];
      }
    }
    return { intervalSeconds: interval, now: now.toISOString(), buckets, totals, marks };
  }
}

function dialnexaSummary(row: CampaignRow, organization: string): CampaignSummary {
  const campaign = presentCampaign(row, organization);
  return {
    vendor: 'dialnexa',
    id: campaign.id,
    name: campaign.name,
    status: campaign.status,
    counters: { total_leads: campaign.total_leads, completed_calls: campaign.completed_calls, pending_calls: campaign.pending_calls },
    progress: { done: campaign.total_leads - campaign.pending_calls, total: campaign.total_leads },
    createdAt: campaign.created_at,
  };
}

function asissoSummary(row: AsissoCampaignRow): CampaignSummary {
  const campaign = presentAsissoCampaign(row);
  const total = campaign.total_rows ?? 0;
  return {
    vendor: 'asisso',
    id: String(campaign.id),
    name: campaign.name,
    status: campaign.state,
    counters: {
      total_rows: total,
      processed_rows: campaign.processed_rows,
      failed_rows: campaign.failed_rows,
      executed_count: campaign.executed_count,
      total_queued_count: campaign.total_queued_count,
    },
    progress: { done: campaign.processed_rows, total },
    createdAt: campaign.created_at,
  };
}

/** A campaign's contacts in the simulation, by status. */
interface SimCounts {
  state: string;
  contacts: number;
  queued: number;
  dialing: number;
  done: number;
}

/** A campaign the simulation has not been handed (a draft): no contacts yet. */
const NOT_SIMULATED: SimCounts = { state: 'none', contacts: 0, queued: 0, dialing: 0, done: 0 };
