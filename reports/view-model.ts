/**
 * Figures -> the plain object the templates print. Every decision about wording, rounding,
 * dates and links is made here, so templates only lay out strings (and the two SVG charts this
 * module generates). Nothing in the view model is HTML except those SVG strings.
 */
import type { Locale } from '../core/types.js';
import type { BreakpointPair, ChannelFigure, ReportFigures } from './aggregate.js';
import { channelChartSvg, promiseHeatmapSvg } from './charts.js';
import {
  formatCount,
  formatDateTime,
  formatNss,
  formatNssInterval,
  formatPercent,
  formatRange,
  formatSigned,
  formatSignedCount,
  formatSignedPercent,
} from './format.js';
import { breakpointKindLabel, postCount, t, type MessageKey } from './i18n.js';
import type { Labels } from './labels.js';
import { BREAKPOINT_KINDS } from '../core/types.js';

/** How many channel pairs the breakpoint section shows (the summary shows the first 3). */
export const MAX_BREAKPOINT_PAIRS = 8;
const SUMMARY_BREAKPOINTS = 3;

export interface ViewModelOptions {
  labels: Labels;
  /** Defaults to the spec's locale. */
  locale?: Locale;
  generatedAt: Date;
  /** Lexicon version of the classifier (used when the data carries none). */
  lexiconVersion: string;
}

export interface Row {
  label: string;
  value: string;
}

export interface QuoteView {
  text: string;
  /** BCP 47 language of the quoted post; empty when unknown. */
  lang: string;
  /** Only set for http(s) URLs; anything else is printed as text and never linked. */
  href?: string;
  /** The URL as printed: shortened in the middle when long (the link keeps the full URL). */
  url: string;
  meta: string;
}

/** Printed URLs longer than this are shortened in the middle. */
const PRINTED_URL_MAX = 90;

export interface ReportViewModel {
  lang: Locale;
  title: string;
  text: Record<
    | 'contents'
    | 'coverage'
    | 'sectionSummary'
    | 'sectionChannels'
    | 'sectionMatrix'
    | 'sectionDescriptors'
    | 'sectionBreakpoints'
    | 'sectionMethods'
    | 'summaryTopBreakpoints'
    | 'channel'
    | 'posts'
    | 'postShare'
    | 'positive'
    | 'negative'
    | 'neutral'
    | 'mixed'
    | 'nss'
    | 'ci95'
    | 'drag'
    | 'previousPosts'
    | 'descriptor'
    | 'promise'
    | 'polarity'
    | 'inChannel'
    | 'otherChannels'
    | 'zScore'
    | 'qValue'
    | 'breakpointPair'
    | 'kinds'
    | 'change'
    | 'quotes',
    string
  >;
  cover: {
    brand: string;
    reportTitle: string;
    details: Row[];
    timeZoneNote: string;
    coverage: Row[];
  };
  toc: Array<{ id: string; title: string }>;
  empty: boolean;
  noDataMessage: string;
  summary: {
    /** `wordy`: the value is a name rather than a figure (set smaller so it fits). */
    tiles: Array<{ label: string; value: string; detail: string; wordy: boolean }>;
    sentences: string[];
    breakpointSentences: string[];
  };
  channels: {
    intro: string;
    none: string;
    rows: Array<{
      label: string;
      mentions: string;
      postShare: string;
      pos: string;
      neg: string;
      neutral: string;
      mixed: string;
      nss: string;
      ci: string;
      drag: string;
      previous: string;
      dragging: boolean;
    }>;
    chartSvg: string;
  };
  matrix: {
    intro: string;
    none: string;
    unattributedNote: string;
    heatmapSvg: string;
  };
  descriptors: {
    intro: string;
    none: string;
    channels: Array<{
      label: string;
      hits: string;
      words: Array<{
        word: string;
        promise: string;
        polarity: string;
        count: string;
        restCount: string;
        z: string;
        q: string;
        flagged: boolean;
        flag: string;
      }>;
    }>;
  };
  breakpoints: {
    intro: string;
    none: string;
    pairs: Array<{
      id: string;
      rank: number;
      title: string;
      count: string;
      previous: string;
      change: string;
      kinds: string;
      quotes: QuoteView[];
    }>;
  };
  methods: { lines: string[] };
}

