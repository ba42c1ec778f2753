import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AspectHit, Classification } from '../core/types.js';
import { evalAspects, ruleSubjects } from '../analysis/eval/aspects.js';
import { evalChannels, occurrences, overlaps } from '../analysis/eval/channels.js';
import { BUILTIN_MAPS, detectCategoryMap, loadCategoryMap, mapCategory } from '../analysis/eval/maps.js';
import { readAspectsCsv, readChannelGold } from '../analysis/eval/readers.js';
import { evalSemeval, readSemevalXml, sentenceLabel, sentenceSentiment } from '../analysis/eval/semeval.js';
import { evalSentiment, labelStances, ruleLabel } from '../analysis/eval/sentiment.js';
import { displayWidth, renderTable } from '../analysis/eval/table.js';

const FIX = join(import.meta.dirname, 'fixtures', 'eval');

/** The hand-written predictions of the 30-row fixture, completed into Classifications. */
function fixturePredictions(): Classification[] {
  return readFileSync(join(FIX, 'channels-predictions.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line, i) => ({
      postId: `p${i}`,
      brand: 'b',
      lang: 'zh',
      descriptors: [],
      aspects: [],
      spam: false,
      lexiconVersion: 'fixture',
      ...(JSON.parse(line) as Pick<Classification, 'channels' | 'breakpoints' | 'question' | 'scenarios' | 'sentiment'>),
    }));
}

describe('evalChannels on the 30-row fixture (figures worked out by hand)', () => {
  const rows = readChannelGold(join(FIX, 'channels-gold.jsonl'));
  const r = evalChannels(rows, fixturePredictions(), { examples: 1 });

  it('scores channel detection per label and overall', () => {
    expect(r.n).toBe(30);
    // tp 36, fp 2 (store row 19, marketplace row 27), fn 2 (after_sales rows 11, 20)
    expect(r.channels.precision).toBeCloseTo(36 / 38, 12);
    expect(r.channels.recall).toBeCloseTo(36 / 38, 12);
    expect(r.channels.micro_f1).toBeCloseTo(36 / 38, 12);
    // marketplace 6/7, store 18/19, after_sales 3/4, five labels at 1
    expect(r.channels.macro_f1).toBeCloseTo((6 / 7 + 18 / 19 + 0.75 + 5) / 8, 12);
    expect(r.channels.per_label).toEqual({
      after_sales: { precision: 1, recall: 0.6, f1: expect.closeTo(0.75, 12), support: 5 },
      app: { precision: 1, recall: 1, f1: 1, support: 1 },
      customer_service: { precision: 1, recall: 1, f1: 1, support: 7 },
      delivery: { precision: 1, recall: 1, f1: 1, support: 8 },
      marketplace: { precision: 0.75, recall: 1, f1: expect.closeTo(6 / 7, 12), support: 3 },
      social_media: { precision: 1, recall: 1, f1: 1, support: 2 },
      store: { precision: 0.9, recall: 1, f1: expect.closeTo(18 / 19, 12), support: 9 },
      website: { precision: 1, recall: 1, f1: 1, support: 3 },
    });
  });

  it('scores polarity on correctly detected channels only', () => {
    // 36 detected; wrong: delivery rows 4 and 21, store row 15
    expect(r.polarity).toEqual({
      accuracy: 33 / 36,
      n: 36,
      per_label: {
        after_sales: { accuracy: 1, n: 3 },
        app: { accuracy: 1, n: 1 },
        customer_service: { accuracy: 1, n: 7 },
        delivery: { accuracy: 6 / 8, n: 8 },
        marketplace: { accuracy: 1, n: 3 },
        social_media: { accuracy: 1, n: 2 },
        store: { accuracy: 8 / 9, n: 9 },
        website: { accuracy: 1, n: 3 },
      },
    });
  });

  it('scores breakpoints per post, the channel pair deciding', () => {
    // gold rows 6, 7, 8, 9, 28; right pair 6, 7, 28; row 9 wrong pair (fn + fp); row 10 extra (fp)
    // Recall by labelled kind: handoff row 7 found; inconsistency rows 6 and 28 of 6, 9, 28; runaround row 8 missed.
    expect(r.breakpoints).toEqual({
      precision: 0.6,
      recall: 0.6,
      f1: expect.closeTo(0.6, 12),
      support: 5,
      kind_accuracy: 2 / 3,
      per_kind: { handoff: { recall: 1, support: 1 }, inconsistency: { recall: 2 / 3, support: 3 }, runaround: { recall: 0, support: 1 } },
    });
  });

  it('scores questions, scenarios and overall sentiment', () => {
    expect(r.questions).toEqual({ precision: 0.75, recall: 0.75, f1: 0.75, support: 4 });
    // 7 gold phrases, 5 overlapped (带孩子 and 晚上 missed); 6 predicted, 5 on a gold phrase
    expect(r.scenarios).toEqual({ recall: 5 / 7, precision: 5 / 6, gold: 7, predicted: 6 });
    expect(r.sentiment).toEqual({ accuracy: 26 / 30, n: 30 });
  });

  it('counts error classes and keeps examples', () => {
    expect(r.errors.counts).toMatchObject({
      'channel_missed:after_sales': 2,
      'channel_extra:store': 1,
      'channel_extra:marketplace': 1,
      'polarity:delivery:neg->neutral': 1,
      'polarity:delivery:neutral->neg': 1,
      'polarity:store:pos->neutral': 1,
      breakpoint_missed: 1,
      breakpoint_wrong_pair: 1,
      breakpoint_extra: 1,
      'breakpoint_kind:handoff->inconsistency': 1,
      question_missed: 1,
      question_extra: 1,
      scenario_missed: 2,
      scenario_extra: 1,
    });
    expect(r.errors.examples!.find((e) => e.kind === 'breakpoint_missed')).toEqual({
      kind: 'breakpoint_missed',
      line: 8,
      id: 8,
      detail: 'gold after_sales+customer_service runaround',
      detail_zh: '标注 after_sales+customer_service runaround',
      text: '客服让我找售后，售后又推回客服。',
    });
  });

  it('refuses predictions that do not line up with the gold rows', () => {
    expect(() => evalChannels(rows, [])).toThrow(RangeError);
  });
});

