import type { WebhookDispatcher } from '../../sim/webhooks.js';
import type { DeliveryRow, SarvamStore } from './store.js';

const VENDOR = 'sarvam';

/**
 * Sarvam documents no webhook headers or signature (Sarvam's "Webhook payload" page): the mock sends the JSON payload alone;
 * see x-mock-inferred on `webhooks.call-attempt` in specs/sarvam.yaml.
 */
const HEADERS = { 'content-type': 'application/json' };

/** The dispatcher hands a result back with the `ref` a webhook was queued with. */
const refOf = (sandboxId: number, attemptId: string) => `${sandboxId}:${attemptId}`;

/**
 * Sarvam's webhook deliveries (Sarvam's "Webhook payload" page and "Retry webhook deliveries" page) on top of the mock's webhook sender: each is recorded in
 * `sarvam_webhook_deliveries`, so `list-webhook-deliveries` shows it and `retry-webhook-deliveries`
 * can send it again, and its status follows what the sender reports.
 *
 * @example
 * const deliveries = new WebhookDeliveries(store, environment.webhooks);
 * deliveries.listen();
 */
export class WebhookDeliveries {
  constructor(
    private readonly store: SarvamStore,
    private readonly webhooks: WebhookDispatcher,
  ) {}

  /**
   * Records a delivery as `pending` and queues it, inside the caller's transaction: the sender
   * takes it once that commits.
   */
  send(delivery: Omit<DeliveryRow, 'seq' | 'status' | 'response_status_code' | 'error' | 'delivery_attempts' | 'last_attempted_at'>): void {
    const row = this.store.insertDelivery({ ...delivery, status: 'pending', response_status_code: null, error: null, delivery_attempts: 0, last_attempted_at: null });
    this.#enqueue(row);
  }

  /** Sarvam's "Retry webhook deliveries" page: sends these attempts' deliveries again, except those still running; unknown ids are ignored. */
  resend(sandboxId: number, campaignId: string, attemptIds: readonly string[], now: Date): void {
    for (const row of this.store.requeueDeliveries(sandboxId, campaignId, attemptIds, now.toISOString())) this.#enqueue(row);
  }

  /**
   * Keeps each delivery's status in step with the sender: `delivered`, or `failed` once the
   * sender gives up or refuses the host. Register once per app.
   */
  listen(): void {
    this.webhooks.onResult(VENDOR, (ref, result) => {
      const split = ref.indexOf(':');
      this.store.recordDeliveryOutcome(Number(ref.slice(0, split)), ref.slice(split + 1), {
        status: result.status === 'delivered' ? 'delivered' : 'failed',
        attempts: result.attempts,
        responseStatusCode: result.responseStatus,
        error: result.error,
      });
    });
  }

  #enqueue(row: DeliveryRow): void {
    // One try per delivery: a failed one is sent again through webhooks/retry (Sarvam's "Retry webhook deliveries" page), as Sarvam does.
    this.webhooks.enqueue({ sandboxId: row.sandbox_id, vendor: VENDOR, ref: refOf(row.sandbox_id, row.attempt_id), url: row.url, headers: HEADERS, body: row.payload, maxAttempts: 1 });
  }
}
