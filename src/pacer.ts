/**
 * Lets the event loop run: timers, sockets, other requests. Two hops through the check phase, so
 * that a full turn of the loop (timers, then I/O) passes whichever phase it is called from: from
 * an I/O callback, one `setImmediate` would run in the same turn, before any timer.
 */
export const breathe = (): Promise<void> => new Promise((resolve) => setImmediate(() => setImmediate(resolve)));

/**
 * Keeps a long loop from holding the event loop: with `if (pacer.due()) await pacer.pause()` in
 * the loop, it yields once `sliceMs` milliseconds have passed since the last pause (the time is
 * read every 256 calls, so the check costs next to nothing).
 *
 * @example
 * const pacer = new Pacer();
 * for (const row of rows) {
 *   work(row);
 *   if (pacer.due()) await pacer.pause();
 * }
 */
export class Pacer {
  #since = performance.now();
  #calls = 0;

  constructor(readonly sliceMs = 10) {}

  /** Whether it is time to pause; `now` reads the time at once (after a big step of work). */
  due(now = false): boolean {
    if (!now && (++this.#calls & 255) !== 0) return false;
    return performance.now() - this.#since >= this.sliceMs;
  }

  async pause(): Promise<void> {
    await breathe();
    this.#since = performance.now();
  }
}

/**
 * Work written as a generator that yields where it may pause: `runSteps` runs it to the end at
 * once (where nothing else may run, as in loading a fixture); `runStepsPaced` pauses as `pacer`
 * says. One piece of code serves both.
 */
export function runSteps<T>(steps: Generator<void, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

export async function runStepsPaced<T>(steps: Generator<void, T>, pacer: Pacer): Promise<T> {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (pacer.due(true)) await pacer.pause();
  }
}
