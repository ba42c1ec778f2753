/**
 * The term table: every lexicon entry of the effective lexicon, compiled into one Aho-Corasick
 * automaton, with the roles each entry plays in its layer. Matching a post is one automaton pass
 * plus a word-boundary check against the segmenter tokens; there are no per-entry searches.
 *
 * Layers are matched independently (an entry of one layer never hides an entry of another):
 *   sent      sentiment words, promise descriptors, negators, degree and contrast words, emoticons
 *   chan      channel aliases and non-channel look-alikes
 *   topic     aspect keywords, scenarios, products, subject nouns, action verbs, comparison words
 *   question  question / request / rhetorical patterns (may have gaps: 请…处理)
 *   cue       breakpoint cue patterns (may have gaps: 让我找…又让我找)
 *   spam      template phrases and advertising markers
 * Within sent/chan/topic/spam the leftmost-longest entry wins (京东快递 over 京东).
 */
import { englishForms, type FormKind } from './english-forms.js';
import { AhoCorasick, compact, MatchBuffer } from './aho-corasick.js';
import { grownInt32 } from './scratch.js';
import type { BrandInfo, EffectiveLexicon } from './effective.js';
import { cueExtras, expandAlternatives, type CueExtras, type Stance } from './lexicons.js';
import { normalise, plainCopy } from './normalise.js';
import { latinInner, type Tokens } from './segment.js';
import type { BreakpointKind } from '../core/types.js';

export const enum Layer {
  Sent = 0,
  Chan = 1,
  Topic = 2,
  Question = 3,
  Cue = 4,
  Spam = 5,
}

export interface SentRole {
  /** Signed strength of a sentiment word or emoticon (0 = none). */
  value: number;
  emoticon: boolean;
  descriptor?: { promise: string; stance: 1 | -1 };
  /** Promise named without stance (态度), with its adjective table (效率低). */
  topic?: { promise: string; polar: Record<string, Stance>; hasPolar: boolean };
  negator: boolean;
  /** Turns the preceding sentiment of its clause around (尊贵服务差太远). */
  postNegator: boolean;
  /** Multiplier of a degree word (0 = not a degree word). */
  degree: number;
  contrast?: 'before' | 'after';
  /** Aspect-dependent adjective (高, 大...). */
  contextual: boolean;
  /** Opens a polite request when it starts a clause (麻烦懂的朋友告诉一下): then no stance. */
  politeOpener: boolean;
  /** Judges only at the end of its clause (体验一般 vs 一般去哪买). */
  clauseFinal: boolean;
  /** Judges what follows it (吐槽优品汇的会员涨价). */
  forward: boolean;
  /** Opens a wish or suggestion (希望多搞点活动): its clause judges nothing. */
  wish: boolean;
  /** An event the customer waits for (送达, 回复): judges only when negated (没送达, 一直没回复). */
  expected: boolean;
  /** Opens a belief the review refutes (本以为很快): the rest of its clause is turned around. */
  counterfactual: boolean;
  /** Opens how things were before (一直很信赖): the rest of its clause may be a later complaint's backdrop. */
  backdrop: boolean;
  /** Says "too" (太, 有点): with an excess adjective ending its clause, a complaint (太大). */
  excess?: boolean;
  /** An aspect-dependent adjective whose excess complains (大, 小, 重). */
  excessAdjective?: boolean;
  /** Something one should be able to do (更换, 截屏). */
  capability?: boolean;
  /** Says something cannot be done (不能, 无法). */
  inability?: boolean;
  /** Something a product should have (功能, 选项). */
  feature?: boolean;
  /** Says something is not there (没有, 缺少). */
  absence?: boolean;
  /** A low rating that, followed by 给 (一星是给快递小哥的), awards its one star to what follows. */
  award?: boolean;
  /** A forward word that rates (差评): at a clause end it rates what precedes it (京东客服差评). */
  rating?: boolean;
}

export interface ChanRole {
  /** null for look-alikes that are not touchpoints. */
  channel: string | null;
  kind: 'entity' | 'activity' | 'weak' | 'part' | 'none';
}

export interface AspectRef {
  taxonomy: string;
  aspect: string;
  /** A channel's attribute (price): does not take over the clause from the channel. */
  attribute: boolean;
  /** Keyword-level adjective table, falling back to the aspect's. */
  polar: Record<string, Stance>;
}

export interface TopicRole {
  aspects: AspectRef[];
  scenario?: { id: string; type: string };
  /** Display names of the product/feature per brand id that lists it. */
  products: Map<string, string>;
  /** Brand ids whose name/alias this is. */
  brandNames: Set<string>;
  subject: boolean;
  action: boolean;
  compBefore: boolean;
  compPair: boolean;
  compAfter: boolean;
  /** Price/deal word: still judges a purchase place named in an earlier clause. */
  deal: boolean;
}

export type QuestionKind =
  | 'strong'
  | 'formula'
  | 'request'
  | 'hope'
  | 'interrogative'
  | 'howto'
  | 'yesno'
  | 'rhetorical'
  | 'ironic'
  | 'hypothetical'
  | 'contact'
  | 'lookalike'
  | 'unsure';

export interface GapPattern<K> {
  kind: K;
  /** Lexicon entry id (breakpoint cue id, or the pattern text for questions). */
  id: string;
  parts: string[];
  /** Breakpoint cues: the channel the cue names itself (CueDef.channel). */
  channel?: string;
  /** Breakpoint cues: the channel it is told against (CueDef.counterpart). */
  counterpart?: string;
  /** Breakpoint cues: exempt from the one-organisation rule (CueDef.evenInsideOrganisation). */
  evenInsideOrganisation?: boolean;
  /** Breakpoint cues: a runaround with an implied second party (CueDef.betweenParties). */
  betweenParties?: boolean;
}

export interface Hit {
  start: number;
  end: number;
  /** Index into the layer's role array. */
  role: number;
}