describe('span helpers', () => {
  it('finds every occurrence of a phrase and tests overlap of half-open spans', () => {
    expect(occurrences('冬天冷，冬天干', '冬天')).toEqual([
      { start: 0, end: 2 },
      { start: 4, end: 6 },
    ]);
    expect(occurrences('abc', '')).toEqual([]);
    expect(overlaps({ start: 0, end: 2 }, { start: 1, end: 3 })).toBe(true);
    expect(overlaps({ start: 0, end: 2 }, { start: 2, end: 3 })).toBe(false);
  });
});

describe('sentiment scoring', () => {
  const rows = [
    { line: 2, label: '1', text: 'a' },
    { line: 3, label: '1', text: 'b' },
    { line: 4, label: '0', text: 'c' },
    { line: 5, label: '0', text: 'd' },
  ];

  it('maps rule labels onto the file labels', () => {
    const stances = labelStances(
      rows.map((r) => r.label),
      'f.csv',
    );
    const as = (label: Classification['sentiment']['label'], score: number) => ruleLabel({ sentiment: { label, score } }, stances);
    expect(as('pos', 0.8)).toBe('1');
    expect(as('neg', -0.8)).toBe('0');
    expect(as('mixed', 0.2)).toBe('1');
    expect(as('mixed', -0.2)).toBe('0');
    expect(as('neutral', 0)).toBe('0');
    expect(ruleLabel({ sentiment: { label: 'neutral', score: 0 } }, stances, 'pos')).toBe('1');
  });

  it('uses the neutral label of a three-way file', () => {
    const stances = labelStances(['-1', '0', '1'], 'f.csv');
    expect(ruleLabel({ sentiment: { label: 'neutral', score: 0 } }, stances)).toBe('0');
    expect(ruleLabel({ sentiment: { label: 'neg', score: -1 } }, stances)).toBe('-1');
  });

  it('refuses labels that are no sentiment, naming the file', () => {
    expect(() => labelStances(['1', 'maybe'], 'f.csv')).toThrow('f.csv: label "maybe" is not a sentiment; expected 1 (positive) and 0 (negative), or pos/neg/neutral');
  });

  it('scores predicted labels', () => {
    // 1 1 0 0 vs 1 0 0 0: accuracy 3/4; label 1: P 1 R 0.5; label 0: P 2/3 R 1
    const r = evalSentiment(rows, ['1', '0', '0', '0']);
    expect(r.n).toBe(4);
    expect(r.accuracy).toBe(0.75);
    expect(r.per_label['1']).toEqual({ precision: 1, recall: 0.5, f1: expect.closeTo(2 / 3, 12), support: 2 });
    expect(r.per_label['0']).toEqual({ precision: expect.closeTo(2 / 3, 12), recall: 1, f1: expect.closeTo(0.8, 12), support: 2 });
    expect(r.macro_f1).toBeCloseTo((2 / 3 + 0.8) / 2, 12);
  });
});

