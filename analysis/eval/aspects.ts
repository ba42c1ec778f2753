/**
 * `voc eval aspects`: subject and subject+sentiment micro-F1 over posts labelled in the car layout
 * (the CCF BDCI 2018 competition metric): a predicted (post, subject) pair is right when the post
 * has that subject; a (post, subject, sentiment) triple when the sentiment matches too.
 */
import type { Classification } from '../../core/types.js';
import { RatioItems, type Interval95 } from './bootstrap.js';
import { prf, SetMatchCounter } from './metrics.js';
import type { AspectPost, AspectSentiment } from './readers.js';

export interface SubjectPrediction {
  subject: string;
  sentiment: AspectSentiment;
}

export interface AspectLabelScore {
  precision: number;
  recall: number;
  f1: number;
  /** F1 of (subject, sentiment) pairs of this subject. */
  sentiment_f1: number;
  support: number;
}

export interface AspectEvalResult {
  n: number;
  subject: { precision: number; recall: number; micro_f1: number };
  subject_sentiment: { precision: number; recall: number; micro_f1: number };
  per_label: Record<string, AspectLabelScore>;
  /** 95% bootstrap intervals over the posts (bootstrap.ts). */
  ci95: { subject_micro_f1: Interval95; subject_sentiment_micro_f1: Interval95 };
  /**
   * On the subjects found rightly: labelled sentiment -> predicted sentiment -> count, and the share
   * right. Tells a sentiment problem (a polar label read as neutral) from a subject problem.
   */
  sentiment_on_found: { accuracy: number; n: number; confusion: Record<string, Record<string, number>> };
}

/** Scores `predicted[i]` (the subjects found in `posts[i]`) against the labelled posts. */
export function evalAspects(posts: readonly AspectPost[], predicted: readonly SubjectPrediction[][]): AspectEvalResult {
  if (posts.length !== predicted.length) throw new RangeError(`${posts.length} posts but ${predicted.length} predictions`);
  const subjects = new SetMatchCounter();
  const pairs = new SetMatchCounter();
  const subjectItems = new RatioItems();
  const pairItems = new RatioItems();
  const confusion: Record<string, Record<string, number>> = {};
  let found = 0;
  let foundRight = 0;
  posts.forEach((post, i) => {
    const p = dedupe(predicted[i]!);
    for (const x of p) {
      const labelled = post.labels.filter((l) => l.subject === x.subject).map((l) => l.sentiment);
      if (!labelled.length) continue;
      // A subject labelled twice with two sentiments: the prediction matches either.
      const gold = labelled.includes(x.sentiment) ? x.sentiment : labelled[0]!;
      const row = (confusion[String(gold)] ??= {});
      row[String(x.sentiment)] = (row[String(x.sentiment)] ?? 0) + 1;
      found++;
      if (gold === x.sentiment) foundRight++;
    }
    const s = subjects.add(
      post.labels.map((l) => l.subject),
      p.map((x) => x.subject),
    );
    subjectItems.addCounts(s.tp, s.fp, s.fn);
    const ss = pairs.add(
      post.labels.map((l) => `${l.subject}\u0000${l.sentiment}`),
      p.map((x) => `${x.subject}\u0000${x.sentiment}`),
    );
    pairItems.addCounts(ss.tp, ss.fp, ss.fn);
  });
  const s = subjects.micro();
  const ss = pairs.micro();
  const per_label: Record<string, AspectLabelScore> = {};
  for (const label of subjects.labels()) {
    const score = subjects.scoreOf(label);
    // Pool the (label, sentiment) counts of this subject.
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const key of pairs.labels()) {
      if (!key.startsWith(`${label}\u0000`)) continue;
      const c = pairs.countsOf(key);
      tp += c.tp;
      fp += c.fp;
      fn += c.fn;
    }
    per_label[label] = { precision: score.precision, recall: score.recall, f1: score.f1, sentiment_f1: prf(tp, fp, fn).f1, support: score.support };
  }
  return {
    n: posts.length,
    subject: { precision: s.precision, recall: s.recall, micro_f1: s.f1 },
    subject_sentiment: { precision: ss.precision, recall: ss.recall, micro_f1: ss.f1 },
    per_label,
    ci95: { subject_micro_f1: subjectItems.interval(), subject_sentiment_micro_f1: pairItems.interval() },
    sentiment_on_found: { accuracy: found ? foundRight / found : 0, n: found, confusion },
  };
}

/** One prediction per subject (the first wins), as the competition scored them. */
function dedupe(list: SubjectPrediction[]): SubjectPrediction[] {
  const seen = new Set<string>();
  return list.filter((p) => (seen.has(p.subject) ? false : (seen.add(p.subject), true)));
}

/**
 * The subjects a rule classification found: its aspect hits mapped back to the file's subject
 * names (`aspectToSubject`: aspect id -> subject). Several hits of one aspect vote: the sign of
 * the sum of their polarities is the sentiment.
 */
export function ruleSubjects(c: Pick<Classification, 'aspects'>, aspectToSubject: Map<string, string>): SubjectPrediction[] {
  const votes = new Map<string, number>();
  for (const hit of c.aspects) {
    const subject = aspectToSubject.get(hit.aspect);
    if (!subject) continue;
    const v = hit.polarity === 'pos' ? 1 : hit.polarity === 'neg' ? -1 : 0;
    votes.set(subject, (votes.get(subject) ?? 0) + v);
  }
  return [...votes].map(([subject, v]) => ({ subject, sentiment: (v > 0 ? 1 : v < 0 ? -1 : 0) as AspectSentiment }));
}