/** The roles a gap-pattern part can play: `firsts` = patterns it opens, `keys` = pattern * 64 + part. */
export interface PartRoles {
  firsts: number[];
  keys: Set<number>;
  /** One bit per key (partKeyBit), a filter in front of `keys`: a clear bit means the key is not
   *  there, so most look-ups of pattern matching (four in five) skip the Set. */
  mask: number;
}

/** The bit of `PartRoles.mask` for part `part` of pattern `pattern`. */
export function partKeyBit(pattern: number, part: number): number {
  return 1 << ((pattern ^ part) & 31);
}

/**
 * The occurrences of one gap layer's pattern parts (question or cue), as parallel arrays in start
 * order: `starts[i]`, `ends[i]`, `roles[i]` for i < `length`. A post has ~25 of them and pattern
 * matching reads each a few times; arrays reused by every post spare an object per occurrence (the
 * largest allocation of `match`). Valid until the next `TermTable.match`.
 */
export class PartHits {
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  roles: PartRoles[] = [];
  length = 0;

  add(start: number, end: number, roles: PartRoles): void {
    const n = this.length;
    if (n === this.starts.length) {
      this.starts = grownInt32(this.starts, n + 1);
      this.ends = grownInt32(this.ends, n + 1);
    }
    this.starts[n] = start;
    this.ends[n] = end;
    // Overwrites what an earlier post left there, or appends: the array stays packed.
    this.roles[n] = roles;
    this.length = n + 1;
  }

  /** Sorts the occurrences by start, then end (insertion sort, like byStart: the list is short and
   *  nearly in order). No two share start and end (one role set per surface and layer). */
  sortByStart(): void {
    const { starts, ends, roles } = this;
    for (let i = 1; i < this.length; i++) {
      const start = starts[i]!;
      const end = ends[i]!;
      const r = roles[i]!;
      let j = i - 1;
      while (j >= 0 && (starts[j]! > start || (starts[j]! === start && ends[j]! > end))) {
        starts[j + 1] = starts[j]!;
        ends[j + 1] = ends[j]!;
        roles[j + 1] = roles[j]!;
        j--;
      }
      starts[j + 1] = start;
      ends[j + 1] = end;
      roles[j + 1] = r;
    }
  }
}

function partRoles(parts: Array<{ pattern: number; part: number }>): PartRoles {
  let mask = 0;
  for (const p of parts) mask |= partKeyBit(p.pattern, p.part);
  return { firsts: parts.filter((p) => p.part === 0).map((p) => p.pattern), keys: new Set(parts.map((p) => p.pattern * 64 + p.part)), mask };
}

export interface Matches {
  sent: Hit[];
  chan: Hit[];
  topic: Hit[];
  question: PartHits;
  cue: PartHits;
  spam: Hit[];
}

interface Ref {
  layer: Layer;
  role: number;
  /** For gap layers: which pattern and which part (null for the other layers). */
  parts: Array<{ pattern: number; part: number }> | null;
  /** The same without first parts (for an occurrence that does not start a word). */
  laterParts: Array<{ pattern: number; part: number }> | null;
  laterOnly: boolean;
  /** Compiled roles of `parts` and `laterParts`. */
  roles: PartRoles | null;
  laterRoles: PartRoles | null;
}

/** Bits of `TermTable.sentFlags`. */
export const SENT_MODIFIER = 1;
export const SENT_FORWARD = 2;
export const SENT_EMOTICON = 4;
export const SENT_VALUED = 8;
/** Has a promise descriptor / a promise topic / opens a wish / is a contrast word. */
export const SENT_DESCRIPTOR = 16;
export const SENT_TOPIC = 32;
export const SENT_WISH = 64;
export const SENT_CONTRAST = 128;

/** Bits of `TermTable.sentScoring` (what clause scoring reads of every sentiment hit). */
export const SCORE_NEGATOR = 1;
export const SCORE_POST_NEGATOR = 2;
export const SCORE_POLITE = 4;
export const SCORE_CLAUSE_FINAL = 8;
export const SCORE_CONTEXTUAL = 16;
export const SCORE_DESCRIPTOR = 32;
export const SCORE_EMOTICON = 64;
export const SCORE_EXPECTED = 128;
export const SCORE_COUNTERFACTUAL = 256;
export const SCORE_BACKDROP = 512;
/** A degree word that says "too" (太, 有点). */
export const SCORE_EXCESS = 1024;
/** An aspect-dependent adjective whose excess complains (太大, 小了点). */
export const SCORE_EXCESS_ADJECTIVE = 2048;
/** Something one should be able to do (更换, 截屏): a complaint after an inability negator. */
export const SCORE_CAPABILITY = 4096;
/** A negator that says something cannot be done (不能, 无法). */
export const SCORE_INABILITY = 8192;
/** Something a product should have (功能, 选项, 模块): a complaint a few characters after 没有. */
export const SCORE_FEATURE = 16384;
/** A negator that says something is not there (没有, 缺少): with a feature after it, a lack. */
export const SCORE_ABSENCE = 32768;

/** Bits of `TermTable.topicFlags`: the hot loops skip the many topic hits that play none of these
 *  roles without reading their role objects. */
export const TOPIC_ACTION = 1;
export const TOPIC_COMPARISON = 2;
export const TOPIC_SCENARIO = 4;
export const TOPIC_ASPECTS = 8;
/** A price or deal word (TopicRole.deal). */
export const TOPIC_DEAL = 16;

/** `TermTable.anchorKinds` of a topic role that anchors no attribution (no aspect of the taxonomy,
 *  no subject, product or brand name); -1 is a product-side noun without an aspect. */
export const NOT_ANCHOR = -2;

/** Question patterns whose (one-character) parts need no word boundary. */
const FREE_KINDS = new Set<string>(['yesno']);

/**
 * Normalises a lexicon entry exactly like post text (half-width, simplified, lower case). The entry
 * goes in as a plain copy: lexicon strings come in many internal forms (interned keys, slices, one-
 * and two-byte), and feeding all of them to the code that also normalises every post made V8
 * compile that code for any string form, about three times slower on posts.
 */
export function normaliseEntry(word: string): string {
  return normalise(plainCopy(word.trim())).text.trim();
}