describe('evalAspects', () => {
  const { posts } = readAspectsCsv(join(FIX, 'aspects.csv'));

  it('scores subjects and subject+sentiment pairs (the competition metric)', () => {
    // gold: p1 {动力 1, 价格 0}, p2 {油耗 -1, 空间 1}, p3 {外观 0}
    const r = evalAspects(posts, [
      [
        { subject: '动力', sentiment: 1 },
        { subject: '价格', sentiment: 1 },
      ],
      [
        { subject: '油耗', sentiment: -1 },
        { subject: '内饰', sentiment: 0 },
        { subject: '油耗', sentiment: 0 }, // a repeated subject counts once (the first)
      ],
      [{ subject: '外观', sentiment: 0 }],
    ]);
    // subjects: tp 4 (动力 价格 油耗 外观), fp 1 (内饰), fn 1 (空间) -> P = R = F1 = 0.8
    expect(r.subject).toEqual({ precision: 0.8, recall: 0.8, micro_f1: expect.closeTo(0.8, 12) });
    // pairs: tp 3 (动力 1, 油耗 -1, 外观 0), fp 2 (价格 1, 内饰 0), fn 2 (价格 0, 空间 1) -> 0.6
    expect(r.subject_sentiment).toEqual({ precision: 0.6, recall: 0.6, micro_f1: expect.closeTo(0.6, 12) });
    expect(r.n).toBe(3);
    expect(r.per_label['价格']).toEqual({ precision: 1, recall: 1, f1: 1, sentiment_f1: 0, support: 1 });
    expect(r.per_label['内饰']).toEqual({ precision: 0, recall: 0, f1: 0, sentiment_f1: 0, support: 0 });
    expect(r.per_label['空间']).toEqual({ precision: 0, recall: 0, f1: 0, sentiment_f1: 0, support: 1 });    // On the four subjects found rightly: 动力 1->1, 价格 0->1, 油耗 -1->-1, 外观 0->0.
    expect(r.sentiment_on_found).toEqual({ accuracy: 0.75, n: 4, confusion: { '1': { '1': 1 }, '0': { '1': 1, '0': 1 }, '-1': { '-1': 1 } } });
  });

  it('turns rule aspect hits into subjects, polarities voting', () => {
    const span = { start: 0, end: 1, text: 'x' };
    const hits: AspectHit[] = [
      { aspect: 'power', polarity: 'pos', evidence: span },
      { aspect: 'power', polarity: 'neg', evidence: span },
      { aspect: 'price', polarity: 'neg', evidence: span },
      { aspect: 'unknown', polarity: 'pos', evidence: span },
    ];
    expect(ruleSubjects({ aspects: hits }, new Map([['power', '动力'], ['price', '价格']]))).toEqual([
      { subject: '动力', sentiment: 0 },
      { subject: '价格', sentiment: -1 },
    ]);
  });
});

describe('SemEval category maps', () => {
  it('resolves exact keys before ENTITY#* and *#ATTRIBUTE, null meaning not tracked', () => {
    const phone = BUILTIN_MAPS.phone!;
    expect(mapCategory(phone, 'PHONE#DESIGN_FEATURES')).toBe('design');
    expect(mapCategory(phone, 'battery#quality')).toBe('battery');
    expect(mapCategory(phone, 'DISPLAY#PRICE')).toBe('display');
    expect(mapCategory(phone, 'PHONE#PRICE')).toBe('price');
    expect(mapCategory(phone, 'PHONE#GENERAL')).toBeNull();
    expect(mapCategory(phone, 'WARRANTY#GENERAL')).toBeNull();
    expect(mapCategory(BUILTIN_MAPS.restaurant!, 'anecdotes/miscellaneous')).toBeNull();
    expect(mapCategory(BUILTIN_MAPS.restaurant!, 'service')).toBe('service');
  });

  it('detects the built-in map from the categories of a file', () => {
    expect(detectCategoryMap(['PHONE#PRICE', 'DISPLAY#QUALITY'])!.name).toBe('phone');
    expect(detectCategoryMap(['CAMERA#QUALITY', 'LENS#GENERAL', 'PHOTO#QUALITY'])!.name).toBe('camera');
    expect(detectCategoryMap(['food', 'service'])!.name).toBe('restaurant');
    expect(detectCategoryMap(['LAPTOP#PRICE'])!.name).toBe('laptop');
    expect(detectCategoryMap([])).toBeUndefined();
  });

  it('loads a flat YAML map, borrowing the taxonomy and keywords of the detected built-in', () => {
    const m = loadCategoryMap(join(FIX, 'semeval-map.yaml'), BUILTIN_MAPS.phone);
    expect(m.taxonomy).toBe('semeval_phone');
    expect(m.aspects).toBe(BUILTIN_MAPS.phone!.aspects);
    expect(m.categories['BATTERY#*']).toBe('battery');
    expect(loadCategoryMap('camera')).toBe(BUILTIN_MAPS.camera);
  });
});

