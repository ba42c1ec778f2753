/**
 * `voc targets add | list | show | remove | import FILE | test ID | test --spec FILE`.
 *
 * Targets live in the store (`store.saveTarget`); those declared in voc.config.yaml are written
 * there on every start and stay owned by the config, so they are changed there, not here. Every
 * command checks its whole input before writing anything (an import of ten targets with one bad
 * one writes none) and reports problems as one line naming the field, through `InputError`.
 */
import { readFileSync, existsSync, statSync } from 'node:fs';
import { describeYamlError } from '../core/yaml-error.js';
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { checkTargetAgainstConfig, resolveTarget, type Origin, type TargetInput, type VocConfig } from '../core/config.js';
import { InputError, type Bilingual } from '../core/errors.js';
import { formatInZone } from '../core/time.js';
import type { Locale, Post, Target } from '../core/types.js';
import type { Store } from '../store/store.js';
import type { CrawlContext } from '../crawlers/context.js';
import { createCrawlContext } from '../crawlers/context.js';
import { crawlTarget, type CrawlSummary } from '../crawlers/crawl-target.js';
import { readProgress } from '../crawlers/crawl-state.js';
import { PRESETS } from '../crawlers/presets.js';
import { PRESET_NAMES, TARGET_KINDS, type PresetName } from '../core/types.js';
import { preflightTargets } from './preflight.js';
import { renderSummaryTable, terminalSafe } from './crawl-output.js';
import { registerSuggestCommand } from './targets-suggest.js';
import { jsonText } from './json.js';
import { checkSelectorSpec, checkTargetSelectors } from './selector-check.js';

/** What these commands need of the application (cli/app.ts `App` fits). */
export interface TargetsApp {
  store: Store;
  crawl: CrawlContext;
  close(): Promise<void>;
}

export interface TargetsCommandContext {
  openApp: (config: VocConfig) => Promise<TargetsApp>;
  readConfig: () => VocConfig;
  /** Output language (default: config.locale). */
  locale?: (config: VocConfig) => Locale;
  /** Where lines go (default console.log); tests collect them. */
  out?: (line: string) => void;
}

const MESSAGES = {
  'zh-CN': {
    added: (id: string, kind: string, url: string) => `已添加目标 ${id}（${kind}，${url}）`,
    replaced: (id: string, kind: string, url: string) => `已更新目标 ${id}（${kind}，${url}）`,
    removed: (id: string) => `已删除目标 ${id}（已抓取的帖子保留）`,
    imported: (n: number) => `已导入 ${n} 个目标`,
    none: '还没有抓取目标：用 `voc targets add` 添加，或写在 voc.config.yaml 的 targets 下',
    fromConfig: '配置文件',
    fromStore: '已添加',
    tested: (pages: number, posts: number) => `试抓 ${pages} 页，提取到 ${posts} 条帖子（未保存）`,
    more: (n: number) => `…… 另有 ${n} 条`,
  },
  en: {
    added: (id: string, kind: string, url: string) => `Added target ${id} (${kind}, ${url})`,
    replaced: (id: string, kind: string, url: string) => `Updated target ${id} (${kind}, ${url})`,
    removed: (id: string) => `Removed target ${id} (its crawled posts are kept)`,
    imported: (n: number) => `Imported ${n} targets`,
    none: 'No targets yet: add one with `voc targets add`, or under `targets:` in voc.config.yaml',
    fromConfig: 'config',
    fromStore: 'added',
    tested: (pages: number, posts: number) => `Test crawl: ${pages} pages, ${posts} posts extracted (nothing stored)`,
    more: (n: number) => `… and ${n} more`,
  },
};

interface AddOptions {
  spec?: string;
  id?: string;
  brand?: string;
  url?: string;
  kind?: string;
  preset?: string;
  source?: string;
  maxPages?: number;
  selectors?: string;
  hashtag?: string;
  query?: string;
  subreddit?: string;
  app?: string;
  country?: string;
  base?: string;
  replace?: boolean;
}