export class TermTable {
  readonly sent: SentRole[] = [];
  readonly chan: ChanRole[] = [];
  readonly topic: TopicRole[] = [];
  readonly spam: Array<{ template: boolean; ad: boolean }> = [];
  readonly questionPatterns: Array<GapPattern<QuestionKind>> = [];
  /** questions.yaml formulaTopics, normalised like post text (plain substrings of a sentence). */
  readonly formulaTopics: readonly string[];
  readonly cuePatterns: Array<GapPattern<BreakpointKind>> = [];
  /** Words holding a cue part that are not the cue (breakpoints.yaml `lookalikes`). */
  readonly cueLookalikes: readonly string[];
  /** Openers of a supposition (questions.yaml `hypotheticals`): a touchpoint after one is only supposed. */
  readonly suppositions: readonly string[];
  /** Surface of each role, per layer (for `alias`, `word` and product names in results). */
  readonly sentSurface: string[] = [];
  readonly chanSurface: string[] = [];
  readonly topicSurface: string[] = [];

  private readonly surfaces: string[] = [];
  private readonly surfaceIndex = new Map<string, number>();
  private readonly refs: Ref[][] = [];
  private readonly layerIndex = [new Map<string, number>(), new Map<string, number>(), new Map<string, number>(), new Map<string, number>(), new Map<string, number>(), new Map<string, number>()];
  /** Every surface, for the word-boundary check (a token 不方便 = known 不 + known 方便). */
  private readonly known = new Set<string>();
  /** The known words the lexicon speaks for (see isLexiconWord), fixed once the table is built: the
   *  open-vocabulary pass asks for every word of a post. */
  private lexiconWords = new Set<string>();
  private readonly particles: Set<string>;
  private ac!: AhoCorasick;
  private readonly buffer = new MatchBuffer();
  /** anchorKinds by taxonomy and brand. */
  private readonly anchorKindCache = new Map<string, Map<string, Int16Array>>();
  /** productRoles by brand. */
  private readonly productRoleCache = new Map<string, Uint8Array>();
  /** aspectRefs by taxonomy. */
  private readonly aspectRefCache = new Map<string, Array<AspectRef | null>>();
  /** Word-boundary arrays of `match` (see there), as long as the token-start buffer. */
  private reach = new Uint8Array(0);
  private back = new Uint8Array(0);
  /** Candidate hits of the leftmost-longest layers, reused by every match. */
  private readonly sentCandidates = new Candidates();
  private readonly chanCandidates = new Candidates();
  private readonly topicCandidates = new Candidates();
  private readonly spamCandidates = new Candidates();
  /** Pattern-part occurrences of the gap layers, reused by every match. */
  private readonly questionParts = new PartHits();
  private readonly cueParts = new PartHits();
  /** Length of every automaton pattern. */
  private lengths: Uint16Array | Int32Array = new Uint16Array(0);
  private refFrom: Uint16Array | Int32Array = new Uint16Array(0);
  private refLayer: Uint8Array = new Uint8Array(0);
  private refRole: Uint16Array | Int32Array = new Uint16Array(0);
  private refGap: Array<Ref | null> = [];
  /** Per automaton pattern: 1 when it is a known word or particle (may glue a token together). */
  private glue: Uint8Array = new Uint8Array(0);
  private prefixLike: Uint8Array = new Uint8Array(0);
  /** Per sentiment role, SENT_* bits (hot loops read these instead of the role objects). */
  sentFlags: Uint8Array = new Uint8Array(0);
  /** Per sentiment role, the promise of its descriptor (SENT_DESCRIPTOR) and of its promise topic
   *  (SENT_TOPIC), else null: the descriptor pass reads them for every such hit, without the role
   *  object and the descriptor or topic object behind it. */
  sentDescriptorPromise: Array<string | null> = [];
  sentTopicPromise: Array<string | null> = [];
  /** Per topic role, TOPIC_* bits. */
  topicFlags: Uint8Array = new Uint8Array(0);
  /** Per sentiment role: SCORE_* bits, value and degree, copied from the role objects so that clause
   *  scoring reads three compact arrays instead of an object per hit. */
  sentScoring: Uint16Array = new Uint16Array(0);
  sentValue: Float64Array = new Float64Array(0);
  sentDegree: Float64Array = new Float64Array(0);
  /** Per sentiment role: 1 for an expected event that judges nothing of itself (回复, 处理: no value,
   *  descriptor or topic of its own), so the open-vocabulary pass still reads it (客服不处理 -> 处理, negated). */
  sentEventOnly: Uint8Array = new Uint8Array(0);
  /** Per sentiment role: 1 when some adjective table (an aspect keyword's or a promise topic's
   *  `polar`) has an entry for its surface. Clause scoring looks for a polar holder only for these. */
  sentPolarWord: Uint8Array = new Uint8Array(0);

