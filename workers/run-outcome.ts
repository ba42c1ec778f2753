/**
 * A crawl run's status, from what happened to each of its targets: one rule for the in-process
 * runner, the queued flow's `finish` step, `voc crawl`'s exit code, `voc runs show` and the console,
 * so that a cron job can rely on it.
 *
 *   - each target ends `ok`, `unchanged` (304) or `failed` (errors, no post read, no 304):
 *     `targetOutcome` in crawlers/stats.ts;
 *   - the run is `failed` when any target failed, or when an error belongs to no target (a
 *     classification batch or a page job that gave up without saying which target it was for);
 *     its `failedTargets` names the targets; `voc crawl` then exits 1;
 *   - otherwise it `succeeded`, errors of pages that did not sink their target still listed.
 *
 * A cancelled run stays `cancelled`; a run whose own machinery failed (the store, the report step)
 * is `failed` by whoever caught it.
 */
import { targetOutcome, type TargetOutcome, type TargetStats } from '../crawlers/stats.js';

export interface RunOutcome {
  status: 'succeeded' | 'failed';
  /** Ids of the targets whose outcome is `failed`, in the order given. */
  failedTargets: string[];
}

/** One target's figures as both runners have them. */
export interface TargetFigures {
  targetId: string;
  stats: Pick<TargetStats, 'errors' | 'postsExtracted' | 'notModified'>;
}

export function runOutcome(targets: readonly TargetFigures[], otherErrors = 0): RunOutcome {
  const failedTargets = targets.filter((t) => targetOutcome(t.stats) === 'failed').map((t) => t.targetId);
  return { status: failedTargets.length > 0 || otherErrors > 0 ? 'failed' : 'succeeded', failedTargets };
}

export type { TargetOutcome };
