/**
 * Every fixed string of the report, in Simplified Chinese (the default) and English. Templates
 * never hold words of their own: they print what the view model took from here, so a new
 * locale is one more table. `{name}` placeholders are filled by `t()`; the values are plain text
 * and are escaped by the templates like everything else.
 */
import type { BreakpointKind, Locale } from '../core/types.js';

const zhCN = {
  reportTitle: '品牌一致性报告',
  coverTitle: '{brand} · 品牌一致性报告',
  period: '报告期',
  previousPeriod: '对比期（上期）',
  timeZone: '时区',
  timeZoneNote: '本报告所有日期和时间均按 {zone} 时区显示。',
  generatedAt: '生成时间',
  coverage: '数据覆盖',
  coverageSources: '来源',
  coverageTargets: '采集目标',
  coveragePostsAnalysed: '分析帖子数',
  coveragePostsSpam: '排除的垃圾/广告帖',
  coveragePostsUnclassified: '尚未分类的帖子',
  coverageFirstLast: '首帖 / 末帖时间',
  lexiconVersion: '词典版本',
  contents: '目录',
  sectionSummary: '一页摘要',
  sectionChannels: '渠道表现',
  sectionMatrix: '渠道 × 品牌承诺',
  sectionDescriptors: '各渠道的特征描述词',
  sectionBreakpoints: '跨渠道断点',
  sectionMethods: '方法说明',
  noData: '报告期 {period} 内没有可分析的帖子（已分类且非垃圾内容）。请先采集并分类数据，或选择其他报告期。',
  summaryVolume: '本期分析 {posts} 篇帖子，较上期 {change}（上期 {previous} 篇）。',
  summaryVolumeNoPrevious: '本期分析 {posts} 篇帖子；上期没有数据可供对比。',
  summaryNss: '净情感分 NSS 为 {nss}（95% 置信区间 {lower} 至 {upper}，n = {n}），较上期 {delta} 分。',
  summaryNssNoPrevious: '净情感分 NSS 为 {nss}（95% 置信区间 {lower} 至 {upper}，n = {n}）；上期无法计算。',
  summaryNssUndefined: '本期没有正面或负面帖子，无法计算净情感分。',
  summaryDragging: '拖累最大的渠道是「{channel}」：NSS {nss}（n = {n}），使渠道整体 NSS 降低 {drag} 分。',
  summaryNoDragging: '没有渠道拉低整体净情感分。',
  summaryBreakpoint: '「{a}」↔「{b}」：{posts} 篇帖子反映断点（上期 {previous} 篇，{change}），主要类型为{kind}（{kindPosts} 篇）。',
  summaryNoBreakpoints: '本期没有发现跨渠道断点。',
  summaryHeadlineVolume: '帖子数',
  summaryHeadlineNss: '净情感分 NSS',
  summaryHeadlineDragging: '拖累最大的渠道',
  summaryTopBreakpoints: '主要跨渠道断点',
  versusPrevious: '较上期 {change}',
  none: '无',
  channel: '渠道',
  posts: '帖子数',
  postShare: '占帖子',
  positive: '正面',
  negative: '负面',
  neutral: '中性',
  mixed: '混合',
  nss: 'NSS',
  ci95: '95% 区间',
  drag: '拖累',
  previousPosts: '上期帖子',
  channelsIntro: '每个渠道按提及它的帖子计数。NSS 只计正面与负面帖子；拖累为负表示该渠道拉低了渠道整体 NSS（{overall}，n = {n}）。',
  channelsNone: '本期帖子没有提到任何渠道。',
  chartMentions: '提及帖子数',
  chartNss: '净情感分 NSS（95% 区间）',
  matrixIntro: '每格为该渠道上该品牌承诺的兑现率 = 正面描述 /（正面 + 负面描述），下方为命中数 n；“—”表示没有证据。',
  matrixUnattributed: '另有 {n} 次描述词命中没有对应到具体渠道，未计入矩阵。',
  matrixNone: '本期没有对应到渠道的品牌承诺描述词。',
  fulfilment: '兑现率',
  promise: '品牌承诺',
  descriptorsIntro: '与其他渠道相比，每个渠道最具特征的描述词（带信息性先验的对数几率比，z > 1.96 标记为显著）。',
  descriptorsNone: '本期没有对应到渠道的描述词。',
  descriptor: '描述词',
  polarity: '倾向',
  inChannel: '本渠道',
  otherChannels: '其他渠道',
  zScore: 'z',
  qValue: 'q（BH）',
  distinctive: '显著',
  hits: '{n} 次命中',
  breakpointsIntro: '同一篇帖子中两个渠道之间出现的断点：说法不一致、交接断裂、互相推诿。按帖子数排序。',
  breakpointsNone: '本期没有发现跨渠道断点。',
  breakpointPair: '渠道组合',
  kinds: '类型',
  change: '变化',
  quotes: '原文摘录',
  quoteMeta: '{source} · {date}',
  likes: '赞 {n}',
  kind_inconsistency: '说法不一致',
  kind_handoff: '交接断裂',
  kind_runaround: '互相推诿',
  newPair: '新出现',
  methodsIntro: '数据：报告期内已采集并分类的公开帖子；广告、模板化评论和近似重复内容（垃圾）被排除。上期为紧邻本期之前的同类周期（{from} 至 {to}）。',
  methodsLexicon: '词典版本：{version}。',
  methodsNss: 'NSS = (正面 − 负面) / (正面 + 负面) × 100；95% 区间为 p = 正面 / (正面 + 负面) 的 Wilson 区间经 2p − 1 映射。',
  methodsDrag: '拖累 = 渠道提及份额 × (渠道 NSS − 全部渠道提及的 NSS)。',
  methodsFulfilment: '兑现率 = 正面描述命中 / (正面 + 负面描述命中)，附 Wilson 95% 区间。',
  methodsLogOdds:
    '特征描述词：带信息性 Dirichlet 先验（本期合并词频）的对数几率比 δ 与 z = δ / √Var（Monroe, Colaresi & Quinn 2008），q 为 Benjamini–Hochberg 校正后的 p 值。',
  methodsQuotes: '摘录：每组断点最多 3 条，按点赞数、发布时间（新者优先）、帖子 ID 排序，取证据所在句子（最多 120 字）。',
  notAvailable: '—',
  footerPage: '第 {page} 页 / 共 {total} 页',
};