  constructor(eff: EffectiveLexicon) {
    const lex = eff.lex;
    this.particles = new Set(lex.syntax.particles.map(normaliseEntry));

    // --- sentiment layer -------------------------------------------------------------------
    const sentRole = (w: string): SentRole | undefined => {
      const r = this.role(Layer.Sent, w, () => ({ value: 0, emoticon: false, negator: false, postNegator: false, degree: 0, contextual: false, politeOpener: false, clauseFinal: false, forward: false, wish: false, expected: false, counterfactual: false, backdrop: false }));
      return r === undefined ? undefined : this.sent[r];
    };
    for (const p of Object.values(lex.promises)) {
      for (const w of p.positive) { const r = sentRole(w); if (r && !r.descriptor) r.descriptor = { promise: p.id, stance: 1 }; }
      for (const w of p.negative) { const r = sentRole(w); if (r && !r.descriptor) r.descriptor = { promise: p.id, stance: -1 }; }
      for (const t of p.topics) {
        const r = sentRole(t.word);
        if (r && !r.topic) r.topic = { promise: p.id, polar: normaliseKeys(t.polar ?? {}), hasPolar: Object.keys(t.polar ?? {}).length > 0 };
      }
    }
    // Descriptors are sentiment words of strength 1 unless the sentiment lexicon says otherwise.
    for (const r of this.sent) if (r.descriptor) r.value = r.descriptor.stance;
    for (const [w, v] of Object.entries(lex.sentiment.positive)) { const r = sentRole(w); if (r) r.value = v; }
    for (const [w, v] of Object.entries(lex.sentiment.negative)) { const r = sentRole(w); if (r) r.value = v; }
    for (const [w, v] of Object.entries(lex.sentiment.emoticons)) { const r = sentRole(w); if (r) { r.value = v; r.emoticon = true; } }
    for (const w of lex.sentiment.contextual) { const r = sentRole(w); if (r) r.contextual = true; }
    for (const w of lex.sentiment.negators) { const r = sentRole(w); if (r) r.negator = true; }
    for (const w of lex.sentiment.postNegators) { const r = sentRole(w); if (r) r.postNegator = true; }
    for (const [w, v] of Object.entries(lex.sentiment.degree)) { const r = sentRole(w); if (r) r.degree = v; }
    for (const w of lex.sentiment.contrastAfter) { const r = sentRole(w); if (r) r.contrast = 'after'; }
    for (const w of lex.sentiment.contrastBefore) { const r = sentRole(w); if (r) r.contrast = 'before'; }
    for (const w of lex.sentiment.neutralPhrases) sentRole(w);
    for (const w of lex.sentiment.politeOpeners) { const r = sentRole(w); if (r) r.politeOpener = true; }
    for (const w of lex.sentiment.clauseFinal) { const r = sentRole(w); if (r) r.clauseFinal = true; }
    for (const w of lex.sentiment.forwardWords) { const r = sentRole(w); if (r) r.forward = true; }
    for (const w of lex.sentiment.wishOpeners) { const r = sentRole(w); if (r) r.wish = true; }
    for (const w of lex.sentiment.expected) { const r = sentRole(w); if (r) r.expected = true; }
    for (const w of lex.sentiment.counterfactual) { const r = sentRole(w); if (r) r.counterfactual = true; }
    for (const w of lex.sentiment.backdrop) { const r = sentRole(w); if (r) r.backdrop = true; }
    for (const w of lex.sentiment.awards) { const r = sentRole(w); if (r) r.award = true; }
    for (const w of lex.sentiment.ratingWords) { const r = sentRole(w); if (r) r.rating = true; }
    for (const w of lex.sentiment.excess) { const r = sentRole(w); if (r) r.excess = true; }
    for (const w of lex.sentiment.excessAdjectives) { const r = sentRole(w); if (r) r.excessAdjective = true; }
    for (const w of lex.sentiment.capabilities) { const r = sentRole(w); if (r) r.capability = true; }
    // An inability word negates like any negator (没法 + 好 = 不好).
    for (const w of lex.sentiment.inability) { const r = sentRole(w); if (r) r.inability = r.negator = true; }
    for (const w of lex.sentiment.features) { const r = sentRole(w); if (r) r.feature = true; }
    for (const w of lex.sentiment.absence) { const r = sentRole(w); if (r) r.absence = r.negator = true; }

    // --- channel layer ---------------------------------------------------------------------
    const chanRole = (w: string, channel: string | null, kind: ChanRole['kind']) => {
      this.role(Layer.Chan, w, () => ({ channel, kind }));
    };
    for (const c of Object.values(lex.channels)) {
      for (const w of c.aliases) chanRole(w, c.id, 'entity');
      for (const w of c.activity) chanRole(w, c.id, 'activity');
      for (const w of c.weak) chanRole(w, c.id, 'weak');
      for (const w of c.parts) chanRole(w, c.id, 'part');
    }
    for (const w of lex.notChannel) chanRole(w, null, 'none');

    // --- topic layer -----------------------------------------------------------------------
    const topicRole = (w: string): TopicRole | undefined => {
      const r = this.role(Layer.Topic, w, () => ({
        aspects: [],
        products: new Map(),
        brandNames: new Set(),
        subject: false,
        action: false,
        compBefore: false,
        compPair: false,
        compAfter: false,
        deal: false,
      }));
      return r === undefined ? undefined : this.topic[r];
    };
    for (const [taxonomy, aspects] of Object.entries(lex.aspects)) {
      for (const a of Object.values(aspects)) {
        for (const k of a.keywords) {
          const r = topicRole(k.word);
          if (!r || r.aspects.some((x) => x.taxonomy === taxonomy)) continue;
          r.aspects.push({ taxonomy, aspect: a.id, attribute: a.attribute, polar: normaliseKeys({ ...a.polar, ...(k.polar ?? {}) }) });
        }
      }
    }
    for (const w of lex.notAspect) topicRole(w);
    for (const w of lex.syntax.notSubject) topicRole(w);
    for (const s of Object.values(lex.scenarios)) {
      for (const w of s.keywords) { const r = topicRole(w); if (r && !r.scenario) r.scenario = { id: s.id, type: s.type }; }
    }
    for (const b of eff.brands.values()) addBrand(b, topicRole);
    for (const w of eff.competitors) { const r = topicRole(w); if (r) r.subject = true; }
    for (const w of lex.syntax.subjects) { const r = topicRole(w); if (r) r.subject = true; }
    for (const w of lex.syntax.actionVerbs) { const r = topicRole(w); if (r) r.action = true; }
    for (const w of lex.syntax.comparisonBefore) { const r = topicRole(w); if (r) r.compBefore = true; }
    for (const w of lex.syntax.comparisonPair) { const r = topicRole(w); if (r) r.compPair = true; }
    for (const w of lex.syntax.comparisonAfter) { const r = topicRole(w); if (r) r.compAfter = true; }
    for (const w of lex.syntax.dealWords) { const r = topicRole(w); if (r) r.deal = true; }

    // --- gap layers ------------------------------------------------------------------------
    const q = lex.questions;
    const addQuestions = (list: string[], kind: QuestionKind) => list.forEach((p) => this.addGapPattern(Layer.Question, this.questionPatterns, kind, p, p));
    addQuestions(q.formulas, 'formula');
    addQuestions(q.strong, 'strong');
    addQuestions(q.requests, 'request');
    addQuestions(q.hopes, 'hope');
    addQuestions(q.interrogative, 'interrogative');
    addQuestions(q.howTo, 'howto');
    this.formulaTopics = [...new Set(q.formulaTopics.map(normaliseEntry))].filter((t) => t.length > 0);
    addQuestions(q.rhetorical, 'rhetorical');
    addQuestions(q.yesNo, 'yesno');
    addQuestions(q.ironic, 'ironic');
    addQuestions(q.hypotheticals, 'hypothetical');
    addQuestions(q.narratedContacts, 'contact');
    addQuestions(q.lookalikes, 'lookalike');
    addQuestions(q.unsure, 'unsure');
    for (const cue of lex.cues) {
      const extras = cueExtras(cue);
      for (const p of cue.patterns) for (const q of expandAlternatives(p) ?? [p]) this.addGapPattern(Layer.Cue, this.cuePatterns, cue.kind, cue.id, q, extras);
    }
    this.cueLookalikes = lex.cueLookalikes;
    this.suppositions = q.hypotheticals.map(normaliseEntry);

    // --- spam layer ------------------------------------------------------------------------
    for (const w of lex.spam.templates) { const r = this.role(Layer.Spam, w, () => ({ template: false, ad: false })); if (r !== undefined) this.spam[r]!.template = true; }
    for (const w of lex.spam.adMarkers) { const r = this.role(Layer.Spam, w, () => ({ template: false, ad: false })); if (r !== undefined) this.spam[r]!.ad = true; }

    this.addEnglishForms(new Set(lex.syntax.uninflected.map(normaliseEntry)));

    // Pure modifiers (不, 很, 却) often share a token with what follows (不久, 却说): they may end mid-token.
    this.prefixLike = Uint8Array.from(this.sent, (r) =>
      r.value === 0 && !r.descriptor && !r.contextual && (r.negator || r.degree > 0 || r.contrast !== undefined) ? 1 : 0,
    );
    this.sentFlags = Uint8Array.from(this.sent, (r) =>
      ((r.negator || r.degree > 0) && r.value === 0 ? SENT_MODIFIER : 0) |
      (r.forward ? SENT_FORWARD : 0) |
      (r.emoticon ? SENT_EMOTICON : 0) |
      (r.value !== 0 || r.descriptor || r.contextual ? SENT_VALUED : 0) |
      (r.descriptor ? SENT_DESCRIPTOR : 0) |
      (r.topic ? SENT_TOPIC : 0) |
      (r.wish ? SENT_WISH : 0) |
      (r.contrast ? SENT_CONTRAST : 0),
    );
    this.sentDescriptorPromise = this.sent.map((r) => (r.descriptor ? r.descriptor.promise : null));
    this.sentTopicPromise = this.sent.map((r) => (r.topic ? r.topic.promise : null));
    this.sentScoring = Uint16Array.from(this.sent, (r) =>
      (r.negator ? SCORE_NEGATOR : 0) |
      (r.postNegator ? SCORE_POST_NEGATOR : 0) |
      (r.politeOpener ? SCORE_POLITE : 0) |
      (r.clauseFinal ? SCORE_CLAUSE_FINAL : 0) |
      (r.contextual ? SCORE_CONTEXTUAL : 0) |
      (r.descriptor !== undefined ? SCORE_DESCRIPTOR : 0) |
      (r.emoticon ? SCORE_EMOTICON : 0) |
      (r.expected ? SCORE_EXPECTED : 0) |
      (r.counterfactual ? SCORE_COUNTERFACTUAL : 0) |
      (r.backdrop ? SCORE_BACKDROP : 0) |
      (r.excess ? SCORE_EXCESS : 0) |
      (r.excessAdjective ? SCORE_EXCESS_ADJECTIVE : 0) |
      (r.capability ? SCORE_CAPABILITY : 0) |
      (r.inability ? SCORE_INABILITY : 0) |
      (r.feature ? SCORE_FEATURE : 0) |
      (r.absence ? SCORE_ABSENCE : 0),
    );
    this.sentValue = Float64Array.from(this.sent, (r) => r.value);
    this.sentDegree = Float64Array.from(this.sent, (r) => r.degree);
    this.sentEventOnly = Uint8Array.from(this.sent, (r) =>
      (r.expected || r.capability) && r.value === 0 && !r.descriptor && !r.topic && !r.contextual ? 1 : 0,
    );
    this.topicFlags = Uint8Array.from(this.topic, (r) =>
      (r.action ? TOPIC_ACTION : 0) |
      (r.compBefore || r.compPair || r.compAfter ? TOPIC_COMPARISON : 0) |
      (r.scenario ? TOPIC_SCENARIO : 0) |
      (r.aspects.length > 0 ? TOPIC_ASPECTS : 0) |
      (r.deal ? TOPIC_DEAL : 0),
    );
    // Particles only glue words together (太慢了); they have no role of their own.
    for (const p of this.particles) this.refOf(p);
    this.glue = Uint8Array.from(this.surfaces, (s) => (this.known.has(s) || this.particles.has(s) ? 1 : 0));
    // Flat copies of the refs: the match loop touches typed arrays, not scattered objects.
    const total = this.refs.reduce((n, r) => n + r.length, 0);
    const refFrom = new Int32Array(this.refs.length + 1);
    this.refLayer = new Uint8Array(total);
    const refRole = new Int32Array(total);
    this.refGap = new Array(total);
    let k = 0;
    this.refs.forEach((list, id) => {
      refFrom[id] = k;
      for (const ref of list) {
        this.refLayer[k] = ref.layer;
        // A gap-pattern ref has no role (-1) and the match loop never reads it: 0 keeps the array unsigned.
        refRole[k] = ref.parts ? 0 : ref.role;
        this.refGap[k] = ref.parts ? ref : null;
        k++;
      }
    });
    refFrom[this.refs.length] = k;
    // 16-bit when the values fit (the shipped lexicon: ~4,200 surfaces): the match loop reads them for
    // every automaton output, and half the bytes stay in cache next to the segmenter's dictionary.
    this.refFrom = compact(refFrom);
    this.refRole = compact(refRole);
    this.lengths = compact(Int32Array.from(this.surfaces, (x) => x.length));
    this.ac = new AhoCorasick(this.surfaces);
    this.lexiconWords = new Set([...this.known].filter((w) => !this.isEventOnly(w)));
    this.sentPolarWord = this.polarWords();
  }

