/**
 * Figures -> the plain object the templates print. Every decision about wording, rounding,
 * dates, links and which sections appear is made here, so templates only lay out strings (and
 * the SVG charts of chart-set.ts). Nothing in the view model is HTML except those SVG strings.
 */
import { REPORT_SECTIONS, type ReportSection } from '../core/report-config.js';
import type { Locale } from '../core/types.js';
import type { BreakpointPair, ChannelFigure, ReportFigures } from './aggregate.js';
import { buildCharts, type ReportCharts } from './chart-set.js';
import type { Finding } from './findings.js';
import {
  formatCount,
  formatDateTime,
  formatNss,
  formatNssInterval,
  formatP,
  formatPercent,
  formatPercentInterval,
  formatRange,
  formatSigned,
  formatSignedCount,
  formatSignedPercent,
} from './format.js';
import { breakpointKindLabel, joinList, MESSAGE_KEYS, postCount, t, type MessageKey } from './i18n.js';
import type { Labels } from './labels.js';
import type { Quote } from './quotes.js';
import { GAP_MIN_DAYS } from './trend.js';
import { BREAKPOINT_KINDS } from '../core/types.js';
import {
  breakpointsView,
  channelsView,
  competitorsView,
  departmentsView,
  methodsView,
  openWordsView,
  promisesView,
  type SectionContext,
} from './view-sections.js';

/** How many channel pairs the breakpoint section shows (the summary shows the first 3). */
export const MAX_BREAKPOINT_PAIRS = 8;
const SUMMARY_BREAKPOINTS = 3;
const SUMMARY_COMPETITORS = 2;

/** What `voc eval` measured about the classifier, printed in the methods appendix. */
export interface ClassifierEvaluation {
  /** ISO time of the measurement. */
  measuredAt: string;
  /** What it was measured on (`demo corpus, 330 posts`). */
  corpus: string;
  /** Named scores in [0, 1] (`sentiment accuracy`, `channel F1`...), with their sample sizes and,
   *  where `voc eval` measured one, their 95% interval. */
  metrics: Array<{ name: string; value: number; n?: number; ci95?: [number, number] }>;
}

export interface ViewModelOptions {
  labels: Labels;
  /** Defaults to the spec's locale. */
  locale?: Locale;
  generatedAt: Date;
  /** Lexicon version of the classifier (used when the data carries none). */
  lexiconVersion: string;
  /** Sections to print, in the report's fixed order (default: all). */
  sections?: readonly ReportSection[];
  evaluation?: ClassifierEvaluation;
  /** Charts rendered beforehand (otherwise rendered here). */
  charts?: ReportCharts;
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
  /** `S3`: the post's number in the sources appendix, and the link to it. */
  ref: string;
  refHref: string;
}

export interface LinkedSentence {
  text: string;
  /** Link to the detail (absent when its section is switched off). */
  href?: string;
  linkText?: string;
}

export interface SourceRow {
  ref: string;
  anchor: string;
  postId: string;
  source: string;
  channels: string;
  time: string;
  url: string;
  href?: string;
}

export interface ReportViewModel {
  lang: Locale;
  title: string;
  /** Every fixed text of the locale, for table headers and captions. */
  text: Record<MessageKey, string>;
  /** Which sections print. */
  show: Record<ReportSection, boolean>;
  /** Numbered section headings (`3. 品牌承诺一致性`). */
  headings: Record<ReportSection, string>;
  cover: {
    brand: string;
    reportTitle: string;
    details: Row[];
    timeZoneNote: string;
    coverage: Row[];
    gaps: string[];
  };
  /** Sections, each with the sub-sections listed under it (`open-words` under promises). */
  toc: Array<{ id: string; title: string; children: Array<{ id: string; title: string }> }>;
  empty: boolean;
  noDataMessage: string;
  summary: {
    /** `wordy`: the value is a name rather than a figure (set smaller so it fits). */
    tiles: Array<{ label: string; value: string; detail: string; wordy: boolean }>;
    sentences: string[];
    risks: LinkedSentence[];
    safeBets: LinkedSentence[];
    breakpointSentences: string[];
    /** Pairs tied with the last one listed and left out (empty when none). */
    breakpointTieNote: string;
  };
  channels: ReturnType<typeof channelsView>;
  promises: ReturnType<typeof promisesView>;
  openWords: ReturnType<typeof openWordsView>;
  breakpoints: ReturnType<typeof breakpointsView>;
  departments: ReturnType<typeof departmentsView>;
  competitors: ReturnType<typeof competitorsView>;
  methods: { lines: string[] };
  sources: { intro: string; rows: SourceRow[] };
}

