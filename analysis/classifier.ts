/**
 * The classifier: one post in, one Classification out. Stages, in order:
 *   normalise -> language -> segment (once) -> lexicon match (one automaton pass) -> spam?
 *   -> sentences/clauses -> clause sentiment -> channel mentions -> breakpoints
 *   -> channel stances, descriptors, aspects, scenarios, questions, post sentiment.
 * Pure and deterministic: the same text, brand and lexicon give the same result.
 */
import type {
  SentimentLabel,
  Breakpoint,
  AspectHit,
  ChannelMention,
  Classification,
  DescriptorHit,
  Span,
} from '../core/types.js';
import { findBreakpoints, matchGapPatterns, MAX_GAP, MAX_GAP_ENGLISH, type CueMatch, type FoundBreakpoint } from './breakpoints.js';
import { attribute } from './attribution.js';
import { findMentions, isFoodOrder, isHotelReview, reviewDomains, sellerOf, type Mention, type ReviewDomains } from './channels.js';
import { punctuationSets, splitStructure, type PunctuationSets, type Structure } from './clauses.js';
import { buildEffectiveLexicon, type EffectiveLexicon, type LexiconConfig } from './effective.js';
import { detectLang, langOfCounts, looksBinary } from './lang.js';
import { loadLexicons, type Lexicons } from './lexicons.js';
import { flatten, normaliseCounting, toOriginalSpan, type ScriptCounts } from './normalise.js';
import { openWordFilter, openWords, openWordTags, type OpenWordTags } from './open-words.js';
import { HELP_KINDS, jabbingSentences, questionSentences } from './questions.js';
import { withoutAlmost } from './almost.js';
import { rhetoricalComplaints, whyNotComplaints } from './complaint-questions.js';
import { ensureSegmenterWords, segment } from './segment.js';
import { polarityOf, postSentiment, scoreClauses, type PolarHolder } from './sentiment.js';
import { isSpam } from './spam.js';
import { scratch } from './scratch.js';
import { firstUnits } from './first-units.js';
import { NO_WORDS, scenarios } from './scenarios.js';
import { awardedFrom, chosenTouchpoints } from './stance-idioms.js';
import { COMPLAINT, valueFor, type Judgement } from './judgement.js';
import { normaliseEntry, SENT_DESCRIPTOR, SENT_TOPIC, TermTable, TOPIC_ASPECTS, type Hit, type QuestionKind } from './terms.js';

export interface PostInput {
  id: string;
  text: string;
  brand: string;
}

export interface Classifier {
  /** `<lexicon VERSION>+<hash of the effective lexicon incl. config overrides>`. */
  readonly lexiconVersion: string;
  /** The effective lexicon (labels of config-added channels and aspects live here). */
  readonly lexicons: Lexicons;
  classify(post: PostInput): Classification;
}

export interface ClassifierOptions {
  /** Lexicon folder (default: the lexicons shipped with voc). */
  lexiconDir?: string;
}

/**
 * Builds a classifier for `config`: loads the lexicons once, merges the config's channels, aspects
 * and brands over them, compiles the term table and teaches the segmenter the lexicon words.
 */
export function createClassifier(config: LexiconConfig, options: ClassifierOptions = {}): Classifier {
  const eff = buildEffectiveLexicon(loadLexicons(options.lexiconDir), config);
  const table = new TermTable(eff);
  const extraWords: string[] = [];
  for (const b of eff.brands.values()) extraWords.push(...b.names, ...b.products);
  extraWords.push(...eff.competitors);
  ensureSegmenterWords([...table.dictionaryWords(), ...extraWords.map(normaliseEntry)]);
  const punct = punctuationSets(eff.lex);
  const english = new Set(eff.lex.syntax.englishWords.map(normaliseEntry));
  const qualifiers = new Set(eff.lex.channelQualifiers);
  const comparisonGap = new Set(eff.lex.syntax.comparisonGap.map(normaliseEntry));
  const comparisonTail = eff.lex.syntax.comparisonTail.map(normaliseEntry);
  const breakers = new Set(eff.lex.syntax.topicBreakers.map(normaliseEntry));
  const maxBreaker = Math.max(1, ...[...breakers].map((b) => b.length));
  // First code units of the breakers: most clauses open with none, and need no substring look-ups.
  const breakerFirst = firstUnits(breakers).units;
  const breaksTopic = (text: string, pos: number) => {
    if (pos >= text.length) return breakers.has('');
    if (breakerFirst[text.charCodeAt(pos)] !== 1) return false;
    for (let len = 1; len <= maxBreaker; len++) if (breakers.has(text.substr(pos, len))) return true;
    return false;
  };
  const platformSites = new Set(eff.lex.platformSites.map(normaliseEntry));
  const orderJourney = eff.lex.scenarioOrderJourney.map(normaliseEntry);
  const domains = reviewDomains(eff.lex);
  const weakSuppressedBy = new Set(eff.lex.weakSuppressedBy);
  const isEnglishWord = (w: string) => english.has(w) || table.isKnown(w);
  const leads = new Set(eff.lex.syntax.subjectLeads.map(normaliseEntry));
  const maxLead = Math.max(1, ...[...leads].map((l) => l.length));
  const leadFirst = firstUnits(leads).units;
  /** Whether text[from, to) is only lead words (longest first), so the noun after it opens the clause. */
  const opensClause = (text: string, from: number, to: number) => {
    let i = from;
    while (i < to) {
      const c = text.charCodeAt(i);
      if (c === 32) {
        i++;
        continue;
      }
      // No lead word starts with this code unit (the usual case): no substring look-ups.
      if (leadFirst[c] !== 1) return false;
      let len = Math.min(maxLead, to - i);
      while (len > 0 && !leads.has(text.substr(i, len))) len--;
      if (len === 0) return false;
      i += len;
    }
    return true;
  };

  const tags = openWordTags();
  const open: OpenWordLists = {
    tags,
    tagFilter: openWordFilter(tags),
    stoplist: new Set(eff.lex.syntax.openWordStoplist.map(normaliseEntry)),
    negators: new Set(eff.lex.sentiment.negators.map(normaliseEntry)),
    degree: new Set(Object.keys(eff.lex.sentiment.degree).map(normaliseEntry)),
  };
  const engine: Engine = { eff, table, punct, isEnglishWord, qualifiers, weakSuppressedBy, opensClause, comparisonGap, comparisonTail, breaksTopic, platformSites, orderJourney, domains, open, counts: { han: 0, latin: 0, hiragana: 0 } };
  return {
    lexiconVersion: eff.version,
    lexicons: eff.lex,
    classify(post: PostInput): Classification {
      return classifyOne(post, engine);
    },
  };
}

