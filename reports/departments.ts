/**
 * "One picture for every department": product aspects (praise and complaint shares with Wilson
 * intervals, and marketing's quadrant of safe bets vs hotspots), usage scenarios with their pain
 * points, and customer questions by feature. Tallies first, then figures, like aggregate.ts.
 */
import type { ChannelId, Polarity, ScenarioHit, Span } from '../core/types.js';
import type { ReportItem } from './aggregate.js';
import { bestQuote, quoteOrder, type Quote } from './quotes.js';
import { compareText, wilsonInterval, type Interval } from './stats.js';

/** Aspects with fewer posts are listed but not placed in a quadrant (too few to call). */
export const MIN_QUADRANT_POSTS = 5;
export const PAIN_POINTS_PER_SCENARIO = 3;

export type Quadrant = 'safe_bet' | 'hotspot' | 'polarising' | 'quiet' | 'insufficient';

export interface AspectFigure {
  aspect: string;
  /** Posts that talk about the aspect. */
  posts: number;
  /** Posts with praise / with a complaint about it (a post can do both). */
  praise: number;
  complaint: number;
  praiseShare: Interval;
  complaintShare: Interval;
  previousPosts: number;
  quadrant: Quadrant;
}

export interface AspectFigures {
  /** By posts, then id. */
  rows: AspectFigure[];
  /** Posts with at least one aspect. */
  posts: number;
  /** Pooled praise and complaint shares over all aspect mentions: the quadrant's dividing lines. */
  praiseBaseline: number | null;
  complaintBaseline: number | null;
}

export interface PainPoint {
  kind: 'aspect' | 'channel';
  id: string;
  /** Complaining posts of the scenario that are negative about this aspect or channel. */
  posts: number;
}

export interface ScenarioFigure {
  scenario: string;
  /** time, weather, place, companion, activity. */
  type: string;
  posts: number;
  praise: number;
  complaint: number;
  complaintShare: Interval;
  painPoints: PainPoint[];
  /** The most-read complaint in the scenario, or null without complaint. */
  quote: Quote | null;
}

export interface QuestionTopic {
  /** Aspect id or product/feature name the questions are about. */
  topic: string;
  posts: number;
  previous: number;
}

export interface QuestionFigures {
  /** Posts that ask a genuine question. */
  posts: number;
  /** Questions / posts analysed. */
  share: Interval;
  previousPosts: number;
  /** By posts, then topic. */
  topics: QuestionTopic[];
}

// ---------------------------------------------------------------------------------------------

interface AspectCounts {
  posts: number;
  praise: number;
  complaint: number;
  previousPosts: number;
}

export interface AspectTally {
  rows: Map<string, AspectCounts>;
  /** Posts with at least one aspect. */
  posts: number;
}

/** A post's stances towards each id of a list of (id, polarity) hits. */
function stancesOf<T>(hits: readonly T[], id: (h: T) => string, polarity: (h: T) => Polarity): Map<string, Set<Polarity>> {
  const out = new Map<string, Set<Polarity>>();
  if (hits.length === 0) return out;
  for (const h of hits) {
    const set = out.get(id(h)) ?? new Set<Polarity>();
    set.add(polarity(h));
    out.set(id(h), set);
  }
  return out;
}

export function tallyAspects(current: readonly ReportItem[], previous: readonly ReportItem[]): AspectTally {
  const tally: AspectTally = { rows: new Map(), posts: 0 };
  const row = (aspect: string) => {
    let r = tally.rows.get(aspect);
    if (!r) tally.rows.set(aspect, (r = { posts: 0, praise: 0, complaint: 0, previousPosts: 0 }));
    return r;
  };
  for (const item of current) {
    if (item.classification.aspects.length > 0) tally.posts++;
    for (const [aspect, set] of stancesOf(item.classification.aspects, (a) => a.aspect, (a) => a.polarity)) {
      const r = row(aspect);
      r.posts++;
      if (set.has('pos')) r.praise++;
      if (set.has('neg')) r.complaint++;
    }
  }
  for (const item of previous) {
    for (const aspect of new Set(item.classification.aspects.map((a) => a.aspect))) {
      const r = tally.rows.get(aspect);
      // Aspects of the previous period only matter as a comparison for aspects seen now.
      if (r) r.previousPosts++;
    }
  }
  return tally;
}