/** Numbers posts for the sources appendix in order of first quotation. */
export class SourceRegistry {
  private readonly rows = new Map<string, { n: number; quote: Quote }>();

  ref(quote: Quote): { ref: string; refHref: string } {
    let entry = this.rows.get(quote.postId);
    if (!entry) {
      entry = { n: this.rows.size + 1, quote };
      this.rows.set(quote.postId, entry);
    }
    return { ref: `S${entry.n}`, refHref: `#src-${entry.n}` };
  }

  list(): Array<{ n: number; quote: Quote }> {
    return [...this.rows.values()];
  }
}

/** Builds the view model of a report: every figure formatted for `locale`, charts rendered to SVG. */
export function buildViewModel(figures: ReportFigures, options: ViewModelOptions): ReportViewModel {
  const locale = options.locale ?? figures.spec.locale;
  const zone = figures.spec.timeZone;
  const { labels } = options;
  const msg = (key: MessageKey, params?: Record<string, string | number>) => t(locale, key, params);
  const na = msg('notAvailable');
  const count = (n: number) => formatCount(n, locale);
  const lexiconVersion = figures.coverage.lexiconVersions.length ? figures.coverage.lexiconVersions.join(', ') : options.lexiconVersion;
  const cov = figures.coverage;

  const wanted = new Set(options.sections ?? REPORT_SECTIONS);
  const available: Record<ReportSection, boolean> = {
    cover: true,
    summary: true,
    channels: !figures.empty,
    promises: !figures.empty,
    breakpoints: !figures.empty,
    departments: !figures.empty,
    competitors: !figures.empty && figures.competitors !== null,
    methods: true,
    sources: !figures.empty,
  };
  const show = Object.fromEntries(REPORT_SECTIONS.map((s) => [s, wanted.has(s) && available[s]])) as Record<ReportSection, boolean>;
  const sectionKey: Record<ReportSection, MessageKey> = {
    cover: 'reportTitle',
    summary: 'sectionSummary',
    channels: 'sectionChannels',
    promises: 'sectionPromises',
    breakpoints: 'sectionBreakpoints',
    departments: 'sectionDepartments',
    competitors: 'sectionCompetitors',
    methods: 'sectionMethods',
    sources: 'sectionSources',
  };
  const numbered = REPORT_SECTIONS.filter((s) => s !== 'cover' && show[s]);
  const headings = Object.fromEntries(
    REPORT_SECTIONS.map((s) => [s, numbered.includes(s) ? `${numbered.indexOf(s) + 1}. ${msg(sectionKey[s])}` : msg(sectionKey[s])]),
  ) as Record<ReportSection, string>;

  const charts = options.charts ?? buildCharts(figures, locale, labels);
  const sources = new SourceRegistry();
  const ctx: SectionContext = { figures, locale, labels, zone, msg, na, count, sources, charts, show };
  // Built in document order, so sources are numbered in the order a reader meets them.
  const channels = channelsView(ctx);
  const promises = promisesView(ctx);
  const openWords = openWordsView(ctx);
  const breakpoints = breakpointsView(ctx);
  const departments = departmentsView(ctx);
  const competitors = competitorsView(ctx);

  const cover: ReportViewModel['cover'] = {
    brand: figures.brand.name,
    reportTitle: msg('reportTitle'),
    details: [
      { label: msg('period'), value: `${figures.period.label} (${formatRange(figures.period.from, figures.period.to, zone)})` },
      { label: msg('previousPeriod'), value: formatRange(figures.period.previous.from, figures.period.previous.to, zone) },
      { label: msg('timeZone'), value: zone },
      { label: msg('generatedAt'), value: `${formatDateTime(options.generatedAt.toISOString(), zone)} (${zone})` },
      { label: msg('lexiconVersion'), value: lexiconVersion },
      // A period still running is partial: say so where the reader looks first.
      ...(cov.openUntil ? [{ label: msg('periodOpen'), value: msg('periodOpenUntil', { at: formatDateTime(cov.openUntil, zone) }) }] : []),
    ],
    timeZoneNote: msg('timeZoneNote', { zone }),
    coverage: [
      { label: msg('coveragePostsAnalysed'), value: count(cov.postsAnalysed) },
      { label: msg('coveragePostsSpam'), value: count(cov.postsExcludedSpam) },
      { label: msg('coveragePostsNearDuplicates'), value: count(cov.postsExcludedNearDuplicates) },
      { label: msg('coveragePostsUnclassified'), value: count(cov.postsUnclassified) },
      { label: msg('coverageSources'), value: cov.sources.length ? `${count(cov.sources.length)} (${cov.sources.join(', ')})` : na },
      { label: msg('coverageTargets'), value: cov.targets.length ? `${count(cov.targets.length)} (${cov.targets.join(', ')})` : na },
      {
        label: msg('coverageFirstLast'),
        value: cov.firstPostAt && cov.lastPostAt ? `${formatDateTime(cov.firstPostAt, zone)} / ${formatDateTime(cov.lastPostAt, zone)}` : na,
      },
      {
        label: msg('coverageGaps'),
        value: cov.gaps.length ? count(cov.gaps.length) : msg('coverageGapsNone', { days: GAP_MIN_DAYS }),
      },
    ],
    gaps: cov.gaps.map((g) => msg('coverageGap', { target: g.targetId, from: g.from, to: g.to, days: count(g.days) })),
  };

  // An appendix with nothing to list is left out (sources is last, so no other number moves).
  if (sources.list().length === 0) show.sources = false;
  const toc = numbered.filter((s) => show[s]).map((s) => ({ id: s, title: headings[s], children: tocChildren(s, msg) }));

  return {
    lang: locale,
    title: msg('coverTitle', { brand: figures.brand.name }) + ` · ${figures.period.label}`,
    text: allTexts(locale),
    show,
    headings,
    cover,
    // Section ids are the anchors of the sections (`#summary`, `#channels`...).
    toc,
    empty: figures.empty,
    noDataMessage: msg('noData', { period: figures.period.label }),
    summary: summaryView(ctx, headings, { channels, promises, breakpoints, departments }),
    channels,
    promises,
    openWords,
    breakpoints,
    departments,
    competitors,
    methods: methodsView(ctx, lexiconVersion, options.evaluation),
    sources: {
      intro: msg('sourcesIntro'),
      rows: sources.list().map(({ n, quote }) => {
        const href = safeHref(quote.url);
        return {
          ref: `S${n}`,
          anchor: `src-${n}`,
          postId: quote.postId,
          source: quote.source,
          channels: joinList(locale, quote.channels.map((c) => labels.channel(c, locale))) || na,
          time: formatDateTime(quote.publishedAt, zone),
          url: quote.url,
          ...(href ? { href } : {}),
        };
      }),
    },
  };
}

