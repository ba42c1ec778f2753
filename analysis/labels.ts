/**
 * Human labels of lexicon ids for reports, in zh-CN and English. Ids unknown to the lexicon (a
 * channel or aspect added in the config without a label) fall back to the id itself.
 */
import type { Locale } from '../core/types.js';
import { loadLexicons, type Lexicons } from './lexicons.js';

function lexOr(lex?: Lexicons): Lexicons {
  return lex ?? loadLexicons();
}

/** Label of a channel id (`store` -> 门店 / Store). Pass `classifier.lexicons` for config-added channels. */
export function channelLabel(id: string, locale: Locale, lex?: Lexicons): string {
  return lexOr(lex).channels[id]?.label[locale] ?? id;
}

/** Label of a promise id (`premium_service` -> 尊贵服务 / Premium service). */
export function promiseLabel(id: string, locale: Locale, lex?: Lexicons): string {
  return lexOr(lex).promises[id]?.label[locale] ?? id;
}

/** Label of an aspect id; `taxonomy` narrows the lookup when ids repeat across taxonomies. */
export function aspectLabel(id: string, locale: Locale, taxonomy?: string, lex?: Lexicons): string {
  const all = lexOr(lex).aspects;
  const lists = taxonomy && all[taxonomy] ? [all[taxonomy]!] : Object.values(all);
  for (const list of lists) {
    const a = list[id];
    if (a) return a.label[locale];
  }
  return id;
}

/** Label of a scenario id (`winter` -> 冬天 / Winter). */
export function scenarioLabel(id: string, locale: Locale, lex?: Lexicons): string {
  return lexOr(lex).scenarios[id]?.label[locale] ?? id;
}

/** Label of a scenario type (time, weather, place, companion, activity). */
export function scenarioTypeLabel(type: string, locale: Locale): string {
  const zh: Record<string, string> = { time: '时间', weather: '天气', place: '地点', companion: '同行', activity: '活动' };
  const en: Record<string, string> = { time: 'Time', weather: 'Weather', place: 'Place', companion: 'Companion', activity: 'Activity' };
  return (locale === 'en' ? en : zh)[type] ?? type;
}

/**
 * Names of the breakpoint kinds: the one wording of the report, the console and `voc explain`
 * (reports/i18n.ts and the console's web/src/i18n.ts use these; a test holds them together).
 */
export const BREAKPOINT_KIND_LABELS: Record<Locale, Record<string, string>> = {
  'zh-CN': { inconsistency: '说法不一致', handoff: '交接断裂', runaround: '互相推诿' },
  en: { inconsistency: 'inconsistency', handoff: 'broken hand-off', runaround: 'runaround' },
};

/** Label of a breakpoint kind. */
export function breakpointKindLabel(kind: string, locale: Locale): string {
  return BREAKPOINT_KIND_LABELS[locale === 'en' ? 'en' : 'zh-CN'][kind] ?? kind;
}

/** Label of a sentiment label or polarity. */
export function sentimentLabel(label: string, locale: Locale): string {
  const zh: Record<string, string> = { pos: '正面', neg: '负面', mixed: '混合', neutral: '中性' };
  const en: Record<string, string> = { pos: 'Positive', neg: 'Negative', mixed: 'Mixed', neutral: 'Neutral' };
  return (locale === 'en' ? en : zh)[label] ?? label;
}
