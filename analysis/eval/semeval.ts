/**
 * `voc eval semeval`: aspect-category F1 on SemEval XML files.
 *
 * Readers accept SemEval-2016 Task 5 sentence files (`<sentence><text/><Opinions><Opinion
 * category="PHONE#DESIGN_FEATURES" polarity="positive"/></Opinions></sentence>`, inside
 * `<Reviews><Review>` or not) and SemEval-2014 Task 4 files (`<aspectCategories>` and
 * `<aspectTerms>`). Categories are mapped to voc aspect ids (see maps.ts); the score is micro-F1
 * over (sentence, aspect) pairs, plus (sentence, aspect, polarity) as an extra figure.
 *
 * A file with aspect terms but no categories (SemEval-2014 laptops) is scored on terms instead:
 * a gold term is found when a predicted aspect's evidence span overlaps it, and a predicted aspect
 * is right when its evidence overlaps some gold term.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { InputError } from '../../core/errors.js';
import type { AspectHit } from '../../core/types.js';
import { overlaps } from './channels.js';
import { mapCategory, type CategoryMap } from './maps.js';
import { RatioItems, type Interval95 } from './bootstrap.js';
import { ratio, SetMatchCounter, singleLabelScores, type LabelScore } from './metrics.js';
import { readInputFile } from './input-file.js';

export type SemevalPolarity = 'positive' | 'negative' | 'neutral' | 'conflict';

export interface SemevalSentence {
  id: string;
  text: string;
  /** Aspect categories with their polarity (2016 Opinions, 2014 aspectCategories). */
  categories: Array<{ category: string; polarity: string }>;
  /** Aspect terms with offsets into `text` (2014 aspectTerms, 2016 Opinion targets). */
  terms: Array<{ term: string; polarity: string; from: number; to: number }>;
}

const ARRAYS = new Set(['Review', 'sentence', 'Opinion', 'aspectTerm', 'aspectCategory']);

/** Reads the sentences of a SemEval XML file. */
export function readSemevalXml(path: string): SemevalSentence[] {
  const xml = readInputFile(path, { en: 'SemEval file', zh: 'SemEval 文件' }).toString('utf8');
  const valid = XMLValidator.validate(xml);
  if (valid !== true)
    throw new InputError({
      en: `${path}: not well-formed XML (line ${valid.err.line}: ${valid.err.msg}); expected a SemEval-2014 or -2016 file`,
      zh: `${path}：XML 格式不正确（第 ${valid.err.line} 行：${valid.err.msg}）；应为 SemEval-2014 或 SemEval-2016 文件`,
    });
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseTagValue: false,
    parseAttributeValue: false,
    // Offsets of aspect terms count leading blanks: keep text exactly as written.
    trimValues: false,
    isArray: (name) => ARRAYS.has(name),
  });
  const doc = parser.parse(xml) as unknown;
  const found: Record<string, unknown>[] = [];
  collectSentences(doc, found);
  if (found.length === 0)
    throw new InputError({
      en: `${path}: no <sentence> elements; expected a SemEval-2014 or -2016 file`,
      zh: `${path}：没有 <sentence> 元素；应为 SemEval-2014 或 SemEval-2016 文件`,
    });
  return found.map((s, i) => {
    const text = textOf(s.text);
    const categories: SemevalSentence['categories'] = [];
    const terms: SemevalSentence['terms'] = [];
    for (const o of listAt(s, 'Opinions', 'Opinion')) {
      if (typeof o.category === 'string') categories.push({ category: o.category, polarity: String(o.polarity ?? '') });
      const target = typeof o.target === 'string' ? o.target : '';
      if (target && target !== 'NULL' && o.from !== undefined && o.to !== undefined)
        terms.push({ term: target, polarity: String(o.polarity ?? ''), from: Number(o.from), to: Number(o.to) });
    }
    for (const c of listAt(s, 'aspectCategories', 'aspectCategory'))
      if (typeof c.category === 'string') categories.push({ category: c.category, polarity: String(c.polarity ?? '') });
    for (const t of listAt(s, 'aspectTerms', 'aspectTerm'))
      if (typeof t.term === 'string') terms.push({ term: t.term, polarity: String(t.polarity ?? ''), from: Number(t.from), to: Number(t.to) });
    return { id: typeof s.id === 'string' ? s.id : String(i), text, categories, terms };
  });
}

function collectSentences(node: unknown, out: Record<string, unknown>[]): void {
  if (Array.isArray(node)) {
    for (const n of node) collectSentences(n, out);
    return;
  }
  if (!node || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'sentence' && Array.isArray(value)) {
      for (const s of value) if (s && typeof s === 'object') out.push(s as Record<string, unknown>);
    } else {
      collectSentences(value, out);
    }
  }
}

function textOf(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && typeof (v as Record<string, unknown>)['#text'] === 'string') return (v as Record<string, string>)['#text']!;
  return '';
}

function listAt(s: Record<string, unknown>, outer: string, inner: string): Array<Record<string, unknown>> {
  const o = s[outer];
  if (!o || typeof o !== 'object') return [];
  const list = (o as Record<string, unknown>)[inner];
  return Array.isArray(list) ? (list.filter((x) => x && typeof x === 'object') as Array<Record<string, unknown>>) : [];
}

