/**
 * Plain-text tables of `voc eval` results (per label and overall), in zh-CN or English. Columns
 * are padded by display width, so CJK labels (two columns each) line up in a terminal.
 */
import type { Locale } from '../../core/types.js';
import { breakpointKindLabel, channelLabel } from '../labels.js';
import type { AspectEvalResult } from './aspects.js';
import { BOOTSTRAP_RESAMPLES, type Interval95 } from './bootstrap.js';
import type { ChannelEvalResult, RulesComparison } from './channels.js';
import type { LabelScore } from './metrics.js';
import type { SemevalEvalResult } from './semeval.js';
import type { SentimentEvalResult } from './sentiment.js';

/** The tasks of `voc train` as the Chinese output names them. */
const TASK_ZH: Readonly<Record<string, string>> = { sentiment: '情感', aspects: '方面', channels: '渠道' };

const TEXT = {
  'zh-CN': {
    label: '标签',
    channel: '渠道',
    subject: '主题',
    aspect: '方面',
    precision: '精确率',
    recall: '召回率',
    f1: 'F1',
    support: '样本数',
    sentimentF1: '主题+情感 F1',
    task: '任务',
    value: '数值',
    n: '数量',
    micro: '微平均',
    macro: '宏平均',
    accuracy: '准确率',
    interval: '95% 区间',
    intervalLine: (what: string, interval: string) => `${what}的 95% 区间（按条目自助重抽样 ${BOOTSTRAP_RESAMPLES} 次）：${interval}`,
    versusRules: (parts: string[]) => `相对仅用规则（同一批帖子，差值及配对自助法 95% 区间）：${parts.join('；')}`,
    polarityShort: '渠道极性',
    polarityOfChannel: '极性准确率',
    recallByKind: (kinds: Array<[string, string, number]>) => `断点召回率（按标注类型）：${kinds.map(([k, r, n]) => `${k} ${r}（${n} 个）`).join('；')}`,
    polarityN: '极性样本数',
    breakpointsShort: '断点 F1',
    posts: (n: number) => `共 ${n} 条`,
    channelDetection: '渠道识别（微平均）',
    channelMacro: '渠道识别（宏平均 F1）',
    polarity: '渠道极性（正确识别的渠道上）',
    breakpoints: '跨渠道断点',
    breakpointKind: '断点类型（命中的断点上）',
    questions: '提问识别',
    scenarios: '场景召回（精确率为附加指标）',
    sentiment: '整体情感',
    subjectMicro: '主题（微平均）',
    subjectSentimentMicro: '主题+情感（微平均，竞赛指标）',
    polarityMicro: '方面+极性（微平均）',
    sentenceSentiment: (n: number, acc: string) => `整句情感准确率（${n} 句，各观点极性一致）：${acc}`,
    termMode: '（该文件只有方面词：按证据片段与方面词重叠计分）',
    heldOut: (n: number, fraction: number, seed?: number) => `留出部分：${n} 条（--holdout ${fraction}${seed !== undefined ? ` --seed ${seed}` : ''}）`,
    predictor: (p: string) => `预测来源：${p}`,
    errorClasses: '主要错误类型：',
    confusion: '混淆矩阵（行：标注标签，列：预测标签）',
    sentimentOnFound: (n: number, acc: string) => `正确识别的主题上的情感（${n} 个，准确率 ${acc}；行：标注，列：预测）`,
    ruleLabels: (neutralAs: string) => `规则给出的帖子标签（行：标注标签；混合按分数正负计，中性计为${neutralAs}）`,
    goldPredicted: '标注 \\ 预测',
    postLabels: { pos: '正面', neg: '负面', mixed: '混合', neutral: '中性' } as Record<string, string>,
    trained: (task: string, n: number, features: number, seconds: number, out: string) =>
      `已训练${TASK_ZH[task] ?? ` ${task} `}模型：${n} 条训练样本，${features} 个特征，用时 ${seconds} 秒，写入 ${out}`,
    skippedPart: (part: 'stance' | 'breakpoints', found: number, needed: number) =>
      part === 'stance'
        ? `未训练渠道态度部分：规则也识别出的已标注渠道只有 ${found} 个，至少需要 ${needed} 个`
        : `未训练断点部分：断点帖或非断点帖只有 ${found} 条，两类各至少需要 ${needed} 条`,
  },
  en: {
    label: 'label',
    channel: 'channel',
    subject: 'subject',
    aspect: 'aspect',
    precision: 'precision',
    recall: 'recall',
    f1: 'F1',
    support: 'support',
    sentimentF1: 'subject+sentiment F1',
    task: 'task',
    value: 'value',
    n: 'n',
    micro: 'micro avg',
    macro: 'macro avg',
    accuracy: 'accuracy',
    interval: '95% interval',
    intervalLine: (what: string, interval: string) => `95% interval of the ${what} (bootstrap over the items, ${BOOTSTRAP_RESAMPLES} draws): ${interval}`,
    versusRules: (parts: string[]) => `against the rules alone on the same posts (difference, paired bootstrap 95% interval): ${parts.join('; ')}`,
    polarityShort: 'channel polarity',
    polarityOfChannel: 'polarity acc.',
    recallByKind: (kinds: Array<[string, string, number]>) => `breakpoint recall by labelled kind: ${kinds.map(([k, r, n]) => `${k} ${r} (${n})`).join('; ')}`,
    polarityN: 'polarity n',
    breakpointsShort: 'breakpoint F1',
    posts: (n: number) => `${n} items`,
    channelDetection: 'channel detection (micro)',
    channelMacro: 'channel detection (macro F1)',
    polarity: 'channel polarity (on detected channels)',
    breakpoints: 'cross-channel breakpoints',
    breakpointKind: 'breakpoint kind (on matched breakpoints)',
    questions: 'questions',
    scenarios: 'scenario recall (precision as extra)',
    sentiment: 'overall sentiment',
    subjectMicro: 'subject (micro)',
    subjectSentimentMicro: 'subject+sentiment (micro, competition metric)',
    polarityMicro: 'aspect+polarity (micro)',
    sentenceSentiment: (n: number, acc: string) => `sentence sentiment accuracy (${n} sentences whose opinions agree): ${acc}`,
    termMode: '(this file has aspect terms only: scored by evidence spans overlapping the terms)',
    heldOut: (n: number, fraction: number, seed?: number) => `held-out part: ${n} items (--holdout ${fraction}${seed !== undefined ? ` --seed ${seed}` : ''})`,
    predictor: (p: string) => `predictions: ${p}`,
    errorClasses: 'main error classes:',
    confusion: 'confusion matrix (rows: labelled, columns: predicted)',
    sentimentOnFound: (n: number, acc: string) => `sentiment on the subjects found rightly (${n}, accuracy ${acc}; rows: labelled, columns: predicted)`,
    ruleLabels: (neutralAs: string) => `the rules' post labels (rows: labelled; mixed counts by the sign of its score, neutral as ${neutralAs})`,
    goldPredicted: 'labelled \\ predicted',
    postLabels: { pos: 'pos', neg: 'neg', mixed: 'mixed', neutral: 'neutral' } as Record<string, string>,
    trained: (task: string, n: number, features: number, seconds: number, out: string) =>
      `trained ${task} model: ${n} training items, ${features} features, ${seconds} s, written to ${out}`,
    skippedPart: (part: 'stance' | 'breakpoints', found: number, needed: number) =>
      part === 'stance'
        ? `channel stance part not trained: ${found} labelled channel(s) the rules also detected, at least ${needed} needed`
        : `breakpoint part not trained: ${found} breakpoint (or other) post(s), at least ${needed} of each needed`,
  },
};

