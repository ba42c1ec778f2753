/**
 * Competitors side by side: share of voice (posts about the brand / posts about the brand and
 * its tracked competitors) and net sentiment with its 95% interval, now and in the previous
 * period, and whether a competitor's NSS differs from the brand's more than chance
 * (two-proportion z-test on pos / (pos + neg)). A competitor is tracked when it is a brand of the
 * config with its own targets; a name alone gives no data and is listed as such.
 * A competitor's spam and near-duplicates are left out as the brand's are (exclusion.ts).
 */
import type { PeriodFigures, ReportItem } from './aggregate.js';
import { isAnalysed } from './exclusion.js';
import { netSentiment, twoProportionTest, type Interval } from './stats.js';

export interface CompetitorInput {
  id: string;
  name: string;
  /** False when the competitor is only a name in the config, with no posts crawled. */
  tracked: boolean;
  items: readonly ReportItem[];
  previousItems: readonly ReportItem[];
}

export interface CompetitorTally {
  id: string;
  name: string;
  tracked: boolean;
  posts: number;
  previousPosts: number;
  pos: number;
  neg: number;
}

export interface CompetitorRow {
  id: string;
  name: string;
  /** The report's own brand (first row). */
  self: boolean;
  posts: number;
  previousPosts: number;
  /** Share of voice among the brand and its tracked competitors; null when nobody has a post. */
  share: number | null;
  previousShare: number | null;
  nss: Interval;
  /** Competitor NSS minus the brand's, in points, with the two-sided p of the difference; null for the brand itself or without data. */
  versusBrand: { points: number; z: number; p: number } | null;
}

export interface CompetitorFigures {
  rows: CompetitorRow[];
  /** Competitors named in the config that are not tracked brands (no data). */
  untracked: string[];
}

export function tallyCompetitors(inputs: readonly CompetitorInput[]): CompetitorTally[] {
  return inputs.map((c) => {
    const current = c.items.filter(isAnalysed);
    return {
      id: c.id,
      name: c.name,
      tracked: c.tracked,
      posts: current.length,
      previousPosts: c.previousItems.filter(isAnalysed).length,
      pos: current.filter((i) => i.classification.sentiment.label === 'pos').length,
      neg: current.filter((i) => i.classification.sentiment.label === 'neg').length,
    };
  });
}

export function competitorFigures(
  brand: { id: string; name: string },
  current: PeriodFigures,
  previous: PeriodFigures,
  tallies: readonly CompetitorTally[],
): CompetitorFigures {
  const tracked = tallies.filter((t) => t.tracked);
  const total = current.posts + tracked.reduce((a, t) => a + t.posts, 0);
  const previousTotal = previous.posts + tracked.reduce((a, t) => a + t.previousPosts, 0);
  const share = (n: number, of: number) => (of === 0 ? null : n / of);
  const self: CompetitorRow = {
    id: brand.id,
    name: brand.name,
    self: true,
    posts: current.posts,
    previousPosts: previous.posts,
    share: share(current.posts, total),
    previousShare: share(previous.posts, previousTotal),
    nss: current.nss,
    versusBrand: null,
  };
  const bPos = current.sentiment.pos;
  const bN = current.sentiment.pos + current.sentiment.neg;
  const rows = tracked.map((t): CompetitorRow => {
    const nss = netSentiment(t.pos, t.neg);
    const test = twoProportionTest(t.pos, t.pos + t.neg, bPos, bN);
    return {
      id: t.id,
      name: t.name,
      self: false,
      posts: t.posts,
      previousPosts: t.previousPosts,
      share: share(t.posts, total),
      previousShare: share(t.previousPosts, previousTotal),
      nss,
      // NSS = 2p - 1, so a difference of p is twice as many NSS points.
      versusBrand: test ? { points: test.difference * 200, z: test.z, p: test.p } : null,
    };
  });
  return { rows: [self, ...rows], untracked: tallies.filter((t) => !t.tracked).map((t) => t.name) };
}
