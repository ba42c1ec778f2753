/**
 * Time in the report: posts per local day with volume spikes, the campaign test ("did questions
 * or complaints about the promoted features spike after the launch?") and crawl gaps (days a
 * target yielded nothing). Days are calendar days of the report's time zone.
 *
 * Both spike tests compare a count with a Poisson baseline: lambda = (baseline count + 0.5) /
 * baseline days x window days (the 0.5 keeps a silent baseline from making any post a spike),
 * p = P(X >= observed). Daily spikes are judged at 0.05 / (days tested) (Bonferroni), a
 * campaign's two tests at 0.05 each.
 */
import type { CampaignConfig } from '../core/report-config.js';
import type { AggregateInput, DatedItems, ReportItem } from './aggregate.js';
import { addDays, dayKeyer, daysBetween, daysOfRange } from './days.js';
import { compareText, poissonUpperTail } from './stats.js';

export const SPIKE_BASELINE_DAYS = 14;
export const SPIKE_MIN_BASELINE_DAYS = 7;
export const SPIKE_ALPHA = 0.05;
export const CAMPAIGN_WINDOW_DAYS = 7;
export const CAMPAIGN_BASELINE_DAYS = 28;
export const CAMPAIGN_MIN_BASELINE_DAYS = 7;
export const CAMPAIGN_ALPHA = 0.05;
/**
 * Fewer posts after a launch than this are no spike whatever the test says: with a quiet baseline
 * the +0.5 smoothing alone makes 2 posts against 0 "significant" (p = 0.007), which is no finding.
 */
export const CAMPAIGN_MIN_POSTS = 3;
/** A target silent for at least this many consecutive days is reported as a crawl gap. */
export const GAP_MIN_DAYS = 3;

interface DayCounts {
  posts: number;
  pos: number;
  neg: number;
}

export interface TrendTally {
  /** Local days of the period. */
  days: string[];
  /** First local day with data (the previous period's first day). */
  firstDataDay: string;
  /** Analysed posts per local day, previous and current period. */
  daily: Map<string, DayCounts>;
  /** Local days on which each target yielded at least one classified post (spam included). */
  targetDays: Map<string, Set<string>>;
  /** The local day the posts were read on (AggregateInput.dataUntil); later days cannot be gaps. */
  lastDataDay: string | null;
}

export interface DayFigure {
  date: string;
  posts: number;
  pos: number;
  neg: number;
}

export interface SpikeFigure {
  date: string;
  posts: number;
  /** Expected posts from the rolling baseline. */
  expected: number;
  /** P(X >= posts) under Poisson(expected). */
  p: number;
}

export interface TrendFigures {
  days: DayFigure[];
  spikes: SpikeFigure[];
  /** Days with a full enough baseline to be tested. */
  testedDays: number;
  /** Per-day significance level after the Bonferroni correction (null when no day was tested). */
  dayAlpha: number | null;
}

export interface CrawlGap {
  targetId: string;
  /** First and last silent day (inclusive). */
  from: string;
  to: string;
  days: number;
}

/**
 * `current` and `previous` are the analysed posts with their local days; `allDays` the days of
 * every classified post of the period (spam and near-duplicates included: any post shows the crawl
 * worked; same order as input.items), for crawl gaps.
 */
export function tallyTrend(input: AggregateInput, current: DatedItems, previous: DatedItems, allDays: readonly string[]): TrendTally {
  const zone = input.spec.timeZone;
  const key = dayKeyer(zone);
  const days = daysOfRange(input.spec.from, input.spec.to, zone);
  const daily = new Map<string, DayCounts>();
  for (const list of [previous, current]) list.items.forEach((item, k) => {
    const d = list.days[k]!;
    const counts = daily.get(d) ?? { posts: 0, pos: 0, neg: 0 };
    counts.posts++;
    const label = item.classification.sentiment.label;
    if (label === 'pos') counts.pos++;
    else if (label === 'neg') counts.neg++;
    daily.set(d, counts);
  });
  const targetDays = new Map<string, Set<string>>();
  input.items.forEach((item, k) => {
    let set = targetDays.get(item.post.targetId);
    if (!set) targetDays.set(item.post.targetId, (set = new Set<string>()));
    set.add(allDays[k]!);
  });
  return { days, firstDataDay: key(input.previousRange.from), daily, targetDays, lastDataDay: input.dataUntil ? key(input.dataUntil) : null };
}