function wholeNumber(flag: string) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new InputError({ en: `${flag}: expected a whole number >= 1, got "${v}"`, zh: `${flag}：应为不小于 1 的整数，实际为“${v}”` });
    return n;
  };
}

/** Reads a YAML or JSON file (JSON is YAML). */
function readSpecFile(file: string, flag: string): unknown {
  if (!existsSync(file)) throw new InputError({ en: `${flag}: file not found: ${file}`, zh: `${flag}：文件不存在：${file}` });
  if (statSync(file).isDirectory()) throw new InputError({ en: `${flag}: ${file} is a folder, not a file`, zh: `${flag}：${file} 是文件夹，不是文件` });
  const text = readFileSync(file, 'utf8');
  try {
    return parseYaml(text);
  } catch (err) {
    const { en, zh } = describeYamlError(err, text);
    throw new InputError({ en: `${file}: not valid YAML or JSON: ${en}`, zh: `${file}：不是有效的 YAML 或 JSON：${zh}` });
  }
}

/** `item=.post,text=.content` or a JSON object, as a selector spec. */
function parseSelectors(value: string): Record<string, string> {
  const v = value.trim();
  if (v.startsWith('{')) {
    try {
      return JSON.parse(v) as Record<string, string>;
    } catch (err) {
      throw new InputError({ en: `--selectors: not valid JSON (${(err as Error).message})`, zh: `--selectors：不是有效的 JSON（${(err as Error).message}）` });
    }
  }
  const out: Record<string, string> = {};
  for (const part of v.split(/,(?=\s*[A-Za-z]+\s*=)/)) {
    const m = /^\s*([A-Za-z]+)\s*=\s*(.+?)\s*$/.exec(part);
    if (!m)
      throw new InputError({
        en: `--selectors: expected key=selector pairs such as item=.post,text=.content, got "${part}"`,
        zh: `--selectors：应为 key=selector 形式的键值对，例如 item=.post,text=.content，实际为“${part}”`,
      });
    out[m[1]!] = m[2]!;
  }
  return out;
}

/** The target input described by `targets add` flags. */
function inputFromFlags(opts: AddOptions): Record<string, unknown> {
  if (!opts.id)
    throw new InputError({ en: '--id: required (a short id such as acme-forum), or pass --spec FILE', zh: '--id：必须指定（简短的 ID，例如 acme-forum），或改用 --spec FILE' });
  if (!opts.brand) throw new InputError({ en: '--brand: required (a brand id from the config)', zh: '--brand：必须指定（配置中的品牌 ID）' });
  const input: Record<string, unknown> = { id: opts.id, brand: opts.brand };
  if (opts.kind) {
    if (!(TARGET_KINDS as readonly string[]).includes(opts.kind))
      throw new InputError({
        en: `--kind: expected one of ${TARGET_KINDS.join(', ')}, got "${opts.kind}"`,
        zh: `--kind：应为 ${TARGET_KINDS.join('、')} 之一，实际为“${opts.kind}”`,
      });
    input.kind = opts.kind;
  }
  if (opts.preset) {
    if (!(PRESET_NAMES as readonly string[]).includes(opts.preset))
      throw new InputError({
        en: `--preset: expected one of ${PRESET_NAMES.join(', ')}, got "${opts.preset}"`,
        zh: `--preset：应为 ${PRESET_NAMES.join('、')} 之一，实际为“${opts.preset}”`,
      });
    input.preset = opts.preset;
  }
  let url = opts.url;
  if (!url && opts.preset) {
    const preset = PRESETS[opts.preset as PresetName];
    url = preset.url({ hashtag: opts.hashtag, query: opts.query, subreddit: opts.subreddit, app: opts.app, country: opts.country, base: opts.base });
  }
  if (!url)
    throw new InputError({
      en: '--url: required (the listing, feed, API or sitemap URL), or give --preset with its parameters',
      zh: '--url：必须指定（列表页、订阅源、API 端点或站点地图的 URL），或用 --preset 加上它的参数',
    });
  input.url = url;
  if (opts.source) input.source = opts.source;
  if (opts.maxPages) input.maxPages = opts.maxPages;
  if (opts.selectors) {
    input.selectors = parseSelectors(opts.selectors);
    checkSelectorSpec(input.selectors, { en: '--selectors', zh: '--selectors' });
  }
  return input;
}