type Text = (typeof TEXT)['en'];

function t(locale: Locale): Text {
  return TEXT[locale] as Text;
}

/** A 95% interval as printed in tables ([0.9351, 0.9507]), or an empty cell (results saved before
 *  voc printed intervals have none). */
export function fmtInterval(ci: Interval95 | undefined): string {
  return ci ? `[${fmt(ci[0])}, ${fmt(ci[1])}]` : '';
}

/** A number as printed in tables (4 decimals), or an empty cell. */
export function fmt(x: number | undefined): string {
  return x === undefined || Number.isNaN(x) ? '' : x.toFixed(4);
}

/** Terminal display width: CJK and full-width characters take two columns. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    w += (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) || c >= 0x20000 ? 2 : 1;
  }
  return w;
}

/**
 * Text from data files made safe for a terminal: control characters (ANSI escape sequences start
 * with one) and bidirectional overrides become U+FFFD, newlines and tabs a space.
 */
export function terminalSafe(text: string): string {
  return text.replace(/[\t\n\r]/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '\uFFFD');
}

/** Renders rows under a header; the first column is left-aligned, the others right-aligned. */
export function renderTable(header: string[], body: string[][]): string {
  const rows = body.map((r) => r.map(terminalSafe));
  const widths = header.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => {
        const pad = ' '.repeat(widths[i]! - displayWidth(c));
        return i === 0 ? c + pad : pad + c;
      })
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header), rule, ...rows.map(line)].join('\n');
}

