/**
 * `voc explain` as text: every label of one classification next to the words of the post that
 * decided it, so an analyst or a lexicon maintainer can see why a post counts where it counts in a
 * report. Pure: a Classification, the post's text and labels in; lines out.
 *
 * Post text is hostile (it may hold ANSI escapes or bidi overrides meant for a terminal): every piece
 * of it printed goes through `terminalSafe`.
 */
import type { Classification, Locale, Span } from '../core/types.js';
import type { Lexicons } from '../analysis/lexicons.js';
import {
  aspectLabel,
  breakpointCueLabel,
  breakpointKindLabel,
  channelLabel,
  promiseLabel,
  scenarioLabel,
  scenarioTypeLabel,
  sentimentLabel,
} from '../analysis/labels.js';
import { terminalSafe } from './crawl-output.js';

export interface ExplainContext {
  locale: Locale;
  /** The classifier's effective lexicon: labels of config-added channels and aspects live there. */
  lexicons: Lexicons;
  /** The aspect taxonomy of the post's brand (aspect ids repeat across taxonomies). */
  taxonomy: string;
  /** Which trained models took part (sentiment, aspects, channels); empty: the rules alone. */
  models: string[];
}

const zh = {
  post: (n: number, line?: number) => `帖子 ${n}${line !== undefined ? `（第 ${line} 行）` : ''}`,
  lang: '语言',
  langs: { zh: '中文', en: '英文', other: '其他' } as Record<string, string>,
  sentiment: '整体情感',
  lexicon: '词典',
  models: (list: string) => (list ? `模型：${list}` : '仅规则'),
  modelNames: { sentiment: '情感', aspects: '方面', channels: '渠道' } as Record<string, string>,
  text: '原文',
  channels: '渠道',
  decidedBy: '判定词',
  takesVerdict: '随整体评价',
  breakpoints: '跨渠道断点',
  cue: '线索',
  descriptors: '品牌承诺描述词',
  about: '关于',
  brandWide: '品牌整体',
  openWords: '开放词（词典外的形容词、动词）',
  pos: { adj: '形容词', verb: '动词' } as Record<string, string>,
  negated: '否定',
  aspects: '方面',
  scenarios: '使用场景',
  linked: '关联',
  question: '提问',
  yes: '是',
  no: '否',
  spam: '广告/模板评价（报告不计入）',
  none: '无',
  truncated: (total: number) => `（显示时截断，原文共 ${total} 个字符）`,
  sep: '：',
};

const en: typeof zh = {
  post: (n, line) => `Post ${n}${line !== undefined ? ` (line ${line})` : ''}`,
  lang: 'language',
  langs: { zh: 'Chinese', en: 'English', other: 'other' },
  sentiment: 'overall sentiment',
  lexicon: 'lexicon',
  models: (list) => (list ? `models: ${list}` : 'rules only'),
  modelNames: { sentiment: 'sentiment', aspects: 'aspects', channels: 'channels' },
  text: 'Text',
  channels: 'Channels',
  decidedBy: 'decided by',
  takesVerdict: 'takes the review\'s verdict',
  breakpoints: 'Cross-channel breakpoints',
  cue: 'cue',
  descriptors: 'Brand-promise descriptors',
  about: 'about',
  brandWide: 'the brand in general',
  openWords: 'Open words (adjectives and verbs outside the lexicon)',
  pos: { adj: 'adj', verb: 'verb' },
  negated: 'negated',
  aspects: 'Aspects',
  scenarios: 'Usage scenarios',
  linked: 'linked to',
  question: 'Question',
  yes: 'yes',
  no: 'no',
  spam: 'Ad / templated review (reports leave it out)',
  none: 'none',
  truncated: (total) => ` (cut for display; ${total} characters in all)`,
  sep: ': ',
};

/** Terminal columns of the post's text printed under "Text" (a CJK character takes two). */
export const TEXT_COLUMNS = 600;

