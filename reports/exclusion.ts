/**
 * Which posts the report leaves out of every figure, and why. The one rule, shared by the
 * figures (aggregate.ts), the competitors' counts (competitors.ts) and the archived snapshot
 * (generate.ts), so that they cannot disagree:
 *   - 'spam': the classifier marked the post as spam (ads, templated reviews);
 *   - 'near_duplicate': the crawler found the post to nearly repeat an earlier one
 *     (`post.nearDuplicateOf`, a repost or copy); the original is counted as usual.
 * A post that is both is counted once, as spam.
 */
import type { ReportItem } from './aggregate.js';

export type ExclusionReason = 'spam' | 'near_duplicate';

/** Why `item` is left out of the figures, or null when it is analysed. */
export function excludedReason(item: ReportItem): ExclusionReason | null {
  if (item.classification.spam) return 'spam';
  if (item.post.nearDuplicateOf) return 'near_duplicate';
  return null;
}

/** True when `item` counts in the figures (neither spam nor a near-duplicate). */
export function isAnalysed(item: ReportItem): boolean {
  return excludedReason(item) === null;
}

/** The posts left out, by reason. */
export function countExcluded(items: readonly ReportItem[]): { spam: number; nearDuplicate: number } {
  const counts = { spam: 0, nearDuplicate: 0 };
  for (const item of items) {
    const reason = excludedReason(item);
    if (reason === 'spam') counts.spam++;
    else if (reason === 'near_duplicate') counts.nearDuplicate++;
  }
  return counts;
}