/** Validates one target against the config (schema, brand, not owned by the config). */
function checkTarget(input: unknown, config: VocConfig, origin: Origin): Target {
  const o = typeof origin === 'string' ? { en: origin, zh: origin } : origin;
  if (!input || typeof input !== 'object' || Array.isArray(input))
    throw new InputError({ en: `${o.en}: expected a target (an object with id, brand, url...)`, zh: `${o.zh}：应为一个抓取目标（含 id、brand、url 等字段的对象）` });
  // As in the console (server/target-input.ts): only the config file's crawler.allowPrivateHosts opens
  // private addresses, so whoever edits targets cannot reach the intranet without whoever runs voc.
  if ('allowPrivate' in input)
    throw new InputError({
      en: `${o.en}: allowPrivate: not accepted on a target added outside the config file; list the host under crawler.allowPrivateHosts in the config instead`,
      zh: `${o.zh}：allowPrivate：配置文件之外添加的抓取目标不接受此字段；请改为在配置的 crawler.allowPrivateHosts 中列出该主机`,
    });
  checkTargetSelectors(input, o);
  const target = resolveTarget(input as TargetInput, config, origin);
  checkTargetAgainstConfig(target, config, (name) => ({ en: `${o.en}: ${name}`, zh: `${o.zh}：${name}` }));
  return target;
}

/**
 * Registers the `targets` command group on `program`.
 *
 * @example registerTargetsCommands(program, { openApp, readConfig, locale: (c) => locale(c) });
 */