describe('sentence sentiment of SemEval files', () => {
  const sentence = (polarities: string[], as: 'categories' | 'terms' = 'categories') => ({
    id: 's',
    text: '',
    categories: as === 'categories' ? polarities.map((polarity) => ({ category: 'food', polarity })) : [],
    terms: as === 'terms' ? polarities.map((polarity) => ({ term: 'x', polarity, from: 0, to: 1 })) : [],
  });

  it('labels a sentence only when all its opinions agree', () => {
    expect(sentenceLabel(sentence(['positive', 'positive']))).toBe('pos');
    expect(sentenceLabel(sentence(['negative'], 'terms'))).toBe('neg');
    expect(sentenceLabel(sentence(['neutral']))).toBe('neutral');
    expect(sentenceLabel(sentence(['positive', 'negative']))).toBeUndefined();
    expect(sentenceLabel(sentence(['conflict']))).toBeUndefined();
    expect(sentenceLabel(sentence([]))).toBeUndefined();
  });

  it('scores the labelled sentences; a mixed answer is wrong', () => {
    const sentences = [sentence(['positive']), sentence(['negative']), sentence(['positive', 'negative']), sentence(['neutral'])];
    const r = sentenceSentiment(sentences, ['pos', 'mixed', 'neg', 'pos']);
    expect(r.n).toBe(3);
    expect(r.accuracy).toBeCloseTo(1 / 3, 10);
    expect(r.per_label.pos).toMatchObject({ precision: 0.5, recall: 1, support: 1 });
  });
});

describe('evalSemeval', () => {
  const hit = (aspect: string, polarity: AspectHit['polarity'] = 'pos', start = 0, end = 1): AspectHit => ({ aspect, polarity, evidence: { start, end, text: '' } });

  it('scores mapped categories per sentence (SemEval-2016)', () => {
    const sentences = readSemevalXml(join(FIX, 'semeval2016.xml'));
    const map = loadCategoryMap(join(FIX, 'semeval-map.yaml'), BUILTIN_MAPS.phone);
    // gold (mapped): s0 {design +, battery +}, s1 {price -}, s2 {} (PHONE#GENERAL untracked),
    // s3 {display +} (OS#... not in this map), s4 {}
    const r = evalSemeval(
      sentences,
      [[hit('design'), hit('battery', 'neutral')], [hit('price', 'neg')], [hit('display')], [hit('display', 'neg'), hit('system')], []],
      map,
    );
    // aspects: tp 4 (design battery price display@s3), fp 1 (display@s2; system is untracked, ignored), fn 0
    expect(r.mode).toBe('categories');
    expect(r.precision).toBe(0.8);
    expect(r.recall).toBe(1);
    expect(r.micro_f1).toBeCloseTo(8 / 9, 12);
    expect(r.per_label.display).toEqual({ precision: 0.5, recall: 1, f1: expect.closeTo(2 / 3, 12), support: 1 });
    // polarity pairs: tp 2 (design +, price -), fp 3 (battery neutral, display@s2, display- @s3), fn 2
    expect(r.polarity!.micro_f1).toBeCloseTo(4 / 9, 12);
    expect(r.unmapped).toEqual({ 'PHONE#GENERAL': 1, 'OS#OPERATION_PERFORMANCE': 1 });
    // Five sentences, one of them with the only false positive: the interval holds the figure and
    // reaches 1, the F1 of the draws that leave that sentence out.
    expect(r.ci95!.micro_f1[0]).toBeLessThan(8 / 9);
    expect(r.ci95!.micro_f1[1]).toBe(1);
  });

  it('scores aspect terms by span overlap when a file has no categories', () => {
    const sentences = readSemevalXml(join(FIX, 'semeval-terms.xml'));
    const map = BUILTIN_MAPS.laptop!;
    // s1: battery hit on "battery" (4..11) finds "battery life"; display hit on "dim" (44..47) finds nothing
    // s2: keyboard hit on "keyboard" (11..19)
    const r = evalSemeval(sentences, [[hit('battery', 'neg', 4, 11), hit('display', 'neg', 44, 47)], [hit('keyboard', 'pos', 11, 19)]], map);
    expect(r.mode).toBe('terms');
    expect(r.precision).toBeCloseTo(2 / 3, 12);
    expect(r.recall).toBeCloseTo(2 / 3, 12);
    expect(r.micro_f1).toBeCloseTo(2 / 3, 12);
    // Its F1 pools two denominators (terms found, hits on terms): no per-sentence ratio, no interval.
    expect(r.ci95).toBeUndefined();
  });
});

describe('tables', () => {
  it('pads by display width and neutralises terminal escapes from data files', () => {
    expect(displayWidth('动力ab')).toBe(6);
    const t = renderTable(['subject', 'F1'], [
      ['动力', '0.5000'],
      ['\u001b[31mred\u001b[0m', '1.0000'],
    ]);
    // The widest cell is the neutralised one: 12 columns (U+FFFD is one column wide).
    expect(t.split('\n')).toEqual(['subject           F1', '------------  ------', '动力          0.5000', '\uFFFD[31mred\uFFFD[0m  1.0000']);
  });
});
