/** The longest delay Node's setTimeout honours; anything longer fires at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

interface Timer {
  due: number;
  fire: () => void;
  handle?: ReturnType<typeof setTimeout>;
}

/**
 * Fires callbacks at absolute times of an injectable clock. Due times come from the durable
 * store, so a timer can be months away: it is armed in hops no longer than Node allows, and
 * each hop re-reads the clock, so a clock moved by a test (then `recheck()`) is honoured too.
 */
export class Scheduler {
  private readonly timers = new Set<Timer>();
  private stopped = false;

  constructor(
    private readonly now: () => number,
    private readonly maxHopMs = MAX_TIMER_MS,
  ) {}

  /** Calls `fire` once the clock reaches `due`; returns a cancel function. */
  at(due: number, fire: () => void): () => void {
    if (this.stopped) return () => {};
    const timer: Timer = { due, fire };
    this.timers.add(timer);
    this.arm(timer);
    return () => this.cancel(timer);
  }

  /** Re-evaluates every timer against the clock now (for clocks that jump). */
  recheck(): void {
    for (const timer of [...this.timers]) this.arm(timer);
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer.handle);
    this.timers.clear();
  }

  private cancel(timer: Timer) {
    clearTimeout(timer.handle);
    this.timers.delete(timer);
  }

  private arm(timer: Timer) {
    clearTimeout(timer.handle);
    const remaining = timer.due - this.now();
    if (remaining <= 0) {
      this.timers.delete(timer);
      timer.fire();
      return;
    }
    const hop = Math.min(remaining, this.maxHopMs, MAX_TIMER_MS);
    timer.handle = setTimeout(() => {
      if (this.timers.has(timer)) this.arm(timer);
    }, hop);
  }
}