function labelRows(perLabel: Record<string, LabelScore>, name: (l: string) => string): string[][] {
  return Object.entries(perLabel).map(([l, s]) => [name(l), fmt(s.precision), fmt(s.recall), fmt(s.f1), String(s.support)]);
}

/** A signed difference as printed in tables (+0.0221). */
function signed(x: number): string {
  return `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(4)}`;
}

/** `voc eval channels` as tables. */
export function formatChannelsTable(r: ChannelEvalResult & { predictor?: string; compared_with_rules?: RulesComparison }, locale: Locale): string {
  const m = t(locale);
  const name = (id: string) => {
    const label = channelLabel(id, locale);
    return label === id ? id : `${id} ${label}`;
  };
  // Polarity is scored on the channels found rightly: a channel never found has no polarity cell.
  const pol = (id: string) => r.polarity.per_label[id];
  const perLabel = renderTable([m.channel, m.precision, m.recall, m.f1, m.support, m.polarityOfChannel, m.polarityN], [
    ...Object.entries(r.channels.per_label).map(([l, s]) => [name(l), fmt(s.precision), fmt(s.recall), fmt(s.f1), String(s.support), fmt(pol(l)?.accuracy), String(pol(l)?.n ?? '')]),
    [m.micro, fmt(r.channels.precision), fmt(r.channels.recall), fmt(r.channels.micro_f1), '', fmt(r.polarity.accuracy), String(r.polarity.n)],
    [m.macro, '', '', fmt(r.channels.macro_f1), '', '', ''],
  ]);
  const ci = r.ci95;
  const overall = renderTable([m.task, m.precision, m.recall, `${m.f1} / ${m.accuracy}`, m.interval, m.n], [
    [m.channelDetection, fmt(r.channels.precision), fmt(r.channels.recall), fmt(r.channels.micro_f1), fmtInterval(ci?.channels_micro_f1), String(r.n)],
    [m.channelMacro, '', '', fmt(r.channels.macro_f1), '', ''],
    [m.polarity, '', '', fmt(r.polarity.accuracy), fmtInterval(ci?.polarity), String(r.polarity.n)],
    [m.breakpoints, fmt(r.breakpoints.precision), fmt(r.breakpoints.recall), fmt(r.breakpoints.f1), fmtInterval(ci?.breakpoints_f1), String(r.breakpoints.support)],
    [m.breakpointKind, '', '', fmt(r.breakpoints.kind_accuracy), '', ''],
    [m.questions, fmt(r.questions.precision), fmt(r.questions.recall), fmt(r.questions.f1), fmtInterval(ci?.questions_f1), String(r.questions.support)],
    [m.scenarios, fmt(r.scenarios.precision), fmt(r.scenarios.recall), '', '', String(r.scenarios.gold)],
    [m.sentiment, '', '', fmt(r.sentiment.accuracy), fmtInterval(ci?.sentiment), String(r.sentiment.n)],
  ]);
  const parts = [m.posts(r.n), perLabel, '', overall];
  const kinds = Object.entries(r.breakpoints.per_kind);
  if (kinds.length) parts.push(m.recallByKind(kinds.map(([k, x]) => [breakpointKindLabel(k, locale), fmt(x.recall), x.support])));
  const top = Object.entries(r.errors.counts).slice(0, 15);
  if (top.length) parts.push('', m.errorClasses, ...top.map(([k, v]) => `  ${v}\t${k}`));
  if (r.predictor) parts.push('', m.predictor(r.predictor));
  const c = r.compared_with_rules;
  if (c) {
    const part = (name: string, x: RulesComparison['polarity']) => `${name} ${fmt(x.rules)} → ${signed(x.difference)} [${signed(x.ci95[0])}, ${signed(x.ci95[1])}]`;
    parts.push(m.versusRules([part(m.polarityShort, c.polarity), part(m.breakpointsShort, c.breakpoints_f1)]));
  }
  return parts.join('\n');
}

