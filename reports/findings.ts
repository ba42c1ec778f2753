/**
 * The summary's top risks and safe bets: every finding the statistics support, ranked by the
 * number of posts behind it. Only statistically supported findings qualify: a channel whose NSS
 * interval lies wholly below (or above) zero, a promise verdict of broken (or kept), an aspect in
 * the hotspot (or safe-bet) quadrant whose complaint (praise) share lies wholly above the average,
 * a breakpoint pair with at least MIN_BREAKPOINT_POSTS posts, a campaign whose questions or
 * complaints spiked. The summary picks from many comparisons at once (eight channels, every
 * channel x promise cell, every aspect), so each family is held to a Bonferroni-corrected interval
 * (familyZ): a channel called significant among eight clears z = 2.73, not 1.96. The sections keep
 * their per-row 95% intervals; the finding quotes them.
 */
import type { ReportSection } from '../core/report-config.js';
import type { ReportFigures } from './aggregate.js';
import { compareText, familyZ, netSentiment, wilsonInterval } from './stats.js';

export const TOP_FINDINGS = 3;
export const MIN_BREAKPOINT_POSTS = 3;

export type FindingKind =
  | 'promise_broken'
  | 'channel_negative'
  | 'aspect_hotspot'
  | 'breakpoint'
  | 'campaign_spike'
  | 'promise_kept'
  | 'channel_positive'
  | 'aspect_safe_bet';

/** Order of kinds when weights tie (also the order they are explained in). */
const KIND_ORDER: readonly FindingKind[] = [
  'promise_broken',
  'channel_negative',
  'aspect_hotspot',
  'breakpoint',
  'campaign_spike',
  'promise_kept',
  'channel_positive',
  'aspect_safe_bet',
];

export interface Finding {
  kind: FindingKind;
  /**
   * What it is about: [channel, promise] for promise_*, [channel] for channel_*, [aspect] for
   * aspect_*, [channelA, channelB] for breakpoint, [campaign name, 'questions' | 'complaints'].
   */
  subject: string[];
  /** The headline figure: a fulfilment or share in [0, 1], an NSS in [-1, 1], or a count. */
  value: number;
  lower: number | null;
  upper: number | null;
  /** Sample size the figure rests on. */
  n: number;
  /** Posts or hits behind the finding: its rank. */
  weight: number;
  /** Breakpoint posts or campaign baseline expectation in the comparison. */
  previous: number | null;
  p: number | null;
  /** Section holding the detail (the summary links to it). */
  section: ReportSection;
  /**
   * Place in its section's own order, where that order breaks ties the section prints (breakpoint
   * pairs with as many posts: by their posts' likes), so the summary picks and lists tied pairs as
   * the breakpoint section does rather than by channel id.
   */
  order?: number;
}

export interface Findings {
  risks: Finding[];
  safeBets: Finding[];
}

export function findings(f: Omit<ReportFigures, 'findings'>): Findings {
  const risks: Finding[] = [];
  const safe: Finding[] = [];
  const base = { lower: null, upper: null, previous: null, p: null };
  const judged = f.promises.verdicts.filter((v) => v.verdict !== 'insufficient');
  const zPromises = familyZ(judged.length);
  for (const v of judged) {
    const common = { ...base, subject: [v.channel, v.promise], value: v.fulfilment.estimate!, lower: v.fulfilment.lower, upper: v.fulfilment.upper, n: v.fulfilment.n, section: 'promises' as const };
    const strict = wilsonInterval(v.pos, v.pos + v.neg, zPromises);
    if (v.verdict === 'broken' && strict.upper < 0.5) risks.push({ ...common, kind: 'promise_broken', weight: v.neg });
    if (v.verdict === 'kept' && strict.lower > 0.5) safe.push({ ...common, kind: 'promise_kept', weight: v.pos });
  }
  const scored = f.channels.filter((c) => c.nss.estimate !== null);
  const zChannels = familyZ(scored.length);
  for (const c of scored) {
    const common = { ...base, subject: [c.channel], value: c.nss.estimate!, lower: c.nss.lower, upper: c.nss.upper, n: c.nss.n, section: 'channels' as const };
    const strict = netSentiment(c.pos, c.neg, zChannels);
    if (strict.upper < 0) risks.push({ ...common, kind: 'channel_negative', weight: c.neg });
    if (strict.lower > 0) safe.push({ ...common, kind: 'channel_positive', weight: c.pos });
  }
  const placed = f.aspects.rows.filter((a) => a.quadrant !== 'insufficient');
  const zAspects = familyZ(placed.length);
  const { praiseBaseline, complaintBaseline } = f.aspects;
  for (const a of placed) {
    const common = { ...base, subject: [a.aspect], n: a.posts, section: 'departments' as const };
    // The quadrant is drawn from point estimates; the summary asks that the share clear the average.
    if (a.quadrant === 'hotspot' && complaintBaseline !== null && wilsonInterval(a.complaint, a.posts, zAspects).lower > complaintBaseline)
      risks.push({ ...common, kind: 'aspect_hotspot', value: a.complaintShare.estimate!, lower: a.complaintShare.lower, upper: a.complaintShare.upper, weight: a.complaint });
    if (a.quadrant === 'safe_bet' && praiseBaseline !== null && wilsonInterval(a.praise, a.posts, zAspects).lower > praiseBaseline)
      safe.push({ ...common, kind: 'aspect_safe_bet', value: a.praiseShare.estimate!, lower: a.praiseShare.lower, upper: a.praiseShare.upper, weight: a.praise });
  }
  f.breakpoints.pairs.forEach((p, i) => {
    if (p.count < MIN_BREAKPOINT_POSTS) return;
    risks.push({ ...base, kind: 'breakpoint', subject: [...p.channels], value: p.count, n: p.count, weight: p.count, previous: p.previousCount, section: 'breakpoints', order: i });
  });
  for (const c of f.campaigns) {
    for (const what of ['questions', 'complaints'] as const) {
      const test = c[what];
      if (!test.spiked) continue;
      risks.push({ ...base, kind: 'campaign_spike', subject: [c.name, what], value: test.observed, n: test.observed, weight: test.observed, previous: test.expected, p: test.p, section: 'departments' });
    }
  }
  return { risks: rank(risks), safeBets: rank(safe) };
}

function rank(list: Finding[]): Finding[] {
  return list
    .sort(
      (a, b) =>
        b.weight - a.weight ||
        KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
        (a.order ?? 0) - (b.order ?? 0) ||
        compareText(a.subject.join('\u0000'), b.subject.join('\u0000')),
    )
    .slice(0, TOP_FINDINGS);
}