export interface SemevalEvalResult {
  n: number;
  /** `categories` (aspect-category F1) or `terms` (a file with aspect terms only). */
  mode: 'categories' | 'terms';
  map: string;
  precision: number;
  recall: number;
  micro_f1: number;
  macro_f1: number;
  per_label: Record<string, LabelScore>;
  /** Micro-F1 of (sentence, aspect, polarity) (category mode only; conflicting polarities excluded). */
  polarity?: { micro_f1: number };
  /** Gold categories the map does not track, with their counts. */
  unmapped: Record<string, number>;
  /** 95% bootstrap interval of the micro-F1 over the sentences (category mode only: the term mode's
   *  F1 pools two different denominators). */
  ci95?: { micro_f1: Interval95 };
  /**
   * The post-level sentiment of the classifier on the sentences whose every opinion (category, or
   * term in a file without categories) has one and the same polarity: positive -> pos, negative ->
   * neg, neutral -> neutral; a `mixed` answer counts as wrong. Sentences without opinions, with a
   * `conflict` or with two polarities are left out. The file's only sentiment figure that does not
   * depend on the category map.
   */
  sentence_sentiment?: { n: number; accuracy: number; per_label: Record<string, LabelScore> };
}

const SENTENCE_LABEL: Record<string, string> = { positive: 'pos', negative: 'neg', neutral: 'neutral' };

/** The one polarity of all opinions of `s` as a post label, or undefined (none, conflict, two). */
export function sentenceLabel(s: SemevalSentence): string | undefined {
  const opinions = s.categories.length ? s.categories : s.terms;
  let label: string | undefined;
  for (const o of opinions) {
    const l = SENTENCE_LABEL[o.polarity];
    if (!l || (label !== undefined && l !== label)) return undefined;
    label = l;
  }
  return label;
}

/** Accuracy of `predicted[i]` (post labels) on the sentences `sentenceLabel` gives a label. */
export function sentenceSentiment(sentences: readonly SemevalSentence[], predicted: readonly string[]): NonNullable<SemevalEvalResult['sentence_sentiment']> {
  const gold: string[] = [];
  const said: string[] = [];
  sentences.forEach((s, i) => {
    const label = sentenceLabel(s);
    if (label === undefined) return;
    gold.push(label);
    said.push(predicted[i]!);
  });
  const scores = singleLabelScores(gold, said);
  return { n: gold.length, accuracy: scores.accuracy, per_label: scores.per_label };
}

const POLARITY_OF: Record<string, string> = { pos: 'positive', neg: 'negative', neutral: 'neutral' };

/** Scores `predicted[i]` (aspect hits of `sentences[i].text`) with the category map. */
export function evalSemeval(sentences: readonly SemevalSentence[], predicted: readonly AspectHit[][], map: CategoryMap): SemevalEvalResult {
  if (sentences.length !== predicted.length) throw new RangeError(`${sentences.length} sentences but ${predicted.length} predictions`);
  const tracked = new Set<string>();
  for (const v of Object.values(map.categories)) if (v) tracked.add(v);
  const hasCategories = sentences.some((s) => s.categories.length > 0);
  const unmapped: Record<string, number> = {};
  const aspects = new SetMatchCounter();
  const aspectItems = new RatioItems();
  const polar = new SetMatchCounter();
  let termGold = 0;
  let termFound = 0;
  let predictedHits = 0;
  let predictedOnTerm = 0;

  sentences.forEach((s, i) => {
    const hits = predicted[i]!.filter((h) => tracked.has(h.aspect));
    if (hasCategories) {
      const gold = new Map<string, Set<string>>();
      for (const c of s.categories) {
        const a = mapCategory(map, c.category);
        if (!a) {
          unmapped[c.category] = (unmapped[c.category] ?? 0) + 1;
          continue;
        }
        const set = gold.get(a) ?? new Set<string>();
        set.add(c.polarity);
        gold.set(a, set);
      }
      const item = aspects.add(
        gold.keys(),
        hits.map((h) => h.aspect),
      );
      aspectItems.addCounts(item.tp, item.fp, item.fn);
      // A sentence that judges one aspect both ways has no single polarity to score.
      const goldPolar = [...gold].filter(([, p]) => p.size === 1).map(([a, p]) => `${a}\u0000${[...p][0]}`);
      const skip = new Set([...gold].filter(([, p]) => p.size > 1).map(([a]) => a));
      polar.add(
        goldPolar,
        hits.filter((h) => !skip.has(h.aspect)).map((h) => `${h.aspect}\u0000${POLARITY_OF[h.polarity] ?? h.polarity}`),
      );
    } else {
      for (const t of s.terms) {
        termGold++;
        if (hits.some((h) => overlaps({ start: t.from, end: t.to }, h.evidence))) termFound++;
      }
      for (const h of hits) {
        predictedHits++;
        if (s.terms.some((t) => overlaps({ start: t.from, end: t.to }, h.evidence))) predictedOnTerm++;
      }
    }
  });

  if (hasCategories) {
    const m = aspects.micro();
    return {
      n: sentences.length,
      mode: 'categories',
      map: map.name,
      precision: m.precision,
      recall: m.recall,
      micro_f1: m.f1,
      macro_f1: aspects.macroF1(),
      per_label: aspects.perLabel(),
      polarity: { micro_f1: polar.micro().f1 },
      unmapped,
      ci95: { micro_f1: aspectItems.interval() },
    };
  }
  const precision = ratio(predictedOnTerm, predictedHits);
  const recall = ratio(termFound, termGold);
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { n: sentences.length, mode: 'terms', map: map.name, precision, recall, micro_f1: f1, macro_f1: f1, per_label: {}, unmapped };
}
