/**
 * Loading and validating the YAML lexicons in `lexicons/` (channels, promises, sentiment, aspects,
 * scenarios, breakpoint cues, questions, spam, syntax word lists). Lexicons are data so that
 * analysts can tune them without touching code; this module is the only place that reads them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { errorText, VocError } from '../core/errors.js';
import { BREAKPOINT_KINDS, SCENARIO_TYPES } from '../core/types.js';
import type { BreakpointKind, Locale } from '../core/types.js';
import { describeIssue } from '../core/schema-issues.js';

export type Label = Record<Locale, string>;
export type Stance = 'pos' | 'neg';

export interface ChannelDef {
  id: string;
  label: Label;
  /** Words naming the touchpoint itself (门店, 客服). */
  aliases: string[];
  /** Words naming it through what happens there (退货, 配送). */
  activity: string[];
  /** Mentions that yield to a person-like channel in the same clause (打电话). */
  weak: string[];
  /** Pages of the channel (商品详情); after another channel's alias they belong to it. */
  parts: string[];
}

export interface PromiseDef {
  id: string;
  label: Label;
  positive: string[];
  negative: string[];
  /** Words naming the dimension without a stance (态度); polarity comes from their clause. */
  topics: AspectKeyword[];
}

export interface AspectKeyword {
  word: string;
  polar?: Record<string, Stance>;
}

export interface AspectDef {
  id: string;
  label: Label;
  keywords: AspectKeyword[];
  /** Aspect-dependent adjectives: 高 -> neg for 油耗, pos for 配置. */
  polar: Record<string, Stance>;
  /** An attribute a channel can have (its prices): naming it keeps the channel as the subject. */
  attribute: boolean;
}

export interface ScenarioDef {
  id: string;
  type: string;
  label: Label;
  keywords: string[];
}

export interface CueDef {
  id: string;
  kind: BreakpointKind;
  /** `A…B` = A followed by B later in the same sentence. */
  patterns: string[];
  /** The channel the cue names itself (页面写着…: the platform's listing), if any. */
  channel?: string;
  /** The channel the cue is told against, found through its process words too (还显示已送达: the
   *  delivery that never came, named by 送货 as well as by 快递员). Only with `channel`. */
  counterpart?: string;
  /** A hand-off that breaks the journey even between customer service and the platform it speaks
   *  for (客服给的快递员电话是空号 strands the customer): exempt from the one-organisation rule. */
  evenInsideOrganisation?: boolean;
  /** A runaround that always has two parties (踢皮球, 推来推去): when the post names only one, the other
   *  is the seller (the restaurant of a food-delivery post, else the online shop). Lexicon 1.4.0. */
  betweenParties?: boolean;
}

/** The optional properties of a cue, without the ones left unset (a cue's own data, see CueDef). */
export type CueExtras = Pick<CueDef, 'channel' | 'counterpart' | 'evenInsideOrganisation' | 'betweenParties'>;

export function cueExtras(c: CueExtras): CueExtras {
  const out: CueExtras = {};
  if (c.channel) out.channel = c.channel;
  if (c.counterpart) out.counterpart = c.counterpart;
  if (c.evenInsideOrganisation) out.evenInsideOrganisation = true;
  if (c.betweenParties) out.betweenParties = true;
  return out;
}

/**
 * The patterns a cue pattern with alternatives stands for: `{让我找|叫我找}…{又让|又说}` is four
 * patterns, one per combination (groups are not nested). Undefined when the braces are unbalanced.
 */
export function expandAlternatives(pattern: string): string[] | undefined {
  const open = pattern.indexOf('{');
  const close = pattern.indexOf('}');
  if (open < 0 && close < 0) return [pattern];
  if (open < 0 || close < open || pattern.slice(open + 1, close).includes('{')) return undefined;
  const rest = expandAlternatives(pattern.slice(close + 1));
  if (!rest) return undefined;
  const head = pattern.slice(0, open);
  const out: string[] = [];
  for (const alt of pattern.slice(open + 1, close).split('|')) for (const tail of rest) out.push(head + alt + tail);
  return out;
}

