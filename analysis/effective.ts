/**
 * The effective lexicon of one configuration: the shipped lexicons plus the config's channel
 * aliases/new channels, aspect keywords/new aspects and brand names/products. Its hash is part of
 * `lexiconVersion`, so any change of the words the classifier uses changes the version.
 */
import { createHash } from 'node:crypto';
import type { VocConfig } from '../core/config.js';
import type { AspectDef, ChannelDef, Lexicons } from './lexicons.js';

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

/** Merges `config` over `base` (never mutating it) and computes the version. */
export function buildEffectiveLexicon(base: Lexicons, config: Pick<VocConfig, 'brands' | 'channels' | 'aspects'>): EffectiveLexicon {
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
    for (const [id, keywords] of Object.entries(list)) {
      const existing = target[id];
      const extra = keywords.map((word) => ({ word }));
      if (existing) existing.keywords.push(...extra);
      else target[id] = { id, label: { 'zh-CN': id, en: id }, keywords: extra, polar: {}, attribute: false };
    }
  }

  const brands = new Map<string, BrandInfo>();
  const competitors: string[] = [];
  for (const b of config.brands ?? []) {
    brands.set(b.id, {
      id: b.id,
      taxonomy: b.aspectTaxonomy,
      names: [b.name, ...b.aliases],
      products: [...b.products],
      promises: [...b.promises],
    });
    competitors.push(...b.competitors);
  }

  const lex: Lexicons = { ...base, channels, aspects };
  const hash = createHash('sha256')
    .update(stableStringify({ lex: { ...lex, dir: undefined, version: undefined }, brands: [...brands.values()], competitors }))
    .digest('hex')
    .slice(0, 8);
  return { lex, brands, competitors, version: `${base.version}+${hash}` };
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