  /**
   * What each topic role anchors in the attribution of a post of `brand` under `taxonomy`: the index
   * in its `aspects` of the taxonomy's aspect, -1 for a product-side noun without one (a subject,
   * one of the brand's products, a brand name), NOT_ANCHOR for neither. Worked out once per brand
   * and taxonomy, so a post reads one number per topic hit instead of its role's aspect list, product
   * map and brand set (objects spread over the heap, out of cache after the segmenter ran).
   */
  anchorKinds(taxonomy: string, brand: string): Int16Array {
    let byBrand = this.anchorKindCache.get(taxonomy);
    if (!byBrand) this.anchorKindCache.set(taxonomy, (byBrand = new Map()));
    return boundedMemo(byBrand, brand, () =>
      Int16Array.from(this.topic, (r) => {
        const k = r.aspects.findIndex((a) => a.taxonomy === taxonomy);
        if (k >= 0) return k;
        return r.subject || r.products.has(brand) || r.brandNames.size > 0 ? -1 : NOT_ANCHOR;
      }),
    );
  }

  /**
   * Per topic role, 1 when it names one of `brand`'s products or features (`topic[role].products.has(brand)`),
   * worked out once per brand: the classifier asks it of every topic hit of a post whose brand has
   * products, and a byte per role stays in cache where the role objects and their maps do not.
   */
  productRoles(brand: string): Uint8Array {
    return boundedMemo(this.productRoleCache, brand, () => Uint8Array.from(this.topic, (r) => (r.products.has(brand) ? 1 : 0)));
  }