export function aspectFigures(tally: AspectTally): AspectFigures {
  const all = [...tally.rows.entries()].filter(([, r]) => r.posts > 0);
  const totalPosts = all.reduce((a, [, r]) => a + r.posts, 0);
  const praiseBaseline = totalPosts === 0 ? null : all.reduce((a, [, r]) => a + r.praise, 0) / totalPosts;
  const complaintBaseline = totalPosts === 0 ? null : all.reduce((a, [, r]) => a + r.complaint, 0) / totalPosts;
  const rows = all.map(([aspect, r]): AspectFigure => {
    const praiseShare = wilsonInterval(r.praise, r.posts);
    const complaintShare = wilsonInterval(r.complaint, r.posts);
    return {
      aspect,
      posts: r.posts,
      praise: r.praise,
      complaint: r.complaint,
      praiseShare,
      complaintShare,
      previousPosts: r.previousPosts,
      quadrant: quadrantOf(r, praiseBaseline, complaintBaseline),
    };
  });
  rows.sort((a, b) => b.posts - a.posts || compareText(a.aspect, b.aspect));
  return { rows, posts: tally.posts, praiseBaseline, complaintBaseline };
}

/**
 * Marketing's quadrant: praise above the pooled praise share and complaint not above the pooled
 * complaint share is a safe bet (promote it); the reverse is a hotspot (fix it first).
 */
function quadrantOf(r: AspectCounts, praiseBaseline: number | null, complaintBaseline: number | null): Quadrant {
  if (r.posts < MIN_QUADRANT_POSTS || praiseBaseline === null || complaintBaseline === null) return 'insufficient';
  const highPraise = r.praise / r.posts > praiseBaseline;
  const highComplaint = r.complaint / r.posts > complaintBaseline;
  if (highPraise && !highComplaint) return 'safe_bet';
  if (highComplaint && !highPraise) return 'hotspot';
  return highPraise ? 'polarising' : 'quiet';
}

// ---------------------------------------------------------------------------------------------

interface ScenarioCounts {
  type: string;
  /** The post the type was read from (the smallest id, so the type does not depend on input order). */
  typeFrom: string;
  posts: number;
  praise: number;
  complaint: number;
  painAspects: Map<string, number>;
  painChannels: Map<ChannelId, number>;
  best?: { item: ReportItem; evidence: Span };
}

export type ScenarioTally = Map<string, ScenarioCounts>;

export function tallyScenarios(current: readonly ReportItem[]): ScenarioTally {
  const tally: ScenarioTally = new Map();
  for (const item of current) {
    const c = item.classification;
    const stances = stancesOf(c.scenarios, (s) => s.scenario, (s) => s.polarity);
    if (stances.size === 0) continue;
    for (const [scenario, set] of stances) {
      const hit = c.scenarios.find((s) => s.scenario === scenario)!;
      let r = tally.get(scenario);
      if (!r) tally.set(scenario, (r = { type: hit.type, typeFrom: item.post.id, posts: 0, praise: 0, complaint: 0, painAspects: new Map(), painChannels: new Map() }));
      else if (compareText(item.post.id, r.typeFrom) < 0) {
        r.type = hit.type;
        r.typeFrom = item.post.id;
      }
      r.posts++;
      if (set.has('pos')) r.praise++;
      if (!set.has('neg')) continue;
      r.complaint++;
      // The pain point the scenario's own sentence names; classifications stored before scenarios
      // carried it fall back to what the post as a whole complains about.
      const pain = linkedPain(c.scenarios, scenario) ?? wholePostPain(c);
      for (const a of pain.aspects) r.painAspects.set(a, (r.painAspects.get(a) ?? 0) + 1);
      for (const ch of pain.channels) r.painChannels.set(ch, (r.painChannels.get(ch) ?? 0) + 1);
      const evidence = c.scenarios.find((s) => s.scenario === scenario && s.polarity === 'neg')!.evidence;
      if (!r.best || quoteOrder(item.post, r.best.item.post) < 0) r.best = { item, evidence };
    }
  }
  return tally;
}

