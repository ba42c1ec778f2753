/**
 * A target's CSS selectors checked when it is added (`voc targets add|import|test --spec`, `voc
 * config check`), not when a crawl first finds nothing: unknown keys are named with the nearest
 * known one (`txt` -> text), and each selector is compiled by the crawler's own engine (cheerio,
 * css-select) on an empty page, so what it refuses is refused here with its reason. css-select is
 * lenient in two ways a typo hits: `article..post` reads as a class named ".post", and a selector
 * may end on a combinator (`div >`); both match nothing, so both are refused too.
 */
import { load } from 'cheerio';
import { parse as parseCss } from 'css-what';
import { InputError, type Bilingual } from '../core/errors.js';
import { nearest } from '../core/nearest.js';
import { DETAIL_POST_KEYS, SELECTOR_KEYS } from '../core/config.js';

/** Keys whose value is not a selector. */
const NOT_CSS = new Set(['timeFormat']);

const EMPTY_PAGE = load('');

/** `sel@attr` -> `sel`; `@attr` alone (the item itself) -> '' (as crawlers/extract-html.ts splitSelector reads it). */
function cssPart(selector: string): string {
  const m = /^(.*?)\s*@([A-Za-z_][\w:.-]*)$/.exec(selector.trim());
  return (m ? m[1]! : selector).trim();
}

/** Why `css` is not a selector the crawler can use, or undefined when it is. */
export function cssProblem(css: string): Bilingual | undefined {
  try {
    EMPTY_PAGE.root().find(css);
  } catch (err) {
    const reason = (err as Error).message;
    return { en: `not a valid CSS selector (${reason})`, zh: `不是有效的 CSS 选择器（${reason}）` };
  }
  for (const sequence of parseCss(css)) {
    const last = sequence[sequence.length - 1];
    if (!last || ['child', 'descendant', 'sibling', 'adjacent', 'parent', 'column-combinator'].includes(last.type))
      return { en: 'not a valid CSS selector (it ends with a combinator such as > or a space)', zh: '不是有效的 CSS 选择器（以 > 等组合符结尾）' };
    for (const token of sequence)
      if (token.type === 'attribute' && ((token.name === 'class' && token.action === 'element') || (token.name === 'id' && token.action === 'equals')) && /^[.#]|^$/.test(token.value))
        return { en: 'not a valid CSS selector (an empty class or id name: two dots or # in a row?)', zh: '不是有效的 CSS 选择器（类名或 ID 为空：是否连写了两个 . 或 #？）' };
  }
  return undefined;
}

/**
 * Checks a selector spec: known keys and valid CSS in each selector. `field` names it in errors
 * (`--selectors`, `target: selectors`); nothing is checked when `spec` is not an object (the
 * schema says what it should be).
 */
export function checkSelectorSpec(spec: unknown, field: Bilingual, known: readonly string[] = SELECTOR_KEYS): void {
  if (!spec || typeof spec !== 'object' || Array.isArray(spec)) return;
  for (const [key, value] of Object.entries(spec)) {
    if (!known.includes(key)) {
      const guess = nearest(key, known);
      throw new InputError({
        en: `${field.en}: unknown key ${key}; ${guess ? `did you mean ${guess}? ` : ''}known keys: ${known.join(', ')}`,
        zh: `${field.zh}：未知的键 ${key}；${guess ? `是否想写 ${guess}？` : ''}可用的键：${known.join('、')}`,
      });
    }
    if (NOT_CSS.has(key) || typeof value !== 'string') continue;
    const css = cssPart(value);
    // `@attr` alone reads the item itself: no CSS to check.
    if (css === '') continue;
    const problem = cssProblem(css);
    // An option names the key after a space (`--selectors item`), a field path after a dot (`selectors.item`).
    const at = (f: string) => (f.startsWith('--') ? `${f} ${key}` : `${f}.${key}`);
    if (problem) throw new InputError({ en: `${at(field.en)}: "${value}" is ${problem.en}`, zh: `${at(field.zh)}：“${value}”${problem.zh}` });
  }
}

/** A target's selector specs (listing, detail page, replies), checked; `origin` names the target. */
export function checkTargetSelectors(target: unknown, origin: Bilingual): void {
  if (!target || typeof target !== 'object') return;
  const t = target as { selectors?: unknown; detail?: { post?: unknown; replies?: unknown } };
  const at = (path: string): Bilingual => ({ en: `${origin.en}: ${path}`, zh: `${origin.zh}：${path}` });
  checkSelectorSpec(t.selectors, at('selectors'));
  if (t.detail && typeof t.detail === 'object') {
    checkSelectorSpec(t.detail.post, at('detail.post'), DETAIL_POST_KEYS);
    checkSelectorSpec(t.detail.replies, at('detail.replies'));
  }
}
