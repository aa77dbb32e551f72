import type { Database } from 'better-sqlite3';
import { CampaignDialer, type CampaignRun, type Contact } from './dialer.js';
import type { DialerEffects, DialPolicy, DialState } from './model.js';
import { prepareLater } from '../store/deferred.js';

interface CampaignRow {
  sandbox_id: number;
  vendor: string;
  ref: string;
  state: DialState;
  policy: string;
  cursor_ms: number;
  last_start_ms: number | null;
  started: number;
  recent: string;
  next_event_ms: number | null;
}

interface ContactRow {
  id: number;
  ref: string;
  seq: number;
  phone: string;
  status: Contact['status'];
  attempts: number;
  next_attempt_ms: number;
  call_started_ms: number | null;
  call_ends_ms: number | null;
  outcome: Contact['outcome'];
}

/** Campaigns remembered as not simulated, at most, per sandbox (see Simulator's #absent). */
const ABSENT_KEPT = 10_000;

/** A campaign's key in the simulator's caches. */
function dialerKey(sandboxId: number, vendor: string, ref: string): string {
  return `${sandboxId}|${vendor}|${ref}`;
}

/**
 * The dialer simulation for every sandbox: vendors hand it their campaigns (policy, state,
 * contacts) and receive what happens through their DialerEffects. Its state lives in the
 * database, so a file database keeps campaigns mid-flight across restarts; the dialers of the
 * campaigns used last (at most `cacheSize`) are cached in memory between runs, and any other is
 * read back from the database when it is needed.
 *
 * Every change is made at the sandbox's current time, after the simulation has caught up to it
 * (the engine settles a sandbox before each request), so history is never rewritten.
 */
export class Simulator {
  /** Dialers by campaign, least recently used first. */
  readonly #dialers = new Map<string, CampaignDialer>();
  /**
   * Campaigns found not to be in the simulation, so that asking again costs no query: most
   * campaigns a test creates never get a contact, and a DialNexa update asks of each. A campaign
   * leaves it when it joins; a sandbox's entries go with its reset or a rolled-back write (forget).
   * By sandbox, then by `vendor|ref`.
   */
  readonly #absent = new Map<number, Set<string>>();
  /** Earliest pending event per sandbox (sandbox time, ms); absent: not known yet. */
  readonly #nextEvent = new Map<number, number | null>();
  readonly #statements: ReturnType<typeof prepare>;
  readonly #effects = new Map<string, DialerEffects>();

  constructor(
    private readonly db: Database,
    /** Dialers kept in memory at most; every change is saved as it is made, so one let go loses nothing. */
    private readonly cacheSize = 1_000,
  ) {
    this.#statements = prepare(db);
  }

  /** How many campaigns' dialers are held in memory. */
  get cachedCampaigns(): number {
    return this.#dialers.size;
  }

  /** How a vendor's campaigns act on its own data when calls happen. */
  registerEffects(vendor: string, effects: DialerEffects): void {
    this.#effects.set(vendor, effects);
  }

  /** Starts simulating a campaign, or replaces its policy and state. */
  upsertCampaign(sandboxId: number, vendor: string, ref: string, policy: DialPolicy, state: DialState, at: number): void {
    const dialer = this.#dialer(sandboxId, vendor, ref);
    if (dialer) {
      dialer.setPolicy(policy);
      dialer.setState(state, at);
      this.#save(dialer, vendor);
    } else {
      this.#statements.insertCampaign.run(sandboxId, vendor, ref, state, JSON.stringify(policy), at);
      this.#absent.get(sandboxId)?.delete(`${vendor}|${ref}`);
      this.#save(this.#dialer(sandboxId, vendor, ref) as CampaignDialer, vendor);
    }
    this.#nextEvent.delete(sandboxId);
  }

  /** Whether a campaign is in the simulation. */
  hasCampaign(sandboxId: number, vendor: string, ref: string): boolean {
    return this.#dialer(sandboxId, vendor, ref) !== undefined;
  }