interface Engine {
  eff: EffectiveLexicon;
  table: TermTable;
  punct: PunctuationSets;
  isEnglishWord: (w: string) => boolean;
  qualifiers: Set<string>;
  weakSuppressedBy: Set<string>;
  opensClause: (text: string, from: number, to: number) => boolean;
  comparisonGap: Set<string>;
  comparisonTail: readonly string[];
  breaksTopic: (text: string, pos: number) => boolean;
  platformSites: Set<string>;
  /** scenarios.yaml orderJourney, normalised. */
  orderJourney: readonly string[];
  domains: ReviewDomains;
  open: OpenWordLists;
  /** Reused by every post (classification is synchronous). */
  counts: ScriptCounts;
}

/** What the open-vocabulary pass needs besides the post (see open-words.ts). */
interface OpenWordLists {
  tags: OpenWordTags;
  tagFilter: Uint32Array;
  stoplist: ReadonlySet<string>;
  negators: ReadonlySet<string>;
  degree: ReadonlySet<string>;
}

function emptyClassification(post: PostInput, lang: Classification['lang'], version: string): Classification {
  return {
    postId: post.id,
    brand: post.brand,
    lang,
    channels: [],
    descriptors: [],
    openWords: [],
    sentiment: { label: 'neutral', score: 0 },
    aspects: [],
    scenarios: [],
    question: { isQuestion: false, about: [] },
    breakpoints: [],
    spam: false,
    lexiconVersion: version,
  };
}

