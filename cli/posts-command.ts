/**
 * `voc posts list | export`: the stored posts with their classification, filtered as in the
 * console's posts explorer (the same PostSearch), for a look from the terminal and for scripted
 * exports (a weekly CSV into a spreadsheet or a warehouse). Channels, aspects and scenarios are
 * given by id or by label in either language (--channel 门店 = --channel store).
 *
 *   voc posts list --brand acme --channel store --polarity neg --since 7d
 *   voc posts export --brand acme --period 2026-10 --breakpoint any --out breakpoints.csv
 */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { brandNamed, type VocConfig } from '../core/config.js';
import { InputError, type Bilingual } from '../core/errors.js';
import { writeFileWholeFrom } from '../core/write-whole.js';
import { formatInZone, parseDayOption, resolvePeriod } from '../core/time.js';
import { BREAKPOINT_KINDS, DEFAULT_CHANNELS, type Locale } from '../core/types.js';
import { buildEffectiveLexicon } from '../analysis/effective.js';
import { loadLexicons, type Lexicons } from '../analysis/lexicons.js';
import { breakpointKindLabel, sentimentLabel } from '../analysis/labels.js';
import { reportLabels } from '../workers/labels.js';
import type { Labels } from '../reports/labels.js';
import { PostSearch, type PostFilter, type PostHit } from '../server/post-search.js';
import { postCsvHeader, postCsvRow } from '../server/post-export.js';
import type { App } from './app.js';
import type { Store } from '../store/store.js';
import { terminalSafe } from './crawl-output.js';
import { positiveInt } from './options.js';
import { writeLine } from './stdout.js';

export interface PostsCommandContext {
  readConfig(): VocConfig;
  openApp(config: VocConfig): Promise<App>;
  locale(config?: VocConfig): Locale;
}

interface FilterOptions {
  brand?: string;
  period?: string;
  from?: string;
  to?: string;
  source?: string;
  target?: string;
  channel?: string;
  polarity?: string;
  breakpoint?: string;
  aspect?: string;
  scenario?: string;
  question?: boolean;
  text?: string;
}

const POLARITIES = ['pos', 'neg', 'neutral', 'mixed'];

const MESSAGES = {
  'zh-CN': {
    listed: (shown: number, total: number) =>
      total === 0 ? '没有符合条件的帖子' : `共 ${total} 条符合条件的帖子，${shown === total ? '已全部显示' : `显示最新的 ${shown} 条`}`,
    exported: (n: number, file: string) => `已导出 ${n} 条帖子到 ${file}`,
    unclassified: '未分类',
    question: '提问',
    sentiment: '情感',
    breakpoint: '断点',
  },
  en: {
    listed: (shown: number, total: number) =>
      total === 0 ? 'No posts match' : `${total} ${total === 1 ? 'post matches' : 'posts match'}; ${shown === total ? 'all shown' : `the newest ${shown} shown`}`,
    exported: (n: number, file: string) => `Exported ${n} ${n === 1 ? 'post' : 'posts'} to ${file}`,
    unclassified: 'not classified',
    question: 'question',
    sentiment: 'sentiment',
    breakpoint: 'breakpoint',
  },
} as const;