export interface Lexicons {
  /** Content of lexicons/VERSION. */
  version: string;
  /** Directory the lexicons were read from. */
  dir: string;
  channels: Record<string, ChannelDef>;
  channelQualifiers: string[];
  weakSuppressedBy: string[];
  /** 网站: the marketplace when the post names one, else the brand's website. */
  platformSites: string[];
  notChannel: string[];
  /** 商家/店家: the restaurant, the platform's seller or the online shop depending on the review's kind. */
  merchants: string[];
  /** Aliases that name a hotel's facilities in a hotel review (not touchpoints there). */
  hotelFacilities: string[];
  /** Store aliases that, in a review of an online purchase, name a building's desk where a parcel is left (lexicon 1.7.0). */
  parcelDesks: string[];
  /** Store aliases that a review of an online purchase names as a reference point (channels.yaml). */
  referenceStores: string[];
  /** Words that tell the kind of review (see channels.yaml `domains`). */
  domains: { foodDelivery: string[]; foodOrder: string[]; shop: string[]; hotel: string[]; device: string[] };
  promises: Record<string, PromiseDef>;
  sentiment: {
    positive: Record<string, number>;
    negative: Record<string, number>;
    contextual: string[];
    negators: string[];
    postNegators: string[];
    degree: Record<string, number>;
    contrastAfter: string[];
    contrastBefore: string[];
    emoticons: Record<string, number>;
    neutralPhrases: string[];
    forwardWords: string[];
    wishOpeners: string[];
    politeOpeners: string[];
    clauseFinal: string[];
    /** Events a customer waits for (送达, 回复, 退款): no stance alone, a complaint when negated (没送达). */
    expected: string[];
    /** Markers of a belief the review goes on to refute (本以为): what follows in their clause is turned around. */
    counterfactual: string[];
    /** Markers of how things were before (本来, 一直): praise after them in their clause is the backdrop of a
     *  later complaint, not a verdict (一直很信赖京东，这次太失望了). */
    backdrop: string[];
    /** Low ratings (一星, 一颗星) that award their star when 给 follows (一星是给快递的: the delivery is what
     *  earned it); the review still gives one star. */
    awards: string[];
    /** Forward words that rate (差评, 好评): with nothing after them in their clause they rate what
     *  precedes them (京东客服差评), where 吐槽 at a clause end only says where people talk. */
    ratingWords: string[];
    /** Degree words that say "too" (太, 有点, too): before an aspect-dependent adjective of
     *  `excessAdjectives` ending its clause (太大, 有点小, too small), the excess is the complaint, even
     *  where the aspect praises the adjective (屏幕太大). */
    excess: string[];
    /** Aspect-dependent adjectives an excess makes a complaint (大, 小, 重, 薄); not 强 or 足 (太强了 praises). */
    excessAdjectives: string[];
    /** What a device or service should let one do (更换, 截屏, 开机): nothing alone, a complaint after an
     *  `inability` negator (电池无法更换, 不能截屏), and nothing after other negators (不用安装 praises). */
    capabilities: string[];
    /** Negators that say something cannot be done (不能, 无法, 没法). */
    inability: string[];
    /** What a product should have (功能, 选项, 模块): a few characters after an `absence` negator at the
     *  end of a clause, a complaint (没有FM模块, 没有锁定横竖屏的选项). */
    features: string[];
    /** Negators that say something is not there (没有, 缺少). */
    absence: string[];
  };
  /** taxonomy id -> aspect id -> definition. */
  aspects: Record<string, Record<string, AspectDef>>;
  /** Words containing an aspect keyword that are not the aspect (充电桩). */
  notAspect: string[];
  scenarios: Record<string, ScenarioDef>;
  /** Words of an order's journey (订单, 送的, 到货): a time in their clause dates the order, not a use. */
  scenarioOrderJourney: string[];
  cues: CueDef[];
  /** Words holding a cue part that are not the cue (不认识 is not 不认). */
  cueLookalikes: string[];
  questions: {
    formulas: string[];
    strong: string[];
    hopes: string[];
    requests: string[];
    interrogative: string[];
    /** How to use or set something (怎么设置, 在哪里开启): with ？ the one bare question that asks (lexicon 1.6.0). */
    howTo: string[];
    /** What an asking formula in a complaint asks about when it really asks (退, 处理, 怎么回事, 到哪): plain
     *  substrings of its sentence (lexicon 1.6.0). */
    formulaTopics: string[];
    rhetorical: string[];
    ironic: string[];
    yesNo: string[];
    /** Openers of a supposition (要是, 万一): a complaint's 要是摔坏了怎么办 worries, it asks nothing. */
    hypotheticals: string[];
    /** Contact verbs (打电话, 联系客服): an asking formula after one in its sentence tells what was asked
     *  on that call (打电话给400，想问问啥时候能到), it does not ask the reader. */
    narratedContacts: string[];
    /** Words holding a question marker that ask nothing (什么都没有, 几乎, 好几个, 想问候): markers inside them are ignored. */
    lookalikes: string[];
    /** Not knowing what to do (不知道怎么办, 都不知道找谁): a help marker inside asks only in a sentence that
     *  ends in a question mark (不知道怎么办？); otherwise it laments (两大瓶不知道怎么办才好). */
    unsure: string[];
  };
  spam: { templates: string[]; minRepeats: number; maxRepeatUnit: number; adMarkers: string[] };
  syntax: {
    subjects: string[];
    notSubject: string[];
    subjectLeads: string[];
    topicBreakers: string[];
    actionVerbs: string[];
    dealWords: string[];
    comparisonBefore: string[];
    comparisonGap: string[];
    comparisonTail: string[];
    comparisonPair: string[];
    comparisonAfter: string[];
    particles: string[];
    sentenceEnds: string[];
    clauseSeparators: string[];
    englishWords: string[];
    openWordStoplist: string[];
    /** Inflected English forms never generated from a lexicon word (late -/-> later): see english-forms.ts. */
    uninflected: string[];
  };
}

