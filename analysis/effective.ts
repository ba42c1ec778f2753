/**
 * The effective lexicon of one configuration: the shipped lexicons plus the config's channel
 * aliases/new channels, aspect keywords/new aspects and brand names/products. Its hash is part of
 * `lexiconVersion`, so any change of the words the classifier uses changes the version.
 */
import { createHash } from 'node:crypto';
import type { VocConfig } from '../core/config.js';
import { InputError } from '../core/errors.js';
import { SCENARIO_TYPES } from '../core/types.js';
import type { AspectDef, ChannelDef, Label, Lexicons, PromiseDef, ScenarioDef } from './lexicons.js';

export interface BrandInfo {
  id: string;
  /** Aspect taxonomy id; unknown ids fall back to an empty taxonomy (no aspects). */
  taxonomy: string;
  /** Brand name and aliases (segmenter words, clause subjects). */
  names: string[];
  /** Product and feature names (segmenter words; what questions are about). */
  products: string[];
  promises: string[];
}

export interface EffectiveLexicon {
  lex: Lexicons;
  brands: Map<string, BrandInfo>;
  /** Competitor names of every brand (segmenter words, subjects). */
  competitors: string[];
  /** `<VERSION>+<8 hex of the effective lexicon>`. */
  version: string;
}

/** What of a config shapes the lexicon (`lexicon` may be left out: no additions). */
export type LexiconConfig = Pick<VocConfig, 'brands' | 'channels' | 'aspects'> & Partial<Pick<VocConfig, 'lexicon' | 'campaigns'>>;

/** Merges `config` over `base` (never mutating it) and computes the version. */
export function buildEffectiveLexicon(base: Lexicons, config: LexiconConfig): EffectiveLexicon {
  const channels: Record<string, ChannelDef> = {};
  for (const [id, c] of Object.entries(base.channels)) channels[id] = { ...c, aliases: [...c.aliases] };
  for (const [id, override] of Object.entries(config.channels ?? {})) {
    const existing = channels[id];
    if (existing) {
      existing.aliases.push(...override.aliases);
      existing.label = { ...existing.label, ...stripUndefined(override.label ?? {}) };
    } else {
      channels[id] = {
        id,
        label: { 'zh-CN': override.label?.['zh-CN'] ?? id, en: override.label?.en ?? id },
        aliases: [...override.aliases],
        activity: [],
        weak: [],
        parts: [],
      };
    }
  }

  const aspects: Record<string, Record<string, AspectDef>> = {};
  for (const [tax, list] of Object.entries(base.aspects)) {
    aspects[tax] = {};
    for (const [id, a] of Object.entries(list)) aspects[tax]![id] = { ...a, keywords: [...a.keywords] };
  }
  for (const [tax, list] of Object.entries(config.aspects ?? {})) {
    const target = (aspects[tax] ??= {});
    for (const [id, addition] of Object.entries(list)) {
      const { keywords, polar, label } = Array.isArray(addition) ? { keywords: addition, polar: {}, label: undefined } : addition;
      const existing = target[id];
      const extra = keywords.map((word) => ({ word }));
      if (existing) {
        existing.keywords.push(...extra);
        existing.polar = { ...existing.polar, ...polar };
        if (label) existing.label = { ...existing.label, ...label };
      } else target[id] = { id, label: { 'zh-CN': label?.['zh-CN'] ?? label?.en ?? id, en: label?.en ?? label?.['zh-CN'] ?? id }, keywords: extra, polar: { ...polar }, attribute: false };
    }
  }

  const promises = mergePromises(base.promises, config.lexicon?.promises ?? {});
  const scenarios = mergeScenarios(base.scenarios, config.lexicon?.scenarios ?? {});
  const sentiment = mergeSentiment(base.sentiment, config.lexicon?.sentiment);

  const brands = new Map<string, BrandInfo>();
  const competitors: string[] = [];
  // A campaign's features are features of its brand: a question about one asks even without a help
  // marker (自动泊车支持斜列车位吗？), which is what the campaign's "did questions spike" test counts.
  const campaignFeatures = new Map<string, string[]>();
  for (const c of config.campaigns ?? []) campaignFeatures.set(c.brand, [...(campaignFeatures.get(c.brand) ?? []), ...c.features]);
  for (const [i, b] of (config.brands ?? []).entries()) {
    for (const p of b.promises)
      if (!promises[p])
        throw new InputError({
          en: `brands.${i}.promises: unknown promise "${p}"; known: ${Object.keys(promises).join(', ')}; define a new one under lexicon.promises`,
          zh: `brands.${i}.promises：未知的品牌承诺“${p}”；已有：${Object.keys(promises).join('、')}；新的承诺请在 lexicon.promises 下定义`,
        });
    brands.set(b.id, {
      id: b.id,
      taxonomy: b.aspectTaxonomy,
      names: [b.name, ...b.aliases],
      products: [...new Set([...b.products, ...(campaignFeatures.get(b.id) ?? [])])],
      promises: [...b.promises],
    });
    competitors.push(...b.competitors);
  }

  const lex: Lexicons = { ...base, channels, aspects, promises, sentiment, scenarios };
  const hash = createHash('sha256')
    .update(stableStringify({ lex: { ...lex, dir: undefined, version: undefined }, brands: [...brands.values()], competitors }))
    .digest('hex')
    .slice(0, 8);
  return { lex, brands, competitors, version: `${base.version}+${hash}` };
}