/** Adds `voc posts list|export` to `program`. */
export function registerPostsCommands(program: Command, ctx: PostsCommandContext): void {
  const posts = program.command('posts').description('stored posts with their classification: list or export them, filtered as in the console');
  withFilters(posts.command('list').description('the newest matching posts with their channels, sentiment and breakpoints'))
    .option('--limit <n>', 'posts to show', positiveInt('--limit', 10_000), 20)
    .action(async (opts: FilterOptions & { limit: number }) => {
      const config = ctx.readConfig();
      const loc = ctx.locale(config);
      const lexicon = effectiveLexicon(config);
      const filter = toFilter(opts, config, lexicon);
      const app = await ctx.openApp(config);
      try {
        await checkOrigins(filter, app.store, config.timeZone);
        const { total, items } = await new PostSearch(app.store, config.timeZone).page(filter, 1, opts.limit);
        const labels = reportLabels(config, lexicon());
        for (const hit of items) for (const line of hitLines(hit, config, loc, labels)) if (!(await writeLine(line))) return;
        await writeLine(MESSAGES[loc === 'en' ? 'en' : 'zh-CN'].listed(items.length, total));
      } finally {
        await app.close();
      }
    });
  withFilters(posts.command('export').description('every matching post as CSV or JSON Lines, to standard output or a file'))
    .option('--format <format>', 'csv or jsonl', 'csv')
    .option('--out <file>', 'write to this file (whole, or not at all; a CSV file starts with a BOM for spreadsheets) instead of standard output')
    .action(async (opts: FilterOptions & { format: string; out?: string }) => {
      const config = ctx.readConfig();
      const loc = ctx.locale(config);
      if (opts.format !== 'csv' && opts.format !== 'jsonl')
        throw new InputError({ en: `--format: expected csv or jsonl, got "${opts.format}"`, zh: `--format：应为 csv 或 jsonl，实际为“${opts.format}”` });
      const filter = toFilter(opts, config, effectiveLexicon(config));
      // A folder that is not there is said before the posts are read, not after.
      if (opts.out !== undefined && !existsSync(dirname(resolve(opts.out))))
        throw new InputError({
          en: `--out: folder ${dirname(resolve(opts.out))} does not exist; create it or choose another path`,
          zh: `--out：文件夹 ${dirname(resolve(opts.out))} 不存在；请先创建，或换一个路径`,
        });
      const csv = opts.format === 'csv';
      const line = (h: PostHit) => (csv ? postCsvRow(h) : JSON.stringify(h));
      const app = await ctx.openApp(config);
      try {
        await checkOrigins(filter, app.store, config.timeZone);
        const batches = new PostSearch(app.store, config.timeZone).all(filter);
        if (opts.out === undefined) {
          if (csv && !(await writeLine(postCsvHeader(false)))) return;
          for await (const hits of batches) for (const h of hits) if (!(await writeLine(line(h)))) return;
          return;
        }
        const file = resolve(opts.out);
        let n = 0;
        async function* chunks(): AsyncGenerator<string> {
          if (csv) yield postCsvHeader(true) + '\n';
          for await (const hits of batches) {
            n += hits.length;
            yield hits.map((h) => line(h) + '\n').join('');
          }
        }
        await writeWhole(file, chunks());
        console.error(MESSAGES[loc === 'en' ? 'en' : 'zh-CN'].exported(n, file));
      } finally {
        await app.close();
      }
    });
}

function withFilters(cmd: Command): Command {
  return cmd
    .option('--brand <id>', 'only this brand')
    .option('--period <YYYY-MM>', 'a month in the config time zone')
    .option('--from <YYYY-MM-DD>', 'first day (inclusive, config time zone)')
    .option('--to <YYYY-MM-DD>', 'last day (inclusive, config time zone)')
    .option('--source <name>', 'only posts of this source')
    .option('--target <id>', 'only posts of this crawl target')
    .option('--channel <channel>', 'posts about this channel (id or label: store, 门店)')
    .option('--polarity <p>', 'pos, neg, neutral or mixed: the post\'s sentiment, or with --channel the stance towards that channel')
    .option('--breakpoint <kind>', 'any, inconsistency, handoff or runaround')
    .option('--aspect <aspect>', 'posts about this aspect (id or label)')
    .option('--scenario <scenario>', 'posts naming this usage scenario (id or label)')
    .option('--question', 'questions only')
    .option('--no-question', 'no questions')
    .option('--text <words>', 'words that must all appear in the text');
}

/** The options as a search filter, every value checked: a typo is an error naming the option, not an empty result. */
/** The config's effective lexicon, built on first use and once (it takes a few hundred ms). */
function effectiveLexicon(config: VocConfig): () => Lexicons {
  let lex: Lexicons | undefined;
  return () => (lex ??= buildEffectiveLexicon(loadLexicons(), config).lex);
}