/** Sub-sections listed in the table of contents under their section. */
function tocChildren(section: ReportSection, msg: (key: MessageKey) => string): Array<{ id: string; title: string }> {
  return section === 'promises' ? [{ id: 'open-words', title: msg('sectionOpenWords') }] : [];
}

function allTexts(locale: Locale): Record<MessageKey, string> {
  return Object.fromEntries(MESSAGE_KEYS.map((k) => [k, t(locale, k)])) as Record<MessageKey, string>;
}

interface SectionViews {
  channels: ReportViewModel['channels'];
  promises: ReportViewModel['promises'];
  breakpoints: ReportViewModel['breakpoints'];
  departments: ReportViewModel['departments'];
}

function summaryView(ctx: SectionContext, headings: Record<ReportSection, string>, views: SectionViews): ReportViewModel['summary'] {
  const { figures, locale, labels, msg, na, count } = ctx;
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
        : msg(figures.change.nssP !== null && figures.change.nssP < 0.05 ? 'summaryNss' : 'summaryNssNotSignificant', {
            ...params,
            delta: formatSigned(figures.change.nssPoints),
            p: figures.change.nssP === null ? na : pText(figures.change.nssP),
          }),
    );
  }
  const self = figures.competitors?.rows.find((r) => r.self);
  for (const r of figures.competitors?.rows.filter((x) => !x.self).slice(0, SUMMARY_COMPETITORS) ?? []) {
    sentences.push(
      msg('summaryCompetitor', {
        name: r.name,
        share: self?.share === null || !self ? na : formatPercent(self.share, locale),
        theirShare: r.share === null ? na : formatPercent(r.share, locale),
        nss: formatNss(cur.nss.estimate, na),
        theirNss: formatNss(r.nss.estimate, na),
        diff: r.versusBrand ? formatSigned(r.versusBrand.points) : na,
        p: r.versusBrand ? pText(r.versusBrand.p) : na,
      }),
    );
  }
  const dragging = figures.channels.find((c) => c.channel === figures.dragChannel);
  sentences.push(dragging ? draggingSentence(dragging, figures.channelNss.estimate!, locale, labels) : msg('summaryNoDragging'));

  const pairs = figures.breakpoints.pairs;
  const breakpointSentences = pairs.slice(0, SUMMARY_BREAKPOINTS).map((p) => breakpointSentence(p, locale, labels));
  if (!figures.empty && breakpointSentences.length === 0) breakpointSentences.push(msg('summaryNoBreakpoints'));
  // The last pair listed may share its rank with pairs left out: say so rather than imply an order.
  const last = pairs[SUMMARY_BREAKPOINTS - 1];
  const tiedOut = last ? pairs.slice(SUMMARY_BREAKPOINTS).filter((p) => p.count === last.count).length : 0;
  const breakpointTieNote =
    tiedOut === 0
      ? ''
      : msg(tiedOut === 1 ? 'summaryBreakpointsTiedMoreOne' : 'summaryBreakpointsTiedMore', {
          pairs: count(tiedOut),
          posts: locale === 'zh-CN' ? count(last!.count) : postCount(locale, last!.count, count(last!.count)),
        });

  const link = (f: Finding): LinkedSentence => {
    const text = findingSentence(f, ctx);
    if (!ctx.show[f.section]) return { text };
    return { text, href: `#${findingAnchor(f, ctx, views) ?? f.section}`, linkText: msg('seeSection', { section: headings[f.section] }) };
  };

  const tiles: ReportViewModel['summary']['tiles'] = [
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
  ];
  if (self && figures.competitors!.rows.length > 1) {
    tiles.push({
      label: msg('summaryHeadlineShare'),
      value: self.share === null ? na : formatPercent(self.share, locale),
      detail: `n = ${count(figures.competitors!.rows.reduce((a, r) => a + r.posts, 0))} · ${msg('versusPrevious', {
        change: self.share === null || self.previousShare === null ? na : `${formatSigned((self.share - self.previousShare) * 100)} pp`,
      })}`,
      wordy: false,
    });
  }

  return {
    tiles,
    sentences,
    risks: figures.findings.risks.map(link),
    safeBets: figures.findings.safeBets.map(link),
    breakpointSentences,
    breakpointTieNote,
  };
}

