/**
 * Display names of taxonomy ids (channels, promises, aspects, scenarios). The analysis module
 * owns the lexicon and will provide the real `Labels`; reports depend on this interface only, so
 * the two can evolve separately. `defaultLabels` covers the default taxonomy and falls back to
 * the id itself, which keeps a report readable even for ids nobody has named yet.
 */
import type { VocConfig } from '../core/config.js';
import type { Locale } from '../core/types.js';

export interface Labels {
  channel(id: string, locale: Locale): string;
  promise(id: string, locale: Locale): string;
  aspect(id: string, locale: Locale): string;
  scenario(id: string, locale: Locale): string;
}

type Names = Readonly<Record<string, Readonly<Record<Locale, string>>>>;

export const DEFAULT_CHANNEL_LABELS: Names = {
  website: { 'zh-CN': '官网', en: 'Website' },
  app: { 'zh-CN': 'App', en: 'App' },
  marketplace: { 'zh-CN': '电商平台', en: 'Marketplace' },
  store: { 'zh-CN': '门店', en: 'Store' },
  customer_service: { 'zh-CN': '客服', en: 'Customer service' },
  delivery: { 'zh-CN': '物流配送', en: 'Delivery' },
  after_sales: { 'zh-CN': '售后', en: 'After-sales' },
  social_media: { 'zh-CN': '社交媒体', en: 'Social media' },
};

export const DEFAULT_PROMISE_LABELS: Names = {
  convenience: { 'zh-CN': '极致便利', en: 'Convenience' },
  premium_service: { 'zh-CN': '尊贵服务', en: 'Premium service' },
  reliable_quality: { 'zh-CN': '可靠品质', en: 'Reliable quality' },
  modern: { 'zh-CN': '现代科技', en: 'Modern' },
  transparency: { 'zh-CN': '透明诚信', en: 'Transparency' },
};

/** Builds a `Labels` from name tables; unknown ids are shown as themselves. */
export function labelsFromTables(tables: {
  channels?: Names;
  promises?: Names;
  aspects?: Names;
  scenarios?: Names;
}): Labels {
  const lookup = (table: Names | undefined) => (id: string, locale: Locale) => table?.[id]?.[locale] || id;
  return {
    channel: lookup(tables.channels),
    promise: lookup(tables.promises),
    aspect: lookup(tables.aspects),
    scenario: lookup(tables.scenarios),
  };
}

/** Labels of the default channel and promise taxonomy. */
export const defaultLabels: Labels = labelsFromTables({
  channels: DEFAULT_CHANNEL_LABELS,
  promises: DEFAULT_PROMISE_LABELS,
});

/**
 * Applies the channel label overrides of `voc.config.yaml` (`channels.<id>.label`) over `base`,
 * so a brand that renamed or added a channel sees its own wording in the report.
 */
export function withConfigChannelLabels(base: Labels, config: Pick<VocConfig, 'channels'>): Labels {
  return {
    ...base,
    channel: (id, locale) => config.channels[id]?.label?.[locale] || base.channel(id, locale),
  };
}
