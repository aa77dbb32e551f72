import type { Sandbox, SandboxRegistry } from '../store/sandboxes.js';

/**
 * Sandbox clocks. Each sandbox's time runs at `speed` times wall-clock time from its anchor
 * (speed 1: real time; 60: a simulated minute per second; 0: frozen, moved only by `advance`),
 * and `advance` jumps it forward. Anchors are stored with the sandbox, so a file database keeps
 * each sandbox's time across restarts.
 */
export class Clocks {
  constructor(
    private readonly sandboxes: SandboxRegistry,
    readonly speed: number,
  ) {}

  now(sandbox: Sandbox): Date {
    return new Date(this.nowMs(sandbox));
  }

  /** Moves the sandbox's clock forward by `seconds` and returns the new time. */
  advance(sandbox: Sandbox, seconds: number): Date {
    const virtualMs = this.nowMs(sandbox) + Math.round(seconds * 1000);
    this.sandboxes.saveClock(sandbox, { virtualMs, wallMs: Date.now() });
    return new Date(virtualMs);
  }

  private nowMs(sandbox: Sandbox): number {
    const { virtualMs, wallMs } = sandbox.clock;
    return Math.floor(virtualMs + (Date.now() - wallMs) * this.speed);
  }
}