export function registerTargetsCommands(program: Command, ctx: TargetsCommandContext): Command {
  const out = ctx.out ?? ((line: string) => console.log(line));
  const msg = (config: VocConfig) => MESSAGES[(ctx.locale?.(config) ?? config.locale) === 'en' ? 'en' : 'zh-CN'];
  const withApp = async <T>(config: VocConfig, fn: (app: TargetsApp) => Promise<T>): Promise<T> => {
    const app = await ctx.openApp(config);
    try {
      return await fn(app);
    } finally {
      await app.close();
    }
  };

  const targets = program.command('targets').description('crawl targets: add, list, show, remove, import, test');

  targets
    .command('add')
    .description('add a target from flags or a YAML/JSON spec file (presets build the URL from their parameters)')
    .option('--spec <file>', 'YAML or JSON file with one target')
    .option('--id <id>', 'target id, e.g. acme-forum')
    .option('--brand <id>', 'brand id from the config')
    .option('--url <url>', 'listing, feed, API endpoint or sitemap URL')
    .option('--kind <kind>', `one of ${TARGET_KINDS.join(', ')} (default html, or the preset's)`)
    .option('--preset <name>', `one of ${PRESET_NAMES.join(', ')}`)
    .option('--source <name>', 'source name stored on each post (default the id)')
    .option('--max-pages <n>', 'page cap per crawl', wholeNumber('--max-pages'))
    .option('--selectors <spec>', 'CSS selectors: item=.post,text=.content,... or a JSON object')
    .option('--hashtag <tag>', 'mastodon: the hashtag')
    .option('--query <q>', 'mastodon-search, bluesky, reddit: the search query')
    .option('--subreddit <name>', 'reddit: the subreddit')
    .option('--app <id>', 'appstore: the App Store id')
    .option('--country <cc>', 'appstore: store country (default cn)')
    .option('--base <url>', 'preset: another instance or host than the public default')
    .option('--replace', 'replace a stored target with the same id')
    .action(async (opts: AddOptions) => {
      const config = ctx.readConfig();
      const input = opts.spec ? readSpecFile(opts.spec, '--spec') : inputFromFlags(opts);
      const target = checkTarget(input, config, opts.spec ?? 'target');
      await preflightTargets([target]);
      await withApp(config, async (app) => {
        const existing = await app.store.getTarget(target.id);
        if (existing && !opts.replace)
          throw new InputError({
            en: `target "${target.id}" exists already; pass --replace to overwrite it`,
            zh: `抓取目标“${target.id}”已存在；如需覆盖，请加上 --replace`,
          });
        await app.store.saveTarget(target);
        out((existing ? msg(config).replaced : msg(config).added)(target.id, target.kind, target.url));
      });
    });

  targets
    .command('list')
    .description('list the targets')
    .option('--json', 'one JSON object per line')
    .action(async (opts: { json?: boolean }) => {
      const config = ctx.readConfig();
      await withApp(config, async (app) => {
        const all = await app.store.listTargets();
        if (opts.json) return all.forEach((t) => out(jsonText(t)));
        if (all.length === 0) return out(msg(config).none);
        const declared = new Set(config.targets.map((t) => t.id));
        for (const t of all)
          out([t.id, t.kind + (t.preset ? `/${t.preset}` : ''), t.brand, declared.has(t.id) ? msg(config).fromConfig : msg(config).fromStore, t.url].join('\t'));
      });
    });

  targets
    .command('show')
    .description('a target and its crawl state (watermark, pending pages, recent yields)')
    .argument('<id>')
    .action(async (id: string) => {
      const config = ctx.readConfig();
      await withApp(config, async (app) => {
        const target = await app.store.getTarget(id);
        if (!target) throw new InputError(await unknownTarget(app.store, id));
        const state = await app.store.getCrawlState(id);
        const progress = readProgress(state);
        out(jsonText({ target, crawlState: state ? { ...progress, updatedAt: state.updatedAt } : null }, null, 2));
      });
    });

  targets
    .command('remove')
    .description('remove a stored target and its crawl state (its posts stay)')
    .argument('<id>')
    .action(async (id: string) => {
      const config = ctx.readConfig();
      if (config.targets.some((t) => t.id === id))
        throw new InputError({ en: `target "${id}" is declared in the config file; remove it there`, zh: `抓取目标“${id}”在配置文件中声明；请在配置文件里删除` });
      await withApp(config, async (app) => {
        if (!(await app.store.removeTarget(id))) throw new InputError(await unknownTarget(app.store, id));
        out(msg(config).removed(id));
      });
    });

  targets
    .command('import')
    .description('add every target of a YAML/JSON file (a list, or an object with `targets:`); all or nothing')
    .argument('<file>')
    .option('--replace', 'replace stored targets with the same ids')
    .action(async (file: string, opts: { replace?: boolean }) => {
      const config = ctx.readConfig();
      const raw = readSpecFile(file, 'import');
      const list = Array.isArray(raw) ? raw : (raw as { targets?: unknown } | null)?.targets;
      if (!Array.isArray(list) || list.length === 0)
        throw new InputError({
          en: `${file}: expected a list of targets, or an object with a non-empty \`targets:\` list`,
          zh: `${file}：应为抓取目标列表，或含非空 \`targets:\` 列表的对象`,
        });
      const parsed = list.map((t, i) => checkTarget(t, config, { en: `${file}: targets.${i}`, zh: `${file}：targets.${i}` }));
      const seen = new Set<string>();
      parsed.forEach((t, i) => {
        if (seen.has(t.id))
          throw new InputError({ en: `${file}: targets.${i}.id: duplicate target id "${t.id}" in the file`, zh: `${file}：targets.${i}.id：文件中的抓取目标 ID“${t.id}”重复` });
        seen.add(t.id);
      });
      await preflightTargets(parsed);
      await withApp(config, async (app) => {
        if (!opts.replace) {
          for (const [i, t] of parsed.entries())
            if (await app.store.getTarget(t.id))
              throw new InputError({
                en: `${file}: targets.${i}.id: target "${t.id}" exists already; pass --replace to overwrite`,
                zh: `${file}：targets.${i}.id：抓取目标“${t.id}”已存在；如需覆盖，请加上 --replace`,
              });
        }
        for (const t of parsed) await app.store.saveTarget(t);
        out(msg(config).imported(parsed.length));
      });
    });

  targets
    .command('test')
    .description('fetch a target (stored, or from --spec) and show the posts it would extract; stores nothing')
    .argument('[id]')
    .option('--spec <file>', 'YAML or JSON file with one target, not stored')
    .option('--max-pages <n>', 'pages to fetch (default 1)', wholeNumber('--max-pages'), 1)
    .option('--limit <n>', 'posts to print (default 10)', wholeNumber('--limit'), 10)
    .option('--json', 'print { target, posts, summary } as JSON')
    .action(async (id: string | undefined, opts: { spec?: string; maxPages: number; limit: number; json?: boolean }) => {
      const config = ctx.readConfig();
      if (!id && !opts.spec) throw new InputError({ en: 'give a target id (`voc targets list`) or --spec FILE', zh: '请给出抓取目标 ID（见 `voc targets list`）或 --spec FILE' });
      if (id && opts.spec) throw new InputError({ en: 'give either a target id or --spec FILE, not both', zh: '抓取目标 ID 与 --spec FILE 只能二选一' });
      const locale: Locale = (ctx.locale?.(config) ?? config.locale) === 'en' ? 'en' : 'zh-CN';
      const run = async (crawl: CrawlContext, target: Target) => {
        const posts: Post[] = [];
        const summary = await crawlTarget(crawl, target, { maxPages: opts.maxPages, onPage: (p) => void posts.push(...p.posts) });
        printTest(out, target, posts, summary, opts, locale, msg(config));
      };
      if (opts.spec) {
        const target = checkTarget(readSpecFile(opts.spec, '--spec'), config, opts.spec);
        await preflightTargets([target]);
        // Nothing is stored, so a throwaway key hashes the authors shown here.
        const crawl = createCrawlContext({ config, authorSecret: randomBytes(16).toString('hex'), dataDir: false });
        try {
          await run(crawl, target);
        } finally {
          await crawl.close();
        }
        return;
      }
      await withApp(config, async (app) => {
        const target = await app.store.getTarget(id!);
        if (!target) throw new InputError(await unknownTarget(app.store, id!));
        await run(app.crawl, target);
      });
    });

  registerSuggestCommand(targets, { readConfig: ctx.readConfig, locale: ctx.locale, out, openApp: ctx.openApp });
  return targets;
}

