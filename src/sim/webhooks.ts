import type { Database } from 'better-sqlite3';
import { request as httpRequest } from 'node:http';
import type { LookupFunction } from 'node:net';
import { crypto } from '../crypto.js';
import type { Logger } from '../logger.js';
import { onFirstUse } from '../on-first-use.js';
import { prepareLater } from '../store/deferred.js';
import { WebhookTargets, type SelfAddress } from './webhook-targets.js';

/** A webhook a vendor sends: queued inside the simulation's transaction, sent after it commits. */
export interface OutgoingWebhook {
  sandboxId: number;
  vendor: string;
  /** The vendor's own id for the delivery, passed back with its result. */
  ref?: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  /**
   * Tries before giving up (3 by default, the last two 1 s and 5 s apart). 1 for a vendor whose
   * own API re-sends a failed delivery (Sarvam's webhooks/retry).
   */
  maxAttempts?: number;
}

export interface DeliveryResult {
  status: 'delivered' | 'failed' | 'refused';
  attempts: number;
  responseStatus: number | null;
  error: string | null;
  at: Date;
}

interface OutboxRow {
  id: number;
  max_attempts: number;
  sandbox_id: number;
  vendor: string;
  ref: string | null;
  url: string;
  headers: string;
  body: string;
  attempts: number;
}

/** The wait before each retry of a webhook. */
const RETRY_DELAYS_MS = [1000, 5000];
const TIMEOUT_MS = 5000;

/** HMAC-SHA256 of the raw body, hex: what `X-DialNexa-Signature: sha256=<hex>` carries ("Register a webhook"). */
export function hmacSha256Hex(secret: string, body: string): string {
  return crypto().createHmac('sha256', secret).update(body).digest('hex');
}

/** Deliveries under way at once for one sandbox: its slow receivers hold only these. */
const PER_SANDBOX = 8;
/** Deliveries under way at once in all. */
const IN_ALL = 256;

/**
 * Sends vendors' webhooks, only where they may go (see WebhookTargets). Sending never holds up a
 * request: webhooks wait in an outbox table and go out in the background, with a timeout and
 * retries. Each sandbox has a lane of its own, so one sandbox's slow or hanging receivers delay
 * nobody else's webhooks, requests or clock; `flush` lets `clock/advance` wait for one sandbox's.
 * A send a crash interrupted is retried when the mock starts again.
 */
export class WebhookDispatcher {
  readonly #targets: WebhookTargets;
  readonly #listeners = new Map<string, (ref: string, result: DeliveryResult) => void>();
  /** Deliveries queued in a lane or under way, by outbox row: so none is sent twice at once. */
  readonly #inFlight = new Map<number, { sandboxId: number; done: Promise<void> }>();
  readonly #lanes = new Map<number, { running: number; waiting: Array<() => void> }>();
  #running = 0;
  readonly #waiting: Array<() => void> = [];
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  readonly #insert;
  readonly #due;
  readonly #dueForSandbox;
  readonly #nextDue;
  readonly #update;
  readonly #forSandbox;

