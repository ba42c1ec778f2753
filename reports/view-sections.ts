/**
 * View models of the report's sections (channels, promises, breakpoints, departments,
 * competitors, methods). Each takes the figures and returns strings ready to print; quotes are
 * registered with the sources appendix as they are met, so its numbering follows the document.
 */
import type { ReportSection } from '../core/report-config.js';
import type { Locale } from '../core/types.js';
import { BREAKPOINT_KINDS } from '../core/types.js';
import type { DistinctiveStats, ReportFigures } from './aggregate.js';
import type { ReportCharts } from './chart-set.js';
import { MIN_QUADRANT_POSTS } from './departments.js';
import {
  formatDateTime,
  formatDecimal,
  formatIndex,
  formatNss,
  formatNssInterval,
  formatP,
  formatPercent,
  formatPercentInterval,
  formatRange,
  formatSigned,
  formatSignedCount,
} from './format.js';
import { breakpointKindLabel, joinList, t, type MessageKey } from './i18n.js';
import type { Labels } from './labels.js';
import { MIN_VERDICT_HITS } from './promises.js';
import type { Quote } from './quotes.js';
import { CAMPAIGN_BASELINE_DAYS, CAMPAIGN_MIN_BASELINE_DAYS, CAMPAIGN_MIN_POSTS, CAMPAIGN_WINDOW_DAYS, SPIKE_BASELINE_DAYS } from './trend.js';
import type { ClassifierEvaluation, QuoteView, SourceRegistry } from './view-model.js';
import { MAX_BREAKPOINT_PAIRS, safeHref, shortenMiddle } from './view-model.js';

/** Printed URLs longer than this are shortened in the middle. */
const PRINTED_URL_MAX = 90;

export interface SectionContext {
  figures: ReportFigures;
  locale: Locale;
  labels: Labels;
  zone: string;
  msg: (key: MessageKey, params?: Record<string, string | number>) => string;
  na: string;
  count: (n: number) => string;
  sources: SourceRegistry;
  charts: ReportCharts;
  show: Record<ReportSection, boolean>;
}

/** A quote as printed, registered with the sources appendix when its section prints. */
export function quoteView(ctx: SectionContext, q: Quote, section: ReportSection): QuoteView {
  const href = safeHref(q.url);
  const meta = [ctx.msg('quoteMeta', { source: q.source, date: formatDateTime(q.publishedAt, ctx.zone) })];
  if (q.likes > 0) meta.push(ctx.msg('likes', { n: ctx.count(q.likes) }));
  const lang = q.lang === 'zh' ? 'zh-CN' : q.lang === 'en' ? 'en' : '';
  const ref = ctx.show[section] ? ctx.sources.ref(q) : { ref: '', refHref: '' };
  return { text: q.text, lang, ...(href ? { href } : {}), url: shortenMiddle(q.url, PRINTED_URL_MAX), meta: meta.join(' · '), ...ref };
}

export function channelsView(ctx: SectionContext) {
  const { figures, msg, na, count, locale, labels } = ctx;
  return {
    intro: msg('channelsIntro', { overall: formatNss(figures.channelNss.estimate, na), n: count(figures.channelNss.n) }),
    none: msg('channelsNone'),
    rows: figures.channels.map((c, i) => ({
      anchor: `ch-${i + 1}`,
      label: labels.channel(c.channel, locale),
      mentions: count(c.mentions),
      postShare: formatPercent(c.postShare, locale),
      pos: count(c.pos),
      neg: count(c.neg),
      neutral: count(c.neutral),
      mixed: count(c.mixed),
      nss: formatNss(c.nss.estimate, na),
      ci: c.nss.estimate === null ? na : formatNssInterval(c.nss),
      drag: c.drag === null ? na : formatSigned(c.drag * 100),
      previous: count(c.previousMentions),
      dragging: c.channel === figures.dragChannel,
    })),
    chartSvg: ctx.charts.channels,
    matrixIntro: msg('matrixIntro'),
    matrixNone: msg('matrixNone'),
    unattributedNote: figures.matrix.unattributedHits > 0 ? msg('matrixUnattributed', { n: count(figures.matrix.unattributedHits) }) : '',
    heatmapSvg: ctx.charts.heatmap,
  };
}