  /**
   * Per topic role, its first aspect of `taxonomy` (`topic[role].aspects.find(a => a.taxonomy === taxonomy)`),
   * or null; worked out once per taxonomy. The aspect anchors and polar holders of a post read one
   * array entry per topic hit instead of the role object, its aspect list and each aspect in it.
   */
  aspectRefs(taxonomy: string): ReadonlyArray<AspectRef | null> {
    return boundedMemo(this.aspectRefCache, taxonomy, () => this.topic.map((r) => r.aspects.find((a) => a.taxonomy === taxonomy) ?? null));
  }

  /** See sentPolarWord. A table is read as clause scoring reads it (`polar[surface]` truthy). */
  private polarWords(): Uint8Array {
    const tables: Array<Record<string, Stance>> = [];
    for (const r of this.topic) for (const a of r.aspects) tables.push(a.polar);
    for (const r of this.sent) if (r.topic) tables.push(r.topic.polar);
    // The tables have no prototype (normaliseKeys): their keys are all a look-up can find.
    const keys = new Set<string>();
    for (const t of tables) for (const k of Object.keys(t)) if (t[k]) keys.add(k);
    return Uint8Array.from(this.sentSurface, (w) => (keys.has(w) ? 1 : 0));
  }

  /** Whether `word` (normalised) is an entry of the sent/chan/topic layers or a gap-pattern part. */
  isKnown(word: string): boolean {
    return this.known.has(word);
  }

  /** Whether the lexicon speaks for `word` (the open-vocabulary pass leaves it out): a known word that
   *  is not only an expected event (see sentEventOnly). */
  isLexiconWord(word: string): boolean {
    return this.lexiconWords.has(word);
  }

  private isEventOnly(word: string): boolean {
    const refs = this.refs[this.surfaceIndex.get(word) ?? -1];
    if (!refs) return false;
    let event = false;
    for (const ref of refs) {
      if (ref.parts !== null) continue; // a part of a cue or question pattern is not a lexicon word
      if (ref.layer !== Layer.Sent || this.sentEventOnly[ref.role] !== 1) return false;
      event = true;
    }
    return event;
  }

  /** All surfaces of the sent/chan/topic layers plus brand words: the segmenter's user dictionary. */
  dictionaryWords(): string[] {
    return [...this.known];
  }

  /** Finds the role of `word` in `layer`, creating it with `make` on first sight. */
  private role<T>(layer: Layer, word: string, make: () => T): number | undefined {
    const w = normaliseEntry(word);
    if (!w) return undefined;
    const index = this.layerIndex[layer]!;
    let r = index.get(w);
    if (r === undefined) {
      const arrays: unknown[][] = [this.sent, this.chan, this.topic, [], [], this.spam];
      const surfaces: string[][] = [this.sentSurface, this.chanSurface, this.topicSurface, [], [], []];
      const target = arrays[layer]!;
      r = target.length;
      target.push(make());
      surfaces[layer]!.push(w);
      index.set(w, r);
      this.refOf(w).push({ layer, role: r, parts: null, laterParts: null, laterOnly: false, roles: null, laterRoles: null });
      if (layer !== Layer.Spam) this.known.add(w);
    }
    return r;
  }