// ---------------------------------------------------------------------------------------------
// Schemas of the YAML files (zod): a typo in a lexicon becomes one clear line, not a crash later.
// ---------------------------------------------------------------------------------------------

/** A word list that may be left out (per-channel extras). */
const words = z.array(z.string().min(1)).default([]);
/** A word list the rules need: a missing key is an error, not an empty list. */
const list = z.array(z.string().min(1));
const label = z.strictObject({ 'zh-CN': z.string().min(1), en: z.string().min(1) });
/** `{ "1.5": [a, b], "1": [c] }` -> strength groups. */
const strengthGroups = z.record(z.string().regex(/^-?\d+(\.\d+)?$/, 'a number such as 1 or 0.5'), words);

const channelsFile = z.strictObject({
  channels: z.record(
    z.string(),
    z.strictObject({ label, aliases: words, activity: words, weak: words, parts: words }),
  ),
  qualifiers: list,
  weakSuppressedBy: list,
  platformSites: list,
  notChannel: list,
  merchants: list,
  hotelFacilities: list,
  // Since lexicon 1.7.0; older lexicon folders have none.
  parcelDesks: list.default([]),
  referenceStores: list,
  // device: since lexicon 1.5.0; older lexicon folders have none.
  domains: z.strictObject({ foodDelivery: list, foodOrder: list, shop: list, hotel: list, device: list.default([]) }),
});

const stance = z.enum(['pos', 'neg']);
const keywordWithPolar = z.union([
  z.string().min(1),
  z.strictObject({ word: z.string().min(1), polar: z.record(z.string(), stance).optional() }),
]);
const toKeyword = (k: z.infer<typeof keywordWithPolar>): AspectKeyword =>
  typeof k === 'string' ? { word: k } : { word: k.word, ...(k.polar ? { polar: k.polar } : {}) };