  /** Queues contacts on a campaign, to be dialed in the order given. */
  addContacts(sandboxId: number, vendor: string, ref: string, contacts: ReadonlyArray<{ ref: string; phone: string }>, at: number): void {
    const dialer = this.#dialer(sandboxId, vendor, ref);
    if (!dialer) throw new Error(`campaign-mock: no simulated campaign ${vendor}/${ref}`);
    let seq = dialer.lastSeq ?? (this.#statements.maxSeq.get(sandboxId, vendor, ref) as number | null) ?? 0;
    for (const { ref: contactRef, phone } of contacts) {
      dialer.add({ ref: contactRef, phone, seq: ++seq, status: 'queued', attempts: 0, nextAttemptAt: at, callStartedAt: null, callEndsAt: null, outcome: null });
    }
    dialer.lastSeq = seq;
    this.#save(dialer, vendor);
    this.#nextEvent.delete(sandboxId);
  }

  removeContact(sandboxId: number, vendor: string, ref: string, contactRef: string): void {
    const dialer = this.#dialer(sandboxId, vendor, ref);
    if (!dialer) return;
    dialer.remove(contactRef);
    this.#save(dialer, vendor);
  }

  /**
   * Deletes contacts outright (an upload taken back: they never were, unlike a removed one), and
   * lets the campaign's cached run go, so that it is read again from what is left.
   */
  deleteContacts(sandboxId: number, vendor: string, ref: string, contactRefs: readonly string[]): void {
    for (const contactRef of contactRefs) this.#statements.deleteContact.run(sandboxId, vendor, ref, contactRef);
    this.#dialers.delete(dialerKey(sandboxId, vendor, ref));
    this.#nextEvent.delete(sandboxId);
  }

  /**
   * Takes a campaign out of the simulation as if it never was (an upload taken back before its
   * campaign was ever shown). Its contacts go first, in slices, with `deleteContacts`: deleting
   * them here with the campaign would be one long statement.
   */
  deleteCampaign(sandboxId: number, vendor: string, ref: string): void {
    this.#statements.deleteCampaign.run(sandboxId, vendor, ref);
    this.#dialers.delete(dialerKey(sandboxId, vendor, ref));
    this.#nextEvent.delete(sandboxId);
  }

  setState(sandboxId: number, vendor: string, ref: string, state: DialState, at: number): void {
    const dialer = this.#dialer(sandboxId, vendor, ref);
    if (!dialer) return;
    dialer.setState(state, at);
    this.#save(dialer, vendor);
    this.#nextEvent.delete(sandboxId);
  }

  /** Runs every campaign of a sandbox up to `now`, in one transaction. Cheap when nothing is due. */
  settle(sandboxId: number, now: number): void {
    let next = this.#nextEvent.get(sandboxId);
    if (next === undefined) {
      next = this.#statements.nextEvent.get(sandboxId) as number | null;
      this.#nextEvent.set(sandboxId, next);
    }
    if (next === null || next > now) return;
    this.db.transaction(() => {
      for (const effects of this.#effects.values()) effects.beforeSettle?.(sandboxId);
      for (const row of this.#statements.dueCampaigns.all(sandboxId, now) as Array<{ vendor: string; ref: string }>) {
        const dialer = this.#dialer(sandboxId, row.vendor, row.ref) as CampaignDialer;
        const effects = this.#effects.get(row.vendor);
        if (!effects) throw new Error(`campaign-mock: no dialer effects for vendor ${row.vendor}`);
        dialer.advance(now, effects);
        this.#save(dialer, row.vendor);
      }
    })();
    this.#nextEvent.set(sandboxId, this.#statements.nextEvent.get(sandboxId) as number | null);
  }

  /** Forgets cached state after a reset (the rows went with the sandbox). */
  forget(sandboxId?: number): void {
    if (sandboxId === undefined) {
      this.#dialers.clear();
      this.#absent.clear();
      this.#nextEvent.clear();
      return;
    }
    for (const key of this.#dialers.keys()) if (key.startsWith(`${sandboxId}|`)) this.#dialers.delete(key);
    this.#absent.delete(sandboxId);
    this.#nextEvent.delete(sandboxId);
  }

  /** The sandboxes with anything simulated, so a ticking clock knows which to settle. */
  activeSandboxes(): number[] {
    return this.#statements.activeSandboxes.all() as number[];
  }

  #dialer(sandboxId: number, vendor: string, ref: string): CampaignDialer | undefined {
    const key = dialerKey(sandboxId, vendor, ref);
    let dialer = this.#dialers.get(key);
    if (dialer) {
      // Now the most recently used. The dialer a caller is working on is always the newest, so
      // letting the oldest go never takes one in use.
      this.#dialers.delete(key);
      this.#dialers.set(key, dialer);
      return dialer;
    }
    const campaign = `${vendor}|${ref}`;
    let absent = this.#absent.get(sandboxId);
    if (absent?.has(campaign)) return undefined;
    const row = this.#statements.campaign.get(sandboxId, vendor, ref) as CampaignRow | undefined;
    if (!row) {
      if (!absent) this.#absent.set(sandboxId, (absent = new Set()));
      // Bounded: emptied when full, at the cost of a query again for each campaign it held.
      else if (absent.size >= ABSENT_KEPT) absent.clear();
      absent.add(campaign);
      return undefined;
    }
    const run: CampaignRun = {
      state: row.state,
      policy: JSON.parse(row.policy) as DialPolicy,
      cursor: row.cursor_ms,
      lastStartAt: row.last_start_ms,
      started: row.started === 1,
      recent: JSON.parse(row.recent) as Array<[number, boolean]>,
    };
    const contacts = (this.#statements.activeContacts.all(sandboxId, vendor, ref) as ContactRow[]).map(
      (c): Contact => ({
        id: c.id,
        ref: c.ref,
        phone: c.phone,
        seq: c.seq,
        status: c.status,
        attempts: c.attempts,
        nextAttemptAt: c.next_attempt_ms,
        callStartedAt: c.call_started_ms,
        callEndsAt: c.call_ends_ms,
        outcome: c.outcome,
      }),
    );
    dialer = new CampaignDialer({ sandboxId, campaignRef: ref }, run, contacts);
    this.#dialers.set(key, dialer);
    if (this.#dialers.size > this.cacheSize) this.#dialers.delete(this.#dialers.keys().next().value as string);
    return dialer;
  }

  #save(dialer: CampaignDialer, vendor: string): void {
    const { sandboxId, campaignRef } = dialer.ref;
    const { run } = dialer;
    const s = this.#statements;
    s.saveCampaign.run(run.state, JSON.stringify(run.policy), run.cursor, run.lastStartAt, run.started ? 1 : 0, JSON.stringify(run.recent), dialer.nextEventAt() ?? null, sandboxId, vendor, campaignRef);
    for (const c of dialer.takeChanged()) {
      if (c.id === undefined) {
        c.id = Number(s.insertContact.run(sandboxId, vendor, campaignRef, c.ref, c.seq, c.phone, c.status, c.attempts, c.nextAttemptAt, c.callStartedAt, c.callEndsAt, c.outcome).lastInsertRowid);
      } else {
        s.updateContact.run(c.status, c.attempts, c.nextAttemptAt, c.callStartedAt, c.callEndsAt, c.outcome, c.id);
      }
    }
  }
}

function prepare(db: Database) {
  return {
    insertCampaign: prepareLater(db, 'INSERT INTO sim_campaigns (sandbox_id, vendor, ref, state, policy, cursor_ms) VALUES (?, ?, ?, ?, ?, ?)'),
    campaign: prepareLater(db, 'SELECT * FROM sim_campaigns WHERE sandbox_id = ? AND vendor = ? AND ref = ?'),
    deleteCampaign: prepareLater(db, 'DELETE FROM sim_campaigns WHERE sandbox_id = ? AND vendor = ? AND ref = ?'),
    saveCampaign: prepareLater(
      db,
      'UPDATE sim_campaigns SET state = ?, policy = ?, cursor_ms = ?, last_start_ms = ?, started = ?, recent = ?, next_event_ms = ? WHERE sandbox_id = ? AND vendor = ? AND ref = ?',
    ),
    activeContacts: prepareLater(db, "SELECT * FROM sim_contacts WHERE sandbox_id = ? AND vendor = ? AND campaign_ref = ? AND status IN ('queued', 'dialing')"),
    maxSeq: prepareLater(db, 'SELECT max(seq) FROM sim_contacts WHERE sandbox_id = ? AND vendor = ? AND campaign_ref = ?').pluck(),
    insertContact: prepareLater(db, `INSERT INTO sim_contacts (sandbox_id, vendor, campaign_ref, ref, seq, phone, status, attempts, next_attempt_ms, call_started_ms, call_ends_ms, outcome)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    deleteContact: prepareLater(db, 'DELETE FROM sim_contacts WHERE sandbox_id = ? AND vendor = ? AND campaign_ref = ? AND ref = ?'),
    updateContact: prepareLater(db, 'UPDATE sim_contacts SET status = ?, attempts = ?, next_attempt_ms = ?, call_started_ms = ?, call_ends_ms = ?, outcome = ? WHERE id = ?'),
    nextEvent: prepareLater(db, 'SELECT min(next_event_ms) FROM sim_campaigns WHERE sandbox_id = ?').pluck(),
    dueCampaigns: prepareLater(db, 'SELECT vendor, ref FROM sim_campaigns WHERE sandbox_id = ? AND next_event_ms <= ? ORDER BY next_event_ms'),
    activeSandboxes: prepareLater(db, 'SELECT DISTINCT sandbox_id FROM sim_campaigns WHERE next_event_ms IS NOT NULL').pluck(),
  };
}