export function trendFigures(tally: TrendTally): TrendFigures {
  const days = tally.days.map((date): DayFigure => ({ date, ...(tally.daily.get(date) ?? { posts: 0, pos: 0, neg: 0 }) }));
  const tests: SpikeFigure[] = [];
  for (const day of days) {
    const baselineDays = Math.min(SPIKE_BASELINE_DAYS, daysBetween(tally.firstDataDay, day.date));
    if (baselineDays < SPIKE_MIN_BASELINE_DAYS) continue;
    let sum = 0;
    for (let k = 1; k <= baselineDays; k++) sum += tally.daily.get(addDays(day.date, -k))?.posts ?? 0;
    const expected = (sum + 0.5) / baselineDays;
    tests.push({ date: day.date, posts: day.posts, expected, p: poissonUpperTail(day.posts, expected) });
  }
  const dayAlpha = tests.length ? SPIKE_ALPHA / tests.length : null;
  const spikes = dayAlpha === null ? [] : tests.filter((t) => t.posts > t.expected && t.p < dayAlpha);
  return { days, spikes, testedDays: tests.length, dayAlpha };
}

/** Runs of at least GAP_MIN_DAYS silent days per target (configured targets and targets seen). */
export function crawlGaps(tally: TrendTally, configuredTargets: readonly string[]): CrawlGap[] {
  const targets = [...new Set([...configuredTargets, ...tally.targetDays.keys()])].sort(compareText);
  const gaps: CrawlGap[] = [];
  // A day that had not begun when the posts were read is not silent, only not there yet.
  const last = tally.lastDataDay;
  const days = last === null ? tally.days : tally.days.filter((d) => d <= last);
  for (const targetId of targets) {
    const seen = tally.targetDays.get(targetId) ?? new Set<string>();
    let runStart: string | null = null;
    let run = 0;
    const close = (lastDay: string) => {
      if (runStart !== null && run >= GAP_MIN_DAYS) gaps.push({ targetId, from: runStart, to: lastDay, days: run });
      runStart = null;
      run = 0;
    };
    days.forEach((day, i) => {
      if (seen.has(day)) {
        if (i > 0) close(days[i - 1]!);
        return;
      }
      runStart ??= day;
      run++;
    });
    if (days.length) close(days[days.length - 1]!);
  }
  return gaps;
}

// ---------------------------------------------------------------------------------------------

export interface CampaignTally {
  campaign: CampaignConfig;
  /** Launch day and the window after it (inside the period), the baseline before it (with data). */
  windowDays: string[];
  baselineDays: string[];
  questions: { window: number; baseline: number };
  complaints: { window: number; baseline: number };
}

export interface CampaignTest {
  /** Posts in the window after the launch. */
  observed: number;
  /** Posts in the baseline before it. */
  baseline: number;
  /** Expected posts in the window from the baseline rate. */
  expected: number;
  /** One-sided Poisson p-value P(X >= observed); null when the baseline is too short to test. */
  p: number | null;
  spiked: boolean;
}

export interface CampaignFigure {
  name: string;
  date: string;
  features: string[];
  windowFrom: string;
  windowTo: string;
  windowDays: number;
  baselineFrom: string | null;
  baselineTo: string | null;
  baselineDays: number;
  /** False when the baseline has fewer than CAMPAIGN_MIN_BASELINE_DAYS days of data. */
  tested: boolean;
  questions: CampaignTest;
  complaints: CampaignTest;
}