  constructor(
    private readonly db: Database,
    allowedHosts: readonly string[],
    private readonly logger: Logger,
  ) {
    this.#targets = new WebhookTargets(allowedHosts);
    this.#insert = prepareLater(
      db,
      "INSERT INTO webhook_outbox (sandbox_id, vendor, ref, url, headers, body, status, due_ms, created_at, max_attempts) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)",
    );
    this.#due = prepareLater(db, "SELECT * FROM webhook_outbox WHERE status = 'pending' AND due_ms <= ? ORDER BY id LIMIT 500");
    this.#dueForSandbox = prepareLater(db, "SELECT * FROM webhook_outbox WHERE status = 'pending' AND sandbox_id = ? AND attempts = 0 ORDER BY id");
    this.#nextDue = prepareLater(db, "SELECT min(due_ms) FROM webhook_outbox WHERE status = 'pending' AND due_ms > ?").pluck();
    this.#update = prepareLater(db, 'UPDATE webhook_outbox SET status = ?, attempts = ?, due_ms = ?, response_status = ?, error = ?, delivered_at = ? WHERE id = ?');
    this.#forSandbox = prepareLater(
      db,
      'SELECT id, vendor, url, status, attempts, max_attempts, response_status, error, created_at, delivered_at, headers, body FROM webhook_outbox WHERE sandbox_id = ? ORDER BY id',
    );
    // A send that a crash cut short counts as a failed attempt: try again now (or record the failure).
    db.prepare(
      "UPDATE webhook_outbox SET status = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'pending' END, due_ms = ?, error = coalesce(error, 'the mock stopped while sending') WHERE status = 'sending'",
    ).run(Date.now());
    this.#schedule(0);
  }

  /** The port the mock listens on: webhooks never go back to it. */
  setSelf(self: SelfAddress): void {
    this.#targets.setSelf(self);
  }

  /** Hears the outcome of each of a vendor's webhooks that carried a `ref`. */
  onResult(vendor: string, listener: (ref: string, result: DeliveryResult) => void): void {
    this.#listeners.set(vendor, listener);
  }

  /** Every webhook a sandbox sent or tried to send, oldest first, for the control plane. */
  list(sandboxId: number): Array<Record<string, unknown>> {
    return (this.#forSandbox.all(sandboxId) as Array<Record<string, unknown> & { headers: string; body: string }>).map(({ headers, body, ...row }) => ({
      ...row,
      headers: JSON.parse(headers) as Record<string, string>,
      body: JSON.parse(body) as unknown,
    }));
  }

  /** Queues a webhook; it is sent once the current transaction commits. */
  enqueue(webhook: OutgoingWebhook): void {
    this.#insert.run(webhook.sandboxId, webhook.vendor, webhook.ref ?? null, webhook.url, JSON.stringify(webhook.headers), webhook.body, Date.now(), new Date().toISOString(), webhook.maxAttempts ?? 3);
    this.#schedule(0);
  }

  /**
   * Sends a sandbox's webhooks not yet tried, and waits for them and for its sends under way
   * (retries stay in the background). Other sandboxes' webhooks are not waited for.
   */
  async flush(sandboxId: number): Promise<void> {
    if (!this.db.open) return;
    for (const row of this.#dueForSandbox.all(sandboxId) as OutboxRow[]) this.#dispatch(row);
    await Promise.all([...this.#inFlight.values()].filter((entry) => entry.sandboxId === sandboxId).map((entry) => entry.done));
  }

  /** Stops sending; resolves once the sends under way are done (their results are kept). */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const wake of this.#waiting.splice(0)) wake();
    for (const lane of this.#lanes.values()) for (const wake of lane.waiting.splice(0)) wake();
    await Promise.all([...this.#inFlight.values()].map((entry) => entry.done));
  }

  #schedule(delayMs: number): void {
    if (this.#closed || this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      try {
        this.#sendDue();
      } catch (error) {
        this.logger.error(`webhook sending failed: ${(error as Error).message}`);
      }
    }, delayMs);
    this.#timer.unref();
  }

  /** Hands every due webhook to its sandbox's lane, then sleeps until the next retry is due. */
  #sendDue(): void {
    if (!this.db.open || this.#closed) return;
    const now = Date.now();
    const rows = this.#due.all(now) as OutboxRow[];
    for (const row of rows) this.#dispatch(row);
    const next = this.#nextDue.get(now) as number | null;
    if (next !== null) this.#schedule(Math.max(0, next - now));
  }

  #dispatch(row: OutboxRow): void {
    if (this.#inFlight.has(row.id) || this.#closed) return;
    const done = this.#inLane(row.sandbox_id, () => this.#deliver(row))
      .catch((error: Error) => this.logger.error(`webhook to ${row.url} failed: ${error.message}`))
      .finally(() => {
        this.#inFlight.delete(row.id);
        // Due webhooks beyond what the last pass took, or queued while this one was sent.
        this.#schedule(0);
      });
    this.#inFlight.set(row.id, { sandboxId: row.sandbox_id, done });
  }

  /** Runs a delivery when its sandbox's lane, and the mock as a whole, have room for it. */
  async #inLane(sandboxId: number, deliver: () => Promise<void>): Promise<void> {
    let lane = this.#lanes.get(sandboxId);
    if (!lane) {
      lane = { running: 0, waiting: [] };
      this.#lanes.set(sandboxId, lane);
    }
    while (lane.running >= PER_SANDBOX && !this.#closed) await new Promise<void>((wake) => lane?.waiting.push(wake));
    lane.running++;
    try {
      while (this.#running >= IN_ALL && !this.#closed) await new Promise<void>((wake) => this.#waiting.push(wake));
      if (this.#closed) return;
      this.#running++;
      try {
        await deliver();
      } finally {
        this.#running--;
        this.#waiting.shift()?.();
      }
    } finally {
      lane.running--;
      lane.waiting.shift()?.();
      if (lane.running === 0 && lane.waiting.length === 0) this.#lanes.delete(sandboxId);
    }
  }

  async #deliver(row: OutboxRow): Promise<void> {
    if (!this.db.open) return;
    const attempts = row.attempts + 1;
    const target = await this.#targets.check(row.url);
    if (!this.db.open) return;
    if ('refused' in target) {
      const error = `campaign-mock: ${target.refused}`;
      this.logger.warn(error);
      return this.#record(row, { status: 'refused', attempts, responseStatus: null, error, at: new Date() });
    }
    // Claimed before sending: a crash now leaves it `sending`, retried at the next start.
    this.#update.run('sending', attempts, Date.now(), null, null, null, row.id);
    const { responseStatus, error } = await post(row.url, target, JSON.parse(row.headers) as Record<string, string>, row.body);
    if (!this.db.open) return;
    if (responseStatus !== null && responseStatus >= 200 && responseStatus < 300) {
      return this.#record(row, { status: 'delivered', attempts, responseStatus, error: null, at: new Date() });
    }
    if (attempts < row.max_attempts && !this.#closed) {
      const delay = RETRY_DELAYS_MS[attempts - 1] ?? 5000;
      this.#update.run('pending', attempts, Date.now() + delay, responseStatus, error, null, row.id);
      this.#schedule(delay);
      return;
    }
    this.logger.warn(`webhook to ${row.url} failed after ${attempts} attempts: ${error}`);
    this.#record(row, { status: 'failed', attempts, responseStatus, error, at: new Date() });
  }

  #record(row: OutboxRow, result: DeliveryResult): void {
    if (!this.db.open) return;
    this.#update.run(result.status, result.attempts, Date.now(), result.responseStatus, result.error, result.status === 'delivered' ? result.at.toISOString() : null, row.id);
    if (row.ref !== null) this.#listeners.get(row.vendor)?.(row.ref, result);
  }
}

/**
 * Node's https client, loaded with the first webhook to an https address rather than at every
 * start: it loads TLS, which nothing else needs, and that took 4 ms.
 */
const https = onFirstUse<typeof import('node:https')>('node:https');

function httpsRequest(...args: Parameters<typeof httpRequest>): ReturnType<typeof httpRequest> {
  return https().request(...args);
}

/**
 * POSTs a webhook to the address it was checked at (not to whatever the name resolves to now),
 * following no redirect, within the timeout. Resolves with the receiver's status, or the error.
 */
function post(url: string, target: { address: string; family: 4 | 6 }, headers: Record<string, string>, body: string): Promise<{ responseStatus: number | null; error: string | null }> {
  return new Promise((resolve) => {
    const send = url.startsWith('https:') ? httpsRequest : httpRequest;
    const pinned: LookupFunction = (_host, options, callback) => {
      if ((options as { all?: boolean }).all) (callback as (error: null, addresses: Array<{ address: string; family: number }>) => void)(null, [target]);
      else callback(null, target.address, target.family);
    };
    let settled = false;
    const finish = (result: { responseStatus: number | null; error: string | null }) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(result);
    };
    const request = send(url, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, lookup: pinned }, (response) => {
      const status = response.statusCode ?? null;
      response.resume();
      response.once('end', () => finish({ responseStatus: status, error: status !== null && status >= 200 && status < 300 ? null : `the receiver answered ${status}` }));
      response.once('error', (error) => finish({ responseStatus: status, error: error.message }));
    });
    const deadline = setTimeout(() => {
      finish({ responseStatus: null, error: `no answer within ${TIMEOUT_MS / 1000} s` });
      request.destroy();
    }, TIMEOUT_MS);
    deadline.unref();
    request.once('error', (error) => finish({ responseStatus: null, error: error.message }));
    request.end(body);
  });
}