export function promisesView(ctx: SectionContext) {
  const { figures, msg, na, count, locale, labels } = ctx;
  const p = figures.promises;
  return {
    intro: msg('promisesIntro', { min: MIN_VERDICT_HITS }),
    verdictsNone: msg('verdictsNone'),
    verdicts: p.verdicts.map((v, i) => ({
      anchor: `pv-${i + 1}`,
      channel: labels.channel(v.channel, locale),
      promise: labels.promise(v.promise, locale),
      pos: count(v.pos),
      neg: count(v.neg),
      fulfilment: v.fulfilment.estimate === null ? na : formatPercent(v.fulfilment.estimate, locale),
      interval: formatPercentInterval(v.fulfilment, locale),
      n: count(v.fulfilment.n),
      verdict: msg(`verdict_${v.verdict}`),
      verdictClass: v.verdict.replace('_', '-'),
      // Evidence is quoted for a verdict only; "too little evidence" stands without a quote.
      ...(v.quote && v.verdict !== 'insufficient' ? { quote: quoteView(ctx, v.quote, 'promises') } : {}),
    })),
    consistencyIntro: msg('consistencyIntro'),
    consistency: p.consistency.map((c) => ({
      promise: c.configured ? labels.promise(c.promise, locale) : msg('consistencyNotConfigured', { promise: labels.promise(c.promise, locale) }),
      channels: count(c.channels),
      hits: count(c.hits),
      fulfilment: c.fulfilment.estimate === null ? na : formatPercent(c.fulfilment.estimate, locale),
      interval: formatPercentInterval(c.fulfilment, locale),
      chiSquare: c.test ? `${formatDecimal(c.test.chiSquare, locale)} (${c.test.df})` : na,
      p: c.test ? (c.test.method === 'permutation' ? msg('permutationP', { p: formatP(c.test.p) }) : formatP(c.test.p)) : na,
      index: c.index !== null ? formatIndex(c.index) : c.channels < 2 ? msg('consistencySingle') : msg('consistencyTooFew', { min: MIN_VERDICT_HITS }),
      single: c.index === null,
    })),
    overall:
      p.index === null
        ? ''
        : msg('consistencyOverall', { index: formatIndex(p.index), promises: count(p.consistency.filter((c) => c.index !== null).length) }),
    descriptorsIntro: msg('descriptorsIntro'),
    // A table of words ranked by z reads as findings; say when none of them is one.
    descriptorsNoneFlagged: figures.descriptors.length > 0 && !figures.descriptors.some((d) => d.words.some((w) => w.flagged)) ? msg('wordsNoneFlagged') : '',
    descriptorsNone: msg('descriptorsNone'),
    descriptors: figures.descriptors.map((d) => ({
      label: labels.channel(d.channel, locale),
      hits: msg(d.hits === 1 ? 'openWordsUse' : 'openWordsUses', { n: count(d.hits) }),
      words: d.words.map((w) => ({
        word: w.word,
        promise: labels.promise(w.promise, locale),
        polarity: msg(w.polarity === 'pos' ? 'positive' : 'negative'),
        ...distinctiveCells(ctx, w),
      })),
    })),
  };
}

/** The statistics cells of a distinctive word (descriptors and open words alike). */
function distinctiveCells(ctx: Pick<SectionContext, 'msg' | 'count'>, w: DistinctiveStats) {
  return {
    count: ctx.count(w.count),
    restCount: ctx.count(w.restCount),
    z: w.z.toFixed(2),
    q: formatP(w.q),
    flagged: w.flagged,
    flag: w.flagged ? ctx.msg('distinctive') : '',
  };
}

