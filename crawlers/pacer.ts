/**
 * Politeness pacing: at most one request start per `minDelayMs` per host. The interface is
 * deliberately tiny so that a Redis-backed pacer (shared by several worker processes) can
 * implement it later.
 */

export interface HostPacer {
  /** Resolves when a request to `host` may start, at least `minDelayMs` after the previous one. */
  wait(host: string, minDelayMs: number): Promise<void>;
}

/**
 * In-process pacer. Each caller reserves the next free slot of the host synchronously and then
 * sleeps until it, so N concurrent callers for one host are spaced `minDelayMs` apart in the
 * order they called (no busy polling, no lost wake-ups).
 *
 * @example
 * const pacer = createLocalPacer();
 * await pacer.wait('example.com', 1000); // first call: immediately
 * await pacer.wait('example.com', 1000); // ~1 s later
 */
export function createLocalPacer(now: () => number = Date.now): HostPacer {
  // host -> instant the last reserved request starts.
  const lastStart = new Map<string, number>();
  let calls = 0;

  return {
    wait(host, minDelayMs) {
      const key = host.toLowerCase();
      const t = now();
      const previous = lastStart.get(key);
      const slot = previous === undefined ? t : Math.max(t, previous + Math.max(0, minDelayMs));
      lastStart.set(key, slot);
      // Forget hosts idle for a while so a long crawl over many hosts does not grow the map forever.
      if (++calls % 1000 === 0) for (const [h, at] of lastStart) if (at < t - 3_600_000) lastStart.delete(h);
      const waitMs = slot - t;
      return waitMs <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, waitMs));
    },
  };
}