type PromiseOverrides = NonNullable<LexiconConfig['lexicon']>['promises'];

/**
 * The shipped promises with the config's: words added to a shipped promise (a word moves from the
 * other stance when listed there), new promises with their label in both languages.
 */
function mergePromises(base: Record<string, PromiseDef>, overrides: PromiseOverrides): Record<string, PromiseDef> {
  const out: Record<string, PromiseDef> = {};
  for (const [id, p] of Object.entries(base)) out[id] = { ...p, positive: [...p.positive], negative: [...p.negative], topics: [...p.topics] };
  for (const [id, o] of Object.entries(overrides)) {
    let p = out[id];
    if (!p) {
      const label = completeLabel(o.label);
      if (!label)
        throw new InputError({
          en: `lexicon.promises.${id}.label: a new promise needs a label in zh-CN and en, e.g. { zh-CN: 绿色环保, en: Eco-friendly }`,
          zh: `lexicon.promises.${id}.label：新的品牌承诺需要 zh-CN 和 en 两种语言的名称，例如 { zh-CN: 绿色环保, en: Eco-friendly }`,
        });
      p = out[id] = { id, label, positive: [], negative: [], topics: [] };
    } else {
      p.label = { ...p.label, ...stripUndefined(o.label ?? {}) };
    }
    addWords(p.positive, p.negative, o.positive);
    addWords(p.negative, p.positive, o.negative);
    for (const word of o.topics) if (!p.topics.some((t) => t.word === word)) p.topics.push({ word });
  }
  return out;
}

type ScenarioOverrides = NonNullable<LexiconConfig['lexicon']>['scenarios'];

/** The shipped scenarios with the config's: keywords added to a shipped one, new ones with type and label. */
function mergeScenarios(base: Record<string, ScenarioDef>, overrides: ScenarioOverrides): Record<string, ScenarioDef> {
  if (!Object.keys(overrides).length) return base;
  const out: Record<string, ScenarioDef> = {};
  for (const [id, sc] of Object.entries(base)) out[id] = { ...sc, keywords: [...sc.keywords] };
  for (const [id, o] of Object.entries(overrides)) {
    let sc = out[id];
    if (!sc) {
      const label = completeLabel(o.label);
      if (!o.type || !label)
        throw new InputError({
          en: `lexicon.scenarios.${id}: a new scenario needs a type (${SCENARIO_TYPES.slice(0, -1).join(', ')} or ${SCENARIO_TYPES.at(-1)}) and a label in zh-CN and en, e.g. { type: place, label: { zh-CN: 充电站, en: Charging station }, keywords: [充电站] }`,
          zh: `lexicon.scenarios.${id}：新的场景需要类型（${SCENARIO_TYPES.slice(0, -1).join('、')} 或 ${SCENARIO_TYPES.at(-1)}）和 zh-CN、en 两种语言的名称，例如 { type: place, label: { zh-CN: 充电站, en: Charging station }, keywords: [充电站] }`,
        });
      sc = out[id] = { id, type: o.type, label, keywords: [] };
    } else {
      if (o.type) sc.type = o.type;
      sc.label = { ...sc.label, ...stripUndefined(o.label ?? {}) };
    }
    for (const k of o.keywords) if (!sc.keywords.includes(k)) sc.keywords.push(k);
  }
  return out;
}

/** The label of a new promise or scenario, when the config gives both languages. */
function completeLabel(label: { 'zh-CN'?: string | undefined; en?: string | undefined } | undefined): Label | undefined {
  const zh = label?.['zh-CN'];
  const en = label?.en;
  return zh && en ? { 'zh-CN': zh, en } : undefined;
}

/** Adds `words` to `to`, taking them out of `from` (the config's stance wins). */
function addWords(to: string[], from: string[], words: readonly string[]): void {
  for (const w of words) {
    const k = from.indexOf(w);
    if (k >= 0) from.splice(k, 1);
    if (!to.includes(w)) to.push(w);
  }
}

/** Sentiment words of the config over the shipped ones; negative strengths are stored negated. */
function mergeSentiment(base: Lexicons['sentiment'], o: NonNullable<LexiconConfig['lexicon']>['sentiment'] | undefined): Lexicons['sentiment'] {
  if (!o || (!Object.keys(o.positive).length && !Object.keys(o.negative).length)) return base;
  const positive = { ...base.positive };
  const negative = { ...base.negative };
  for (const [w, s] of Object.entries(o.positive)) {
    delete negative[w];
    positive[w] = s;
  }
  for (const [w, s] of Object.entries(o.negative)) {
    delete positive[w];
    negative[w] = -s;
  }
  return { ...base, positive, negative };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** JSON with sorted object keys, so the hash does not depend on key order. */
function stableStringify(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
}