/** `不·冷清` / `not 冷清`: how a negated open word is printed. */
function openWordLabel(ctx: Pick<SectionContext, 'msg'>, word: string, negated: boolean): string {
  return negated ? ctx.msg('openWordNegated', { word }) : word;
}

/** Word use per channel beyond the lexicon; printed in the promises section after the descriptors. */
export function openWordsView(ctx: SectionContext) {
  const { figures, msg, count, locale, labels } = ctx;
  return {
    intro: msg('openWordsIntro'),
    noneFlagged: figures.openWords.length > 0 && !figures.openWords.some((c) => c.words.some((w) => w.flagged)) ? msg('wordsNoneFlagged') : '',
    none: msg('openWordsNone'),
    channels: figures.openWords.map((c) => ({
      label: labels.channel(c.channel, locale),
      uses: msg(c.hits === 1 ? 'openWordsUse' : 'openWordsUses', { n: count(c.hits) }),
      words: c.words.map((w) => ({
        word: openWordLabel(ctx, w.word, w.negated),
        negated: w.negated,
        pos: msg(w.pos === 'adj' ? 'pos_adj' : 'pos_verb'),
        ...distinctiveCells(ctx, w),
        quote: quoteView(ctx, w.quote, 'promises'),
      })),
    })),
  };
}

export function breakpointsView(ctx: SectionContext) {
  const { figures, msg, count, locale, labels } = ctx;
  // Every pair is in the table (there are at most 28); the first MAX_BREAKPOINT_PAIRS get their quotes.
  const all = figures.breakpoints.pairs;
  const rows = all.map((p, i) => ({
    id: `bp-${i + 1}`,
    rank: p.tied ? msg('tiedRank', { rank: p.rank }) : String(p.rank),
    // The quote block's heading: "1. 电商平台 ↔ 门店 （并列）", the number where a heading's number goes.
    rankNumber: String(p.rank),
    tiedMark: p.tied ? msg('tiedMark') : '',
    detailed: i < MAX_BREAKPOINT_PAIRS,
    title: `${labels.channel(p.channels[0], locale)} ↔ ${labels.channel(p.channels[1], locale)}`,
    count: count(p.count),
    previous: count(p.previousCount),
    change: p.previousCount === 0 && p.count > 0 ? `${formatSignedCount(p.change, locale)} (${msg('newPair')})` : formatSignedCount(p.change, locale),
    kinds: BREAKPOINT_KINDS.filter((k) => p.kinds[k] > 0)
      .map((k) => `${breakpointKindLabel(k, locale)} ${count(p.kinds[k])}`)
      .join(' · '),
    quotes: p.quotes.map((q) => quoteView(ctx, q, 'breakpoints')),
  }));
  const hidden = all.length - MAX_BREAKPOINT_PAIRS;
  return {
    intro: msg('breakpointsIntro'),
    none: msg('breakpointsNone'),
    pairs: rows,
    details: rows.filter((r) => r.detailed),
    ...(hidden > 0 ? { moreNote: msg('breakpointsMoreNote', { shown: MAX_BREAKPOINT_PAIRS, hidden }) } : {}),
  };
}

