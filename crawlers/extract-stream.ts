/**
 * Listing extraction without a DOM: the page streams through htmlparser2's tokenizer once and
 * the target's selectors are matched on the open-element stack as tags open. Same results as the
 * cheerio path (extract-html.ts) for the selectors it accepts, at a fraction of the CPU and memory:
 * no node tree is built, and only the text of the fields being read is kept.
 *
 * Accepted selectors, the ones real listing specs use: tag, `.class`, `#id`, `[attr]`,
 * `[attr=v]` (and `~= ^= $= *= |=`), `*`, descendant and child combinators, a leading `>`
 * (child of the item), comma lists, and the `@attr` suffix. Anything else (pseudo-classes,
 * sibling combinators, escapes) makes `compileStreamSpec` return null and the cheerio path runs.
 *
 * Scoping follows cheerio's `find`: a field selector only sees the item and what is inside it.
 */
import { decodeHTML, decodeHTMLAttribute } from 'entities';
import { Parser } from 'htmlparser2';
import type { SelectorSpec, TimeFormat } from '../core/types.js';
import { parseCount, parseRating, resolveLink, splitSelector, type Listing, type RawItem } from './extract-html.js';
import { parsePageTime } from './page-time.js';

type AttrOp = '=' | '~=' | '^=' | '$=' | '*=' | '|=' | 'exists';

interface Compound {
  tag?: string;
  ids: string[];
  classes: string[];
  attrs: Array<{ name: string; op: AttrOp; value: string }>;
}

/** A complex selector, right to left: `steps[0]` is the subject; each later step is joined by `combinators[i-1]`. */
interface Complex {
  steps: Compound[];
  /** combinators[i] joins steps[i] (right) to steps[i+1] (left): ' ' descendant, '>' child. */
  combinators: Array<' ' | '>'>;
  /** The selector began with `>`: its leftmost step is a child of the scope element. */
  scopedChild: boolean;
}

type SelectorList = Complex[];

const IDENT = /^-?[_a-zA-Z\u00a0-\uffff][_a-zA-Z0-9\u00a0-\uffff-]*/;

/** Parses a selector list in the accepted subset; null when it uses anything else. */
export function parseSelectorList(selector: string): SelectorList | null {
  const list: SelectorList = [];
  for (const part of splitTopLevelCommas(selector)) {
    const complex = parseComplex(part.trim());
    if (!complex) return null;
    list.push(complex);
  }
  return list.length ? list : null;
}

function splitTopLevelCommas(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(s.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(s.slice(start));
  return parts;
}

function parseComplex(s: string): Complex | null {
  if (!s || /[\\:+~()]/.test(s.replace(/\[[^\]]*\]/g, '[]'))) return null;
  let rest = s;
  let scopedChild = false;
  if (rest.startsWith('>')) {
    scopedChild = true;
    rest = rest.slice(1).trim();
  }
  const compounds: Compound[] = [];
  const combinators: Array<' ' | '>'> = [];
  while (rest.length) {
    const parsed = parseCompound(rest);
    if (!parsed) return null;
    compounds.push(parsed.compound);
    rest = parsed.rest;
    if (!rest.length) break;
    const m = /^\s*(>)\s*|^\s+/.exec(rest);
    if (!m) return null;
    combinators.push(m[1] ? '>' : ' ');
    rest = rest.slice(m[0].length);
    if (!rest.length) return null;
  }
  if (!compounds.length) return null;
  return { steps: compounds.reverse(), combinators: combinators.reverse(), scopedChild };
}

