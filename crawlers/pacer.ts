/**
 * Politeness per host: a token bucket (request starts per minute, with an optional burst) and a
 * cap on requests in flight, plus "hold off until" when the server asked for a pause
 * (Retry-After, an exhausted rate-limit window).
 *
 * `HostPacer` is the interface the crawler talks to; `createLocalPacer` is the in-process one.
 * A pacer shared by several worker processes (Redis) implements the same two methods.
 */

/** The rules one request to a host is held to. */
export interface HostPolicy {
  /** Minimum spacing of request starts, ms: the largest of the target delay, robots.txt Crawl-delay and 60000 / requests per minute. */
  intervalMs: number;
  /** Requests that may start back to back after an idle spell (the bucket size); 1 = strict spacing. */
  burst: number;
  /** Requests in flight to the host at once. */
  maxConcurrency: number;
}

/** Permission to send one request; `release` it when the response is read (or failed). */
export interface HostLease {
  /** How long `acquire` waited for this lease, ms (politeness wait, reported in the crawl stats). */
  readonly waitedMs: number;
  release(): void;
}

export interface HostPacer {
  /** Resolves when a request to `host` may start under `policy`; rejects with the signal's reason when aborted. */
  acquire(host: string, policy: HostPolicy, signal?: AbortSignal): Promise<HostLease>;
  /** The host asked for a pause: no request to it starts before `untilMs` (epoch ms). Never shortens a pause. */
  holdOff(host: string, untilMs: number): void;
}

interface Waiter {
  policy: HostPolicy;
  since: number;
  resolve(lease: HostLease): void;
  reject(reason: unknown): void;
  detach(): void;
}

interface HostState {
  tokens: number;
  refilledAt: number;
  inFlight: number;
  holdUntil: number;
  waiters: Waiter[];
  timer: NodeJS.Timeout | undefined;
  timerAt: number;
  lastUsed: number;
}

/**
 * In-process pacer: per host, FIFO waiters served as soon as both a concurrency slot and a token
 * are free. No polling: one timer per host, armed for the instant the next token (or the end of a
 * hold-off) is due.
 *
 * @example
 * const pacer = createLocalPacer();
 * const lease = await pacer.acquire('example.com', { intervalMs: 1000, burst: 1, maxConcurrency: 2 });
 * try { await fetchSomething(); } finally { lease.release(); }
 */
export function createLocalPacer(now: () => number = Date.now): HostPacer {
  const hosts = new Map<string, HostState>();
  let calls = 0;

  function stateOf(host: string): HostState {
    let s = hosts.get(host);
    if (!s) {
      s = { tokens: 1, refilledAt: now(), inFlight: 0, holdUntil: 0, waiters: [], timer: undefined, timerAt: 0, lastUsed: now() };
      hosts.set(host, s);
    }
    return s;
  }

  /** Refills the bucket of `s` at the rate of `policy`, up to its burst size. */
  function refill(s: HostState, policy: HostPolicy, t: number): void {
    const burst = Math.max(1, policy.burst);
    if (policy.intervalMs <= 0) s.tokens = burst;
    else s.tokens = Math.min(burst, s.tokens + (t - s.refilledAt) / policy.intervalMs);
    s.refilledAt = t;
  }

  function pump(host: string, s: HostState): void {
    const t = now();
    while (s.waiters.length > 0) {
      const head = s.waiters[0]!;
      if (s.inFlight >= Math.max(1, head.policy.maxConcurrency)) return; // release() pumps again
      if (t < s.holdUntil) return arm(host, s, s.holdUntil);
      refill(s, head.policy, t);
      if (s.tokens < 1 - 1e-9) return arm(host, s, t + Math.ceil((1 - s.tokens) * head.policy.intervalMs));
      s.tokens -= 1;
      s.inFlight++;
      s.lastUsed = t;
      s.waiters.shift();
      head.detach();
      let released = false;
      head.resolve({
        waitedMs: t - head.since,
        release: () => {
          if (released) return;
          released = true;
          s.inFlight--;
          s.lastUsed = now();
          pump(host, s);
        },
      });
    }
  }

  function arm(host: string, s: HostState, at: number): void {
    if (s.timer && s.timerAt <= at) return;
    clearTimeout(s.timer);
    s.timerAt = at;
    s.timer = setTimeout(() => {
      s.timer = undefined;
      pump(host, s);
    }, Math.max(0, at - now()));
  }

  function forgetIdleHosts(t: number): void {
    for (const [h, s] of hosts)
      if (s.inFlight === 0 && s.waiters.length === 0 && s.holdUntil < t && s.lastUsed < t - 3_600_000) hosts.delete(h);
  }

  return {
    acquire(host, policy, signal) {
      const key = host.toLowerCase();
      if (signal?.aborted) return Promise.reject(signal.reason);
      // A long crawl over many hosts must not grow the map forever.
      if (++calls % 1000 === 0) forgetIdleHosts(now());
      const s = stateOf(key);
      return new Promise<HostLease>((resolve, reject) => {
        const onAbort = () => {
          const i = s.waiters.indexOf(waiter);
          if (i >= 0) s.waiters.splice(i, 1);
          reject(signal!.reason);
          pump(key, s);
        };
        const waiter: Waiter = {
          policy,
          since: now(),
          resolve,
          reject,
          detach: () => signal?.removeEventListener('abort', onAbort),
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        s.waiters.push(waiter);
        pump(key, s);
      });
    },
    holdOff(host, untilMs) {
      const key = host.toLowerCase();
      const s = stateOf(key);
      if (untilMs <= s.holdUntil) return;
      s.holdUntil = untilMs;
      // After a pause, start again with one request, not a burst.
      s.tokens = 1;
      s.refilledAt = untilMs;
    },
  };
}
