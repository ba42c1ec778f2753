/**
 * Ad-hoc crawls started from the console. In-process (no REDIS_URL) a run is `runLocalCrawl` in
 * this process, cancellable through its AbortSignal; with queues it is a BullMQ flow served by
 * `voc worker` processes, followed through the Redis run tracker. Listeners get the run as it
 * stands after every page (in-process) or about once a second (queued), then once when it ends.
 */
import { EventEmitter } from 'node:events';
import type { Run, Target } from '../core/types.js';
import type { Store } from '../store/store.js';
import type { StageDeps } from '../workers/deps.js';
import { runLocalCrawl } from '../workers/local-runner.js';
import { enqueueCrawlRun } from '../workers/queued-runner.js';
import { JOB, type CrawlJobData, type Queues } from '../workers/queues.js';
import type { RunProgress, RunTracker } from '../workers/run-tracker.js';

export interface RunEvent {
  type: 'progress' | 'done';
  run: Run;
  /** The page just stored (in-process runs). */
  page?: { targetId: string; url: string; posts: number };
  progress?: Omit<RunProgress, 'run'>;
}

interface ActiveRun {
  run: Run;
  controller?: AbortController;
  events: EventEmitter;
  done: Promise<void>;
}

const FINAL = new Set(['succeeded', 'failed', 'cancelled']);
const POLL_MS = 1000;

export class RunManager {
  private readonly active = new Map<string, ActiveRun>();

  constructor(
    private readonly deps: StageDeps,
    private readonly queued?: { queues: Queues; tracker: RunTracker },
  ) {}

  get mode(): 'in-process' | 'queued' {
    return this.queued ? 'queued' : 'in-process';
  }

  /** Starts a run of `targets`; resolves once it is recorded (its id is known). */
  async start(targets: Target[], opts: { maxPages?: number } = {}): Promise<Run> {
    return this.queued ? this.startQueued(targets, opts) : this.startLocal(targets, opts);
  }