/** Does the post talk about one of the (lower-cased) features: as a question topic, an aspect, or in its text? */
function mentionsFeature(item: ReportItem, features: readonly string[]): boolean {
  const c = item.classification;
  const text = item.post.text.toLowerCase();
  return features.some(
    (f) => c.question.about.some((a) => a.toLowerCase() === f) || c.aspects.some((a) => a.aspect.toLowerCase() === f) || text.includes(f),
  );
}

/** `lists`: the analysed posts of both periods with their local days. */
export function tallyCampaigns(input: AggregateInput, lists: readonly DatedItems[]): CampaignTally[] {
  const zone = input.spec.timeZone;
  const key = dayKeyer(zone);
  const periodDays = daysOfRange(input.spec.from, input.spec.to, zone);
  if (periodDays.length === 0) return [];
  const firstDataDay = key(input.previousRange.from);
  const lastDay = periodDays[periodDays.length - 1]!;
  const campaigns = (input.campaigns ?? [])
    .filter((c) => c.brand === input.brand.id && c.date >= periodDays[0]! && c.date <= lastDay)
    .sort((a, b) => compareText(a.date, b.date) || compareText(a.name, b.name));
  return campaigns.map((campaign) => {
    const features = campaign.features.map((f) => f.trim().toLowerCase()).filter(Boolean);
    const windowDays: string[] = [];
    for (let d = campaign.date; windowDays.length < CAMPAIGN_WINDOW_DAYS && d <= lastDay; d = addDays(d, 1)) windowDays.push(d);
    const baselineDays: string[] = [];
    for (let d = addDays(campaign.date, -1); baselineDays.length < CAMPAIGN_BASELINE_DAYS && d >= firstDataDay; d = addDays(d, -1)) baselineDays.unshift(d);
    const inWindow = new Set(windowDays);
    const inBaseline = new Set(baselineDays);
    const tally: CampaignTally = { campaign, windowDays, baselineDays, questions: { window: 0, baseline: 0 }, complaints: { window: 0, baseline: 0 } };
    for (const list of lists) {
      list.items.forEach((item, k) => {
        const day = list.days[k]!;
        const where = inWindow.has(day) ? 'window' : inBaseline.has(day) ? 'baseline' : null;
        if (!where || !mentionsFeature(item, features)) return;
        const c = item.classification;
        if (c.question.isQuestion) tally.questions[where]++;
        const complaint = c.sentiment.label === 'neg' || c.aspects.some((a) => a.polarity === 'neg' && features.includes(a.aspect.toLowerCase()));
        if (complaint) tally.complaints[where]++;
      });
    }
    return tally;
  });
}

export function campaignFigures(tallies: readonly CampaignTally[]): CampaignFigure[] {
  return tallies.map((t) => {
    const tested = t.baselineDays.length >= CAMPAIGN_MIN_BASELINE_DAYS;
    const test = (counts: { window: number; baseline: number }): CampaignTest => {
      if (!tested) return { observed: counts.window, baseline: counts.baseline, expected: 0, p: null, spiked: false };
      const expected = ((counts.baseline + 0.5) / t.baselineDays.length) * t.windowDays.length;
      const p = poissonUpperTail(counts.window, expected);
      return { observed: counts.window, baseline: counts.baseline, expected, p, spiked: counts.window >= CAMPAIGN_MIN_POSTS && counts.window > expected && p < CAMPAIGN_ALPHA };
    };
    return {
      name: t.campaign.name,
      date: t.campaign.date,
      features: [...t.campaign.features],
      windowFrom: t.windowDays[0]!,
      windowTo: t.windowDays[t.windowDays.length - 1]!,
      windowDays: t.windowDays.length,
      baselineFrom: t.baselineDays[0] ?? null,
      baselineTo: t.baselineDays[t.baselineDays.length - 1] ?? null,
      baselineDays: t.baselineDays.length,
      tested,
      questions: test(t.questions),
      complaints: test(t.complaints),
    };
  });
}