function classifyOne(post: PostInput, e: Engine): Classification {
  const original = typeof post.text === 'string' ? flatten(post.text) : '';
  const counts = e.counts;
  const norm = normaliseCounting(original, counts);
  const text = norm.text;
  // The normalising pass counted the scripts unless it rewrote the text, as it does for the
  // control characters and broken surrogates binary data is full of.
  const binary = counts.han < 0 && looksBinary(original);
  const lang = binary ? 'other' : counts.han >= 0 ? langOfCounts(counts.han, counts.latin, text, e.isEnglishWord, counts.hiragana) : detectLang(text, e.isEnglishWord);
  const result = emptyClassification(post, lang, e.eff.version);
  // Binary data and Japanese get no labels: the lexicons would read chance matches.
  if (binary || (lang === 'other' && counts.hiragana > 0) || !text.trim()) return result;

  const { table } = e;
  const tokens = segment(text);
  const m = table.match(text, tokens);
  m.sent = withoutAlmost(text, m.sent);
  if (isSpam(text, m.spam, table, norm.urls, e.eff.lex.spam)) {
    result.spam = true;
    return result;
  }

  const span = (start: number, end: number): Span => trimmedSpan(original, text, start, end);
  const st = splitStructure(text, m, table, e.punct);
  if (!st.clauses.length) return result;

  const brand = e.eff.brands.get(post.brand);
  const taxonomy = brand?.taxonomy ?? '';
  const holders = polarHolders(m.topic, m.sent, table, taxonomy);
  // 这不是忽悠人吗: the negator of a rhetorical question affirms.
  const maxGap = lang === 'en' ? MAX_GAP_ENGLISH : MAX_GAP;
  const qMatches = matchGapPatterns(m.question, table.questionPatterns, st, maxGap);
  let rhetoricalNegators = NO_NUMBERS;
  let ironicClauses = NO_NUMBERS;
  for (const q of qMatches) {
    const kind = table.questionPatterns[q.pattern]!.kind;
    if (kind === 'rhetorical') (rhetoricalNegators === NO_NUMBERS ? (rhetoricalNegators = new Set()) : rhetoricalNegators).add(q.start);
    else if (kind === 'ironic' && st.clauseAt[q.start]! >= 0) ironicClauses = addQuestionClauses(text, st, q.sentence, st.clauseAt[q.start]!, ironicClauses);
  }
  // A jab (请问 + a rhetorical marker) mocks in its whole sentence.
  const jabs = jabbingSentences(text, qMatches, table.questionPatterns);
  if (jabs) for (const s of jabs) ironicClauses = addQuestionClauses(text, st, s, Infinity, ironicClauses);
  const faded: number[] = [];
  const values = scoreClauses(text, m.sent, table, st, holders, rhetoricalNegators, ironicClauses, faded);

  // Channels, breakpoints, and what every sentiment word is about.
  const mentions = findMentions({
    table,
    st,
    text,
    chanHits: m.chan,
    topicHits: m.topic,
    qualifiers: e.qualifiers,
    weakSuppressedBy: e.weakSuppressedBy,
    comparisonGap: e.comparisonGap,
    comparisonTail: e.comparisonTail,
    platformSites: e.platformSites,
    domains: e.domains,
  });
  const about = attribute({
    text,
    st,
    table,
    sentHits: m.sent,
    topicHits: m.topic,
    mentions,
    taxonomy,
    brand: post.brand,
    opensClause: e.opensClause,
    breaksTopic: (pos: number) => e.breaksTopic(text, pos),
  });
  // Cue patterns are matched in every post: one whose touchpoints are named by process words only
  // (没有给送饭，还显示订单完成) may still break, and findBreakpoints returns at once when no cue can pair.
  const cueMatches = matchGapPatterns(m.cue, table.cuePatterns, st, maxGap);
  const found = findBreakpoints(cueMatches, table.cuePatterns, mentions, st, text, table.cueLookalikes, table.suppositions, () => sellerOf(text, e.domains));

  // Every judgement: sentiment hits plus one complaint per breakpoint cue, charged to the channel
  // that broke the journey (both channels for a runaround).
  let judgements: Judgement[] = [];
  const sentHits = m.sent;
  for (let i = 0; i < sentHits.length; i++) {
    const value = values[i]!;
    if (value === 0) continue;
    const h = sentHits[i]!;
    const j: Judgement = { value, pos: h.start, start: h.start, end: h.end, clause: st.clauseAt[h.start]!, channels: about.hitChannels[i]!, aspects: about.hitAspects[i]! };
    if (faded.length && faded.includes(i)) j.backdrop = true;
    if (value < 0 && table.sent[h.role]!.award) {
      const from = awardedFrom(text, h.end, st.clauses[j.clause]!.end);
      if (from >= 0) {
        j.awardFrom = from;
        j.end = st.clauses[j.clause]!.end; // evidence: 一星是给快递小哥的
      }
    }
    judgements.push(j);
  }
  const cueClauses = new Set<number>();
  for (const b of found) {
    const clause = st.clauseAt[Math.max(0, b.cueEnd - 1)]!;
    if (clause < 0 || cueClauses.has(clause)) continue;
    cueClauses.add(clause);
    const channels = b.kind === 'runaround' ? [...b.channels] : [b.blamed.channel];
    judgements.push({ value: COMPLAINT, pos: b.cueEnd - 1, start: b.cueLastPart, end: b.cueEnd, clause, channels, aspects: about.clauseAspects(clause) });
  }

  // A review that does not praise may complain by asking only (说好的赠品呢？ 凭什么？): see complaint-questions.ts.
  // Only posts with a question mark need the provisional verdict this asks for.
  const mayAsk = hasQuestionMark(text);
  const complainsByAsking = (js: readonly Judgement[]) => mayAsk && postSentiment(js, st.clauses.length).label !== 'pos';
  if (complainsByAsking(judgements)) {
    const rhetorical = rhetoricalComplaints(qMatches, table.questionPatterns, st, judgements, about);
    if (rhetorical.length) judgements.push(...rhetorical);
  }

  // Questions first: what a genuine question asks about (请问哪里买最划算) is not a stance.
  const sentenceSums = scratch.f64('sentenceSums', st.sentences.length);
  for (const j of judgements) sentenceSums[st.clauses[j.clause]!.sentence] += j.value;
  const sentenceScore = (sIdx: number) => sentenceSums[sIdx]!;
  const beforeQuestions = postSentiment(judgements, st.clauses.length);
  const provisional = beforeQuestions.label;
  // Sentences naming one of the brand's products or features: a bare question about one asks.
  let productSentences: Set<number> | undefined;
  if (brand?.products.length) {
    const productRoles = table.productRoles(post.brand);
    for (const h of m.topic) {
      if (productRoles[h.role] === 1) (productSentences ??= new Set()).add(st.clauses[st.clauseAt[h.start]!]!.sentence);
    }
  }
  const { genuine: qs, asked } = questionSentences(text, qMatches, table.questionPatterns, st, {
    sentenceScore,
    complaining: provisional === 'neg',
    praising: provisional === 'pos',
    namesProduct: (s) => productSentences?.has(s) ?? false,
    formulaTopics: table.formulaTopics,
  });
  const zones: Array<[number, number]> = [];
  for (const s of asked) {
    // A sentence asking for help (…很失望很失望 烂成这样 …请问这期间发生了什么) asks from its help marker
    // on: what it judged before stays judged, even when a stray 吗 stands earlier in it.
    const first =
      qMatches.find((q) => q.sentence === s && HELP_KINDS.has(table.questionPatterns[q.pattern]!.kind)) ??
      qMatches.find((q) => q.sentence === s && ASKING.has(table.questionPatterns[q.pattern]!.kind));
    if (!first) continue;
    const kind = table.questionPatterns[first.pattern]!.kind;
    // A yes/no particle closes what it asks (这个苹果好吃吗？): its question starts with its clause.
    const start = kind === 'yesno' && st.clauseAt[first.start]! >= 0 ? st.clauses[st.clauseAt[first.start]!]!.start : first.start;
    zones.push([start, questionZoneEnd(text, st, s, first, kind)]);
  }
  // A loop, not zones.some(([a, b]) => …): the inner arrow captured `pos`, a context for every call.
  const inZone = (pos: number) => {
    for (let i = 0; i < zones.length; i++) if (pos >= zones[i]![0] && pos < zones[i]![1]) return true;
    return false;
  };
  const judged = judgements;
  if (zones.length) judgements = judgements.filter((j) => !inZone(j.pos));
  // 为什么没有勺子？ complains even when it also asks: added after the question zones, it is not dropped by them.
  if (complainsByAsking(judgements)) {
    const whyNot = whyNotComplaints(text, st, judgements, about);
    if (whyNot.length) judgements = [...judgements, ...whyNot];
  }
  if (qs.length) {
    const about: string[] = [];
    for (const s of qs) {
      const sent = st.sentences[s]!;
      for (const h of m.topic) {
        if (h.start < sent.start || h.end > sent.end) continue;
        const r = table.topic[h.role]!;
        const a = r.aspects.find((x) => x.taxonomy === taxonomy);
        if (a && !about.includes(a.aspect)) about.push(a.aspect);
        const product = r.products.get(post.brand);
        if (product && !about.includes(product)) about.push(product);
      }
    }
    result.question = { isQuestion: true, about };
  }

  // Judgements inside the asking part of a question are not the post's stance; without any the
  // provisional sentiment is the final one.
  result.sentiment = judgements === judged ? beforeQuestions : postSentiment(judgements, st.clauses.length);
  // Where the customer will buy from now on (以后还是去实体店吧) praises that touchpoint; it is a choice
  // about channels, not a verdict on the goods, so it judges the channel and not the post.
  const chosen = chosenTouchpoints(text, mentions, st, inZone);
  result.channels = channelMentions(
    mentions,
    chosen.length ? [...judgements, ...chosen] : judgements,
    st,
    span,
    result.sentiment.label,
    found,
    // A genuine question asks about the touchpoint even when the review complains, and so does any
    // sentence ending in ？ of a review that asks something (还能退货吗？有没有知道的朋友？). In a
    // complaint that asks nothing, such a sentence is rhetorical (难道华为客服都是这样的？？) and blames
    // what it names.
    (sentence) => asked.includes(sentence) || ((result.sentiment.label !== 'neg' || asked.length > 0) && /[?？]/.test(st.sentences[sentence]!.terminator)),
    e.domains.referenceStores,
    () => isFoodOrder(text, e.domains),
  );
  // A channel a breakpoint names through its cue alone (页面写着…客服说没有, 订单却显示已送达) is a
  // touchpoint of the post too: a report must not count a break at a channel the post never mentions.
  for (const b of found) {
    for (const channel of b.channels) {
      if (result.channels.some((c) => c.channel === channel)) continue;
      const evidence = span(b.cueStart, b.cueFirstEnd);
      result.channels.push({ channel, polarity: result.sentiment.label === 'neg' ? 'neg' : 'neutral', alias: evidence.text, evidence });
    }
  }
  result.breakpoints = found.map<Breakpoint>((b) => ({ channels: b.channels, kind: b.kind, cue: b.cue, evidence: span(b.start, b.end) }));
  result.descriptors = descriptors(m.sent, values, table, st, about.hitChannels, span, inZone);
  result.openWords = mentions.length
    ? openWords({ tokens, st, tags: e.open.tags, tagFilter: e.open.tagFilter, stoplist: e.open.stoplist, negators: e.open.negators, degree: e.open.degree, isLexiconWord: (w) => table.isLexiconWord(w), lexiconRead: () => lexiconCoverage(text.length, m, table), clauseReachesChannel: (c) => about.clauseReachesChannel(c), channelsOf: (c, s, e) => about.channelsOfWord(c, s, e), inQuestion: inZone, span })
    : [];
  const aspects: AspectHit[] = [];
  for (const a of about.aspectMentions) {
    // Stance from the judgements about the aspect (see stanceScore), summed in judgement order.
    let sum = 0;
    let maxWeight = 0;
    for (const j of judgements) {
      if (!holds(j.aspects, a.aspect)) continue;
      const weight = st.clauses[j.clause]!.weight;
      sum += j.value * weight;
      if (j.value !== 0) maxWeight = Math.max(maxWeight, weight);
    }
    aspects.push({ aspect: a.aspect, polarity: polarityOf(maxWeight > 0 ? sum / maxWeight : 0), evidence: span(a.start, a.end) });
  }
  result.aspects = aspects;
  const clauseSums = scratch.f64('clauseSums', st.clauses.length);
  for (const j of judgements) clauseSums[j.clause] += j.value;
  // A hotel's rooms (卫生间, 浴室) are facilities it is judged by, not contexts the guest used something in.
  result.scenarios = scenarios(text, m.topic, table, st, clauseSums, judgements, span, mentions, () => (isHotelReview(text, e.domains) ? e.domains.hotelFacilities : NO_WORDS), e.orderJourney);

  return result;
}