export type MessageKey = keyof typeof zhCN;

const en: Record<MessageKey, string> = {
  reportTitle: 'Brand consistency report',
  coverTitle: '{brand} · Brand consistency report',
  period: 'Period',
  previousPeriod: 'Compared with (previous period)',
  timeZone: 'Time zone',
  timeZoneNote: 'Every date and time in this report is in the {zone} time zone.',
  generatedAt: 'Generated',
  coverage: 'Data coverage',
  coverageSources: 'Sources',
  coverageTargets: 'Crawl targets',
  coveragePostsAnalysed: 'Posts analysed',
  coveragePostsSpam: 'Excluded as spam/ads',
  coveragePostsUnclassified: 'Not yet classified',
  coverageFirstLast: 'First / last post',
  lexiconVersion: 'Lexicon version',
  contents: 'Contents',
  sectionSummary: 'Summary',
  sectionChannels: 'Channels',
  sectionMatrix: 'Channel × brand promise',
  sectionDescriptors: 'Distinctive descriptors per channel',
  sectionBreakpoints: 'Cross-channel breakpoints',
  sectionMethods: 'Methods',
  noData:
    'There are no posts to analyse (classified and not spam) in the period {period}. Crawl and classify data first, or choose another period.',
  summaryVolume: '{postsText} analysed, {change} vs the previous period ({previous}).',
  summaryVolumeNoPrevious: '{postsText} analysed; the previous period has no data to compare with.',
  summaryNss: 'Net sentiment score {nss} (95% CI {lower} to {upper}, n = {n}), {delta} points vs the previous period.',
  summaryNssNoPrevious: 'Net sentiment score {nss} (95% CI {lower} to {upper}, n = {n}); not computable for the previous period.',
  summaryNssUndefined: 'No positive or negative post in the period: the net sentiment score is undefined.',
  summaryDragging: 'The channel that drags most is “{channel}”: NSS {nss} (n = {n}), pulling the channel NSS down by {drag} points.',
  summaryNoDragging: 'No channel pulls the net sentiment score down.',
  summaryBreakpoint:
    '“{a}” ↔ “{b}”: breakpoints in {postsText} ({change} vs {previous} in the previous period), mostly {kind} ({kindPostsText}).',
  summaryNoBreakpoints: 'No cross-channel breakpoint was found in the period.',
  summaryHeadlineVolume: 'Posts',
  summaryHeadlineNss: 'Net sentiment score',
  summaryHeadlineDragging: 'Channel that drags most',
  summaryTopBreakpoints: 'Top cross-channel breakpoints',
  versusPrevious: '{change} vs previous',
  none: 'none',
  channel: 'Channel',
  posts: 'Posts',
  postShare: '% of posts',
  positive: 'Pos.',
  negative: 'Neg.',
  neutral: 'Neutral',
  mixed: 'Mixed',
  nss: 'NSS',
  ci95: '95% CI',
  drag: 'Drag',
  previousPosts: 'Prev. posts',
  channelsIntro:
    'Each channel counts the posts that mention it. NSS counts positive and negative posts only; a negative drag means the channel pulls the NSS of all channel mentions ({overall}, n = {n}) down.',
  channelsNone: 'No post of the period mentions a channel.',
  chartMentions: 'Posts mentioning the channel',
  chartNss: 'Net sentiment score (95% CI)',
  matrixIntro:
    'Each cell is the fulfilment of a brand promise on a channel = positive / (positive + negative) descriptor hits, with the number of hits n below it; “—” means no evidence.',
  matrixUnattributed: '{n} more descriptor hits were not attributed to a channel and are left out of the matrix.',
  matrixNone: 'No brand-promise descriptor attributed to a channel in the period.',
  fulfilment: 'Fulfilment',
  promise: 'Brand promise',
  descriptorsIntro:
    'The descriptors most typical of each channel compared with the other channels (log-odds ratio with an informative prior; z > 1.96 flagged as distinctive).',
  descriptorsNone: 'No descriptor attributed to a channel in the period.',
  descriptor: 'Descriptor',
  polarity: 'Polarity',
  inChannel: 'In channel',
  otherChannels: 'Other channels',
  zScore: 'z',
  qValue: 'q (BH)',
  distinctive: 'distinctive',
  hits: '{n} hits',
  breakpointsIntro:
    'Breakpoints between two channels within one post: inconsistent statements, broken hand-offs, runarounds. Ranked by posts.',
  breakpointsNone: 'No cross-channel breakpoint was found in the period.',
  breakpointPair: 'Channel pair',
  kinds: 'Kinds',
  change: 'Change',
  quotes: 'Verbatim quotes',
  quoteMeta: '{source} · {date}',
  likes: '{n} likes',
  kind_inconsistency: 'inconsistency',
  kind_handoff: 'broken hand-off',
  kind_runaround: 'runaround',
  newPair: 'new',
  methodsIntro:
    'Data: public posts crawled and classified for the period; ads, templated reviews and near-duplicates (spam) are excluded. The previous period is the one of the same kind just before ({from} to {to}).',
  methodsLexicon: 'Lexicon version: {version}.',
  methodsNss: 'NSS = (pos − neg) / (pos + neg) × 100; the 95% CI is the Wilson interval of p = pos / (pos + neg) mapped by 2p − 1.',
  methodsDrag: 'Drag = share of channel mentions × (channel NSS − NSS of all channel mentions).',
  methodsFulfilment: 'Fulfilment = positive descriptor hits / (positive + negative hits), with a Wilson 95% interval.',
  methodsLogOdds:
    'Distinctive descriptors: log-odds ratio δ with an informative Dirichlet prior (the pooled counts of the period) and z = δ / √Var (Monroe, Colaresi & Quinn 2008); q is the Benjamini–Hochberg adjusted p-value.',
  methodsQuotes:
    'Quotes: up to 3 per breakpoint, by likes, then newest, then post id; the sentence holding the evidence (at most 120 characters).',
  notAvailable: '—',
  footerPage: 'Page {page} of {total}',
};

const MESSAGES: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };

export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];

/** The message `key` in `locale` with `{name}` placeholders replaced by `params`. */
export function t(locale: Locale, key: MessageKey, params: Readonly<Record<string, string | number>> = {}): string {
  const template = MESSAGES[locale]?.[key] ?? MESSAGES['zh-CN'][key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** `4 篇帖子` / `4 posts`, `1 post`: a post count with its noun, for sentences. */
export function postCount(locale: Locale, n: number, formatted: string = String(n)): string {
  if (locale === 'zh-CN') return `${formatted} 篇帖子`;
  return `${formatted} ${n === 1 ? 'post' : 'posts'}`;
}

/** Display name of a breakpoint kind. */
export function breakpointKindLabel(kind: BreakpointKind, locale: Locale): string {
  return t(locale, `kind_${kind}`);
}
