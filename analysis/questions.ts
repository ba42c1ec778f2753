/**
 * Questions: a sentence asks something when it has a strong marker (请问, 怎么办, 有人遇到过), a
 * request to the brand (请尽快处理, 希望给个答复), or ends in ？ asking how to use or set something
 * (怎么设置？ 在哪里开启？) or asking about one of the brand's products or features (自动泊车支持斜列车位吗？).
 * Any other question mark with only 为什么, 什么, 吗 or 呢 asks nothing (lexicon 1.6.0: such questions
 * muse, wonder or complain in most reviews), and neither does a bare question whose sentence complains
 * or that stands in a complaining review that never asks for help. Rhetorical
 * markers (难道, 凭什么, 还有比…吗, 到底听谁的) do not ask, unless the
 * sentence also has a strong marker (请问到底怎么开启？). An asking formula (请问, 我就想问一下) asks like a
 * strong marker except in a complaint that goes on rhetorically (…能有多折腾？); a hope for a reply or
 * a fix (希望尽快处理) is a request unless the review praises (希望有问题可以很好解决 wishes well). A
 * complaint's supposition (要是摔坏了怎么办) worries rather than asks, and an asking formula after a contact
 * verb (打电话给400，想问问啥时候能到) tells what was asked on the call.
 */
import type { Structure } from './clauses.js';
import type { CueMatch } from './breakpoints.js';
import type { GapPattern, QuestionKind } from './terms.js';

/** What the question rules need to know of the post around its question markers. */
export interface QuestionContext {
  /** The sentiment of sentence `s`. */
  sentenceScore: (s: number) => number;
  /** The review as a whole complains: its bare questions are rhetorical unless it asks for help somewhere. */
  complaining: boolean;
  /** The review as a whole praises: a hope it voices (希望有问题可以很好解决) wishes well, it asks for nothing. */
  praising: boolean;
  /** Whether sentence `s` names one of the brand's own products or features (config `products`). */
  namesProduct: (s: number) => boolean;
  /** What an asking formula in a complaint asks about when it really asks (TermTable.formulaTopics). */
  formulaTopics: readonly string[];
}

