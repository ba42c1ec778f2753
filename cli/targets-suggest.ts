/**
 * `voc targets suggest URL`: fetch one listing page politely (robots.txt, address checks, the
 * configured User-Agent), guess its selectors (crawlers/selector-guess.ts), show the first posts
 * they extract from that same page, and print the `voc targets add` line that would crawl it.
 * Stores nothing.
 *
 *   voc targets suggest https://forum.example.com/acme/
 */
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import type { VocConfig } from '../core/config.js';
import { InputError, VocError } from '../core/errors.js';
import { formatInZone } from '../core/time.js';
import { slugId } from '../core/ids.js';
import type { Locale, SelectorSpec } from '../core/types.js';
import type { Store } from '../store/store.js';
import { createCrawlContext } from '../crawlers/index.js';
import { examinePage, suggestionTarget } from '../crawlers/suggest.js';
import { terminalSafe } from './crawl-output.js';
import { jsonText } from './json.js';
import { positiveInt } from './options.js';
import { preflightTargets, UnreachableTargetError } from './preflight.js';

export interface SuggestContext {
  readConfig(): VocConfig;
  /** The store, to print an id no stored target has (without it, the config's ids are avoided). */
  openApp?(config: VocConfig): Promise<{ store: Pick<Store, 'listTargets'>; close(): Promise<void> }>;
  locale?(config: VocConfig): Locale;
  out?: (line: string) => void;
}

const FIELD_ORDER: Array<keyof SelectorSpec> = ['item', 'text', 'id', 'author', 'time', 'link', 'nextPage'];

const MESSAGES = {
  'zh-CN': {
    found: (n: number, url: string) => `在 ${url} 上找到 ${n} 条结构相同的帖子，建议的选择器：`,
    sample: (n: number) => `按这些选择器从本页提取的前 ${n} 条：`,
    add: '确认无误后添加为抓取目标（ID 取自网址且未被占用，ID 和品牌可按需修改）：',
    none: (url: string) =>
      `${url}：页面上没有找到重复出现、像帖子列表的结构；如果帖子由 JavaScript 生成，请手写选择器并使用 --kind browser（见 README 的 Configuration 一节）`,
  },
  en: {
    found: (n: number, url: string) => `Found ${n} posts of one shape on ${url}; suggested selectors:`,
    sample: (n: number) => `The first ${n} posts these selectors extract from this page:`,
    add: 'Once they look right, add the target (the id, made from the URL, is not taken yet; change it or the brand as you like):',
    none: (url: string) =>
      `${url}: no repeated, post-like structure found on the page; if its posts are made by JavaScript, write the selectors by hand and use --kind browser (README, Configuration)`,
  },
} as const;

/** Adds `suggest` to the `targets` command group. */
export function registerSuggestCommand(targets: Command, ctx: SuggestContext): void {
  const out = ctx.out ?? ((line: string) => console.log(line));
  targets
    .command('suggest')
    .description('fetch a listing page, guess the CSS selectors of its posts and show what they extract; stores nothing')
    .argument('<url>', 'the listing page (a forum board, a review list)')
    .option('--limit <n>', 'posts to show', positiveInt('--limit', 1000), 3)
    .option('--json', 'print { url, items, selectors, posts } as JSON')
    .action(async (url: string, opts: { limit: number; json?: boolean }) => {
      const config = ctx.readConfig();
      const locale: Locale = (ctx.locale?.(config) ?? config.locale) === 'en' ? 'en' : 'zh-CN';
      const m = MESSAGES[locale];
      if (!/^https?:\/\//i.test(url) || !URL.canParse(url))
        throw new InputError({ en: `URL: expected an absolute http:// or https:// URL, got "${url}"`, zh: `URL：应为以 http:// 或 https:// 开头的完整 URL，实际为“${url}”` });
      const target = suggestionTarget(url, config, 'URL');
      try {
        await preflightTargets([target]);
      } catch (err) {
        if (err instanceof UnreachableTargetError) throw new InputError(err.problem);
        throw err;
      }
      const crawl = createCrawlContext({ config, authorSecret: randomBytes(16).toString('hex'), dataDir: false });
      let found;
      try {
        const result = await examinePage(crawl, target, opts.limit);
        // A PDF, JSON or an empty page: say what it is, not that it has no list-like structure.
        if ('unsuitable' in result) throw result.unsuitable;
        found = 'selectors' in result ? result : undefined;
      } finally {
        await crawl.close();
      }
      if (!found) throw new VocError({ en: MESSAGES.en.none(url), zh: MESSAGES['zh-CN'].none(url) }, 1);
      if (opts.json) {
        out(jsonText(found));
        return;
      }
      out(m.found(found.items, terminalSafe(found.url, 300)));
      for (const field of FIELD_ORDER) if (found.selectors[field]) out(`  ${field.padEnd(9)}${terminalSafe(String(found.selectors[field]), 200)}`);
      out(m.sample(found.posts.length));
      for (const p of found.posts) out(`  ${p.publishedAt ? formatInZone(p.publishedAt, target.timeZone) : '-'}  ${terminalSafe(p.text, 100)}`);
      out(m.add);
      const id = suggestedTargetId(found.url, await takenIds(ctx, config));
      out(`  voc targets add --id ${id} --brand ${config.brands[0]?.id ?? 'BRAND'} --url ${shellQuote(found.url)} --selectors ${shellQuote(selectorsOption(found.selectors))}`);
    });
}

/** Ids a printed `targets add` line must not use: those stored (config targets included), else the config's. */
async function takenIds(ctx: SuggestContext, config: VocConfig): Promise<Set<string>> {
  const ids = new Set(config.targets.map((t) => t.id));
  if (!ctx.openApp) return ids;
  const app = await ctx.openApp(config);
  try {
    for (const t of await app.store.listTargets()) ids.add(t.id);
  } finally {
    await app.close();
  }
  return ids;
}

/**
 * A target id for the page at `url` that is not in `taken`, so the printed line works as it
 * stands: the host without `www.` and its top-level domain, then the last path segment without
 * its extension (`https://bbs.example.cn/forum/acme.html` -> `bbs-example-acme`), in the id
 * alphabet (lower-case letters, digits, -), at most 40 characters; `-2`, `-3`... when taken.
 */
export function suggestedTargetId(url: string, taken: ReadonlySet<string>): string {
  const u = new URL(url);
  const host = u.hostname.toLowerCase().replace(/^www\./, '');
  const ip = /^[\d.]+$|:/.test(host);
  const labels = host.replace(/^\[|\]$/g, '').split(/[.:]/).filter(Boolean);
  if (!ip && labels.length > 1) labels.pop();
  const segments = decodeURIComponentSafe(u.pathname).split('/').filter(Boolean);
  const last = (segments.at(-1) ?? '').replace(/\.[a-z0-9]+$/i, '');
  const parts = [...labels, ...(last && !/^index$/i.test(last) ? [last] : [])];
  const base = slugId(parts.join('-'), 40) || 'forum';
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The --selectors value: `item=…,text=…` (split at commas before a key, each pair at its first =) when no selector holds a comma, else a JSON object. */
export function selectorsOption(spec: SelectorSpec): string {
  const entries = FIELD_ORDER.filter((f) => spec[f] !== undefined).map((f) => [f, String(spec[f])] as const);
  if (entries.some(([, v]) => v.includes(','))) return JSON.stringify(Object.fromEntries(entries));
  return entries.map(([k, v]) => `${k}=${v}`).join(',');
}

/** A single-quoted shell word (a crawled page's URL or selectors cannot break out of it). */
function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