export function departmentsView(ctx: SectionContext) {
  const { figures, msg, na, count, locale, labels, zone } = ctx;
  const pct = (x: number | null) => (x === null ? na : formatPercent(x, locale));
  const a = figures.aspects;
  const q = figures.questions;
  const trend = figures.trend;
  const scenarioType = (type: string) => {
    const key = `scenarioType_${type}` as MessageKey;
    const label = t(locale, key);
    return label === key ? type : label;
  };
  return {
    aspects: {
      intro: msg('aspectsIntro'),
      none: msg('aspectsNone'),
      rows: a.rows.map((r, i) => ({
        anchor: `as-${i + 1}`,
        label: labels.aspect(r.aspect, locale),
        n: count(r.posts),
        praise: pct(r.praiseShare.estimate),
        praiseCi: `${formatPercentInterval(r.praiseShare, locale)} · n = ${count(r.posts)}`,
        complaint: pct(r.complaintShare.estimate),
        complaintCi: `${formatPercentInterval(r.complaintShare, locale)} · n = ${count(r.posts)}`,
        previous: count(r.previousPosts),
        quadrant: msg(`quadrant_${r.quadrant}`),
        quadrantClass: r.quadrant.replace('_', '-'),
      })),
    },
    quadrant: {
      intro: msg('quadrantIntro', { praise: pct(a.praiseBaseline), complaint: pct(a.complaintBaseline), min: MIN_QUADRANT_POSTS }),
      chartSvg: ctx.charts.quadrant,
    },
    scenarios: {
      intro: msg('scenariosIntro'),
      none: msg('scenariosNone'),
      rows: figures.scenarios.map((s) => ({
        label: labels.scenario(s.scenario, locale),
        type: scenarioType(s.type),
        n: count(s.posts),
        complaint: pct(s.complaintShare.estimate),
        complaintCi: `${formatPercentInterval(s.complaintShare, locale)} · n = ${count(s.posts)}`,
        painPoints: s.painPoints.map((p) => `${p.kind === 'aspect' ? labels.aspect(p.id, locale) : labels.channel(p.id, locale)} ${count(p.posts)}`).join(' · ') || na,
        ...(s.quote ? { quote: quoteView(ctx, s.quote, 'departments') } : {}),
      })),
    },
    questions: {
      intro:
        q.posts === 0
          ? msg('questionsNone')
          : msg('questionsIntro', { n: count(q.posts), share: pct(q.share.estimate), interval: formatPercentInterval(q.share, locale), previous: count(q.previousPosts) }),
      rows: q.topics.map((topic) => ({
        topic: labels.aspect(topic.topic, locale),
        posts: count(topic.posts),
        previous: count(topic.previous),
        change: formatSignedCount(topic.posts - topic.previous, locale),
      })),
    },
    campaigns: {
      intro: msg('campaignsIntro', { window: CAMPAIGN_WINDOW_DAYS, baseline: CAMPAIGN_BASELINE_DAYS }),
      none: msg('campaignsNone'),
      items: figures.campaigns.map((c, i) => ({
        anchor: `cp-${i + 1}`,
        title: msg('campaignTitle', { name: c.name, date: c.date, features: joinList(locale, c.features) }),
        untested: c.tested ? '' : msg('campaignUntested', { min: CAMPAIGN_MIN_BASELINE_DAYS }),
        windowLabel: msg('campaignWindow', { from: c.windowFrom, to: c.windowTo }),
        baselineLabel: msg('campaignBaseline', { days: count(c.baselineDays) }),
        rows: (['questions', 'complaints'] as const).map((what) => {
          const test = c[what];
          return {
            metric: msg(what === 'questions' ? 'what_questions' : 'what_complaints'),
            observed: count(test.observed),
            baseline: count(test.baseline),
            expected: c.tested ? formatDecimal(test.expected, locale) : na,
            p: test.p === null ? na : formatP(test.p),
            spiked: c.tested ? msg(test.spiked ? 'yes' : 'no') : na,
            isSpike: test.spiked,
          };
        }),
      })),
    },
    trend: {
      intro: msg('trendIntro', { baseline: SPIKE_BASELINE_DAYS, alpha: trend.dayAlpha === null ? na : formatDecimal(trend.dayAlpha, locale, 4) }),
      chartSvg: ctx.charts.trend,
      spikes:
        trend.dayAlpha === null
          ? msg('trendUntested')
          : trend.spikes.length === 0
            ? msg('trendNoSpikes')
            : msg('trendSpikes', {
                list: trend.spikes
                  .map((s) => msg('spikeItem', { date: s.date, posts: count(s.posts), expected: formatDecimal(s.expected, locale, 1), p: formatP(s.p) }))
                  .join(locale === 'zh-CN' ? '；' : '; '),
              }),
      range: formatRange(figures.period.from, figures.period.to, zone),
    },
  };
}