const promisesFile = z.strictObject({
  promises: z.record(
    z.string(),
    z.strictObject({ label, positive: words, negative: words, topics: z.array(keywordWithPolar).default([]) }),
  ),
});

const sentimentFile = z.strictObject({
  positive: strengthGroups,
  negative: strengthGroups,
  contextual: list,
  negators: list,
  postNegators: list,
  degree: strengthGroups,
  contrast: z.strictObject({ after: list, before: list }),
  emoticons: strengthGroups,
  neutralPhrases: list,
  forwardWords: list,
  wishOpeners: list,
  politeOpeners: list,
  clauseFinal: list,
  expected: list,
  counterfactual: list,
  // Added in lexicon 1.2.0: optional, so a custom lexicon folder written for 1.1 still loads.
  backdrop: list.default([]),
  // Added in lexicon 1.4.0, optional for the same reason.
  awards: list.default([]),
  ratingWords: list.default([]),
  // Added in lexicon 1.9.0, optional for the same reason.
  excess: list.default([]),
  excessAdjectives: list.default([]),
  capabilities: list.default([]),
  inability: list.default([]),
  features: list.default([]),
  absence: list.default([]),
});

const aspectsFile = z.strictObject({
  notAspect: list,
  taxonomies: z.record(
    z.string(),
    z.record(
      z.string(),
      z.strictObject({
        label,
        keywords: z.array(keywordWithPolar),
        polar: z.record(z.string(), stance).default({}),
        attribute: z.boolean().default(false),
      }),
    ),
  ),
});

const scenariosFile = z.strictObject({
  scenarios: z.record(
    z.string(),
    z.strictObject({
      type: z.enum(SCENARIO_TYPES),
      label,
      keywords: words,
    }),
  ),
  // Optional since 1.12.0: a lexicon folder written before it still loads.
  orderJourney: list.default([]),
});

const breakpointsFile = z.strictObject({
  cues: z.array(z.strictObject({ id: z.string().min(1), kind: z.enum(BREAKPOINT_KINDS), patterns: words, channel: z.string().min(1).optional(), counterpart: z.string().min(1).optional(), evenInsideOrganisation: z.boolean().optional(), betweenParties: z.boolean().optional() })),
  lookalikes: words,
});

const questionsFile = z.strictObject({
  formulas: list,
  strong: list,
  hopes: list,
  requests: list,
  interrogative: list,
  // Sentence-final particles that made a question without ？ (你们还卖这款吗): read until lexicon 1.5.0;
  // since 1.6.0 a bare question needs a how-to word, so a folder that still lists them loads and they are ignored.
  finalParticles: list.optional(),
  rhetorical: list,
  ironic: list,
  yesNo: list,
  // Added in lexicon 1.2.0: optional, so a custom lexicon folder written for 1.1 still loads.
  hypotheticals: list.default([]),
  narratedContacts: list.default([]),
  lookalikes: list.default([]),
  // Added in lexicon 1.10.0, optional for the same reason.
  unsure: list.default([]),
  // Added in lexicon 1.6.0.
  howTo: list.default([]),
  formulaTopics: list.default([]),
});

const spamFile = z.strictObject({
  templates: list,
  repetition: z.strictObject({ minRepeats: z.number().int().min(2), maxUnit: z.number().int().min(1) }),
  adMarkers: list,
});

const syntaxFile = z.strictObject({
  subjects: list,
  notSubject: list,
  subjectLeads: list,
  topicBreakers: list,
  actionVerbs: list,
  dealWords: list,
  comparisonBefore: list,
  comparisonGap: list,
  comparisonTail: list,
  comparisonPair: list,
  comparisonAfter: list,
  particles: list,
  sentenceEnds: list,
  clauseSeparators: list,
  englishWords: list,
  openWordStoplist: list,
  // Since lexicon 1.8.0; older lexicon folders have none.
  uninflected: list.default([]),
});