  private async startLocal(targets: Target[], opts: { maxPages?: number }): Promise<Run> {
    const controller = new AbortController();
    const events = new EventEmitter();
    events.setMaxListeners(100);
    let recorded!: (run: Run) => void;
    const first = new Promise<Run>((resolve) => (recorded = resolve));
    // runLocalCrawl makes the run id and saves the run first thing: catch that save to learn it.
    const base = this.deps.store;
    const store = new Proxy(base, {
      get(target, prop) {
        if (prop === 'saveRun') return async (run: Run) => (await target.saveRun(run), recorded(run));
        const value = Reflect.get(target, prop) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    }) as Store;
    const finished = runLocalCrawl({ ...this.deps, store }, targets, {
      ...(opts.maxPages ? { maxPages: opts.maxPages } : {}),
      signal: controller.signal,
      onProgress: (p) => events.emit('event', { type: 'progress', run: snapshot(p.run), page: { targetId: p.targetId, url: p.url, posts: p.posts } } satisfies RunEvent),
    });
    const outcome = finished.then(
      (run) => run,
      (err: Error) => err,
    );
    const run = await Promise.race([first, outcome.then((r) => (r instanceof Error ? Promise.reject(r) : r))]);
    this.active.set(run.id, { run, controller, events, done: outcome.then(() => undefined) });
    void outcome.then((result) => {
      const final = result instanceof Error ? { ...run, status: 'failed' as const } : result;
      events.emit('event', { type: 'done', run: snapshot(final) } satisfies RunEvent);
      // Kept a little so a client subscribing right after the end still gets the outcome from memory.
      setTimeout(() => this.active.delete(run.id), 60_000).unref();
    });
    return snapshot(run);
  }

  private async startQueued(targets: Target[], opts: { maxPages?: number }): Promise<Run> {
    const { queues, tracker } = this.queued!;
    const runId = await enqueueCrawlRun(queues, tracker, targets, opts.maxPages ? { maxPages: opts.maxPages } : {});
    return (await tracker.read(runId))!.run;
  }

  /** The run: live when it is running here or in the queue, else as stored. */
  async get(id: string): Promise<{ run: Run; progress?: Omit<RunProgress, 'run'> } | undefined> {
    const entry = this.active.get(id);
    if (entry) return { run: snapshot(entry.run) };
    if (this.queued) {
      const p = await this.queued.tracker.read(id);
      if (p) {
        const { run, ...progress } = p;
        return { run, progress };
      }
    }
    const stored = await this.deps.store.getRun(id);
    return stored ? { run: stored } : undefined;
  }

  /**
   * Calls `listener` with every event of run `id` until it ends; returns a function that stops
   * listening. The current state is sent first, so a late subscriber starts from where it is.
   */
  async subscribe(id: string, listener: (e: RunEvent) => void): Promise<(() => void) | undefined> {
    const entry = this.active.get(id);
    if (entry) {
      const current = snapshot(entry.run);
      listener({ type: FINAL.has(current.status) ? 'done' : 'progress', run: current });
      if (FINAL.has(current.status)) return () => undefined;
      entry.events.on('event', listener);
      return () => entry.events.off('event', listener);
    }
    const now = await this.get(id);
    if (!now) return undefined;
    if (FINAL.has(now.run.status) || !this.queued) {
      listener({ type: 'done', ...now });
      return () => undefined;
    }
    // Queued: poll the tracker (its pub/sub only announces the end; the counters are what we show).
    listener({ type: 'progress', ...now });
    let stopped = false;
    const tick = async () => {
      if (stopped) return;
      const p = await this.queued!.tracker.read(id).catch(() => undefined);
      if (stopped) return;
      if (p) {
        const { run, ...progress } = p;
        const done = FINAL.has(run.status);
        listener({ type: done ? 'done' : 'progress', run, progress });
        if (done) return;
      }
      timer = setTimeout(() => void tick(), POLL_MS);
    };
    let timer = setTimeout(() => void tick(), POLL_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }

  /**
   * Asks a run to stop. In-process: aborts it. Queued: flags it in the run tracker (page jobs then
   * fetch nothing more, and its `finish` job closes it as cancelled) and removes its page jobs
   * still waiting or delayed, so the run ends without waiting for their turn or their pace delay.
   */
  async cancel(id: string): Promise<'cancelling' | 'not-found' | 'finished'> {
    const entry = this.active.get(id);
    if (entry) {
      if (FINAL.has(entry.run.status)) return 'finished';
      entry.controller?.abort();
      return 'cancelling';
    }
    if (!this.queued) return 'not-found';
    const outcome = await this.queued.tracker.requestCancel(id);
    if (outcome === 'cancelling') await removeWaitingPages(this.queued.queues, id);
    return outcome;
  }

  /** Stops every in-process run and waits for them to save their final state. */
  async close(): Promise<void> {
    for (const e of this.active.values()) e.controller?.abort();
    await Promise.all([...this.active.values()].map((e) => e.done));
  }
}

/**
 * Removes the run's page jobs that no worker holds. Removing a child releases its parent (the
 * run's `finish`); a job taken by a worker meanwhile cannot be removed, and skips itself instead.
 */
async function removeWaitingPages(queues: Queues, runId: string): Promise<number> {
  const jobs = await queues.crawl.getJobs(['waiting', 'prioritized', 'delayed']);
  let removed = 0;
  for (const job of jobs) {
    if (job?.name !== JOB.page || (job.data as CrawlJobData).runId !== runId) continue;
    removed += await job.remove().then(
      () => 1,
      () => 0, // locked by a worker that just took it: the tracker's flag stops it
    );
  }
  return removed;
}

/** A copy: the runner keeps mutating its run object. */
function snapshot(run: Run): Run {
  return { ...run, stats: { ...run.stats }, errors: [...run.errors], ...(run.errorsZh ? { errorsZh: [...run.errorsZh] } : {}), targetIds: [...run.targetIds] };
}