/** The sentences that are genuine questions, and those that ask something at all. */
export function questionSentences(
  text: string,
  matches: CueMatch[],
  patterns: Array<GapPattern<QuestionKind>>,
  st: Structure,
  { sentenceScore, complaining, praising, namesProduct, formulaTopics }: QuestionContext,
): QuestionSentences {
  // Question kinds found per sentence, as bit sets (KIND_BIT).
  const kinds = new Array<number>(st.sentences.length).fill(0);
  // Where each sentence's first supposition (要是) and contact verb (打电话) start.
  let supposedAt: Map<number, number> | undefined;
  let contactAt: Map<number, number> | undefined;
  // Spans of words that hold a marker and ask nothing (什么都没有, 几乎).
  let lookalikes: Array<[number, number]> | undefined;
  // Spans of not knowing what to do (不知道怎么办): a marker inside asks only before a question mark.
  let unsure: Array<[number, number]> | undefined;
  // Where each sentence's first kept asking formula (请问, 想问) starts.
  let formulaAt: Map<number, number> | undefined;
  for (const m of matches) {
    const kind = patterns[m.pattern]!.kind;
    if (kind === 'hypothetical' && !(supposedAt ??= new Map()).has(m.sentence)) supposedAt.set(m.sentence, m.start);
    else if (kind === 'contact' && !(contactAt ??= new Map()).has(m.sentence)) contactAt.set(m.sentence, m.start);
    else if (kind === 'lookalike') (lookalikes ??= []).push([m.start, m.end]);
    else if (kind === 'unsure') (unsure ??= []).push([m.start, m.end]);
  }
  let asksForHelp = false;
  // Sentences whose help marker only laments, plays or jabs: no question, but no stance either.
  let wondered: number[] | undefined;
  for (const m of matches) {
    const kind = patterns[m.pattern]!.kind;
    if (QUALIFIERS.has(kind)) continue;
    if (looksAlike(text, m, kind, lookalikes)) continue;
    // 请看图，联系京东 and 退货好像很麻烦，申请了一下还没回复 (麻烦 "troublesome") ask for nothing: a request's
    // parts stand in one clause (请客服联系我, 请当当确认尽快发货, 麻烦尽快回复).
    if (kind === 'request' && st.clauseAt[m.start] !== st.clauseAt[m.end - 1]) continue;
    // 还不知道咋办！ and 两大瓶不知道怎么办才好 lament; 不知道怎么办？ asks the reader.
    // Like a question that muses, such a sentence judges nothing (怎么办才好 does not praise).
    if (unsure && insideLookalike(m, unsure) && !asksWithMark(st.sentences[m.sentence]!.terminator)) {
      (wondered ??= []).push(m.sentence);
      continue;
    }
    if (praising && kind === 'hope') continue;
    // In a praising review 怎么办 plays (要跟我抢，怎么办？ 这么好的卖家再也遇不到了，那我该怎么办？): nothing is wrong.
    if (praising && kind === 'strong' && isWhatToDo(text, m)) {
      (wondered ??= []).push(m.sentence);
      continue;
    }
    // 打电话给400，想问问啥时候能到 tells what the customer meant to ask on that call; 请问 addresses the
    // reader whatever came before it (问客服，客服说…，请问一下，作为会员…).
    if (kind === 'formula' && !addressesReader(text, m.start) && (contactAt?.get(m.sentence) ?? Infinity) < m.start) continue;
    // A complaint's 要是把产品压坏了怎么办 worries about what could happen; it asks nobody for help.
    if (kind === 'strong' && complaining && (supposedAt?.get(m.sentence) ?? Infinity) < m.start) continue;
    // 我就问可以退差价嘛？人家说要申请价格保护: a question someone answers in the next sentence was asked
    // of them, in the story the review tells.
    if (kind !== 'request' && kind !== 'hope' && answered(text, st, m.sentence)) continue;
    const kindBit = KIND_BIT[kind];
    // 我说那怎么办 reports what was said; it asks nothing of the reader.
    // (请问 addresses the reader even after a reported exchange: 问客服，客服说要等，请问一下要等几天？)
    if ((HELP_KINDS.has(kind) || kind === 'yesno') && !(kind === 'formula' && addressesReader(text, m.start)) && reported(text, m.start, st.sentences[m.sentence]!.start)) continue;
    kinds[m.sentence] = kinds[m.sentence]! | kindBit;
    if (kind === 'formula' && !(formulaAt ??= new Map()).has(m.sentence)) formulaAt.set(m.sentence, m.start);
    if (HELP_KINDS.has(kind)) asksForHelp = true;
  }
  const out: number[] = [];
  let mused: number[] | undefined;
  const bareAllowed = !complaining || asksForHelp;
  for (let s = 0; s < st.sentences.length; s++) {
    const sent = st.sentences[s]!;
    const k = kinds[s]!;
    if (k & (KIND_BIT.strong | KIND_BIT.request)) {
      out.push(s);
      continue;
    }
    // An asking formula (我就想问一下, 请问) in a complaint that goes on rhetorically (能有多折腾, 怎么就) vents.
    if (k & KIND_BIT.formula) {
      // In a complaint, 请问你们的京准达是个摆设？ jabs: an asking formula there asks only about the order, a
      // process or help (请问怎么处理？ 请问我的餐到哪了？), and not when a rhetorical marker follows it. The
      // topic must be in what the formula asks, after it: 等了92分钟还没送到，请问有没有职业道德 asks about
      // no delivery, whatever the complaint before it names.
      // (A jab's praise counts as blame, as in an ironic question: see jabbingSentences.)
      if (k & KIND_BIT.rhetorical || (complaining && !mentionsTopic(text.slice(formulaAt!.get(s)!, sent.end), formulaTopics))) continue;
      out.push(s);
      continue;
    }
    if (k & KIND_BIT.rhetorical) continue;
    // Without a strong marker, a question that complains is a complaint (为什么客服这么差？), and so is
    // any bare question of a complaining review that never asks for help (你让谁用谁不用？).
    if (sentenceScore(s) < 0 || !bareAllowed) continue;
    // A question mark with 为什么, 什么, 吗 or 呢 alone asks nobody for anything in most reviews: it muses
    // (爱是什么？), wonders (不知道为啥？) or complains politely (怎么搞的？). In the 1,670 labelled
    // tuning reviews such bare questions were genuine 16 times out of 83. Two kinds still ask without a
    // help marker, because they are what a product team counts when it asks whether questions about a
    // new feature spiked: how to use or set something (怎么设置？ 在哪里开启？), and a question about one
    // of the brand's own products or features (自动泊车支持斜列车位吗？ 半小时达的配送范围有多大？). A
    // question right after one that asks goes on asking (请问…可以中途接管吗？踩刹车就会退出吗？).
    // The others still ask something, so what they ask about is no stance (这个好用吗？ praises nothing).
    if (!asksWithMark(sent.terminator) || (k & (KIND_BIT.interrogative | KIND_BIT.yesno | KIND_BIT.howto)) === 0) continue;
    // A bare question after a speaker (我又说, …行吗) reports what was asked of someone else.
    if (SPEAKER.test(text.slice(sent.start, sent.end))) continue;
    const followsQuestion = out.length > 0 && out[out.length - 1] === s - 1;
    if (k & KIND_BIT.howto || followsQuestion || namesProduct(s)) out.push(s);
    else (mused ??= []).push(s);
  }
  if (wondered) for (const s of wondered) if (!out.includes(s) && !mused?.includes(s)) (mused ??= []).push(s);
  if (!mused) return { genuine: out, asked: out };
  return { genuine: out, asked: [...out, ...mused].sort((a, b) => a - b) };
}