  /**
   * English lexicon words also match their inflected forms (liked, refunds, couriers, rudely), as the
   * same role: a sentiment word every form, a channel's process word (return, refund) its verb forms,
   * other channel words and aspect or scenario keywords their plural. Entries listed explicitly keep
   * their own role (they were added first), and `uninflected` forms are never generated.
   */
  private addEnglishForms(uninflected: ReadonlySet<string>): void {
    const add = (layer: Layer, role: number, entry: string, kind: FormKind) => {
      const index = this.layerIndex[layer]!;
      for (const form of englishForms(entry, kind)) {
        if (index.has(form) || uninflected.has(form)) continue;
        index.set(form, role);
        this.refOf(form).push({ layer, role, parts: null, laterParts: null, laterOnly: false, roles: null, laterRoles: null });
        this.known.add(form);
      }
    };
    this.sentSurface.forEach((w, r) => {
      const s = this.sent[r]!;
      // Judging words only: a modifier's forms are other words (not -> noted).
      if (s.value !== 0 || s.descriptor || s.contextual) add(Layer.Sent, r, w, 'any');
    });
    this.chanSurface.forEach((w, r) => add(Layer.Chan, r, w, this.chan[r]!.kind === 'activity' ? 'verb' : 'noun'));
    this.topicSurface.forEach((w, r) => {
      const t = this.topic[r]!;
      // Not brand or product names (Apple is no plural of apples).
      if ((t.aspects.length > 0 || t.scenario) && t.brandNames.size === 0 && t.products.size === 0) add(Layer.Topic, r, w, 'noun');
    });
  }

  private refOf(surface: string): Ref[] {
    let s = this.surfaceIndex.get(surface);
    if (s === undefined) {
      s = this.surfaces.length;
      this.surfaces.push(surface);
      this.refs.push([]);
      this.surfaceIndex.set(surface, s);
    }
    return this.refs[s]!;
  }

  private addGapPattern<K>(layer: Layer, list: Array<GapPattern<K>>, kind: K, id: string, pattern: string, extras: CueExtras = {}): void {
    const parts = pattern.split('…').map(normaliseEntry).filter(Boolean);
    if (!parts.length) return;
    const index = list.length;
    list.push({ kind, id, parts, ...extras });
    parts.forEach((p, part) => {
      const refs = this.refOf(p);
      let ref = refs.find((r) => r.layer === layer);
      if (!ref) {
        ref = { layer, role: -1, parts: [], laterParts: null, laterOnly: false, roles: null, laterRoles: null };
        refs.push(ref);
      }
      ref.parts!.push({ pattern: index, part });
      // Sentence-final particles (吗, 么) count even when the segmenter glued them to a word (位吗).
      const free = (p: { pattern: number; part: number }) => p.part > 0 || FREE_KINDS.has(list[p.pattern]!.kind as unknown as string);
      ref.laterParts = ref.parts!.filter(free);
      ref.laterOnly = ref.laterParts.length > 0;
      ref.roles = partRoles(ref.parts!);
      ref.laterRoles = partRoles(ref.laterParts);
    });
  }

  /**
   * All layer matches of `text`. A match must sit on segmenter word boundaries, except that a token
   * may glue known words together (不方便 = 不 + 方便, 太慢了 = 太 + 慢 + 了). Channel and topic nouns may
   * also start a longer compound (快递公司, 客服部门).
   */
  match(text: string, tokens: Tokens): Matches {
    const sent = this.sentCandidates;
    const chan = this.chanCandidates;
    const topic = this.topicCandidates;
    const spam = this.spamCandidates;
    const question = this.questionParts;
    const cue = this.cueParts;
    question.length = 0;
    cue.length = 0;
    const buf = this.buffer;
    const count = this.ac.scan(text, buf);
    const ids = buf.ids;
    const ends = buf.ends;
    const lengths = this.lengths;
    const glue = this.glue;
    const starts = tokens.starts;
    const n = text.length;
    // Word-boundary check without slicing: reach[i] = the token holding i is covered by known words up
    // to i (不|方便); back[i] = known words cover i up to the next token boundary (慢|了).
    // Both start as copies of the token starts: of the whole buffer, one memcpy each (only [0, n] is
    // read), instead of zeroing two scratch buffers and copying them character by character.
    if (this.reach.length !== starts.length) {
      this.reach = new Uint8Array(starts.length);
      this.back = new Uint8Array(starts.length);
    }
    const reach = this.reach;
    const back = this.back;
    reach.set(starts);
    back.set(starts);
    for (let k = 0; k < count; k++) {
      const id = ids[k]!;
      if (glue[id] !== 1) continue;
      const end = ends[k]!;
      // Known words glue a token together (不|方便), but never split an English word (app|store).
      if (reach[end - lengths[id]!] === 1 && end <= n && !latinInner(text, end)) reach[end] = 1;
    }
    for (let k = count - 1; k >= 0; k--) {
      const id = ids[k]!;
      if (glue[id] !== 1) continue;
      const end = ends[k]!;
      const start = end - lengths[id]!;
      if (back[end] === 1 && !latinInner(text, start)) back[start] = 1;
    }
    const refFrom = this.refFrom;
    const refLayer = this.refLayer;
    const refRole = this.refRole;
    const refGap = this.refGap;
    const prefixLike = this.prefixLike;
    for (let k = 0; k < count; k++) {
      const id = ids[k]!;
      const end = ends[k]!;
      const start = end - lengths[id]!;
      // A word that opens with a digit (0星, 1分给) never starts inside a number: jieba, taught 0星 by the
      // user dictionary, cuts 给10星 as 给|1|0星.
      const startOk = reach[start] === 1 && start < n && !digitInner(text, start);
      const endStrict = startOk && back[end] === 1;
      const to = refFrom[id + 1]!;
      for (let r = refFrom[id]!; r < to; r++) {
        const layer = refLayer[r]!;
        const gap = refGap[r];
        if (gap) {
          // A pattern's first part must start a word; later parts may sit inside one (根本没有).
          if (startOk || gap.laterOnly) (layer === Layer.Question ? question : cue).add(start, end, startOk ? gap.roles! : gap.laterRoles!);
          continue;
        }
        if (!startOk) continue;
        const role = refRole[r]!;
        // Nouns of two or more characters start compounds (快递公司), and modifiers glue to what follows
        // (不久): both may end mid-word. A one-character noun must be a word (货 is not 货不对板). Not
        // inside an English word: app is no compound of appetite, nor not of notebook.
        const midWord = !endStrict && latinInner(text, end);
        if (layer === Layer.Sent) {
          if (endStrict || (prefixLike[role] === 1 && !midWord)) sent.add(start, end, role);
        } else if (layer === Layer.Chan) {
          if (endStrict || (end - start > 1 && !midWord)) chan.add(start, end, role);
        } else if (layer === Layer.Topic) {
          if (endStrict || (end - start > 1 && !midWord)) topic.add(start, end, role);
        } else if (endStrict) {
          spam.add(start, end, role);
        }
      }
    }
    // Scan order is by end; gap matching wants start order.
    question.sortByStart();
    cue.sortByStart();
    return {
      sent: sent.leftmostLongest(),
      chan: chan.leftmostLongest(),
      topic: topic.leftmostLongest(),
      question,
      cue,
      spam: spam.leftmostLongest(),
    };
  }


}