function readYaml<T>(dir: string, file: string, schema: z.ZodType<T>): T {
  const path = join(dir, file);
  if (!existsSync(path))
    throw new VocError({
      en: `lexicon file missing: ${path}; reinstall voc or pass the lexicons folder`,
      zh: `缺少词典文件：${path}；请重新安装 voc，或指定词典文件夹`,
    });
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new VocError({
      en: `${path}: not valid YAML: ${(err as Error).message.split('\n')[0]}`,
      zh: `${path}：不是有效的 YAML：${errorText(err as Error, 'zh-CN').split('\n')[0]}`,
    });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const problem = describeIssue(issue);
    throw new VocError({ en: `${path}: ${problem.en}`, zh: `${path}：${problem.zh}` });
  }
  return parsed.data;
}

function groupsToMap(groups: Record<string, string[]>, sign = 1): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [strength, list] of Object.entries(groups)) for (const w of list) out[w] = sign * Number(strength);
  return out;
}

/** The folder holding `lexicons/VERSION`, found upwards from this module (works from source and dist/). */
export function defaultLexiconDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'lexicons');
    if (existsSync(join(candidate, 'VERSION'))) return candidate;
    dir = dirname(dir);
  }
  throw new VocError({
    en: 'cannot find the lexicons folder (lexicons/VERSION) next to the voc installation',
    zh: '在 voc 的安装位置旁找不到词典文件夹（lexicons/VERSION）',
  });
}

const cache = new Map<string, Lexicons>();

/**
 * Reads and validates every lexicon file of `dir` (default: the lexicons shipped with voc).
 * Cached per folder: lexicons are read once per process.
 */