function parseCompound(s: string): { compound: Compound; rest: string } | null {
  const compound: Compound = { ids: [], classes: [], attrs: [] };
  let rest = s;
  let any = false;
  const tag = /^(\*|[a-zA-Z][a-zA-Z0-9-]*)/.exec(rest);
  if (tag) {
    if (tag[1] !== '*') compound.tag = tag[1]!.toLowerCase();
    rest = rest.slice(tag[0].length);
    any = true;
  }
  for (;;) {
    if (rest.startsWith('.') || rest.startsWith('#')) {
      const m = IDENT.exec(rest.slice(1));
      if (!m) return null;
      (rest[0] === '.' ? compound.classes : compound.ids).push(m[0]);
      rest = rest.slice(1 + m[0].length);
      any = true;
    } else if (rest.startsWith('[')) {
      const m = /^\[\s*([^\s~^$*|=\]]+)\s*(?:([~^$*|]?=)\s*("(?:[^"]*)"|'(?:[^']*)'|[^\]\s]+)\s*)?\]/.exec(rest);
      if (!m) return null;
      const value = m[3] === undefined ? '' : m[3].replace(/^["']|["']$/g, '');
      compound.attrs.push({ name: m[1]!.toLowerCase(), op: (m[2] as AttrOp | undefined) ?? 'exists', value });
      rest = rest.slice(m[0].length);
      any = true;
    } else break;
  }
  return any ? { compound, rest } : null;
}

/** One open element. */
interface Open {
  name: string;
  attribs: Record<string, string>;
}

/** Whether the element's class attribute lists `cls` (no allocation: this runs for every tag). */
function hasClass(el: Open, cls: string): boolean {
  const attr = el.attribs.class;
  if (attr === undefined) return false;
  if (attr === cls) return true;
  for (let from = 0; ; ) {
    const i = attr.indexOf(cls, from);
    if (i < 0) return false;
    const end = i + cls.length;
    if ((i === 0 || isSpace(attr.charCodeAt(i - 1))) && (end === attr.length || isSpace(attr.charCodeAt(end)))) return true;
    from = i + 1;
  }
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d;
}

function matchesCompound(c: Compound, el: Open): boolean {
  if (c.tag !== undefined && c.tag !== el.name) return false;
  for (const id of c.ids) if (el.attribs.id !== id) return false;
  for (const cls of c.classes) if (!hasClass(el, cls)) return false;
  for (const a of c.attrs) {
    const v = el.attribs[a.name];
    if (v === undefined) return false;
    switch (a.op) {
      case 'exists':
        break;
      case '=':
        if (v !== a.value) return false;
        break;
      case '~=':
        if (!v.split(/\s+/).includes(a.value)) return false;
        break;
      case '^=':
        if (!a.value || !v.startsWith(a.value)) return false;
        break;
      case '$=':
        if (!a.value || !v.endsWith(a.value)) return false;
        break;
      case '*=':
        if (!a.value || !v.includes(a.value)) return false;
        break;
      case '|=':
        if (v !== a.value && !v.startsWith(`${a.value}-`)) return false;
        break;
    }
  }
  return true;
}

/**
 * Whether `stack[index]` matches `complex`, its ancestors searched no higher than `floor`
 * (the scope element, inclusive; -1 = the whole document).
 */
function matchesComplex(complex: Complex, stack: Open[], index: number, floor: number): boolean {
  if (!matchesCompound(complex.steps[0]!, stack[index]!)) return false;
  return matchRest(complex, 1, stack, index, floor);
}

function matchRest(complex: Complex, step: number, stack: Open[], index: number, floor: number): boolean {
  if (step === complex.steps.length) return !complex.scopedChild || index - 1 === floor;
  const combinator = complex.combinators[step - 1]!;
  const compound = complex.steps[step]!;
  if (combinator === '>') {
    const parent = index - 1;
    return parent >= Math.max(floor, 0) && matchesCompound(compound, stack[parent]!) && matchRest(complex, step + 1, stack, parent, floor);
  }
  for (let i = index - 1; i >= Math.max(floor, 0); i--)
    if (matchesCompound(compound, stack[i]!) && matchRest(complex, step + 1, stack, i, floor)) return true;
  return false;
}

function matchesList(list: SelectorList, stack: Open[], index: number, floor: number): boolean {
  for (const c of list) if (matchesComplex(c, stack, index, floor)) return true;
  return false;
}

type FieldName = 'text' | 'id' | 'author' | 'time' | 'link' | 'rating' | 'likes' | 'replies' | 'shares';

interface Field {
  name: FieldName;
  /** null: the item element itself. */
  list: SelectorList | null;
  attr?: string;
}

export interface StreamSpec {
  item: SelectorList;
  fields: Field[];
  nextPage?: { list: SelectorList; attr: string };
  timeFormat?: TimeFormat;
}

const FIELD_NAMES: FieldName[] = ['text', 'id', 'author', 'time', 'link', 'rating', 'likes', 'replies', 'shares'];

/**
 * Compiles a listing spec for `extractStream`; null when any selector is outside the accepted
 * subset (the caller then uses the cheerio path, which also reports invalid selectors).
 */
export function compileStreamSpec(spec: SelectorSpec): StreamSpec | null {
  const item = parseSelectorList(spec.item);
  if (!item) return null;
  const fields: Field[] = [];
  for (const name of FIELD_NAMES) {
    const selector = spec[name];
    if (selector === undefined) continue;
    const { css, attr } = splitSelector(selector);
    const list = css ? parseSelectorList(css) : null;
    if (css && !list) return null;
    fields.push({ name, list, ...(attr ? { attr } : {}) });
  }
  const compiled: StreamSpec = { item, fields, ...(spec.timeFormat ? { timeFormat: spec.timeFormat } : {}) };
  if (spec.nextPage) {
    const { css, attr } = splitSelector(spec.nextPage);
    const list = css ? parseSelectorList(css) : null;
    if (!list) return null;
    compiled.nextPage = { list, attr: attr ?? 'href' };
  }
  return compiled;
}

const BLOCK_TAGS = new Set([
  'address', 'article', 'aside', 'blockquote', 'br', 'caption', 'dd', 'details', 'dialog', 'div', 'dl', 'dt',
  'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr',
  'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody', 'thead', 'tfoot', 'tr', 'ul',
]);
/** Elements whose content is never text of a post (as in extract-html.ts; script/style are raw text there too). */
const SKIPPED_TAGS = new Set(['script', 'style', 'template', 'noscript', 'head', 'title']);

/** Text being collected for one matched element: the same pieces textOfNodes would produce. */
interface Capture {
  /** Stack index of the matched element. */
  at: number;
  pieces: string[];
  done: boolean;
}

interface FieldState {
  /** text field: every match; other fields: the first match only. */
  captures: Capture[];
  first?: { attribs: Record<string, string>; name: string };
}

interface ActiveItem {
  at: number;
  attribs: Record<string, string>;
  fields: FieldState[];
}

/**
 * The text of the pieces as textOfNodes gives it; with `collapse`, also with one space between
 * words (pieces arrive with whitespace runs already turned into single spaces, but two pieces may
 * meet with a space each), which is what normaliseText would make of it.
 */
function joinText(pieces: string[], collapse = false): string {
  // Line by line straight from the pieces (a text piece never holds a newline: ontext collapsed
  // it, block elements add '\n' pieces); most lines are one piece and need no concatenation.
  const out: string[] = [];
  let line = '';
  const endLine = () => {
    if (collapse && line.includes('  ')) line = line.replace(/ {2,}/g, ' ');
    line = line.trim();
    if (line.length > 0) out.push(line);
    line = '';
  };
  for (const piece of pieces) {
    if (piece === '\n') endLine();
    else line = line.length === 0 ? piece : line + piece;
  }
  endLine();
  return out.length === 1 ? out[0]! : out.join('\n');
}

/** Whether `c` is one of the characters `\s` matches (ECMAScript WhiteSpace and LineTerminator). */
function isRegexSpace(c: number): boolean {
  if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) return true;
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/**
 * `s.replace(/\s+/g, ' ')`, without building a new string when every whitespace run already is
 * one plain space (most text of a page: the regex would replace each space by itself).
 */
export function collapseWhitespace(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x20 ? i + 1 < s.length && isRegexSpace(s.charCodeAt(i + 1)) : isRegexSpace(c)) return s.replace(/\s+/g, ' ');
  }
  return s;
}