/** Offsets covered by a sentiment, channel or topic match (scratch, valid until the next post); an
 *  expected event alone (处理 in 不处理) is left to the open-vocabulary pass. */
function lexiconCoverage(n: number, m: ReturnType<TermTable['match']>, table: TermTable): Uint8Array {
  const read = scratch.u8('lexiconRead', n);
  for (const h of m.sent) if (table.sentEventOnly[h.role] !== 1) for (let i = h.start; i < h.end; i++) read[i] = 1;
  for (const list of [m.chan, m.topic]) for (const h of list) for (let i = h.start; i < h.end; i++) read[i] = 1;
  return read;
}

/** `text.includes('?') || text.includes('？')` in one pass (most posts have neither: two full scans). */
function hasQuestionMark(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3f || c === 0xff1f) return true;
  }
  return false;
}

/** `list.includes(id)` as a plain loop: the lists hold one or two ids, and the call to the built-in
 *  costs more than the comparisons (strings, so === is includes' SameValueZero). */
function holds(list: readonly string[], id: string): boolean {
  for (let i = 0; i < list.length; i++) if (list[i] === id) return true;
  return false;
}

/**
 * Adds the clauses of `sentence` that a mocking question speaks in: all of them, or, for an ironic
 * question whose marker is in clause `from`, those up to the first clause from `from` on that ends in
 * a question particle (吗, 呢, 么, 嘛). A question told without a question mark ends at its particle:
 * in 难道是我运气不好吗，这次的速度真是太快了，感谢快递员 the thanks after it are meant. What comes before
 * the marker stays in (服务真好，这也叫服务？).
 */