/** What a post as a whole complains about (classifications stored before ScenarioHit.linked). */
function wholePostPain(c: ReportItem['classification']): { aspects: Iterable<string>; channels: Iterable<string> } {
  return {
    aspects: new Set(c.aspects.filter((a) => a.polarity === 'neg').map((a) => a.aspect)),
    channels: new Set(c.channels.filter((m) => m.polarity === 'neg').map((m) => m.channel)),
  };
}

/** Aspects and channels the complaining sentences of `scenario` judge, or undefined when the
 *  classification predates `ScenarioHit.linked`. */
function linkedPain(hits: readonly ScenarioHit[], scenario: string): { aspects: Set<string>; channels: Set<ChannelId> } | undefined {
  let out: { aspects: Set<string>; channels: Set<ChannelId> } | undefined;
  for (const h of hits) {
    if (h.scenario !== scenario || h.polarity !== 'neg' || !h.linked) continue;
    out ??= { aspects: new Set(), channels: new Set() };
    for (const a of h.linked.aspects) out.aspects.add(a);
    for (const ch of h.linked.channels) out.channels.add(ch);
  }
  return out;
}

export function scenarioFigures(tally: ScenarioTally): ScenarioFigure[] {
  const rows = [...tally.entries()].map(([scenario, r]): ScenarioFigure => {
    const painPoints: PainPoint[] = [
      ...[...r.painAspects].map(([id, posts]) => ({ kind: 'aspect' as const, id, posts })),
      ...[...r.painChannels].map(([id, posts]) => ({ kind: 'channel' as const, id, posts })),
    ]
      .sort((a, b) => b.posts - a.posts || compareText(a.kind, b.kind) || compareText(a.id, b.id))
      .slice(0, PAIN_POINTS_PER_SCENARIO);
    return {
      scenario,
      type: r.type,
      posts: r.posts,
      praise: r.praise,
      complaint: r.complaint,
      complaintShare: wilsonInterval(r.complaint, r.posts),
      painPoints,
      quote: r.best ? bestQuote([r.best]) ?? null : null,
    };
  });
  return rows.sort((a, b) => b.complaint - a.complaint || b.posts - a.posts || compareText(a.scenario, b.scenario));
}

// ---------------------------------------------------------------------------------------------

export interface QuestionTally {
  posts: number;
  analysed: number;
  previousPosts: number;
  topics: Map<string, number>;
  previousTopics: Map<string, number>;
}

export function tallyQuestions(current: readonly ReportItem[], previous: readonly ReportItem[]): QuestionTally {
  const count = (items: readonly ReportItem[], topics: Map<string, number>) => {
    let posts = 0;
    for (const item of items) {
      const q = item.classification.question;
      if (!q.isQuestion) continue;
      posts++;
      for (const topic of new Set(q.about.map((t) => t.trim()).filter(Boolean))) topics.set(topic, (topics.get(topic) ?? 0) + 1);
    }
    return posts;
  };
  const topics = new Map<string, number>();
  const previousTopics = new Map<string, number>();
  const posts = count(current, topics);
  const previousPosts = count(previous, previousTopics);
  return { posts, analysed: current.length, previousPosts, topics, previousTopics };
}

export function questionFigures(tally: QuestionTally): QuestionFigures {
  const topics = [...tally.topics.entries()]
    .map(([topic, posts]) => ({ topic, posts, previous: tally.previousTopics.get(topic) ?? 0 }))
    .sort((a, b) => b.posts - a.posts || compareText(a.topic, b.topic));
  return { posts: tally.posts, share: wilsonInterval(tally.posts, tally.analysed), previousPosts: tally.previousPosts, topics };
}