/** The anchor of the table row behind a finding, when that row is printed. */
function findingAnchor(f: Finding, ctx: SectionContext, views: SectionViews): string | undefined {
  const { figures } = ctx;
  switch (f.kind) {
    case 'promise_broken':
    case 'promise_kept': {
      const i = figures.promises.verdicts.findIndex((v) => v.channel === f.subject[0] && v.promise === f.subject[1]);
      return i >= 0 ? views.promises.verdicts[i]?.anchor : undefined;
    }
    case 'channel_negative':
    case 'channel_positive': {
      const i = figures.channels.findIndex((c) => c.channel === f.subject[0]);
      return i >= 0 ? views.channels.rows[i]?.anchor : undefined;
    }
    case 'aspect_hotspot':
    case 'aspect_safe_bet': {
      const i = figures.aspects.rows.findIndex((a) => a.aspect === f.subject[0]);
      return i >= 0 ? views.departments.aspects.rows[i]?.anchor : undefined;
    }
    case 'breakpoint': {
      const i = figures.breakpoints.pairs.findIndex((p) => p.channels[0] === f.subject[0] && p.channels[1] === f.subject[1]);
      return i >= 0 ? views.breakpoints.pairs[i]?.id : undefined;
    }
    case 'campaign_spike': {
      const i = figures.campaigns.findIndex((c) => c.name === f.subject[0]);
      return i >= 0 ? views.departments.campaigns.items[i]?.anchor : undefined;
    }
  }
}

