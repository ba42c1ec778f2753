/**
 * `voc eval channels`: scores classifications against the hand-labelled channel gold set.
 *
 * - channels: per-label and micro/macro precision, recall, F1 of the set of channels per post;
 * - polarity: accuracy of the channel stance on correctly detected channels;
 * - breakpoints: counted per post; a predicted breakpoint is a true positive when the post's gold
 *   has `breakpoint: true` and some predicted pair lies within the gold channels (the pair itself
 *   when the gold names two); every other post with a predicted breakpoint is a false positive;
 * - questions: precision, recall, F1 of `question`;
 * - scenarios: a gold phrase is recalled when a predicted scenario's evidence span overlaps one of
 *   its occurrences in the text (precision: predicted scenarios overlapping some gold phrase);
 * - sentiment (extra): accuracy of the post label against the gold `sentiment`;
 * - ci95: 95% bootstrap intervals over the posts of the channel F1, polarity, breakpoint F1,
 *   question F1 and sentiment figures (bootstrap.ts).
 *
 * Error classes are always counted and, on request, a few examples of each are kept, to guide
 * work on the rules.
 */
import type { Classification, Span } from '../../core/types.js';
import { pairedDifferenceInterval, RatioItems, type Interval95 } from './bootstrap.js';
import { binaryScores, ratio, SetMatchCounter, type LabelScore } from './metrics.js';
import type { GoldRow } from './readers.js';
import type { Bilingual } from '../../core/errors.js';

export interface ChannelEvalResult {
  n: number;
  channels: { precision: number; recall: number; micro_f1: number; macro_f1: number; per_label: Record<string, LabelScore> };
  /** Per channel too: which channel's stance is misread (the report ranks channels by it). */
  polarity: { accuracy: number; n: number; per_label: Record<string, { accuracy: number; n: number }> };
  breakpoints: {
    precision: number;
    recall: number;
    f1: number;
    support: number;
    kind_accuracy: number;
    /** Recall per labelled kind (found with the right pair): which kind of broken journey is missed. */
    per_kind: Record<string, { recall: number; support: number }>;
  };
  questions: { precision: number; recall: number; f1: number; support: number };
  scenarios: { recall: number; precision: number; gold: number; predicted: number };
  sentiment: { accuracy: number; n: number };
  /** 95% bootstrap intervals over the posts (bootstrap.ts) of the headline figures. */
  ci95: { channels_micro_f1: Interval95; polarity: Interval95; breakpoints_f1: Interval95; questions_f1: Interval95; sentiment: Interval95 };
  /** Error class -> count (always), and examples (when asked for). */
  errors: { counts: Record<string, number>; examples?: ErrorExample[] };
}

export interface ErrorExample {
  kind: string;
  line: number;
  id?: string | number;
  /** What went wrong, in English (the JSON's language), and in Chinese for the table. */
  detail: string;
  detail_zh: string;
  text: string;
}

export interface ChannelEvalOptions {
  /** Keep up to this many examples per error class (default 0). */
  examples?: number;
}

/** What a channel model changed against the rules alone on the same posts (a paired bootstrap, run.ts). */
export interface RulesComparison {
  polarity: { rules: number; difference: number; ci95: Interval95 };
  breakpoints_f1: { rules: number; difference: number; ci95: Interval95 };
}

/** Per-post numerators and denominators of the headline figures (for intervals and paired comparisons). */
export interface ChannelItems {
  channels: RatioItems;
  polarity: RatioItems;
  breakpoints: RatioItems;
  questions: RatioItems;
  sentiment: RatioItems;
}

/**
 * What a channel model changed against the rules alone, both scored by scoreChannels on the same
 * posts: the two figures a model moves (stances and breakpoints), with paired bootstrap intervals.
 */
export function compareWithRules(rules: ReturnType<typeof scoreChannels>, model: ReturnType<typeof scoreChannels>): RulesComparison {
  const diff = (after: number, before: number) => Math.round((after - before) * 1e4) / 1e4;
  return {
    polarity: { rules: rules.result.polarity.accuracy, difference: diff(model.result.polarity.accuracy, rules.result.polarity.accuracy), ci95: pairedDifferenceInterval(rules.items.polarity, model.items.polarity) },
    breakpoints_f1: { rules: rules.result.breakpoints.f1, difference: diff(model.result.breakpoints.f1, rules.result.breakpoints.f1), ci95: pairedDifferenceInterval(rules.items.breakpoints, model.items.breakpoints) },
  };
}

/** Scores `predictions[i]` (the classification of `rows[i].text`) against the gold rows. */
export function evalChannels(rows: readonly GoldRow[], predictions: readonly Classification[], options: ChannelEvalOptions = {}): ChannelEvalResult {
  return scoreChannels(rows, predictions, options).result;
}