export function competitorsView(ctx: SectionContext) {
  const { figures, msg, na, count, locale } = ctx;
  const c = figures.competitors;
  return {
    intro: msg('competitorsIntro'),
    none: msg('competitorsNone'),
    untracked: c && c.untracked.length ? msg('competitorsUntracked', { names: joinList(locale, c.untracked) }) : '',
    chartSvg: ctx.charts.competitors,
    rows: (c?.rows ?? []).map((r) => ({
      name: r.self ? msg('thisBrand', { name: r.name }) : r.name,
      self: r.self,
      posts: count(r.posts),
      share: r.share === null ? na : formatPercent(r.share, locale),
      previousShare: r.previousShare === null ? na : formatPercent(r.previousShare, locale),
      nss: formatNss(r.nss.estimate, na),
      ci: r.nss.estimate === null ? na : formatNssInterval(r.nss),
      n: count(r.nss.n),
      diff: r.versusBrand ? `${formatSigned(r.versusBrand.points)} (${formatP(r.versusBrand.p)})` : na,
    })),
  };
}

/** `(95% interval 93.7%–94.9%, n = 1,800)` after a classifier figure: what of the two it has. */
function metricDetail(m: ClassifierEvaluation['metrics'][number], locale: Locale, count: (n: number) => string): string {
  const parts: string[] = [];
  if (m.ci95) parts.push(`${locale === 'zh-CN' ? '95% 区间' : '95% interval'} ${formatPercent(m.ci95[0], locale)}–${formatPercent(m.ci95[1], locale)}`);
  if (m.n !== undefined) parts.push(`n = ${count(m.n)}`);
  return parts.length ? ` (${parts.join(locale === 'zh-CN' ? '，' : ', ')})` : '';
}

export function methodsView(ctx: SectionContext, lexiconVersion: string, evaluation: ClassifierEvaluation | undefined) {
  const { figures, msg, zone, locale } = ctx;
  const previous = formatRange(figures.period.previous.from, figures.period.previous.to, zone).split(' – ');
  const accuracy = evaluation
    ? msg('methodsAccuracy', {
        date: formatDateTime(evaluation.measuredAt, zone),
        corpus: evaluation.corpus,
        metrics: evaluation.metrics
          .map((m) => `${m.name} ${formatPercent(m.value, locale)}${metricDetail(m, locale, ctx.count)}`)
          .join(locale === 'zh-CN' ? '；' : '; '),
      })
    : msg('methodsAccuracyMissing');
  return {
    lines: [
      msg('methodsIntro', { from: previous[0]!, to: previous[1]! }),
      msg('methodsLexicon', { version: lexiconVersion }),
      accuracy,
      msg('methodsNss'),
      msg('methodsDrag'),
      msg('methodsFulfilment'),
      msg('methodsVerdict', { min: MIN_VERDICT_HITS }),
      msg('methodsConsistency', { min: MIN_VERDICT_HITS }),
      msg('methodsFindings'),
      msg('methodsLogOdds'),
      msg('methodsOpenWords'),
      msg('methodsShares', { min: MIN_QUADRANT_POSTS }),
      msg('methodsSpikes', { baseline: SPIKE_BASELINE_DAYS, days: ctx.count(figures.trend.testedDays) }),
      msg('methodsCampaign', { window: CAMPAIGN_WINDOW_DAYS, baseline: CAMPAIGN_BASELINE_DAYS, min: CAMPAIGN_MIN_POSTS }),
      msg('methodsCompetitors'),
      msg('methodsQuotes'),
      msg('methodsLimits'),
    ],
  };
}