/** `voc eval sentiment` as a table. */
export function formatSentimentTable(
  r: SentimentEvalResult & {
    predictor?: string;
    holdout?: { fraction: number; seed?: number };
    skipped?: number;
    /** Rules only: labelled label -> the classifier's post label (pos/neg/mixed/neutral) -> count. */
    rule_labels?: Record<string, Record<string, number>>;
    /** The file's label a neutral post counted as (`--neutral-as`). */
    neutral_as?: string;
  },
  locale: Locale,
): string {
  const m = t(locale);
  const table = renderTable([m.label, m.precision, m.recall, m.f1, m.support], [
    ...labelRows(r.per_label, (l) => l),
    [m.accuracy, '', '', fmt(r.accuracy), String(r.n)],
    [m.macro, '', '', fmt(r.macro_f1), ''],
  ]);
  const parts = [r.holdout ? m.heldOut(r.n, r.holdout.fraction, r.holdout.seed) : m.posts(r.n), table];
  if (r.ci95) parts.push(m.intervalLine(m.accuracy, fmtInterval(r.ci95.accuracy)));
  // Where the errors are: which label is taken for which, and (rules) how often a post had no
  // judging words at all (neutral) or both kinds (mixed), which the binary score hides.
  const gold = Object.keys(r.per_label);
  if (r.confusion && gold.length) parts.push('', m.confusion, countTable(m.goldPredicted, r.confusion, gold, gold));
  if (r.rule_labels) {
    const kinds = ['pos', 'neg', 'mixed', 'neutral'];
    parts.push('', m.ruleLabels(m.postLabels[r.neutral_as ?? 'neg']!), countTable(m.goldPredicted, r.rule_labels, gold, kinds, (k) => m.postLabels[k] ?? k));
  }
  if (r.predictor) parts.push('', m.predictor(r.predictor));
  return parts.join('\n');
}

/** counts[row][column] as a table with a total per row; missing cells are 0. */
function countTable(corner: string, counts: Record<string, Record<string, number>>, rows: string[], columns: string[], name: (c: string) => string = (c) => c): string {
  return renderTable(
    [corner, ...columns.map(name), 'Σ'],
    rows.map((row) => {
      const cells = columns.map((c) => counts[row]?.[c] ?? 0);
      return [row, ...cells.map(String), String(cells.reduce((a, b) => a + b, 0))];
    }),
  );
}