function addQuestionClauses(text: string, st: Structure, sentence: number, from: number, into: Set<number>): Set<number> {
  const out = into === NO_NUMBERS ? new Set<number>() : into;
  const s = st.sentences[sentence]!;
  for (let c = s.firstClause; c < s.endClause; c++) {
    out.add(c);
    if (c >= from && endsInQuestionParticle(text, st.clauses[c]!)) break;
  }
  return out;
}

/** Sentence-final particles that close a question (the clause's last character before trailing blanks). */
const QUESTION_PARTICLES = new Set(['吗', '呢', '么', '嘛']);

function endsInQuestionParticle(text: string, clause: { start: number; end: number }): boolean {
  let e = clause.end;
  while (e > clause.start && /\s/.test(text[e - 1]!)) e--;
  return e > clause.start && QUESTION_PARTICLES.has(text[e - 1]!);
}

/** Shared empty set (most posts have no rhetorical or ironic question). */
const NO_NUMBERS: Set<number> = new Set();

/**
 * The aspect nouns (of the brand's taxonomy) and promise topics with adjective tables, by start:
 * topic hits before sentiment hits at the same start, as a stable sort of both lists would give.
 */
function polarHolders(topicHits: Hit[], sentHits: Hit[], table: TermTable, taxonomy: string): PolarHolder[] {
  const fromTopic: PolarHolder[] = [];
  const aspectRefs = table.aspectRefs(taxonomy);
  for (const h of topicHits) {
    if ((table.topicFlags[h.role]! & TOPIC_ASPECTS) === 0) continue;
    // The role's first aspect of the taxonomy, from the flat per-taxonomy array (not the role object).
    const a = aspectRefs[h.role];
    if (a) fromTopic.push({ start: h.start, end: h.end, polar: a.polar });
  }
  let fromSent: PolarHolder[] | undefined;
  const flags = table.sentFlags;
  for (const h of sentHits) {
    if ((flags[h.role]! & SENT_TOPIC) === 0) continue;
    const topic = table.sent[h.role]!.topic;
    if (topic?.hasPolar) (fromSent ??= []).push({ start: h.start, end: h.end, polar: topic.polar });
  }
  if (!fromSent) return fromTopic;
  // Both lists are sorted by start already (leftmost-longest selections): merge them.
  const out: PolarHolder[] = [];
  let i = 0;
  let k = 0;
  while (i < fromTopic.length || k < fromSent.length) {
    if (k >= fromSent.length || (i < fromTopic.length && fromTopic[i]!.start <= fromSent[k]!.start)) out.push(fromTopic[i++]!);
    else out.push(fromSent[k++]!);
  }
  return out;
}

