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

/** Names of the default lexicon's breakpoint cues (lexicons/breakpoints.yaml), so `voc explain`
 *  says 拒绝接续办理 rather than transfer_refused. A brand's own cue ids have no name and show as
 *  written. Kept here rather than in the YAML: a name changes no classification, and the YAML's
 *  bytes make the lexicon version. */
export const BREAKPOINT_CUE_LABELS: Record<Locale, Record<string, string>> = {
  'zh-CN': {
    price_mismatch: '价格不一致',
    not_honoured: '不予兑现',
    info_contradiction: '信息矛盾',
    listing_contradiction: '页面与实际不符',
    status_contradiction: '订单状态与实际不符',
    out_of_range: '配送范围说法不一',
    no_record: '查无记录',
    transfer_refused: '拒绝接续办理',
    window_expired: '耽误后错过时限',
    dead_end: '无路可走',
    redirect_dead_end: '被指向走不通的渠道',
    passed_between: '踢皮球',
    pushed_around: '被推来推去',
  },
  en: {
    price_mismatch: 'price mismatch',
    not_honoured: 'not honoured',
    info_contradiction: 'contradicting information',
    listing_contradiction: 'listing contradicted',
    status_contradiction: 'order status contradicted',
    out_of_range: 'delivery area contradicted',
    no_record: 'no record',
    transfer_refused: 'refused to take over',
    window_expired: 'deadline missed in between',
    dead_end: 'dead end',
    redirect_dead_end: 'sent to a dead end',
    passed_between: 'passed between',
    pushed_around: 'pushed around',
  },
};

/** Name of a breakpoint cue id, or the id itself for a cue the default lexicon does not have. */
export function breakpointCueLabel(cue: string, locale: Locale): string {
  const labels = BREAKPOINT_CUE_LABELS[locale === 'en' ? 'en' : 'zh-CN'];
  return Object.hasOwn(labels, cue) ? labels[cue]! : cue;
}

/** Label of a sentiment label or polarity. */
export function sentimentLabel(label: string, locale: Locale): string {
  const zh: Record<string, string> = { pos: '正面', neg: '负面', mixed: '混合', neutral: '中性' };
  const en: Record<string, string> = { pos: 'Positive', neg: 'Negative', mixed: 'Mixed', neutral: 'Neutral' };
  return (locale === 'en' ? en : zh)[label] ?? label;
}
