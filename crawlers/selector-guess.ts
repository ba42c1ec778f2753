/**
 * A first guess at the CSS selectors of a listing page (`voc targets suggest`), so an analyst adding
 * a forum or review page starts from selectors that already extract posts instead of reading the
 * page's HTML. Pure: HTML in, a SelectorSpec out (or undefined when nothing repeats like posts do).
 *
 * The idea: posts are the largest group of siblings of one shape (same tag and classes) that each
 * hold a good amount of text. Inside them, the text is the descendant of one shape present in
 * (nearly) every post that holds the most text without the byline; the time is a `<time datetime>`
 * or a field whose text the crawler's time parser reads; the author an element whose class says so;
 * the id an attribute unique per post; the link a classed link whose target differs per post. The next
 * page is `rel="next"` or a link saying 下一页 / Next. Every selector is checked on the page
 * before it is offered: the item selector must select exactly that group.
 *
 * @example
 * guessSelectors('<div id="list"><article class="post" data-id="1"><p class="content">…</p></article>…(12 posts)</div>')
 * // { spec: { item: 'article.post', text: 'p.content', id: '@data-id' }, items: 12 }
 */
import type { AnyNode, Element } from 'domhandler';
import type { CheerioAPI } from 'cheerio';
import { loadHtml, textOfNodes } from './extract-html.js';
import { parsePageTime } from './page-time.js';
import type { SelectorSpec } from '../core/types.js';

export interface SelectorGuess {
  spec: SelectorSpec;
  /** Posts the item selector selects on the page. */
  items: number;
}

/** Siblings needed before a group can be the posts of a listing. */
const MIN_ITEMS = 3;
/** Median characters of text a post group needs (a menu's links have less). */
const MIN_MEDIAN_TEXT = 15;
/** Share of posts a field's selector must be found in. */
const FIELD_PRESENCE = 0.8;
/** Elements whose subtrees hold no posts: page chrome, forms, and what is not shown. */
const SKIPPED = new Set(['nav', 'header', 'footer', 'aside', 'menu', 'form', 'select', 'script', 'style', 'noscript', 'template', 'svg']);
const NEXT_WORDS = ['下一页', '下页', '下一頁', '后页', 'Next', 'next', 'Next page', '›', '»', '>'];
/** Date-like text, for recognising a byline even when its wording (发表于 2026-10-05 12:30) is no time the parser reads. */
const DATE_LIKE = /\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}|\b\d{1,2}:\d{2}\b|\d+\s*(?:秒|分钟|小时|天|周|个月)前|昨天|前天|刚刚|\b\d+\s*(?:minutes?|hours?|days?)\s+ago\b/;
const AUTHOR_CLASS = /auth|user|name|nick|poster|byline|member|creator/i;
/** schema.org properties that name a post's body. */
const TEXT_PROPS = /itemprop="(?:text|reviewBody|articleBody|commentText|description)"/;

export interface GuessOptions {
  /** Zone of times written without an offset (the config's); default Asia/Shanghai. */
  timeZone?: string;
  /** "Now" for relative times (3小时前); default the clock. */
  nowMs?: number;
}

export function guessSelectors(html: string, options: GuessOptions = {}): SelectorGuess | undefined {
  const timeZone = options.timeZone ?? 'Asia/Shanghai';
  const nowMs = options.nowMs ?? Date.now();
  const $ = loadHtml(html);
  for (const group of candidateGroups($)) {
    const item = itemSelector($, group);
    if (!item) continue;
    const fields = commonFields(group);
    // The byline first: the text is what is left of a post without it.
    const time = timeField(group, fields, (value) => parsePageTime(value, undefined, timeZone, nowMs) !== undefined);
    const dateLine = time ?? timeField(group, fields, (value) => DATE_LIKE.test(value));
    const author = authorField(fields);
    const text = fieldText(group, fields, [dateLine, author].filter((s): s is string => s !== undefined));
    if (!text) continue;
    const spec: SelectorSpec = { item, text };
    const id = idAttribute(group);
    if (id) spec.id = `@${id}`;
    if (time) spec.time = time;
    if (author && author !== text) spec.author = author;
    const link = permalink(group, fields, author);
    if (link) spec.link = link;
    const next = nextPage($);
    if (next) spec.nextPage = next;
    return { spec, items: group.length };
  }
  return undefined;
}

