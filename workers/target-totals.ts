/**
 * Per-target figures of a queued run, so that `voc crawl` with workers prints the same summary
 * table as an in-process crawl. A page job's record in the run tracker carries, besides the run
 * totals, the page's figures under `t:<targetId>:<field>` keys (target ids never contain `:`);
 * the tracker sums every record atomically and replaces a re-run job's contribution, so these
 * sums stay exact across retries like the run totals do.
 *
 * Fields: the numeric counters of `TargetStats`, `status:<code>` (status histogram) and
 * `stop:<reason>` (set by the job that ended the target's chain: page cap, known posts, 304...).
 */
import type { StopReason } from '../crawlers/crawl-target.js';
import { emptyTargetStats, recordError, TARGET_COUNTERS, type TargetStats } from '../crawlers/stats.js';

type Counter = (typeof TARGET_COUNTERS)[number];
const COUNTER_NAMES = new Set<string>(TARGET_COUNTERS);

/** One target's summary as the tracker rebuilds it. */
export interface QueuedTargetSummary {
  targetId: string;
  stats: TargetStats;
  /**
   * Why the target's chain ended. Null (with `running`) while the run is active and no job has
   * ended the chain yet; undefined when the run is over and no job said why (read as `no_next`).
   */
  stoppedBecause?: StopReason | null;
  /** Present (true) only while the run is active and the target's chain has not ended. */
  running?: true;
}

/** A page job that failed for good, as kept for the per-target error groups. */
export interface TargetErrorRecord {
  targetId: string;
  cause: string;
  url: string;
  message: string;
  /** The message in Chinese, when its raiser wrote one. */
  zh?: string;
}

/** The `t:` fields of one page job's record. */
export function targetFields(
  targetId: string,
  stats: Partial<Pick<TargetStats, Counter | 'statuses'>>,
  stoppedBecause?: StopReason,
): Record<string, number> {
  const out: Record<string, number> = {};
  const key = (field: string) => `t:${targetId}:${field}`;
  for (const c of TARGET_COUNTERS) {
    const v = stats[c];
    if (v) out[key(c)] = Math.round(v);
  }
  for (const [status, n] of Object.entries(stats.statuses ?? {})) if (n) out[key(`status:${status}`)] = n;
  if (stoppedBecause) out[key(`stop:${stoppedBecause}`)] = 1;
  return out;
}

/**
 * Rebuilds per-target summaries from the tracker's totals hash and the error records of jobs that
 * failed for good; targets come in `targetIds` order, each present even when nothing was recorded.
 * `run`: while it is running, a target without a stop reason is marked as running (its chain may
 * still queue pages); in a cancelled run such a target was stopped by the cancel (`aborted`);
 * otherwise it is left as it was.
 */
export function readTargetTotals(
  targetIds: readonly string[],
  totals: Record<string, string>,
  errors: readonly TargetErrorRecord[],
  startedAt: string,
  run: 'running' | 'cancelled' | 'over' = 'over',
): QueuedTargetSummary[] {
  const byId = new Map<string, QueuedTargetSummary>(targetIds.map((id) => [id, { targetId: id, stats: emptyTargetStats(startedAt) }]));
  for (const [field, raw] of Object.entries(totals)) {
    if (!field.startsWith('t:')) continue;
    const colon = field.indexOf(':', 2);
    if (colon < 0) continue;
    const id = field.slice(2, colon);
    const name = field.slice(colon + 1);
    const n = Number(raw);
    const summary = byId.get(id);
    if (!summary || !n) continue;
    if (name.startsWith('status:')) summary.stats.statuses[name.slice(7)] = n;
    else if (name.startsWith('stop:')) summary.stoppedBecause = preferredStop(summary.stoppedBecause, name.slice(5) as StopReason);
    else if (COUNTER_NAMES.has(name)) summary.stats[name as Counter] = n;
  }
  for (const e of errors) {
    const summary = byId.get(e.targetId);
    if (!summary) continue;
    recordError(summary.stats, e.cause, e.url, e.message, undefined, e.zh);
    summary.stoppedBecause ??= 'error';
  }
  const targets = [...byId.values()];
  if (run === 'running') return targets.map(markRunning);
  if (run === 'cancelled') for (const t of targets) t.stoppedBecause ??= 'aborted';
  return targets;
}

/** A target of an active run whose chain has not ended: no stop reason yet, but running. */
function markRunning(t: QueuedTargetSummary): QueuedTargetSummary {
  return t.stoppedBecause ? t : { ...t, stoppedBecause: null, running: true };
}

/**
 * One reason when several jobs recorded one (a chain of a load-more endpoint and numbered pages):
 * the most informative wins, in this order.
 */
const STOP_ORDER: StopReason[] = ['error', 'aborted', 'not_modified', 'known', 'since', 'page_cap', 'loop', 'empty_page', 'no_next'];

function preferredStop(a: StopReason | null | undefined, b: StopReason): StopReason {
  if (!a) return b;
  const rank = (r: StopReason) => (STOP_ORDER.indexOf(r) + STOP_ORDER.length + 1) % (STOP_ORDER.length + 1);
  return rank(a) <= rank(b) ? a : b;
}
