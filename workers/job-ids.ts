/**
 * Job ids derived from what a job is about, so that adding the same work twice is a no-op in
 * BullMQ and a pagination loop is caught before it is queued. No `:` in any id (BullMQ reserves it).
 */
import { shortHash } from '../core/ids.js';

/**
 * The canonical key of a page request: method, lower-case scheme and host, no default port, no
 * fragment, query parameters sorted. Unlike a post's canonical URL, no parameter is dropped: on a
 * listing page `?from=20` or `?page=2` *is* the page.
 */
export function requestKey(url: string, method = 'GET'): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `${method} ${url}`;
  }
  u.hash = '';
  const params = [...u.searchParams];
  params.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  u.search = params.length ? new URLSearchParams(params).toString() : '';
  return `${method} ${u.href}`;
}

/** Job id of a listing page within a run: the same request of the same target is one job. */
export function crawlJobId(runId: string, targetId: string, url: string): string {
  return `${runId}-p-${shortHash(`${targetId} ${requestKey(url)}`)}`;
}

/** Job id of the classification batch of one page job. */
export function classifyJobId(pageJobId: string): string {
  return `${pageJobId}-c`;
}

/** Job id of the step that closes a run (parent of every page and batch of the run). */
export function finishJobId(runId: string): string {
  return `${runId}-finish`;
}

/** Job id of a run's report step (the root of the flow when a report was asked for). */
export function reportJobId(runId: string): string {
  return `${runId}-report`;
}

/**
 * Run id of a scheduled crawl: derived from the schedule and the instant it fired, so a fired
 * job that is re-run (retry, crash) finds its run instead of starting a second one.
 */
export function scheduledRunId(scheduleId: string, firedAtMs: number): string {
  const stamp = new Date(firedAtMs).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, '');
  return `${stamp}-s${shortHash(scheduleId, 6)}`;
}