export function loadLexicons(dir?: string): Lexicons {
  const root = resolve(dir ?? defaultLexiconDir());
  const cached = cache.get(root);
  if (cached) return cached;
  const versionPath = join(root, 'VERSION');
  if (!existsSync(versionPath))
    throw new VocError({ en: `lexicon folder ${root} has no VERSION file`, zh: `词典文件夹 ${root} 中没有 VERSION 文件` });
  const version = readFileSync(versionPath, 'utf8').trim();

  const ch = readYaml(root, 'channels.yaml', channelsFile);
  const pr = readYaml(root, 'promises.yaml', promisesFile);
  const se = readYaml(root, 'sentiment.yaml', sentimentFile);
  const as = readYaml(root, 'aspects.yaml', aspectsFile);
  const sc = readYaml(root, 'scenarios.yaml', scenariosFile);
  const bp = readYaml(root, 'breakpoints.yaml', breakpointsFile);
  const qu = readYaml(root, 'questions.yaml', questionsFile);
  const sp = readYaml(root, 'spam.yaml', spamFile);
  const sy = readYaml(root, 'syntax.yaml', syntaxFile);

  const lex: Lexicons = {
    version,
    dir: root,
    channels: Object.fromEntries(Object.entries(ch.channels).map(([id, c]) => [id, { id, ...c }])),
    channelQualifiers: ch.qualifiers,
    weakSuppressedBy: ch.weakSuppressedBy,
    platformSites: ch.platformSites,
    notChannel: ch.notChannel,
    merchants: ch.merchants,
    hotelFacilities: ch.hotelFacilities,
    parcelDesks: ch.parcelDesks,
    referenceStores: ch.referenceStores,
    domains: ch.domains,
    promises: Object.fromEntries(Object.entries(pr.promises).map(([id, p]) => [id, { id, ...p, topics: p.topics.map(toKeyword) }])),
    sentiment: {
      positive: groupsToMap(se.positive),
      negative: groupsToMap(se.negative, -1),
      contextual: se.contextual,
      negators: se.negators,
      postNegators: se.postNegators,
      degree: groupsToMap(se.degree),
      contrastAfter: se.contrast.after,
      contrastBefore: se.contrast.before,
      emoticons: groupsToMap(se.emoticons),
      neutralPhrases: se.neutralPhrases,
      forwardWords: se.forwardWords,
      wishOpeners: se.wishOpeners,
      politeOpeners: se.politeOpeners,
      clauseFinal: se.clauseFinal,
      expected: se.expected,
      counterfactual: se.counterfactual,
      backdrop: se.backdrop,
      awards: se.awards,
      ratingWords: se.ratingWords,
      excess: se.excess,
      excessAdjectives: se.excessAdjectives,
      capabilities: se.capabilities,
      inability: se.inability,
      features: se.features,
      absence: se.absence,
    },
    aspects: Object.fromEntries(
      Object.entries(as.taxonomies).map(([tax, aspects]) => [
        tax,
        Object.fromEntries(
          Object.entries(aspects).map(([id, a]) => [
            id,
            {
              id,
              label: a.label,
              polar: a.polar,
              attribute: a.attribute,
              keywords: a.keywords.map(toKeyword),
            },
          ]),
        ),
      ]),
    ),
    notAspect: as.notAspect,
    scenarios: Object.fromEntries(Object.entries(sc.scenarios).map(([id, s]) => [id, { id, ...s }])),
    scenarioOrderJourney: sc.orderJourney,
    cues: bp.cues.map(({ channel, counterpart, evenInsideOrganisation, betweenParties, ...cue }) => ({ ...cue, ...cueExtras({ channel, counterpart, evenInsideOrganisation, betweenParties }) })),
    cueLookalikes: bp.lookalikes,
    questions: qu,
    spam: { templates: sp.templates, minRepeats: sp.repetition.minRepeats, maxRepeatUnit: sp.repetition.maxUnit, adMarkers: sp.adMarkers },
    syntax: sy,
  };
  for (const cue of lex.cues) {
    for (const p of cue.patterns) {
      if (expandAlternatives(p) === undefined) {
        throw new VocError({
          en: `${join(root, 'breakpoints.yaml')}: cue ${cue.id}: pattern "${p}" has an unbalanced or nested {…|…} group; write alternatives as {A|B} with no braces inside`,
          zh: `${join(root, 'breakpoints.yaml')}：线索 ${cue.id}：模式“${p}”中的 {…|…} 分组括号不配对或有嵌套；请把备选项写成 {A|B}，其中不要嵌套花括号`,
        });
      }
    }
    if (cue.channel && !(cue.channel in lex.channels)) {
      throw new VocError({
        en: `${join(root, 'breakpoints.yaml')}: cue ${cue.id} names channel "${cue.channel}", which channels.yaml does not define; use one of ${Object.keys(lex.channels).join(', ')}`,
        zh: `${join(root, 'breakpoints.yaml')}：线索 ${cue.id} 指定的渠道“${cue.channel}”未在 channels.yaml 中定义；请使用以下之一：${Object.keys(lex.channels).join('、')}`,
      });
    }
    if (cue.counterpart && !(cue.counterpart in lex.channels)) {
      throw new VocError({
        en: `${join(root, 'breakpoints.yaml')}: cue ${cue.id} names counterpart "${cue.counterpart}", which channels.yaml does not define; use one of ${Object.keys(lex.channels).join(', ')}`,
        zh: `${join(root, 'breakpoints.yaml')}：线索 ${cue.id} 指定的对方渠道（counterpart）“${cue.counterpart}”未在 channels.yaml 中定义；请使用以下之一：${Object.keys(lex.channels).join('、')}`,
      });
    }
    if (cue.counterpart && !cue.channel) {
      throw new VocError({
        en: `${join(root, 'breakpoints.yaml')}: cue ${cue.id} has a counterpart but no channel; add \`channel:\` (the side the cue names itself, e.g. marketplace) or remove \`counterpart:\``,
        zh: `${join(root, 'breakpoints.yaml')}：线索 ${cue.id} 有 counterpart 但没有 channel；请添加 \`channel:\`（线索本身所指的一方，例如 marketplace），或删除 \`counterpart:\``,
      });
    }
  }
  cache.set(root, lex);
  return lex;
}