function toFilter(o: FilterOptions, config: VocConfig, lexicon: () => Lexicons): PostFilter {
  const f: PostFilter = {};
  if (o.brand !== undefined) f.brand = brandNamed(config, o.brand).id;
  if (o.period !== undefined) {
    resolvePeriod(config.timeZone, o.period); // checks the month here, before a CSV header is written
    f.period = o.period;
  }
  for (const key of ['from', 'to'] as const) {
    const v = o[key];
    if (v === undefined) continue;
    parseDayOption(v, `--${key}`);
    f[key] = v;
  }
  if (o.period !== undefined && (o.from !== undefined || o.to !== undefined))
    throw new InputError({ en: '--period: give either --period or --from/--to, not both', zh: '--period：--period 与 --from/--to 只能二选一' });
  if (o.source !== undefined) f.source = o.source;
  if (o.target !== undefined) f.targetId = o.target;
  if (o.polarity !== undefined) {
    if (!POLARITIES.includes(o.polarity))
      throw new InputError({ en: `--polarity: expected pos, neg, neutral or mixed, got "${o.polarity}"`, zh: `--polarity：应为 pos、neg、neutral 或 mixed，实际为“${o.polarity}”` });
    f.polarity = o.polarity as PostFilter['polarity'];
  }
  if (o.breakpoint !== undefined) {
    if (o.breakpoint !== 'any' && !(BREAKPOINT_KINDS as readonly string[]).includes(o.breakpoint))
      throw new InputError({
        en: `--breakpoint: expected any, ${BREAKPOINT_KINDS.join(', ')}, got "${o.breakpoint}"`,
        zh: `--breakpoint：应为 any、${BREAKPOINT_KINDS.join('、')} 之一，实际为“${o.breakpoint}”`,
      });
    f.breakpoint = o.breakpoint;
  }
  if (o.question !== undefined) f.question = o.question;
  if (o.text !== undefined) f.q = o.text;
  if (o.channel !== undefined || o.aspect !== undefined || o.scenario !== undefined) {
    const lex = lexicon();
    if (o.channel !== undefined) f.channel = vocabularyId('--channel', o.channel, channelVocabulary(lex, config));
    if (o.aspect !== undefined) f.aspect = vocabularyId('--aspect', o.aspect, aspectVocabulary(lex));
    if (o.scenario !== undefined) f.scenario = vocabularyId('--scenario', o.scenario, Object.entries(lex.scenarios).map(([id, s]) => ({ id, labels: [s.label['zh-CN'], s.label.en] })));
  }
  return f;
}

/**
 * --target and --source must name a target or source the store knows, as --brand names a brand: a
 * typo is an error listing them, not an empty result. A removed target's posts stay, so an id or
 * source that still has posts is known too.
 */
async function checkOrigins(f: PostFilter, store: Store, timeZone: string): Promise<void> {
  if (f.targetId === undefined && f.source === undefined) return;
  const targets = await store.listTargets();
  const has = async (only: PostFilter) => (await new PostSearch(store, timeZone).page(only, 1, 1)).total > 0;
  const check = async (option: string, value: string, known: string[], only: PostFilter, what: Bilingual) => {
    if (known.includes(value) || (await has(only))) return;
    const list = [...new Set(known)].sort();
    throw new InputError({
      en: `${option}: unknown ${what.en} "${value}"; known: ${list.join(', ') || 'none (voc targets add adds one)'}`,
      zh: `${option}：未知的${what.zh}“${value}”；已有：${list.join('、') || '无（可用 voc targets add 添加）'}`,
    });
  };
  if (f.targetId !== undefined) await check('--target', f.targetId, targets.map((t) => t.id), { targetId: f.targetId }, { en: 'target', zh: '抓取目标' });
  if (f.source !== undefined) await check('--source', f.source, targets.map((t) => t.source), { source: f.source }, { en: 'source', zh: '来源' });
}

interface Term {
  id: string;
  labels: string[];
  /** Other words for it (a channel's aliases: 快递 for delivery), taken when only one term has the word. */
  aliases?: string[];
}

