/**
 * The small path language of JSON field mappings: `data.children`, `entry[0].title`,
 * `feed.link[rel=next].attributes.href`, `im:rating.label`; the empty path is the document.
 * Templates put values into strings: `https://www.reddit.com{data.permalink}`, `{uri|last}`;
 * `a || b` takes the first non-empty of two expressions.
 * Data only: nothing in a path or a document is ever evaluated.
 */
import { InputError } from '../core/errors.js';

type Step = { key: string } | { index: number } | { matchKey: string; matchValue: string };

const compiled = new Map<string, Step[]>();

/** Parses a path into steps; throws `InputError` naming `field` for a malformed one. */
export function compilePath(path: string, field = 'path'): Step[] {
  const hit = compiled.get(path);
  if (hit) return hit;
  const steps: Step[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]|\[([^=\]]+)=([^\]]*)\]|(\.)/gy;
  let m: RegExpExecArray | null;
  let pos = 0;
  while (pos < path.length) {
    re.lastIndex = pos;
    m = re.exec(path);
    if (!m) {
      throw new InputError({
        en: `${field}: cannot read the path "${path}" at "${path.slice(pos)}"; expected a.b, a[0] or a[key=value]`,
        zh: `${field}：无法解析路径“${path}”（从“${path.slice(pos)}”处起）；应为 a.b、a[0] 或 a[key=value] 的形式`,
      });
    }
    if (m[1] !== undefined) steps.push({ key: m[1] });
    else if (m[2] !== undefined) steps.push({ index: Number(m[2]) });
    else if (m[3] !== undefined) steps.push({ matchKey: m[3].trim(), matchValue: m[4]!.trim().replace(/^["']|["']$/g, '') });
    pos = re.lastIndex;
  }
  compiled.set(path, steps);
  return steps;
}

/**
 * The value at `path` in `doc`, or undefined. `[key=value]` picks the first array element whose
 * `key` (or `attributes.key`, as Apple's feeds nest it) equals `value`.
 *
 * @example getPath({ a: { b: [{ c: 1 }] } }, 'a.b[0].c') // 1
 */
export function getPath(doc: unknown, path: string, field?: string): unknown {
  let cur: unknown = doc;
  for (const step of compilePath(path, field)) {
    if (cur === null || cur === undefined) return undefined;
    if ('key' in step) {
      cur = typeof cur === 'object' && Object.hasOwn(cur as object, step.key) ? (cur as Record<string, unknown>)[step.key] : undefined;
    } else if ('index' in step) {
      cur = Array.isArray(cur) ? cur[step.index] : undefined;
    } else {
      if (!Array.isArray(cur)) return undefined;
      cur = cur.find((el) => {
        if (!el || typeof el !== 'object') return false;
        const own = (el as Record<string, unknown>)[step.matchKey];
        const attrs = (el as { attributes?: Record<string, unknown> }).attributes;
        const value = own !== undefined ? own : attrs?.[step.matchKey];
        return value !== undefined && String(value) === step.matchValue;
      });
    }
  }
  return cur;
}

/** A scalar as a string (`{ label: 'x' }` objects of Apple's feeds read as their label). */
export function asString(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object' && 'label' in (value as object)) return asString((value as { label: unknown }).label);
  return undefined;
}

const FILTERS: Record<string, (v: string) => string> = {
  /** The last `/`-separated segment: `at://did/app.bsky.feed.post/3k2a` -> `3k2a`. */
  last: (v) => v.slice(v.lastIndexOf('/') + 1),
  urlencode: (v) => encodeURIComponent(v),
  lower: (v) => v.toLowerCase(),
};

/**
 * A path (`data.id`) or a template (`https://x{data.permalink}`, `{author.handle}/{uri|last}`)
 * read against `doc`. A template with a missing value gives undefined rather than half a URL.
 */
export function readMapped(doc: unknown, expr: string, field?: string): string | undefined {
  if (expr.includes('||')) {
    // Alternatives: the first that gives a non-empty value (`url || uri`).
    for (const alt of expr.split('||')) {
      const v = readMapped(doc, alt.trim(), field);
      if (v !== undefined && v !== '') return v;
    }
    return undefined;
  }
  if (!expr.includes('{')) return asString(getPath(doc, expr, field));
  let missing = false;
  const out = expr.replace(/\{([^{}|]*)(?:\|([a-z]+))?\}/g, (_, path: string, filter?: string) => {
    const v = asString(getPath(doc, path.trim(), field));
    if (v === undefined || v === '') {
      missing = true;
      return '';
    }
    const f = filter ? FILTERS[filter] : undefined;
    if (filter && !f) {
      throw new InputError({
        en: `${field ?? 'template'}: unknown filter "|${filter}" in "${expr}"; expected one of ${Object.keys(FILTERS).join(', ')}`,
        zh: `${field ?? 'template'}：“${expr}”中有未知的过滤器“|${filter}”；应为以下之一：${Object.keys(FILTERS).join('、')}`,
      });
    }
    return f ? f(v) : v;
  });
  return missing ? undefined : out;
}