/** The lines `voc explain` prints for post number `at.n` (1-based) of the run, read from line `at.line` of a file. */
export function explainLines(c: Classification, text: string, at: { n: number; line?: number | undefined }, ctx: ExplainContext): string[] {
  const L = ctx.locale === 'en' ? en : zh;
  const loc = ctx.locale;
  const channel = (id: string) => channelLabel(id, loc, ctx.lexicons);
  const polarity = (p: string) => sentimentLabel(p, loc);
  const models = ctx.models.map((m) => L.modelNames[m] ?? m).join(loc === 'en' ? ', ' : '、');
  const out: string[] = [];
  out.push(
    `${L.post(at.n, at.line)} · ${L.lang} ${L.langs[c.lang] ?? c.lang} · ${L.sentiment} ${polarity(c.sentiment.label)} (${c.sentiment.score.toFixed(2)}) · ${L.lexicon} ${c.lexiconVersion} · ${L.models(models)}`,
  );
  const clean = terminalSafe(text, Number.MAX_SAFE_INTEGER);
  const shown = terminalSafe(clean, TEXT_COLUMNS);
  // Characters as people count them: an emoji is one, not two UTF-16 units.
  out.push(`${L.text}${L.sep}${shown}${shown !== clean ? L.truncated([...text].length) : ''}`);

  const section = (title: string, rows: string[]) => {
    out.push(`${title} (${rows.length})${rows.length ? '' : `${L.sep}${L.none}`}`);
    for (const r of rows) out.push(`  ${r}`);
  };

  section(
    L.channels,
    c.channels.map((m) => {
      const decided = m.stanceEvidence ? `  ${L.decidedBy} ${quote(m.stanceEvidence)}` : m.polarity !== 'neutral' ? `  (${L.takesVerdict})` : '';
      return `${channel(m.channel)} [${m.channel}]  ${polarity(m.polarity)}  ${quote(m.evidence)}${decided}`;
    }),
  );
  section(
    L.breakpoints,
    c.breakpoints.map(
      (b) => `${b.channels.map(channel).join(' ↔ ')}  ${breakpointKindLabel(b.kind, loc)} [${b.kind}]  ${L.cue} ${cueText(b.cue, loc)}  ${quote(b.evidence)}`,
    ),
  );
  section(
    L.descriptors,
    c.descriptors.map(
      (d) =>
        `${promiseLabel(d.promise, loc, ctx.lexicons)} [${d.promise}]  ${polarity(d.polarity)}  ${quote(d.evidence)}  ${L.about} ${d.channel ? channel(d.channel) : L.brandWide}`,
    ),
  );
  section(
    L.openWords,
    (c.openWords ?? []).map(
      (w) => `${channel(w.channel)}  ${quote(w.evidence)}  ${L.pos[w.pos] ?? w.pos}${w.negated ? `, ${L.negated}` : ''}`,
    ),
  );
  section(
    L.aspects,
    c.aspects.map((a) => `${aspectLabel(a.aspect, loc, ctx.taxonomy, ctx.lexicons)} [${a.aspect}]  ${polarity(a.polarity)}  ${quote(a.evidence)}`),
  );
  section(
    L.scenarios,
    c.scenarios.map((s) => {
      const linkedTo = s.linked && (s.linked.channels.length || s.linked.aspects.length || s.linked.evidence)
        ? `  ${L.linked} ${[
            ...s.linked.channels.map(channel),
            ...s.linked.aspects.map((a) => aspectLabel(a, loc, ctx.taxonomy, ctx.lexicons)),
          ].join(', ')}${s.linked.evidence ? ` ${quote(s.linked.evidence)}` : ''}`
        : '';
      return `${scenarioLabel(s.scenario, loc, ctx.lexicons)} (${scenarioTypeLabel(s.type, loc)})  ${polarity(s.polarity)}  ${quote(s.evidence)}${linkedTo}`;
    }),
  );
  const about = c.question.about.map((a) => terminalSafe(a, 40)).join(', ');
  out.push(`${L.question}${L.sep}${c.question.isQuestion ? L.yes : L.no}${c.question.isQuestion && about ? ` (${L.about} ${about})` : ''}`);
  if (c.spam) out.push(L.spam);
  return out;
}

/**
 * 「evidence」@start: the words and where they start in the post as given (a UTF-16 offset, as in the
 * JSON and the stored classification; the text shown above has its blanks folded).
 */
function quote(span: Span): string {
  return `「${terminalSafe(span.text, 120)}」@${span.start}`;
}

/** A cue's name with its id (拒绝接续办理 [transfer_refused]); a brand's own cue shows its id alone. */
function cueText(cue: string, loc: Locale): string {
  const name = breakpointCueLabel(cue, loc);
  return name === cue ? terminalSafe(cue, 60) : `${name} [${terminalSafe(cue, 60)}]`;
}