/**
 * Extracts the items and next link of a listing page with a compiled spec.
 *
 * @example
 * const compiled = compileStreamSpec(spec); // null -> use extractListing
 * const { items, nextUrl } = extractStream(html, pageUrl, compiled!, 'Asia/Shanghai', { nowMs: Date.now() });
 */
export function extractStream(html: string, pageUrl: string, spec: StreamSpec, timeZone: string, options: { nowMs?: number } = {}): Listing {
  const stack: Open[] = [];
  const active: ActiveItem[] = [];
  const captures: Capture[] = []; // open captures, any item
  const done: Array<{ item: ActiveItem; order: number }> = [];
  let order = 0;
  let base: string | undefined;
  let nextHref: string | undefined;
  // Stack indexes of the open skipped elements (script, style...). textOfNodes skips such an
  // element only when it is inside what it reads, so text is skipped per capture: when the
  // innermost open skipped element is at or below the captured element.
  const skipped: number[] = [];
  const skipping = (c: Capture) => skipped.length > 0 && skipped[skipped.length - 1]! >= c.at;

  const startCapture = (state: FieldState, index: number, name: string) => {
    const capture: Capture = { at: index, pieces: [], done: false };
    state.captures.push(capture);
    captures.push(capture);
    if (BLOCK_TAGS.has(name) && !skipping(capture)) capture.pieces.push('\n');
  };

  const parser = new Parser(
    {
      onopentag(name, attribs) {
        decodeAttributes(attribs);
        const el: Open = { name, attribs };
        stack.push(el);
        const index = stack.length - 1;
        if (SKIPPED_TAGS.has(name)) skipped.push(index);
        // Block elements inside a capture break the line, as textOfNodes does.
        if (BLOCK_TAGS.has(name)) for (const c of captures) if (!skipping(c)) c.pieces.push('\n');
        if (name === 'base' && base === undefined && attribs.href !== undefined) base = resolveLink(attribs.href, pageUrl) ?? pageUrl;
        if (spec.nextPage && nextHref === undefined && matchesList(spec.nextPage.list, stack, index, -1)) nextHref = attribs[spec.nextPage.attr] ?? '';

        // Fields of the items this element is inside of.
        for (const item of active) {
          for (let f = 0; f < spec.fields.length; f++) {
            const field = spec.fields[f]!;
            if (!field.list) continue;
            const state = item.fields[f]!;
            const everyMatch = field.name === 'text' && !field.attr;
            if (!everyMatch && state.first) continue;
            if (!matchesList(field.list, stack, index, item.at)) continue;
            state.first ??= { attribs, name };
            if (!field.attr && field.name !== 'link') startCapture(state, index, name);
          }
        }
        if (matchesList(spec.item, stack, index, -1)) {
          const item: ActiveItem = { at: index, attribs, fields: spec.fields.map(() => ({ captures: [] })) };
          // Fields that read the item element itself (`@attr`, or an empty selector).
          spec.fields.forEach((field, f) => {
            if (field.list) return;
            const state = item.fields[f]!;
            state.first = { attribs, name };
            if (!field.attr && field.name !== 'link') startCapture(state, index, name);
          });
          active.push(item);
          done.push({ item, order: order++ });
        }
      },
      ontext(data) {
        if (captures.length === 0) return;
        let piece: string | undefined;
        for (const c of captures) {
          if (skipping(c)) continue;
          piece ??= collapseWhitespace(data.includes('&') ? decodeHTML(data) : data);
          c.pieces.push(piece);
        }
      },
      onclosetag(name) {
        const index = stack.length - 1;
        if (index < 0) return;
        if (BLOCK_TAGS.has(name)) for (const c of captures) if (!skipping(c)) c.pieces.push('\n');
        for (let i = captures.length - 1; i >= 0; i--) {
          const c = captures[i]!;
          if (c.at === index) {
            c.done = true;
            captures.splice(i, 1);
          }
        }
        for (let i = active.length - 1; i >= 0; i--) if (active[i]!.at === index) active.splice(i, 1);
        if (skipped.length && skipped[skipped.length - 1] === index) skipped.pop();
        stack.pop();
      },
    },
    // Entities are decoded here, in the attributes of each tag and in the text that is kept, not by
    // the tokenizer: undecoded, it skips through text and attribute values with indexOf instead of
    // looking at every character for an `&` (a quarter of the parsing time of a typical page).
    { xmlMode: false, decodeEntities: false, lowerCaseTags: true, lowerCaseAttributeNames: true, recognizeSelfClosing: false },
  );
  parser.write(html);
  parser.end();

  const pageBase = base ?? pageUrl;
  const items = done.sort((a, b) => a.order - b.order).map(({ item }) => buildItem(item, spec, pageBase, timeZone, options.nowMs));
  const nextUrl = nextHref === undefined ? null : (resolveLink(nextHref, pageBase) ?? null);
  return { items, nextUrl };
}