async function unknownTarget(store: Store, id: string): Promise<Bilingual> {
  const ids = (await store.listTargets()).map((t) => t.id);
  return {
    en: `unknown target "${id}"; known targets: ${ids.join(', ') || 'none'}`,
    zh: `抓取目标“${id}”不存在；已有目标：${ids.join('、') || '无'}`,
  };
}

function printTest(
  out: (line: string) => void,
  target: Target,
  posts: Post[],
  summary: CrawlSummary,
  opts: { limit: number; json?: boolean },
  locale: Locale,
  m: (typeof MESSAGES)['en'],
): void {
  if (opts.json) {
    out(jsonText({ target, posts, summary }));
    return;
  }
  out(m.tested(summary.pages, posts.length));
  for (const p of posts.slice(0, opts.limit)) {
    const when = formatInZone(p.publishedAt, target.timeZone);
    const who = p.authorHash ? `@${p.authorHash.slice(0, 8)}` : '@-';
    out(`${when}  ${who}  ${terminalSafe(p.text, 100)}`);
    out(`    ${terminalSafe(p.url, 160)}`);
  }
  if (posts.length > opts.limit) out(m.more(posts.length - opts.limit));
  out(renderSummaryTable([{ targetId: target.id, summary }], locale).trimEnd());
}