/**
 * Sentences where an asking formula (请问, 想问) meets a rhetorical marker: they jab, and the praise they
 * quote is mocked (请问给好评说好吃的你们是没有味觉吗), so the sentiment stage reads them like an ironic
 * question. Needs only the markers, so it runs before the sentiment stage.
 */
export function jabbingSentences(text: string, matches: readonly CueMatch[], patterns: ReadonlyArray<GapPattern<QuestionKind>>): Set<number> | undefined {
  let formula: Set<number> | undefined;
  let rhetorical: Set<number> | undefined;
  let lookalikes: Array<[number, number]> | undefined;
  for (const m of matches) if (patterns[m.pattern]!.kind === 'lookalike') (lookalikes ??= []).push([m.start, m.end]);
  for (const m of matches) {
    const kind = patterns[m.pattern]!.kind;
    // The markers questionSentences reads: 续航能有多少 is no jab.
    if (looksAlike(text, m, kind, lookalikes)) continue;
    if (kind === 'formula') (formula ??= new Set()).add(m.sentence);
    else if (kind === 'rhetorical') (rhetorical ??= new Set()).add(m.sentence);
  }
  if (!formula || !rhetorical) return undefined;
  let out: Set<number> | undefined;
  for (const s of formula) if (rhetorical.has(s)) (out ??= new Set()).add(s);
  return out;
}

/** The sentences of a post that ask something. */
export interface QuestionSentences {
  /** Genuine questions and requests for help: what makes the post a question. */
  genuine: number[];
  /** Those and the bare questions that muse or wonder (爱是什么？ 这个好用吗？): what they ask about is no
   *  stance. Sorted; the same array as `genuine` when there is no such question. */
  asked: number[];
}

/** Whether marker `m` only looks like one: it starts inside a look-alike word, or it is the rhetorical
 *  能有多 (how very: 能有多折腾？) of 能有多少 (how much: 续航能有多少？). */
function looksAlike(text: string, m: CueMatch, kind: QuestionKind, lookalikes: ReadonlyArray<readonly [number, number]> | undefined): boolean {
  if (kind === 'rhetorical' && text.charCodeAt(m.end) === FEW && text.charCodeAt(m.end - 1) === MANY) return true;
  return lookalikes !== undefined && insideLookalike(m, lookalikes);
}

/** Whether marker `m` starts inside a word that only looks like one (什么都, 好几, 不知道有没有): a
 *  marker or pattern that starts there asks nothing, wherever it ends (华为什么东西也没送 is no
 *  为什么…没送, 不知道有没有跟我一样纠结 no 有没有跟我一样). */