/**
 * Where the asking part of question sentence `s` ends. A sentence that ends in ？ asks up to it, and
 * a request or a hope (只求你们赶紧把这垃圾收回 正常退款) asks for what follows it. Otherwise a question
 * marker asks only in its own clause (or the next one, when the marker closes its own: 请问，…):
 * 你是不是给我发错了，客服联系不到，坑人的吗 asks whether the wrong item was sent, and the clauses after it
 * complain.
 */
function questionZoneEnd(text: string, st: Structure, s: number, marker: CueMatch, kind: QuestionKind): number {
  const sent = st.sentences[s]!;
  if (kind === 'request' || kind === 'hope' || sent.terminator.includes('?') || sent.terminator.includes('？')) return sent.end;
  const c = st.clauseAt[marker.start]!;
  if (c < 0) return sent.end;
  const clause = st.clauses[c]!;
  const next = st.clauses[c + 1];
  const closesClause = text.slice(marker.end, clause.end).trim() === '';
  return closesClause && next !== undefined && next.sentence === s ? next.end : clause.end;
}

/** Question kinds that ask (the asked content is not a stance). */
const ASKING = new Set<QuestionKind>([...HELP_KINDS, 'interrogative', 'yesno', 'howto']);

/**
 * A marketplace named as the party responsible (等着吧京东, 此单后不再信京东) but judged by no word of
 * its own takes the stance of the whole review even in a breakpoint post; a mere place of purchase
 * (在京东买的) stays neutral. Other channels do so only outside breakpoint posts (channelMentions).
 */
const HOLISTIC_CHANNELS = new Set(['marketplace']);
/** Channels that are where people talk about the brand (朋友圈里都在说), not a touchpoint they judge. */
const DISCUSSION_CHANNELS = new Set(['social_media']);
/**
 * Touchpoints the customer deals with in person or by phone: in a complaint about a broken journey
 * they are among those who failed the customer, so one judged by no word of its own takes the
 * verdict there too (客服说找门店，门店又说找客服). The labelled tuning reviews: 7 of 8 such mentions
 * are complaints (a platform, by contrast, is left neutral 7 times of 11: the cue decides its blame).
 */
const PEOPLE_CHANNELS = new Set(['customer_service', 'delivery']);


function channelMentions(
  mentions: Mention[],
  judgements: Judgement[],
  st: Structure,
  span: (s: number, e: number) => Span,
  verdict: SentimentLabel,
  /** The post's breakpoints (their channels decide the blame, not the verdict). */
  breakpoints: FoundBreakpoint[],
  /** Whether a sentence asks (what it asks about is not judged). */
  inQuestion: (sentence: number) => boolean,
  /** Store aliases a review of an online purchase names as a reference point (channels.yaml referenceStores). */
  referenceStores: ReadonlySet<string>,
  /** Whether the post is a food-delivery order: its 店里 is the restaurant it judges, not a reference
   *  point (asked only when a store could be one). */
  foodOrder: () => boolean,
): ChannelMention[] {
  const order: string[] = [];
  const first = new Map<string, Mention>();
  for (const m of mentions) {
    if (!first.has(m.channel)) {
      order.push(m.channel);
      first.set(m.channel, m);
    } else if (first.get(m.channel)!.comparison && !m.comparison) {
      first.set(m.channel, m); // evidence: a mention about the channel beats a comparison
    }
  }
  const out: ChannelMention[] = [];
  for (const channel of order) {
    // A shop an online purchase is compared with (比超市便宜, 在超市也未必能买到这么好的) is a reference
    // point: the words around it judge the purchase, so only a choice of it (以后还是去实体店吧) judges it.
    const reference = channel === 'store' && referenceOnly(channel, mentions.filter((x) => x.channel === channel), mentions, referenceStores) && !foodOrder();
    // The touchpoint a low rating is awarded to (一分给京东快递，真的很垃圾…) earned the review's one star: the
    // reviewer set it apart from the rest, so the complaints around it are about the goods, not about it.
    // A complaint naming it says the star rates it instead (1星给快递，快递真的差评).
    const award = awardTo(judgements, channel, mentions);
    const rated = award?.rates === true;
    // Stance from the judgements about the channel (see stanceScore), summed in judgement order.
    let sum = 0;
    let maxWeight = 0;
    for (const j of judgements) {
      if (reference && !j.choice) continue;
      const value = channelValue(j, channel, mentions, rated);
      if (value === 0) continue;
      const weight = st.clauses[j.clause]!.weight;
      sum += value * weight;
      maxWeight = Math.max(maxWeight, weight);
    }
    const m = first.get(channel)!;
    const awarded = award && !award.rates ? award.judgement : undefined;
    let polarity = awarded ? 'pos' : polarityOf(maxWeight > 0 ? sum / maxWeight : 0);
    const stance = awarded ?? (polarity === 'neutral' ? undefined : strongestJudgement(reference ? judgements.filter((j) => j.choice) : judgements, channel, polarity === 'pos' ? 1 : -1, st, mentions, rated));
    // Judged by no word of its own, or by words that cancel out (态度好…但是太慢), it may take the verdict.
    if (polarity === 'neutral' && mentions.some((x) => x.channel === channel && !x.locative && !x.comparison)) {
      const own = mentions.filter((x) => x.channel === channel && !x.locative && !x.comparison);
      // A touchpoint named but judged by no word of its own (问客服竟然说不保修, 给客服打了八次电话都没
      // 人接, 退货好难) is what the review is about: it takes the review's verdict. Not so a place or
      // means of an action (在App上点一下, 送来的西瓜), a question about it, a place of discussion
      // (朋友圈里都在说), the channels of a breakpoint post, where the cue decides the blame (except an
      // after-sales process the post goes through, see ownedProcess, and the people of a broken journey
      // in a complaint, see PEOPLE_CHANNELS), or a shop a
      // review of an online purchase names as a reference point (比超市便宜, 连超市都不用去了).
      const asked = (x: Mention) => inQuestion(st.clauses[x.clause]!.sentence);
      const actor = own.some((x) => (!x.framed || framedDelivery(x, st, span)) && !asked(x) && x.kind !== 'part' && x.kind !== 'none');
      const broke = breakpoints.some((b) => b.channels[0] === channel || b.channels[1] === channel);
      const failedPerson = broke && verdict === 'neg' && PEOPLE_CHANNELS.has(channel);
      if (
        (verdict === 'neg' || verdict === 'pos') &&
        (!broke || failedPerson) &&
        (HOLISTIC_CHANNELS.has(channel) || failedPerson ||
          ((breakpoints.length === 0 ? actor : ownedProcess(channel, own, asked)) &&
            !DISCUSSION_CHANNELS.has(channel) &&
            !referenceOnly(channel, own, mentions, referenceStores)))
      )
        polarity = verdict;
    }
    const mention: ChannelMention = { channel, polarity, alias: m.alias, evidence: span(m.start, m.end) };
    if (stance) mention.stanceEvidence = span(stance.start, stance.end);
    out.push(mention);
  }
  return out;
}