const TEXT_KEYS = [
  'contents',
  'coverage',
  'sectionSummary',
  'sectionChannels',
  'sectionMatrix',
  'sectionDescriptors',
  'sectionBreakpoints',
  'sectionMethods',
  'summaryTopBreakpoints',
  'channel',
  'posts',
  'postShare',
  'positive',
  'negative',
  'neutral',
  'mixed',
  'nss',
  'ci95',
  'drag',
  'previousPosts',
  'descriptor',
  'promise',
  'polarity',
  'inChannel',
  'otherChannels',
  'zScore',
  'qValue',
  'breakpointPair',
  'kinds',
  'change',
  'quotes',
] as const satisfies readonly MessageKey[];

/** Builds the view model of a report: every figure formatted for `locale`, charts rendered to SVG. */
export function buildViewModel(figures: ReportFigures, options: ViewModelOptions): ReportViewModel {
  const locale = options.locale ?? figures.spec.locale;
  const zone = figures.spec.timeZone;
  const { labels } = options;
  const msg = (key: MessageKey, params?: Record<string, string | number>) => t(locale, key, params);
  const na = msg('notAvailable');
  const count = (n: number) => formatCount(n, locale);
  const channelLabel = (id: string) => labels.channel(id, locale);
  const lexiconVersion = figures.coverage.lexiconVersions.length ? figures.coverage.lexiconVersions.join(', ') : options.lexiconVersion;
  const cov = figures.coverage;

  const text = Object.fromEntries(TEXT_KEYS.map((k) => [k, msg(k)])) as ReportViewModel['text'];

  const cover: ReportViewModel['cover'] = {
    brand: figures.brand.name,
    reportTitle: msg('reportTitle'),
    details: [
      { label: msg('period'), value: `${figures.period.label} (${formatRange(figures.period.from, figures.period.to, zone)})` },
      { label: msg('previousPeriod'), value: formatRange(figures.period.previous.from, figures.period.previous.to, zone) },
      { label: msg('timeZone'), value: zone },
      { label: msg('generatedAt'), value: `${formatDateTime(options.generatedAt.toISOString(), zone)} (${zone})` },
      { label: msg('lexiconVersion'), value: lexiconVersion },
    ],
    timeZoneNote: msg('timeZoneNote', { zone }),
    coverage: [
      { label: msg('coveragePostsAnalysed'), value: count(cov.postsAnalysed) },
      { label: msg('coveragePostsSpam'), value: count(cov.postsExcludedSpam) },
      { label: msg('coveragePostsUnclassified'), value: count(cov.postsUnclassified) },
      { label: msg('coverageSources'), value: cov.sources.length ? `${count(cov.sources.length)} (${cov.sources.join(', ')})` : na },
      { label: msg('coverageTargets'), value: cov.targets.length ? `${count(cov.targets.length)} (${cov.targets.join(', ')})` : na },
      {
        label: msg('coverageFirstLast'),
        value: cov.firstPostAt && cov.lastPostAt ? `${formatDateTime(cov.firstPostAt, zone)} / ${formatDateTime(cov.lastPostAt, zone)}` : na,
      },
    ],
  };

  const sections: Array<{ id: string; key: MessageKey }> = figures.empty
    ? [
        { id: 'summary', key: 'sectionSummary' },
        { id: 'methods', key: 'sectionMethods' },
      ]
    : [
        { id: 'summary', key: 'sectionSummary' },
        { id: 'channels', key: 'sectionChannels' },
        { id: 'matrix', key: 'sectionMatrix' },
        { id: 'descriptors', key: 'sectionDescriptors' },
        { id: 'breakpoints', key: 'sectionBreakpoints' },
        { id: 'methods', key: 'sectionMethods' },
      ];

  const pairs = figures.breakpoints.pairs.slice(0, MAX_BREAKPOINT_PAIRS);

  return {
    lang: locale,
    title: msg('coverTitle', { brand: figures.brand.name }) + ` · ${figures.period.label}`,
    text,
    cover,
    toc: sections.map((s) => ({ id: s.id, title: msg(s.key) })),
    empty: figures.empty,
    noDataMessage: msg('noData', { period: figures.period.label }),
    summary: summaryView(figures, locale, labels),
    channels: {
      intro: msg('channelsIntro', { overall: formatNss(figures.channelNss.estimate, na), n: count(figures.channelNss.n) }),
      none: msg('channelsNone'),
      rows: figures.channels.map((c) => ({
        label: channelLabel(c.channel),
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
      chartSvg: figures.channels.length ? channelChart(figures.channels, locale, labels) : '',
    },
    matrix: {
      intro: msg('matrixIntro'),
      none: msg('matrixNone'),
      unattributedNote: figures.matrix.unattributedHits > 0 ? msg('matrixUnattributed', { n: count(figures.matrix.unattributedHits) }) : '',
      heatmapSvg: figures.matrix.channels.length
        ? promiseHeatmapSvg({
            rows: figures.matrix.channels.map(channelLabel),
            columns: figures.matrix.promises.map((p) => labels.promise(p, locale)),
            cells: figures.matrix.cells.map((row) =>
              row.map((cell) => {
                const f = cell.fulfilment;
                return f.estimate === null
                  ? { value: null, text: na }
                  : { value: f.estimate, text: `${formatPercent(f.estimate, locale)}\nn = ${count(f.n)}` };
              }),
            ),
            lowCaption: formatPercent(0, locale),
            highCaption: formatPercent(1, locale),
          })
        : '',
    },
    descriptors: {
      intro: msg('descriptorsIntro'),
      none: msg('descriptorsNone'),
      channels: figures.descriptors.map((d) => ({
        label: channelLabel(d.channel),
        hits: msg('hits', { n: count(d.hits) }),
        words: d.words.map((w) => ({
          word: w.word,
          promise: labels.promise(w.promise, locale),
          polarity: msg(w.polarity === 'pos' ? 'positive' : 'negative'),
          count: count(w.count),
          restCount: count(w.restCount),
          z: w.z.toFixed(2),
          q: w.q < 0.001 ? '< 0.001' : w.q.toFixed(3),
          flagged: w.flagged,
          flag: w.flagged ? msg('distinctive') : '',
        })),
      })),
    },
    breakpoints: {
      intro: msg('breakpointsIntro'),
      none: msg('breakpointsNone'),
      pairs: pairs.map((p, i) => ({
        id: `bp-${i + 1}`,
        rank: i + 1,
        title: `${channelLabel(p.channels[0])} ↔ ${channelLabel(p.channels[1])}`,
        count: count(p.count),
        previous: count(p.previousCount),
        change: p.previousCount === 0 && p.count > 0 ? `${formatSignedCount(p.change, locale)} (${msg('newPair')})` : formatSignedCount(p.change, locale),
        kinds: BREAKPOINT_KINDS.filter((k) => p.kinds[k] > 0)
          .map((k) => `${breakpointKindLabel(k, locale)} ${count(p.kinds[k])}`)
          .join(' · '),
        quotes: p.quotes.map((q) => {
          const href = safeHref(q.url);
          const meta = [msg('quoteMeta', { source: q.source, date: formatDateTime(q.publishedAt, zone) })];
          if (q.likes > 0) meta.push(msg('likes', { n: count(q.likes) }));
          const lang = q.lang === 'zh' ? 'zh-CN' : q.lang === 'en' ? 'en' : '';
          return { text: q.text, lang, ...(href ? { href } : {}), url: shortenMiddle(q.url, PRINTED_URL_MAX), meta: meta.join(' · ') };
        }),
      })),
    },
    methods: {
      lines: [
        msg('methodsIntro', {
          from: formatRange(figures.period.previous.from, figures.period.previous.to, zone).split(' – ')[0]!,
          to: formatRange(figures.period.previous.from, figures.period.previous.to, zone).split(' – ')[1]!,
        }),
        msg('methodsLexicon', { version: lexiconVersion }),
        msg('methodsNss'),
        msg('methodsDrag'),
        msg('methodsFulfilment'),
        msg('methodsLogOdds'),
        msg('methodsQuotes'),
      ],
    },
  };
}

function summaryView(figures: ReportFigures, locale: Locale, labels: Labels): ReportViewModel['summary'] {
  const msg = (key: MessageKey, params?: Record<string, string | number>) => t(locale, key, params);
  const na = msg('notAvailable');
  const count = (n: number) => formatCount(n, locale);
  const cur = figures.current;
  const prev = figures.previous;

  const volumeChange =
    figures.change.postsRelative === null
      ? formatSignedCount(figures.change.posts, locale)
      : `${formatSignedCount(figures.change.posts, locale)} / ${formatSignedPercent(figures.change.postsRelative)}`;
  const sentences: string[] = [];
  sentences.push(
    prev.posts === 0
      ? msg('summaryVolumeNoPrevious', { posts: count(cur.posts), postsText: postCount(locale, cur.posts, count(cur.posts)) })
      : msg('summaryVolume', {
          posts: count(cur.posts),
          postsText: postCount(locale, cur.posts, count(cur.posts)),
          change: volumeChange,
          previous: count(prev.posts),
        }),
  );
  if (cur.nss.estimate === null) sentences.push(msg('summaryNssUndefined'));
  else {
    const params = {
      nss: formatNss(cur.nss.estimate),
      lower: formatSigned(cur.nss.lower * 100),
      upper: formatSigned(cur.nss.upper * 100),
      n: count(cur.nss.n),
    };
    sentences.push(
      figures.change.nssPoints === null
        ? msg('summaryNssNoPrevious', params)
        : msg('summaryNss', { ...params, delta: formatSigned(figures.change.nssPoints) }),
    );
  }
  const dragging = figures.channels.find((c) => c.channel === figures.dragChannel);
  sentences.push(dragging ? draggingSentence(dragging, locale, labels) : msg('summaryNoDragging'));

  const breakpointSentences = figures.breakpoints.pairs.slice(0, SUMMARY_BREAKPOINTS).map((p) => breakpointSentence(p, locale, labels));
  if (!figures.empty && breakpointSentences.length === 0) breakpointSentences.push(msg('summaryNoBreakpoints'));

  return {
    tiles: [
      {
        label: msg('summaryHeadlineVolume'),
        value: count(cur.posts),
        detail: msg('versusPrevious', { change: prev.posts === 0 ? na : volumeChange }),
        wordy: false,
      },
      {
        label: msg('summaryHeadlineNss'),
        value: formatNss(cur.nss.estimate, na),
        detail:
          cur.nss.estimate === null
            ? `n = ${count(cur.nss.n)}`
            : `${formatNssInterval(cur.nss)} · n = ${count(cur.nss.n)} · ${msg('versusPrevious', {
                change: figures.change.nssPoints === null ? na : formatSigned(figures.change.nssPoints),
              })}`,
        wordy: false,
      },
      {
        label: msg('summaryHeadlineDragging'),
        value: dragging ? labels.channel(dragging.channel, locale) : msg('none'),
        detail: dragging ? `${msg('drag')} ${formatSigned(dragging.drag! * 100)} · NSS ${formatNss(dragging.nss.estimate)} · n = ${count(dragging.nss.n)}` : '',
        wordy: true,
      },
    ],
    sentences,
    breakpointSentences,
  };
}

function draggingSentence(c: ChannelFigure, locale: Locale, labels: Labels): string {
  return t(locale, 'summaryDragging', {
    channel: labels.channel(c.channel, locale),
    nss: formatNss(c.nss.estimate),
    n: formatCount(c.nss.n, locale),
    drag: Math.abs(c.drag! * 100).toFixed(1),
  });
}

function breakpointSentence(p: BreakpointPair, locale: Locale, labels: Labels): string {
  // The dominant kind: most posts, ties in the lexicon's kind order.
  const kind = [...BREAKPOINT_KINDS].sort((a, b) => p.kinds[b] - p.kinds[a])[0]!;
  return t(locale, 'summaryBreakpoint', {
    a: labels.channel(p.channels[0], locale),
    b: labels.channel(p.channels[1], locale),
    posts: formatCount(p.count, locale),
    postsText: postCount(locale, p.count, formatCount(p.count, locale)),
    previous: formatCount(p.previousCount, locale),
    change: formatSignedCount(p.change, locale),
    kind: breakpointKindLabel(kind, locale),
    kindPosts: formatCount(p.kinds[kind], locale),
    kindPostsText: postCount(locale, p.kinds[kind], formatCount(p.kinds[kind], locale)),
  });
}

function channelChart(channels: readonly ChannelFigure[], locale: Locale, labels: Labels): string {
  return channelChartSvg(
    channels.map((c) => ({
      label: labels.channel(c.channel, locale),
      mentions: c.mentions,
      nss: c.nss.estimate === null ? null : c.nss.estimate * 100,
      lower: c.nss.lower * 100,
      upper: c.nss.upper * 100,
      nssText: formatNss(c.nss.estimate, t(locale, 'notAvailable')),
    })),
    { mentionsTitle: t(locale, 'chartMentions'), nssTitle: t(locale, 'chartNss') },
  );
}

/** `https://host/a/b/…/x?y` : keeps both ends of a long string, which identify a URL best. */
export function shortenMiddle(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  const head = Math.ceil((max - 1) * 0.6);
  const tail = max - 1 - head;
  return `${chars.slice(0, head).join('')}…${chars.slice(chars.length - tail).join('')}`;
}

/**
 * The URL as a link target, or undefined when it must not be linked: only absolute http(s)
 * URLs are linked; `javascript:`, `data:` and anything unparsable is printed as text only.
 */
export function safeHref(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}