/**
 * Groups of same-shaped siblings, the most post-like first (members with text, times their median
 * text). Groups of two come after every larger one: two posts make a listing only when nothing
 * bigger repeats (a topic with one reply).
 */
function candidateGroups($: CheerioAPI): Element[][] {
  const scored: Array<{ members: Element[]; score: number }> = [];
  // Top-down and iterative: navigation, headers and footers are skipped as whole subtrees, and a
  // page nested thousands deep costs one visit per element (no climb to the root from each).
  // A fragment (no <body>) is searched from its root.
  const body = $('body').toArray() as Element[];
  const stack = body.length ? body : ($.root().toArray() as unknown as Element[]);
  while (stack.length) {
    const parent = stack.pop()!;
    const bySignature = new Map<string, Element[]>();
    for (const child of parent.children) {
      if (child.type !== 'tag' || SKIPPED.has(child.name)) continue;
      stack.push(child);
      const key = signature(child);
      const list = bySignature.get(key);
      if (list) list.push(child);
      else bySignature.set(key, [child]);
    }
    for (const members of bySignature.values()) {
      if (members.length < 2) continue;
      const lengths = members.map((m) => textOf(m).length).sort((a, b) => a - b);
      const median = lengths[lengths.length >> 1]!;
      const withText = lengths.filter((n) => n >= 8).length;
      if (median < MIN_MEDIAN_TEXT || withText < Math.min(MIN_ITEMS, members.length)) continue;
      scored.push({ members, score: withText * Math.min(median, 400) });
    }
  }
  const pairs = (s: { members: Element[] }) => Number(s.members.length < MIN_ITEMS);
  return scored.sort((a, b) => pairs(a) - pairs(b) || b.score - a.score).map((s) => s.members);
}

function signature(el: Element): string {
  return `${el.name}|${classesOf(el).sort().join(' ')}`;
}

function classesOf(el: Element): string[] {
  // Classes with digits or state words are per-item (post-123, odd, active): they do not describe the shape.
  return (el.attribs.class ?? '').split(/\s+/).filter((c) => c && /^[A-Za-z_][\w-]*$/.test(c) && !/\d/.test(c) && !/^(odd|even|first|last|active|selected|hover)$/i.test(c));
}

/** Visible text, read iteratively by the extractor's own reader (deep nesting cannot overflow the stack). */
function textOf(el: AnyNode): string {
  return textOfNodes([el]).replace(/\s+/g, ' ').trim();
}

/** The shortest selector that selects exactly `group` on the page. */
function itemSelector($: CheerioAPI, group: Element[]): string | undefined {
  const first = group[0]!;
  const classes = classesOf(first);
  const own = [...classes.map((c) => `${first.name}.${c}`), ...(classes.length > 1 ? [`${first.name}.${classes.join('.')}`] : [])];
  const parent = first.parent as Element | null;
  const parentSel = parent && parent.type === 'tag' ? anchorOf(parent) : undefined;
  const candidates = [...own, ...(parentSel ? [...own.map((s) => `${parentSel} > ${s}`), `${parentSel} > ${first.name}${classes.map((c) => `.${c}`).join('')}`] : [])];
  for (const sel of candidates) if (selectsExactly($, sel, group)) return sel;
  return undefined;
}

/** `#id` or `tag.class` naming the container of the posts. */
function anchorOf(el: Element): string | undefined {
  const id = el.attribs.id;
  if (id && /^[A-Za-z][\w-]*$/.test(id)) return `#${id}`;
  const classes = classesOf(el);
  return classes.length ? `${el.name}.${classes[0]}` : undefined;
}

function selectsExactly($: CheerioAPI, selector: string, group: Element[]): boolean {
  let found: Element[];
  try {
    found = $(selector).toArray() as Element[];
  } catch {
    return false;
  }
  return found.length === group.length && group.every((g) => found.includes(g));
}