/**
 * A delivery framed by a place or means word around it (从发货到拿到用了将近五天, 京东又能送到家里,
 * 快递员上门取件) is still the delivery the review is about, so it may take the review's verdict: in
 * the labelled tuning reviews it carries it more often than not (A, D, E, L, M + dev and S, T, U both
 * gain; a platform, a store or an after-sales process framed so does not: tried, fewer right). Not a
 * delivery word naming the goods brought (送来的西瓜是坏的), the place of a purchase, a place addressed
 * by a wish, or the alternative of a choice (还不如在App上买让他们送货上门: proposed, not judged).
 */
function framedDelivery(x: Mention, st: Structure, span: (s: number, e: number) => Span): boolean {
  if (x.channel !== 'delivery' || x.locative || x.participle || x.beforePurchase) return false;
  const clause = st.clauses[x.clause]!;
  return !span(clause.start, clause.end).text.includes('不如');
}

/**
 * Whether `channel` is an after-sales process the review goes through (退货退款, 想退货, 不给保修), named
 * by a process word of its own outside a question (one after an intent counts: the customer set out on
 * it). In a post whose journey broke between two other touchpoints (客服让我找门店, 门店让我打热线),
 * that process is what failed the customer, so it takes the review's verdict, whereas a third
 * touchpoint named as a person or place keeps the neutral stance the cue left it (the cue decides the
 * blame).
 */
function ownedProcess(channel: string, own: readonly Mention[], asked: (x: Mention) => boolean): boolean {
  return channel === 'after_sales' && own.some((x) => x.kind === 'activity' && (!x.framed || x.intent === true) && !asked(x));
}

/** Whether `channel` is a shop that `named` (its mentions) name only by reference-store aliases
 *  (超市, 实体店, 商场: 和超市说拜拜了, 比超市便宜) in a review of an online purchase (one naming a platform). */
function referenceOnly(channel: string, named: readonly Mention[], mentions: readonly Mention[], referenceStores: ReadonlySet<string>): boolean {
  return channel === 'store' && named.every((x) => referenceStores.has(x.alias)) && mentions.some((x) => x.channel === 'marketplace');
}

/**
 * The low rating awarded to `channel` (一星是给快递小哥的: the channel is named after its 给), if any, and
 * whether it rates the channel instead: a complaint in a clause naming the channel by an entity word
 * says so (1星给快递，快递真的差评; 一分是给垃圾京东的; 一星是给京东的，…京东就是不讲信誉).
 */
function awardTo(judgements: readonly Judgement[], channel: string, mentions: readonly Mention[]): { judgement: Judgement; rates: boolean } | undefined {
  let award: Judgement | undefined;
  for (const j of judgements) if (j.awardFrom !== undefined && valueFor(j, channel, mentions) > 0) award ??= j;
  if (!award) return undefined;
  for (const j of judgements) {
    if (valueFor(j, channel, mentions) >= 0) continue;
    // What the award's own clause says before its 给 (刚买就降价一星是给快递小哥的) is about the goods.
    if (j.clause === award.clause && j.start < award.awardFrom!) continue;
    if (namesAsEntity(mentions, channel, j.clause)) return { judgement: award, rates: true };
  }
  return { judgement: award, rates: false };
}

