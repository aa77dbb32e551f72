import type { Simulator } from '../../../sim/simulator.js';
import type { BatchRow, BatchStore } from './store.js';

/** Batches are simulated as DialNexa campaigns of the dialer, told apart by their id. */
export const VENDOR = 'dialnexa';

/**
 * "Batches run one at a time per organization" (the batch-calls OpenAPI): the organization's turn, and who gets it.
 *
 * At most one batch is `running`. The others wait in the order they became ready (their
 * `starts_at`, or their creation): `waiting` ones, and `scheduled` ones whose start has come. When
 * nobody runs and nobody is ready, the scheduled batch that starts first is armed: the dialer
 * starts it at its `starts_at`, unless another batch takes the turn first. In the simulation a
 * batch dials while it is running or armed; every other batch is held paused.
 */
export class BatchQueue {
  constructor(
    private readonly store: BatchStore,
    private readonly simulator: Simulator,
  ) {}

  /**
   * Hands out the turn at `at` (ms, sandbox time) after a batch was created, changed or finished.
   * Returns the batch it set dialing, if any.
   */
  rebalance(sandboxId: number, at: number): BatchRow | undefined {
    const iso = new Date(at).toISOString();
    let dialing = this.store.running(sandboxId);
    let started: BatchRow | undefined;
    if (!dialing) {
      const next = this.store.nextReady(sandboxId, iso);
      if (next) {
        this.store.setStatus(sandboxId, next.id, 'running', iso);
        // An armed batch is dialing already: only its status changes.
        if (next.armed === 0) {
          this.simulator.setState(sandboxId, VENDOR, next.id, 'running', at);
          started = next;
        }
        dialing = next;
      }
    }
    let armed = '';
    if (!dialing) {
      const upcoming = this.store.nextScheduled(sandboxId);
      if (upcoming) {
        armed = upcoming.id;
        if (upcoming.armed === 0) {
          this.store.setArmed(sandboxId, upcoming.id, true);
          this.simulator.setState(sandboxId, VENDOR, upcoming.id, 'running', at);
          started = upcoming;
        }
      }
    }
    for (const other of this.store.armedOthers(sandboxId, armed)) {
      this.store.setArmed(sandboxId, other.id, false);
      this.simulator.setState(sandboxId, VENDOR, other.id, 'paused', at);
    }
    this.store.markOverdueWaiting(sandboxId, iso);
    return started;
  }

  /**
   * Brings a sandbox's batches up to `now` before a batch request reads them. The simulation runs
   * each campaign on its own: a batch handed the turn by one that finished during a run is dialed
   * from the next run on, so runs repeat while batches are handed over. Then the turn is handed
   * out at `now`.
   */
  catchUp(sandboxId: number, now: number): void {
    while (this.store.takeHandedOver(sandboxId)) this.simulator.settle(sandboxId, now);
    this.rebalance(sandboxId, now);
  }
}