function channelVocabulary(lex: Lexicons, config: VocConfig): Term[] {
  const labels = reportLabels(config, lex);
  return [...new Set([...DEFAULT_CHANNELS, ...Object.keys(lex.channels), ...Object.keys(config.channels)])].map((id) => ({
    id,
    labels: [labels.channel(id, 'zh-CN'), labels.channel(id, 'en')],
    aliases: lex.channels[id]?.aliases ?? [],
  }));
}

function aspectVocabulary(lex: Lexicons): Term[] {
  const byId = new Map<string, Term>();
  for (const taxonomy of Object.values(lex.aspects))
    for (const [id, a] of Object.entries(taxonomy)) {
      const term = byId.get(id) ?? { id, labels: [] };
      term.labels.push(a.label['zh-CN'], a.label.en);
      byId.set(id, term);
    }
  return [...byId.values()];
}

/** The id a value names: an id as written, else a label in either language (case-insensitive). */
function vocabularyId(option: string, value: string, terms: Term[]): string {
  const wanted = value.trim().toLowerCase();
  const hit = terms.find((t) => t.id === value) ?? terms.find((t) => t.labels.some((l) => l.toLowerCase() === wanted));
  if (hit) return hit.id;
  const byAlias = terms.filter((t) => t.aliases?.some((a) => a.toLowerCase() === wanted));
  if (byAlias.length === 1) return byAlias[0]!.id;
  if (byAlias.length > 1)
    throw new InputError({
      en: `${option}: "${value}" is a word of several: ${byAlias.map((t) => t.id).join(', ')}; give one of those ids`,
      zh: `${option}：“${value}”同时属于 ${byAlias.map((t) => t.id).join('、')}；请给出其中一个 ID`,
    });
  const ids = terms.map((t) => t.id).sort();
  throw new InputError({
    en: `${option}: unknown value "${value}"; expected an id or label such as ${ids.slice(0, 12).join(', ')}${ids.length > 12 ? ', …' : ''}`,
    zh: `${option}：未知的值“${value}”；应为 ID 或名称，例如 ${ids.slice(0, 12).join('、')}${ids.length > 12 ? '…' : ''}`,
  });
}

/** A post in the listing: time, channels with their stance, sentiment, breakpoints, question; then its text and link. */
function hitLines(hit: PostHit, config: VocConfig, loc: Locale, labels: Labels): string[] {
  const m = MESSAGES[loc === 'en' ? 'en' : 'zh-CN'];
  const c = hit.classification;
  const parts = [formatInZone(hit.post.publishedAt, config.timeZone), hit.post.brand];
  if (!c) parts.push(m.unclassified);
  else {
    parts.push(`${m.sentiment} ${sentimentLabel(c.sentiment.label, loc)}`);
    if (c.channels.length) parts.push(c.channels.map((ch) => `${labels.channel(ch.channel, loc)}(${sentimentLabel(ch.polarity, loc)})`).join(' '));
    for (const b of c.breakpoints) parts.push(`${m.breakpoint} ${b.channels.map((ch) => labels.channel(ch, loc)).join(' ↔ ')} ${breakpointKindLabel(b.kind, loc)}`);
    if (c.question.isQuestion) parts.push(m.question);
  }
  return [parts.map((p) => terminalSafe(p, 120)).join('  ·  '), `    ${terminalSafe(hit.post.text, 300)}`, `    ${terminalSafe(hit.post.url, 300)}`];
}

/** Writes the export whole (core/write-whole.ts), a batch at a time: an interrupted export leaves the old file or the new one, never half of one. */
async function writeWhole(file: string, chunks: AsyncIterable<string>): Promise<void> {
  try {
    await writeFileWholeFrom(file, chunks);
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new InputError({
      en: `--out: cannot write ${file} (${code}); check that the folder exists and is writable`,
      zh: `--out：无法写入 ${file}（${code}）；请检查文件夹是否存在且可写`,
    });
  }
}