function insideLookalike(m: CueMatch, spans: ReadonlyArray<readonly [number, number]>): boolean {
  for (const [a, b] of spans) if (m.start >= a && m.start < b) return true;
  return false;
}

/** Whether marker `m` is 怎么办 or 咋办 (what should I do). */
function isWhatToDo(text: string, m: CueMatch): boolean {
  const w = text.slice(m.start, m.end);
  return w === '怎么办' || w === '咋办';
}

/** Whether `sentence` holds one of `topics`. */
function mentionsTopic(sentence: string, topics: readonly string[]): boolean {
  for (const t of topics) if (sentence.includes(t)) return true;
  return false;
}

/** Whether a sentence ends in a question mark. */
function asksWithMark(terminator: string): boolean {
  return terminator.includes('?') || terminator.includes('？');
}

/** Question kinds that ask for help or information whatever the punctuation (a hope only where the
 *  review does not praise). */
export const HELP_KINDS: ReadonlySet<QuestionKind> = new Set<QuestionKind>(['strong', 'formula', 'request', 'hope']);

/** Kinds that only qualify the markers around them (要是, 打电话, 什么都): they ask nothing themselves. */
const QUALIFIERS: ReadonlySet<QuestionKind> = new Set<QuestionKind>(['hypothetical', 'contact', 'lookalike', 'unsure']);

// A hope (希望…处理) that is not dropped asks as a request does: it shares the request's bit.
// Qualifiers have no bit of their own.
const KIND_BIT: Record<QuestionKind, number> = { strong: 1, request: 2, hope: 2, interrogative: 4, yesno: 8, howto: 16, rhetorical: 32, ironic: 64, formula: 128, hypothetical: 0, contact: 0, lookalike: 0, unsure: 0 };

/**
 * A question marker right after 说/问 or 问我 (within three characters) is reported speech, and so is one
 * after a speaker earlier in its sentence (我又说, 那我今晚忍忍, 请明天开冷气行吗): the review tells
 * what was asked of the staff, it does not ask the reader.
 */
function reported(text: string, pos: number, sentenceStart: number): boolean {
  const before = text.slice(Math.max(0, pos - 3), pos);
  if (before.includes('说') || before.includes('问他') || before.includes('问她') || before.includes('问我')) return true;
  return SPEAKER.test(text.slice(sentenceStart, pos));
}

/** A speaker reporting what they said (我说, 我又说, 我就问他, 客服还问：), what others asked (看到有人问…怎么办), a sentence opening with what the
 *  customer said or asked (我说麻烦吗？ 我就问可以退吗？; not 我问一下, which asks the reader), or what was
 *  asked of someone (问过客服你这苹果有打腊吗, 问她喝奶吗; not 想问客服…, which asks). */
const SPEAKER = /(我|他|她|又|就|还)(说|问他|问她)[,，:：]|(有人|别人|人家|网友|朋友)问|(还|又|就|竟然|居然)问[,，:：]|^\s*我(又|就|还)?(说|问)(?!一下|下|问)|(?<!想)问过?(她|他|客服|卖家|商家|店家|老板|店员)/;

/** Whether the asking formula at `pos` is 请问, which addresses the reader whatever came before it. */
function addressesReader(text: string, pos: number): boolean {
  return text.charCodeAt(pos) === PLEASE;
}
const PLEASE = '请'.charCodeAt(0);
const MANY = '多'.charCodeAt(0);
const FEW = '少'.charCodeAt(0);

/** The next sentence opens with someone's answer (人家说…, 客服回复…). */
function answered(text: string, st: Structure, sentence: number): boolean {
  const next = st.sentences[sentence + 1];
  return next !== undefined && ANSWER.test(text.slice(next.start, Math.min(next.end, next.start + 12)));
}
const ANSWER = /^\s*(然后)?(人家|他|她|他们|她们|对方|客服|卖家|商家|店家|快递员|快递小哥|小哥|售后|老板)(又|就|却|还|只|竟然|居然)?(说|回答|回复|答复|答)/;