/** Decodes the character references of a tag's attribute values in place (HTML attribute rules). */
function decodeAttributes(attribs: Record<string, string>): void {
  for (const name in attribs) {
    const value = attribs[name]!;
    if (value.includes('&')) attribs[name] = decodeHTMLAttribute(value);
  }
}

/** A copy that does not keep the page's backing string alive. */
function detach(s: string): string {
  return (' ' + s).slice(1);
}

function buildItem(item: ActiveItem, spec: StreamSpec, base: string, timeZone: string, nowMs: number | undefined): RawItem {
  const raw: RawItem = { text: '' };
  const firstValue = (state: FieldState, field: Field, defaultAttr?: string): string | undefined => {
    if (!state.first) return undefined;
    if (field.attr) return state.first.attribs[field.attr];
    if (defaultAttr) return state.first.attribs[defaultAttr];
    if (state.first.name === 'meta') return state.first.attribs.content;
    return joinText(state.captures[0]?.pieces ?? []);
  };
  spec.fields.forEach((field, f) => {
    const state = item.fields[f]!;
    switch (field.name) {
      case 'text':
        raw.text = field.attr
          ? detach((state.first?.attribs[field.attr] ?? '').replace(/\s+/g, ' ').trim())
          : detach(joinText(state.captures.flatMap((c) => c.pieces), true));
        raw.normalised = true;
        break;
      case 'id': {
        const v = firstValue(state, field);
        if (v?.trim()) raw.externalId = detach(v.trim());
        break;
      }
      case 'author': {
        const v = firstValue(state, field);
        if (v?.trim()) raw.author = detach(v.replace(/\s+/g, ' ').trim());
        break;
      }
      case 'time': {
        if (!state.first) break;
        const a = state.first.attribs;
        const candidates = field.attr ? [a[field.attr]] : [a.datetime, a.content, joinText(state.captures[0]?.pieces ?? []), a.title];
        let iso: string | undefined;
        for (const c of candidates) if ((iso = parsePageTime(c, spec.timeFormat, timeZone))) break;
        if (!iso && nowMs !== undefined) for (const c of candidates) if ((iso = parsePageTime(c, spec.timeFormat, timeZone, nowMs))) break;
        if (iso) raw.publishedAt = iso;
        break;
      }
      case 'link': {
        const url = resolveLink(firstValue(state, field, 'href'), base);
        if (url) raw.url = url;
        break;
      }
      case 'rating': {
        const v = parseRating(firstValue(state, field));
        if (v !== undefined) raw.rating = v;
        break;
      }
      default: {
        const v = parseCount(firstValue(state, field));
        if (v !== undefined) raw[field.name] = v;
      }
    }
  });
  return raw;
}