/** evalChannels with the per-post counts behind its figures. */
export function scoreChannels(rows: readonly GoldRow[], predictions: readonly Classification[], options: ChannelEvalOptions = {}): { result: ChannelEvalResult; items: ChannelItems } {
  if (rows.length !== predictions.length) throw new RangeError(`${rows.length} gold rows but ${predictions.length} predictions`);
  const keep = options.examples ?? 0;
  const counts: Record<string, number> = {};
  const examples: ErrorExample[] = [];
  const perKind: Record<string, number> = {};
  // Details are made only for the examples kept: most errors are only counted.
  const error = (kind: string, row: GoldRow, detail: () => Bilingual) => {
    counts[kind] = (counts[kind] ?? 0) + 1;
    if ((perKind[kind] ?? 0) < keep) {
      perKind[kind] = (perKind[kind] ?? 0) + 1;
      const { en, zh } = detail();
      examples.push({ kind, line: row.line, ...(row.id !== undefined ? { id: row.id } : {}), detail: en, detail_zh: zh, text: row.text });
    }
  };

  const channels = new SetMatchCounter();
  let polarityRight = 0;
  let polarityN = 0;
  const polarityOf = new Map<string, { right: number; n: number }>();
  let bpTp = 0;
  let bpFp = 0;
  let bpFn = 0;
  let kindRight = 0;
  const byKind = new Map<string, { found: number; support: number }>();
  let scenariosGold = 0;
  let scenariosRecalled = 0;
  let scenariosPredicted = 0;
  let scenariosOnGold = 0;
  let sentimentRight = 0;
  let sentimentN = 0;
  const qGold: boolean[] = [];
  const qPred: boolean[] = [];
  // Per-post counts of every headline figure, for its bootstrap interval.
  const items: ChannelItems = { channels: new RatioItems(), polarity: new RatioItems(), breakpoints: new RatioItems(), questions: new RatioItems(), sentiment: new RatioItems() };

  rows.forEach((row, i) => {
    const c = predictions[i]!;
    // Channels and their polarity.
    const gold = new Map(row.channels.map((g) => [g.channel, g.polarity]));
    const predicted = new Map<string, string>();
    for (const m of c.channels) if (!predicted.has(m.channel)) predicted.set(m.channel, m.polarity);
    const item = channels.add(gold.keys(), predicted.keys());
    items.channels.addCounts(item.tp, item.fp, item.fn);
    let postRight = 0;
    let postScored = 0;
    for (const [ch, pol] of gold) {
      const p = predicted.get(ch);
      if (p === undefined) {
        error(`channel_missed:${ch}`, row, () => ({ en: `missed ${ch} (${pol})`, zh: `漏检 ${ch}（${pol}）` }));
        continue;
      }
      postScored++;
      const of = polarityOf.get(ch) ?? polarityOf.set(ch, { right: 0, n: 0 }).get(ch)!;
      of.n++;
      if (p === pol) {
        of.right++;
        postRight++;
      } else error(`polarity:${ch}:${pol}->${p}`, row, () => ({ en: `${ch}: gold ${pol}, predicted ${p}`, zh: `${ch}：标注 ${pol}，预测 ${p}` }));
    }
    polarityRight += postRight;
    polarityN += postScored;
    items.polarity.add(postRight, postScored);
    for (const [ch, p] of predicted) {
      if (gold.has(ch)) continue;
      const alias = c.channels.find((m) => m.channel === ch)?.alias ?? '';
      error(`channel_extra:${ch}`, row, () => ({ en: `predicted ${ch} (${p}) from "${alias}"`, zh: `由“${alias}”误判出 ${ch}（${p}）` }));
    }

    // Breakpoints, per post.
    const goldSet = new Set(row.breakpoint_channels);
    const matching = row.breakpoint ? c.breakpoints.find((b) => goldSet.has(b.channels[0]) && goldSet.has(b.channels[1])) : undefined;
    const goldPair = [...goldSet].sort().join('+');
    items.breakpoints.addCounts(matching ? 1 : 0, !matching && c.breakpoints.length > 0 ? 1 : 0, !matching && row.breakpoint ? 1 : 0);
    if (row.breakpoint) {
      const key = row.breakpoint_kind ?? 'unlabelled';
      const kind = byKind.get(key) ?? byKind.set(key, { found: 0, support: 0 }).get(key)!;
      kind.support++;
      if (matching) kind.found++;
    }
    if (matching) {
      bpTp++;
      if (matching.kind === row.breakpoint_kind) kindRight++;
      else
        error(`breakpoint_kind:${row.breakpoint_kind}->${matching.kind}`, row, () => ({
          en: `${goldPair}: gold ${row.breakpoint_kind}, predicted ${matching.kind}`,
          zh: `${goldPair}：标注 ${row.breakpoint_kind}，预测 ${matching.kind}`,
        }));
    } else {
      if (row.breakpoint) {
        bpFn++;
        const other = c.breakpoints.map((b) => b.channels.join('+')).join(', ');
        error(other ? 'breakpoint_wrong_pair' : 'breakpoint_missed', row, () => ({
          en: `gold ${goldPair} ${row.breakpoint_kind}${other ? `, predicted ${other}` : ''}`,
          zh: `标注 ${goldPair} ${row.breakpoint_kind}${other ? `，预测 ${other}` : ''}`,
        }));
      }
      if (c.breakpoints.length > 0) {
        bpFp++;
        if (!row.breakpoint) {
          const b = c.breakpoints[0]!;
          error('breakpoint_extra', row, () => ({
            en: `predicted ${b.channels.join('+')} ${b.kind} (cue ${b.cue}): "${b.evidence.text}"`,
            zh: `误判断点 ${b.channels.join('+')} ${b.kind}（线索 ${b.cue}）：“${b.evidence.text}”`,
          }));
        }
      }
    }

    // Questions.
    qGold.push(row.question);
    qPred.push(c.question.isQuestion);
    items.questions.addCounts(row.question && c.question.isQuestion ? 1 : 0, !row.question && c.question.isQuestion ? 1 : 0, row.question && !c.question.isQuestion ? 1 : 0);
    if (row.question && !c.question.isQuestion) error('question_missed', row, () => ({ en: 'gold question, predicted none', zh: '标注为提问，未识别' }));
    if (!row.question && c.question.isQuestion) error('question_extra', row, () => ({ en: 'predicted a question', zh: '误判为提问' }));

    // Scenarios: span overlap with any occurrence of the gold phrase.
    const goldSpans = row.scenarios.map((phrase) => occurrences(row.text, phrase));
    const predictedSpans = c.scenarios.map((s) => s.evidence);
    row.scenarios.forEach((phrase, k) => {
      scenariosGold++;
      if (goldSpans[k]!.some((g) => predictedSpans.some((p) => overlaps(g, p)))) scenariosRecalled++;
      else error('scenario_missed', row, () => ({ en: `missed "${phrase}"`, zh: `漏检“${phrase}”` }));
    });
    for (const p of c.scenarios) {
      scenariosPredicted++;
      if (goldSpans.some((list) => list.some((g) => overlaps(g, p.evidence)))) scenariosOnGold++;
      else error('scenario_extra', row, () => ({ en: `predicted ${p.scenario} from "${p.evidence.text}"`, zh: `由“${p.evidence.text}”误判出场景 ${p.scenario}` }));
    }

    // Overall sentiment (extra figure).
    items.sentiment.add(row.sentiment && row.sentiment === c.sentiment.label ? 1 : 0, row.sentiment ? 1 : 0);
    if (row.sentiment) {
      sentimentN++;
      if (row.sentiment === c.sentiment.label) sentimentRight++;
      else
        error(`sentiment:${row.sentiment}->${c.sentiment.label}`, row, () => ({ en: `gold ${row.sentiment}, predicted ${c.sentiment.label}`, zh: `标注 ${row.sentiment}，预测 ${c.sentiment.label}` }));
    }
  });

  const micro = channels.micro();
  const bpPrecision = ratio(bpTp, bpTp + bpFp);
  const bpRecall = ratio(bpTp, bpTp + bpFn);
  const q = binaryScores(qGold, qPred);
  const sortedCounts = Object.fromEntries(Object.entries(counts).sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1)));
  const result: ChannelEvalResult = {
    n: rows.length,
    channels: { precision: micro.precision, recall: micro.recall, micro_f1: micro.f1, macro_f1: channels.macroF1(), per_label: channels.perLabel() },
    polarity: {
      accuracy: ratio(polarityRight, polarityN),
      n: polarityN,
      per_label: Object.fromEntries([...polarityOf].sort(([a], [b]) => (a < b ? -1 : 1)).map(([ch, x]) => [ch, { accuracy: ratio(x.right, x.n), n: x.n }])),
    },
    breakpoints: {
      precision: bpPrecision,
      recall: bpRecall,
      f1: bpPrecision + bpRecall > 0 ? (2 * bpPrecision * bpRecall) / (bpPrecision + bpRecall) : 0,
      support: bpTp + bpFn,
      kind_accuracy: ratio(kindRight, bpTp),
      per_kind: Object.fromEntries([...byKind].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, { recall: ratio(x.found, x.support), support: x.support }])),
    },
    questions: { precision: q.precision, recall: q.recall, f1: q.f1, support: q.support },
    scenarios: { recall: ratio(scenariosRecalled, scenariosGold), precision: ratio(scenariosOnGold, scenariosPredicted), gold: scenariosGold, predicted: scenariosPredicted },
    sentiment: { accuracy: ratio(sentimentRight, sentimentN), n: sentimentN },
    ci95: {
      channels_micro_f1: items.channels.interval(),
      polarity: items.polarity.interval(),
      breakpoints_f1: items.breakpoints.interval(),
      questions_f1: items.questions.interval(),
      sentiment: items.sentiment.interval(),
    },
    errors: keep > 0 ? { counts: sortedCounts, examples } : { counts: sortedCounts },
  };
  return { result, items };
}

type Range = Pick<Span, 'start' | 'end'>;

/** Every occurrence of `phrase` in `text` as a span (none when the phrase is empty or absent). */
export function occurrences(text: string, phrase: string): Range[] {
  const out: Range[] = [];
  if (!phrase) return out;
  for (let at = text.indexOf(phrase); at >= 0; at = text.indexOf(phrase, at + 1)) out.push({ start: at, end: at + phrase.length });
  return out;
}

/** Whether two half-open spans share at least one character. */
export function overlaps(a: Range, b: Range): boolean {
  return a.start < b.end && b.start < a.end;
}