/** Relative selectors of the descendants of `item`: `tag.class` for each class, `tag[itemprop="p"]`, and the bare tag. */
function descendantSelectors(item: Element): Set<string> {
  const out = new Set<string>();
  // Iterative: hostile pages nest thousands deep, and a recursive walk would overflow the stack.
  const stack: Element[] = [item];
  while (stack.length) {
    const el = stack.pop()!;
    for (const child of el.children) {
      if (child.type !== 'tag') continue;
      out.add(child.name);
      for (const c of classesOf(child)) out.add(`${child.name}.${c}`);
      const prop = child.attribs.itemprop;
      if (prop && /^[A-Za-z]+$/.test(prop)) out.add(`${child.name}[itemprop="${prop}"]`);
      stack.push(child);
    }
  }
  return out;
}

interface Field {
  selector: string;
  meanText: number;
}

/** Selectors found in at least FIELD_PRESENCE of the posts, with the mean length of their first match's text. */
function commonFields(group: Element[]): Field[] {
  const counts = new Map<string, number>();
  for (const item of group) for (const sel of descendantSelectors(item)) counts.set(sel, (counts.get(sel) ?? 0) + 1);
  const out: Field[] = [];
  for (const [selector, n] of counts) {
    if (n < group.length * FIELD_PRESENCE) continue;
    const total = group.reduce((sum, item) => {
      const el = firstMatch(item, selector);
      return sum + (el ? textOf(el).length : 0);
    }, 0);
    out.push({ selector, meanText: total / group.length });
  }
  return out;
}

/**
 * The field holding the most text, leaving out wrappers that also hold the byline (`byline`: the
 * time and author selectors); a class-bearing selector wins a tie with a bare tag.
 */
