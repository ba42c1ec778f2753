/**
 * The summary's top risks and safe bets: every finding the statistics support, ranked by the
 * number of posts (or descriptor hits) behind it. Only statistically supported findings qualify:
 * a channel whose NSS interval lies wholly below (or above) zero, a promise verdict of broken (or
 * kept), an aspect in the hotspot (or safe-bet) quadrant, a breakpoint pair with at least
 * MIN_BREAKPOINT_POSTS posts, a campaign whose questions or complaints spiked.
 */
import type { ReportSection } from '../core/report-config.js';
import type { ReportFigures } from './aggregate.js';
import { compareText } from './stats.js';

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
}

export interface Findings {
  risks: Finding[];
  safeBets: Finding[];
}

export function findings(f: Omit<ReportFigures, 'findings'>): Findings {
  const risks: Finding[] = [];
  const safe: Finding[] = [];
  const base = { lower: null, upper: null, previous: null, p: null };
  for (const v of f.promises.verdicts) {
    const common = { ...base, subject: [v.channel, v.promise], value: v.fulfilment.estimate!, lower: v.fulfilment.lower, upper: v.fulfilment.upper, n: v.fulfilment.n, section: 'promises' as const };
    if (v.verdict === 'broken') risks.push({ ...common, kind: 'promise_broken', weight: v.neg });
    if (v.verdict === 'kept') safe.push({ ...common, kind: 'promise_kept', weight: v.pos });
  }
  for (const c of f.channels) {
    if (c.nss.estimate === null) continue;
    const common = { ...base, subject: [c.channel], value: c.nss.estimate, lower: c.nss.lower, upper: c.nss.upper, n: c.nss.n, section: 'channels' as const };
    if (c.nss.upper < 0) risks.push({ ...common, kind: 'channel_negative', weight: c.neg });
    if (c.nss.lower > 0) safe.push({ ...common, kind: 'channel_positive', weight: c.pos });
  }
  for (const a of f.aspects.rows) {
    const common = { ...base, subject: [a.aspect], n: a.posts, section: 'departments' as const };
    if (a.quadrant === 'hotspot')
      risks.push({ ...common, kind: 'aspect_hotspot', value: a.complaintShare.estimate!, lower: a.complaintShare.lower, upper: a.complaintShare.upper, weight: a.complaint });
    if (a.quadrant === 'safe_bet')
      safe.push({ ...common, kind: 'aspect_safe_bet', value: a.praiseShare.estimate!, lower: a.praiseShare.lower, upper: a.praiseShare.upper, weight: a.praise });
  }
  for (const p of f.breakpoints.pairs) {
    if (p.count < MIN_BREAKPOINT_POSTS) continue;
    risks.push({ ...base, kind: 'breakpoint', subject: [...p.channels], value: p.count, n: p.count, weight: p.count, previous: p.previousCount, section: 'breakpoints' });
  }
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
    .sort((a, b) => b.weight - a.weight || KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || compareText(a.subject.join('\u0000'), b.subject.join('\u0000')))
    .slice(0, TOP_FINDINGS);
}
