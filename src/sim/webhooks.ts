import type { Database } from 'better-sqlite3';
import { createHmac } from 'node:crypto';
import { isIP } from 'node:net';
import type { Logger } from '../logger.js';

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
  return createHmac('sha256', secret).update(body).digest('hex');
}

/**
 * Sends vendors' webhooks, only to hosts the user allowed: loopback always, others named with
 * `--webhook-allow`. Sending never holds up a request: webhooks wait in an outbox table and go
 * out in the background, with a timeout and retries; `flush` lets `clock/advance` wait for a
 * sandbox's before it answers.
 */
export class WebhookDispatcher {
  readonly #allowed: ReadonlySet<string>;
  readonly #listeners = new Map<string, (ref: string, result: DeliveryResult) => void>();
  #timer: NodeJS.Timeout | undefined;
  #sending: Promise<void> = Promise.resolve();
  #closed = false;
  readonly #insert;
  readonly #due;
  readonly #dueForSandbox;
  readonly #update;
  readonly #pendingCount;
  readonly #forSandbox;

  constructor(
    private readonly db: Database,
    allowedHosts: readonly string[],
    private readonly logger: Logger,
  ) {
    this.#allowed = new Set(allowedHosts.map((host) => host.toLowerCase()));
    this.#insert = db.prepare(
      "INSERT INTO webhook_outbox (sandbox_id, vendor, ref, url, headers, body, status, due_ms, created_at, max_attempts) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)",
    );
    this.#due = db.prepare("SELECT * FROM webhook_outbox WHERE status = 'pending' AND due_ms <= ? ORDER BY id LIMIT 100");
    this.#dueForSandbox = db.prepare("SELECT * FROM webhook_outbox WHERE status = 'pending' AND sandbox_id = ? AND attempts = 0 ORDER BY id LIMIT 100");
    this.#update = db.prepare('UPDATE webhook_outbox SET status = ?, attempts = ?, due_ms = ?, response_status = ?, error = ?, delivered_at = ? WHERE id = ?');
    this.#pendingCount = db.prepare("SELECT count(*) FROM webhook_outbox WHERE status = 'pending'").pluck();
    this.#forSandbox = db.prepare(
      'SELECT id, vendor, url, status, attempts, response_status, error, created_at, delivered_at, body FROM webhook_outbox WHERE sandbox_id = ? ORDER BY id',
    );
  }

  /** Hears the outcome of each of a vendor's webhooks that carried a `ref`. */
  onResult(vendor: string, listener: (ref: string, result: DeliveryResult) => void): void {
    this.#listeners.set(vendor, listener);
  }

  /** Whether webhooks may go to this URL's host. */
  allows(url: string): boolean {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return false;
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
    const host = parsed.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    if (host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'))) return true;
    return this.#allowed.has('*') || this.#allowed.has(host) || this.#allowed.has(parsed.host.toLowerCase());
  }

  /** Every webhook a sandbox sent or tried to send, oldest first, for the control plane. */
  list(sandboxId: number): Array<Record<string, unknown>> {
    return (this.#forSandbox.all(sandboxId) as Array<Record<string, unknown> & { body: string }>).map(({ body, ...row }) => ({ ...row, body: JSON.parse(body) as unknown }));
  }

  /** Queues a webhook; it is sent once the current transaction commits. */
  enqueue(webhook: OutgoingWebhook): void {
    this.#insert.run(webhook.sandboxId, webhook.vendor, webhook.ref ?? null, webhook.url, JSON.stringify(webhook.headers), webhook.body, Date.now(), new Date().toISOString(), webhook.maxAttempts ?? 3);
    this.#schedule(0);
  }

  /** Sends a sandbox's webhooks not yet tried, and waits for them (retries stay in the background). */
  flush(sandboxId: number): Promise<void> {
    this.#sending = this.#sending.then(async () => {
      if (!this.db.open) return;
      const rows = this.#dueForSandbox.all(sandboxId) as OutboxRow[];
      await Promise.all(rows.map((row) => this.#deliver(row)));
    });
    return this.#sending;
  }

  /** Stops sending; resolves once the sends under way are done (their results are kept). */
  close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    return this.#sending;
  }

  #schedule(delayMs: number): void {
    if (this.#closed || this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#sending = this.#sending.then(() => this.#sendDue()).catch((error: Error) => this.logger.error(`webhook sending failed: ${error.message}`));
    }, delayMs);
    this.#timer.unref();
  }

  async #sendDue(): Promise<void> {
    for (;;) {
      if (!this.db.open || this.#closed) return;
      const rows = this.#due.all(Date.now()) as OutboxRow[];
      if (rows.length === 0) break;
      await Promise.all(rows.map((row) => this.#deliver(row)));
    }
    if (this.db.open && (this.#pendingCount.get() as number) > 0) this.#schedule(500);
  }

  async #deliver(row: OutboxRow): Promise<void> {
    const attempts = row.attempts + 1;
    if (!this.allows(row.url)) {
      const error = `campaign-mock: webhooks may not go to ${row.url}; start the mock with --webhook-allow ${safeHost(row.url)} to allow that host`;
      this.logger.warn(error);
      return this.#record(row, { status: 'refused', attempts, responseStatus: null, error, at: new Date() });
    }
    // Claim the row before sending, so a concurrent flush does not send it twice.
    this.#update.run('sending', attempts, Date.now(), null, null, null, row.id);
    let responseStatus: number | null = null;
    let error: string | null = null;
    try {
      const response = await fetch(row.url, {
        method: 'POST',
        headers: JSON.parse(row.headers) as Record<string, string>,
        body: row.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      responseStatus = response.status;
      await response.body?.cancel();
      if (response.status >= 200 && response.status < 300) {
        return this.#record(row, { status: 'delivered', attempts, responseStatus, error: null, at: new Date() });
      }
      error = `the receiver answered ${response.status}`;
    } catch (failure) {
      error = (failure as Error).name === 'TimeoutError' ? `no answer within ${TIMEOUT_MS / 1000} s` : (failure as Error).message;
    }
    if (!this.db.open) return;
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

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