function fieldText(group: Element[], common: Field[], byline: string[]): string | undefined {
  const bylineCss = byline.map((s) => s.replace(/@[\w:.-]+$/, '')).filter(Boolean);
  const wrapsByline = (selector: string) =>
    group.filter((g) => {
      const el = firstMatch(g, selector);
      return el !== undefined && bylineCss.some((css) => matches(el, css) || firstMatch(el, css) !== undefined);
    }).length >= group.length / 2;
  const fields = common.filter((f) => !/^a([.[]|$)/.test(f.selector) && f.meanText >= 8 && !wrapsByline(f.selector));
  // The page says which element is the post's body: schema.org's text properties win.
  const declared = fields.filter((f) => TEXT_PROPS.test(f.selector)).sort((a, b) => b.meanText - a.meanText)[0];
  if (declared) return declared.selector;
  fields.sort((a, b) => b.meanText - a.meanText || specificity(b.selector) - specificity(a.selector));
  const best = fields[0];
  if (!best) return undefined;
  // Among near-equal class-bearing fields the innermost is the body itself (td.t_f inside div.pct).
  const close = fields.filter((f) => f.meanText >= best.meanText * 0.9 && (specificity(f.selector) === 2 || f === best));
  const depth = (selector: string) => {
    let n = 0;
    for (let el = firstMatch(group[0]!, selector)?.parent; el; el = el.parent) n++;
    return n;
  };
  close.sort((a, b) => specificity(b.selector) - specificity(a.selector) || depth(b.selector) - depth(a.selector));
  return close[0]!.selector;
}

function specificity(selector: string): number {
  return /[.[]/.test(selector) ? 2 : 1;
}

/**
 * The selectors this module writes for a post's parts (`tag`, `tag.class`, `tag[attr]`,
 * `tag[attr="value"]`), matched directly: css-select's descendant search climbs to the root for every
 * candidate, which on a page nested thousands deep takes minutes.
 */
function parseSimple(selector: string): { tag: string; cls?: string; attr?: string; value?: string } {
  const m = /^([a-z0-9]+)(?:\.([\w-]+)|\[([\w-]+)(?:="([^"]*)")?\])?$/.exec(selector);
  if (!m) throw new Error(`selector-guess: not a simple selector: ${selector}`);
  return { tag: m[1]!, ...(m[2] ? { cls: m[2] } : {}), ...(m[3] ? { attr: m[3] } : {}), ...(m[4] !== undefined ? { value: m[4] } : {}) };
}

type Simple = ReturnType<typeof parseSimple>;

function matches(el: Element, selector: string | Simple): boolean {
  const s = typeof selector === 'string' ? parseSimple(selector) : selector;
  if (el.name !== s.tag) return false;
  if (s.cls && !(el.attribs.class ?? '').split(/\s+/).includes(s.cls)) return false;
  if (s.attr && (el.attribs[s.attr] === undefined || (s.value !== undefined && el.attribs[s.attr] !== s.value))) return false;
  return true;
}

/** The first descendant of `root` in document order matching the simple selector. */
function firstMatch(root: Element, selector: string): Element | undefined {
  const simple = parseSimple(selector);
  const stack: Element[] = [];
  const push = (el: Element) => {
    for (let i = el.children.length - 1; i >= 0; i--) {
      const c = el.children[i]!;
      if (c.type === 'tag') stack.push(c as Element);
    }
  };
  push(root);
  while (stack.length) {
    const el = stack.pop()!;
    if (matches(el, simple)) return el;
    push(el);
  }
  return undefined;
}

/** An attribute of the post element whose value differs on every post (data-id, data-pid, id). */
function idAttribute(group: Element[]): string | undefined {
  for (const attr of ['data-id', 'data-pid', 'data-post-id', 'data-review-id', 'data-comment-id', 'id']) {
    const values = group.map((g) => g.attribs[attr]);
    if (values.every((v) => v && v.trim()) && new Set(values).size === group.length) return attr;
  }
  return undefined;
}

/** A `<time datetime>`, else the most specific date-like field; either only when its times parse (a time the crawler cannot read is no time). */
function timeField(group: Element[], common: Field[], parses: (value: string) => boolean): string | undefined {
  const readable = (read: (item: Element) => string | undefined) => group.filter((g) => parses(read(g) ?? '')).length >= group.length * FIELD_PRESENCE;
  if (readable((g) => firstMatch(g, 'time[datetime]')?.attribs.datetime)) return 'time@datetime';
  const dated = common.filter((f) => f.meanText <= 40 && readable((g) => textOf(firstMatch(g, f.selector) ?? g)));
  dated.sort((a, b) => specificity(b.selector) - specificity(a.selector) || a.meanText - b.meanText);
  return dated[0]?.selector;
}

function authorField(common: Field[]): string | undefined {
  const named = common.filter((f) => AUTHOR_CLASS.test(f.selector.replace(/^[a-z0-9]+/, '')) && f.meanText > 0 && f.meanText <= 30);
  named.sort((a, b) => a.meanText - b.meanText);
  return named[0]?.selector;
}

/** A link of its own class in each post whose target differs from post to post (the post's page), not the author's. */
function permalink(group: Element[], common: Field[], author: string | undefined): string | undefined {
  const links = common.filter((f) => /^a\./.test(f.selector) && !AUTHOR_CLASS.test(f.selector.slice(2)));
  for (const f of links) {
    const hrefs = group.map((g) => firstMatch(g, f.selector)?.attribs.href).filter((h): h is string => Boolean(h && !h.startsWith('#') && !/^javascript:/i.test(h)));
    if (hrefs.length < group.length * FIELD_PRESENCE || new Set(hrefs).size !== hrefs.length) continue;
    const insideAuthor = (g: Element) => {
      const a = author === undefined ? undefined : firstMatch(g, author);
      return a !== undefined && firstMatch(a, f.selector) !== undefined;
    };
    if (group.some(insideAuthor)) continue;
    return `${f.selector}@href`;
  }
  return undefined;
}

function nextPage($: CheerioAPI): string | undefined {
  if ($('a[rel~="next"][href]').length) return 'a[rel~="next"]@href';
  if ($('link[rel~="next"][href]').length) return 'link[rel~="next"]@href';
  // Each link's text once, not once per word.
  const links = ($('a[href]').toArray() as Element[]).map((el) => ({ el, text: textOf(el) }));
  for (const word of NEXT_WORDS) {
    const link = links.find((l) => l.text === word);
    if (!link) continue;
    const classes = classesOf(link.el);
    for (const c of classes) if ($(`a.${c}[href]`).length === 1) return `a.${c}@href`;
    return `a:contains("${word}")@href`;
  }
  return undefined;
}