/** One sentence per finding: what, the figure, its interval and n. */
export function findingSentence(f: Finding, ctx: Pick<SectionContext, 'figures' | 'locale' | 'labels' | 'msg' | 'count'>): string {
  const { locale, labels, msg, count, figures } = ctx;
  const pct = (x: number) => formatPercent(x, locale);
  const percentInterval = () => formatPercentInterval({ estimate: f.value, lower: f.lower ?? 0, upper: f.upper ?? 1, n: f.n }, locale);
  switch (f.kind) {
    case 'promise_broken':
    case 'promise_kept':
      return msg(`finding_${f.kind}`, {
        channel: labels.channel(f.subject[0]!, locale),
        promise: labels.promise(f.subject[1]!, locale),
        value: pct(f.value),
        interval: percentInterval(),
        n: count(f.n),
      });
    case 'channel_negative':
    case 'channel_positive':
      return msg(`finding_${f.kind}`, {
        channel: labels.channel(f.subject[0]!, locale),
        value: formatNss(f.value),
        interval: formatNssInterval({ estimate: f.value, lower: f.lower!, upper: f.upper!, n: f.n }),
        n: count(f.n),
      });
    case 'aspect_hotspot':
    case 'aspect_safe_bet':
      return msg(`finding_${f.kind}`, {
        aspect: labels.aspect(f.subject[0]!, locale),
        value: pct(f.value),
        interval: percentInterval(),
        n: count(f.n),
        baseline: figures.aspects.complaintBaseline === null ? msg('notAvailable') : pct(figures.aspects.complaintBaseline),
      });
    case 'breakpoint':
      return msg('finding_breakpoint', {
        a: labels.channel(f.subject[0]!, locale),
        b: labels.channel(f.subject[1]!, locale),
        n: count(f.n),
        postsText: postCount(locale, f.n, count(f.n)),
        previous: count(f.previous ?? 0),
      });
    case 'campaign_spike':
      return msg('finding_campaign_spike', {
        name: f.subject[0]!,
        what: msg(f.subject[1] === 'questions' ? 'what_questions' : 'what_complaints'),
        n: count(f.n),
        expected: (f.previous ?? 0).toFixed(1),
        p: pText(f.p ?? 1),
      });
  }
}

/** `= 0.004` or `< 0.001`, for sentences. */
export function pText(p: number): string {
  const s = formatP(p);
  return s.startsWith('<') ? s : `= ${s}`;
}

/** What the drag is made of (share x gap to all mentions), not a claim of how far the NSS would move without the channel. */
function draggingSentence(c: ChannelFigure, overall: number, locale: Locale, labels: Labels): string {
  return t(locale, 'summaryDragging', {
    channel: labels.channel(c.channel, locale),
    nss: formatNss(c.nss.estimate),
    n: formatCount(c.nss.n, locale),
    overall: formatNss(overall),
    gap: Math.abs((c.nss.estimate! - overall) * 100).toFixed(1),
    share: formatPercent(c.share, locale),
    drag: (c.drag! * 100).toFixed(1).replace('-', '−'),
  });
}

function breakpointSentence(p: BreakpointPair, locale: Locale, labels: Labels): string {
  // The dominant kind, or the kinds tied for it (a 1-1 split is no "mostly").
  const most = Math.max(...BREAKPOINT_KINDS.map((k) => p.kinds[k]));
  const top = BREAKPOINT_KINDS.filter((k) => p.kinds[k] === most);
  // Chinese messages carry their own 篇; English ones take "1 post" / "2 posts".
  const posts = locale === 'zh-CN' ? formatCount(most, locale) : postCount(locale, most, formatCount(most, locale));
  const kinds =
    top.length === 1
      ? t(locale, 'summaryBreakpointKind', { kind: breakpointKindLabel(top[0]!, locale), posts })
      : t(locale, 'summaryBreakpointKindsTied', { kinds: joinList(locale, top.map((k) => breakpointKindLabel(k, locale))), posts });
  return t(locale, 'summaryBreakpoint', {
    kinds,
    a: labels.channel(p.channels[0], locale),
    b: labels.channel(p.channels[1], locale),
    posts: formatCount(p.count, locale),
    postsText: postCount(locale, p.count, formatCount(p.count, locale)),
    previous: formatCount(p.previousCount, locale),
    change: formatSignedCount(p.change, locale),
  });
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