/** `voc eval aspects` as a table. */
export function formatAspectsTable(r: AspectEvalResult & { predictor?: string; holdout?: { fraction: number; seed?: number } }, locale: Locale): string {
  const m = t(locale);
  const table = renderTable([m.subject, m.precision, m.recall, m.f1, m.sentimentF1, m.support], [
    ...Object.entries(r.per_label).map(([l, s]) => [l, fmt(s.precision), fmt(s.recall), fmt(s.f1), fmt(s.sentiment_f1), String(s.support)]),
    [m.subjectMicro, fmt(r.subject.precision), fmt(r.subject.recall), fmt(r.subject.micro_f1), '', ''],
    [m.subjectSentimentMicro, fmt(r.subject_sentiment.precision), fmt(r.subject_sentiment.recall), '', fmt(r.subject_sentiment.micro_f1), ''],
  ]);
  const parts = [r.holdout ? m.heldOut(r.n, r.holdout.fraction, r.holdout.seed) : m.posts(r.n), table];
  if (r.ci95) {
    parts.push(m.intervalLine(m.subjectMicro, fmtInterval(r.ci95.subject_micro_f1)));
    parts.push(m.intervalLine(m.subjectSentimentMicro, fmtInterval(r.ci95.subject_sentiment_micro_f1)));
  }
  const found = r.sentiment_on_found;
  if (found.n) {
    const values = ['-1', '0', '1'];
    parts.push('', m.sentimentOnFound(found.n, fmt(found.accuracy)), countTable(m.goldPredicted, found.confusion, values, values));
  }
  if (r.predictor) parts.push('', m.predictor(r.predictor));
  return parts.join('\n');
}

/** `voc eval semeval` as a table. */
export function formatSemevalTable(r: SemevalEvalResult, locale: Locale): string {
  const m = t(locale);
  const rows = [...labelRows(r.per_label, (l) => l), [m.micro, fmt(r.precision), fmt(r.recall), fmt(r.micro_f1), '']];
  if (r.mode === 'categories') rows.push([m.macro, '', '', fmt(r.macro_f1), '']);
  if (r.polarity) rows.push([m.polarityMicro, '', '', fmt(r.polarity.micro_f1), '']);
  const parts = [m.posts(r.n), renderTable([m.aspect, m.precision, m.recall, m.f1, m.support], rows)];
  if (r.ci95) parts.push(m.intervalLine(m.micro, fmtInterval(r.ci95.micro_f1)));
  if (r.mode === 'terms') parts.push(m.termMode);
  if (r.sentence_sentiment) parts.push(m.sentenceSentiment(r.sentence_sentiment.n, fmt(r.sentence_sentiment.accuracy)));
  return parts.join('\n');
}

/** One line about a finished `voc train`, plus the held-out table when there is one. */
export function formatTrainSummary(
  report: {
    task: string;
    trained: number;
    features: number;
    seconds: number;
    out: string;
    evaluation?: SentimentEvalResult | AspectEvalResult | ChannelEvalResult;
    holdout?: { fraction: number; seed?: number };
    skipped?: Array<{ part: 'stance' | 'breakpoints'; found: number; needed: number }>;
    rulesEvaluation?: ChannelEvalResult;
    compared_with_rules?: RulesComparison;
  },
  locale: Locale,
): string {
  const m = t(locale);
  const lines = [m.trained(report.task, report.trained, report.features, report.seconds, report.out)];
  for (const p of report.skipped ?? []) lines.push(m.skippedPart(p.part, p.found, p.needed));
  const e = report.evaluation;
  if (e && 'accuracy' in e) lines.push(formatSentimentTable({ ...e, ...(report.holdout ? { holdout: report.holdout } : {}) }, locale));
  else if (e && 'breakpoints' in e) {
    // The model's gain over the rules on the same held-out posts, with paired intervals, as `voc eval channels --model` prints it.
    lines.push(formatChannelsTable({ ...e, ...(report.compared_with_rules ? { compared_with_rules: report.compared_with_rules } : {}) }, locale));
  }
  else if (e) lines.push(formatAspectsTable({ ...e, ...(report.holdout ? { holdout: report.holdout } : {}) }, locale));
  return lines.join('\n');
}