function addBrand(b: BrandInfo, topicRole: (w: string) => TopicRole | undefined): void {
  for (const name of b.names) {
    const r = topicRole(name);
    if (!r) continue;
    r.brandNames.add(b.id);
    r.subject = true;
  }
  for (const product of b.products) {
    const r = topicRole(product);
    if (!r) continue;
    r.products.set(b.id, product);
    r.subject = true;
  }
}

/** An adjective table with normalised keys. It has no prototype, so only its own entries answer a
 *  look-up (\`polar['constructor']\` is undefined). */
function normaliseKeys(polar: Record<string, Stance>): Record<string, Stance> {
  const out = Object.create(null) as Record<string, Stance>;
  for (const [k, v] of Object.entries(polar)) out[normaliseEntry(k)] = v;
  return out;
}

/** Sorts hits by start, then end, stably (insertion sort: short lists, nearly in order already; cheaper
 *  than Array.prototype.sort with a comparator for them). Cue matches use it (pattern parts sort in PartHits). */
export function byStart<T extends { start: number; end: number }>(hits: T[]): T[] {
  for (let i = 1; i < hits.length; i++) {
    const h = hits[i]!;
    let j = i - 1;
    while (j >= 0 && (hits[j]!.start > h.start || (hits[j]!.start === h.start && hits[j]!.end > h.end))) {
      hits[j + 1] = hits[j]!;
      j--;
    }
    hits[j + 1] = h;
  }
  return hits;
}

/**
 * Candidate hits of one layer as (start, end, role) triples, in scan order, reused by every post. The
 * leftmost-longest selection runs on the numbers, and only the hits it keeps (about five in six)
 * become Hit objects: the others were garbage for the collector.
 */
export class Candidates {
  private data = new Int32Array(96);
  private count = 0;

  add(start: number, end: number, role: number): void {
    let d = this.data;
    if (3 * this.count + 3 > d.length) this.data = d = grownInt32(d, 3 * this.count + 3);
    const at = 3 * this.count++;
    d[at] = start;
    d[at + 1] = end;
    d[at + 2] = role;
  }

  /**
   * The non-overlapping selection of the candidates added since the last call (which it clears):
   * earliest start first, and the longest entry at that start. Within a layer no two candidates have
   * the same start and end (one role per surface), so the order of the sort is fully determined.
   */
  leftmostLongest(): Hit[] {
    const d = this.data;
    const n = this.count;
    this.count = 0;
    // Insertion sort by start, then longest first: the lists are short and nearly sorted (the
    // automaton reports by end).
    for (let i = 1; i < n; i++) {
      const start = d[3 * i]!;
      const end = d[3 * i + 1]!;
      const role = d[3 * i + 2]!;
      let j = i - 1;
      while (j >= 0 && (d[3 * j]! > start || (d[3 * j]! === start && d[3 * j + 1]! < end))) {
        d[3 * j + 3] = d[3 * j]!;
        d[3 * j + 4] = d[3 * j + 1]!;
        d[3 * j + 5] = d[3 * j + 2]!;
        j--;
      }
      d[3 * j + 3] = start;
      d[3 * j + 4] = end;
      d[3 * j + 5] = role;
    }
    const hits: Hit[] = [];
    let lastEnd = -1;
    for (let i = 0; i < n; i++) {
      const start = d[3 * i]!;
      if (start < lastEnd) continue;
      const end = d[3 * i + 1]!;
      hits.push({ start, end, role: d[3 * i + 2]! });
      lastEnd = end;
    }
    return hits;
  }
}

/** Non-overlapping selection over Hit objects: earliest start first, and the longest entry at that
 *  start (the plain computation `Candidates.leftmostLongest` stands in for; kept for its test). */
export function leftmostLongest(hits: Hit[]): Hit[] {
  if (hits.length < 2) return hits;
  // Insertion sort: the lists are short and nearly sorted (the automaton reports by end).
  for (let i = 1; i < hits.length; i++) {
    const h = hits[i]!;
    let j = i - 1;
    while (j >= 0 && (hits[j]!.start > h.start || (hits[j]!.start === h.start && hits[j]!.end < h.end))) {
      hits[j + 1] = hits[j]!;
      j--;
    }
    hits[j + 1] = h;
  }
  // Keep the selection in place (the list is this post's own): no second array.
  let kept = 0;
  let lastEnd = -1;
  for (let i = 0; i < hits.length; i++) {
    const h = hits[i]!;
    if (h.start >= lastEnd) {
      hits[kept++] = h;
      lastEnd = h.end;
    }
  }
  hits.length = kept;
  return hits;
}

/** Per-key tables worked out on first use. Brand ids come with the posts (and taxonomy ids from the
 *  config): past BOUNDED_MEMO_SIZE keys the cache starts over, so no input can make it grow without end. */
function boundedMemo<K, V>(cache: Map<K, V>, key: K, build: () => V): V {
  let value = cache.get(key);
  if (value === undefined) {
    value = build();
    if (cache.size >= BOUNDED_MEMO_SIZE) cache.clear();
    cache.set(key, value);
  }
  return value;
}
const BOUNDED_MEMO_SIZE = 64;

/** Whether offset `i` of `text` falls between two ASCII digits (inside one number). */
function digitInner(text: string, i: number): boolean {
  if (i === 0) return false;
  const c = text.charCodeAt(i);
  const p = text.charCodeAt(i - 1);
  return c >= 48 && c <= 57 && p >= 48 && p <= 57;
}