/** Whether a mention names `channel` by an entity word in `clause` (a loop, not an arrow capturing
 *  the judgement loop's variable: that would cost a context per judgement). */
function namesAsEntity(mentions: readonly Mention[], channel: string, clause: number): boolean {
  for (let i = 0; i < mentions.length; i++) {
    const m = mentions[i]!;
    if (m.channel === channel && m.kind === 'entity' && m.clause === clause) return true;
  }
  return false;
}

/** What `j` says of `channel` (valueFor); when a low rating `rated` the channel, the rating is a complaint
 *  about it rather than the praise of an award. */
function channelValue(j: Judgement, channel: string, mentions: readonly Mention[], rated: boolean): number {
  const value = valueFor(j, channel, mentions);
  return rated && value > 0 && j.awardFrom !== undefined ? j.value : value;
}

/** The judgement about `channel` of sign `sign` that weighs most (value times clause weight). */
function strongestJudgement(judgements: readonly Judgement[], channel: string, sign: number, st: Structure, mentions: readonly Mention[], rated: boolean): Judgement | undefined {
  let best: Judgement | undefined;
  let bestWeight = 0;
  for (const j of judgements) {
    const value = channelValue(j, channel, mentions, rated);
    if (Math.sign(value) !== sign) continue;
    const w = Math.abs(value) * st.clauses[j.clause]!.weight;
    if (w > bestWeight) {
      best = j;
      bestWeight = w;
    }
  }
  return best;
}

function descriptors(
  hits: ReturnType<TermTable['match']>['sent'],
  values: Float64Array,
  table: TermTable,
  st: Structure,
  hitChannels: string[][],
  span: (s: number, e: number) => Span,
  inQuestion: (pos: number) => boolean,
): DescriptorHit[] {
  const out: DescriptorHit[] = [];
  // Promises with a real descriptor per clause: a topic word (态度) only speaks when its clause has none.
  let clausePromises: Array<string[] | undefined> | undefined;
  const flags = table.sentFlags;
  // The promises come from flat per-role arrays (the flags say which roles have them), not from the
  // role objects.
  const descriptorPromise = table.sentDescriptorPromise;
  const topicPromise = table.sentTopicPromise;
  for (let i = 0; i < hits.length; i++) {
    const h = hits[i]!;
    // Most hits are neither descriptors nor promise topics: the flag spares reading their roles.
    if ((flags[h.role]! & SENT_DESCRIPTOR) === 0) continue;
    const c = st.clauseAt[h.start]!;
    if (values[i] !== 0 && c >= 0) ((clausePromises ??= [])[c] ??= []).push(descriptorPromise[h.role]!);
  }
  for (let i = 0; i < hits.length; i++) {
    const h = hits[i]!;
    const f = flags[h.role]!;
    if ((f & (SENT_DESCRIPTOR | SENT_TOPIC)) === 0) continue;
    const c = st.clauseAt[h.start]!;
    if (c < 0 || inQuestion(h.start)) continue;
    let promise: string | undefined;
    let polarity: 'pos' | 'neg' | undefined;
    if ((f & SENT_DESCRIPTOR) !== 0 && values[i] !== 0) {
      promise = descriptorPromise[h.role]!;
      polarity = values[i]! > 0 ? 'pos' : 'neg';
    } else if ((f & SENT_TOPIC) !== 0 && !clausePromises?.[c]?.includes(topicPromise[h.role]!)) {
      const p = polarityOf(st.clauses[c]!.score);
      if (p === 'neutral') continue;
      promise = topicPromise[h.role]!;
      polarity = p;
    }
    if (!promise || !polarity) continue;
    const word = table.sentSurface[h.role]!;
    const channels = hitChannels[i]!;
    for (let k = 0; k < Math.max(1, channels.length); k++) {
      const channel = channels.length ? channels[k]! : null;
      if (hasDescriptor(out, word, promise, polarity, channel)) continue;
      out.push({ word, promise, polarity, channel, evidence: span(h.start, h.end) });
    }
  }
  return out;
}

/** Whether `out` holds the descriptor already. A helper, not an `out.some(...)` arrow: an arrow
 *  capturing the hit loop's `word` makes V8 allocate a context for every sentiment hit of the post,
 *  arrow called or not. */
function hasDescriptor(out: readonly DescriptorHit[], word: string, promise: string, polarity: 'pos' | 'neg', channel: string | null): boolean {
  for (let i = 0; i < out.length; i++) {
    const d = out[i]!;
    if (d.word === word && d.promise === promise && d.polarity === polarity && d.channel === channel) return true;
  }
  return false;
}

/** Span of the original text for a normalised range, without surrounding blanks. */
function trimmedSpan(original: string, text: string, start: number, end: number): Span {
  let s = start;
  let e = end;
  while (s < e && text.charCodeAt(s) === 32) s++;
  while (e > s && text.charCodeAt(e - 1) === 32) e--;
  return toOriginalSpan(original, s, e);
}
