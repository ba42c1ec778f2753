/**
 * `voc.config.yaml`: brands, promises, taxonomy overrides, targets, time zone. Validated with zod;
 * a bad file becomes one `InputError` line naming the field path and what is expected.
 */
import { readFileSync, existsSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { InputError, type Bilingual } from './errors.js';
import { PRESET_KINDS, PRESET_NAMES, SCENARIO_TYPES, TARGET_KINDS, type Target } from './types.js';
import { campaignSchema, reportScheduleSchema, smtpSchema } from './report-config.js';
import { phrase } from './phrases.js';
import { describeIssue } from './schema-issues.js';

const ianaZone = z.string().refine(isValidTimeZone, { message: phrase('an IANA time zone such as Asia/Shanghai', 'IANA 时区，例如 Asia/Shanghai') });
const idString = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, {
  message: phrase('an id of lower-case letters, digits, _ or - (e.g. "acme-forum")', '由小写字母、数字、_ 或 - 组成的 ID（例如 "acme-forum"）'),
});

const httpUrl = z.string().refine(isHttpUrl, { message: phrase('an absolute http:// or https:// URL', '以 http:// 或 https:// 开头的完整 URL') });

const timeFormatSchema = z.string().refine(isTimeFormat, {
  message: phrase(
    'iso, unix, unix_ms or a pattern of YYYY MM DD HH mm ss such as "DD/MM/YYYY HH:mm"',
    'iso、unix、unix_ms，或由 YYYY MM DD HH mm ss 组成的格式，例如 "DD/MM/YYYY HH:mm"',
  ),
});

const selectorFields = {
  text: z.string().min(1),
  id: z.string().optional(),
  author: z.string().optional(),
  time: z.string().optional(),
  timeFormat: timeFormatSchema.optional(),
  link: z.string().optional(),
  rating: z.string().optional(),
  likes: z.string().optional(),
  replies: z.string().optional(),
  shares: z.string().optional(),
};

const selectorSpecSchema = z.strictObject({
  item: z.string().min(1),
  ...selectorFields,
  nextPage: z.string().optional(),
});

const paginationSchema = z.strictObject({
  type: z.enum(['next', 'template', 'loadMore']),
  url: z.string().min(1).optional(),
  first: z.number().int().min(0).optional(),
  step: z.number().int().min(1).optional(),
  format: z.enum(['html', 'json']).optional(),
  htmlPath: z.string().optional(),
  cursorPath: z.string().optional(),
  cursorSelector: z.string().optional(),
});

const detailSchema = z.strictObject({
  link: z.string().optional(),
  post: z.strictObject({ item: z.string().min(1).optional(), ...selectorFields }).optional(),
  replies: selectorSpecSchema.optional(),
});

const jsonMappingSchema = z.strictObject({
  items: z.string(),
  id: z.string().min(1),
  text: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  textIsHtml: z.boolean().optional(),
  author: z.string().optional(),
  time: z.string().optional(),
  timeFormat: timeFormatSchema.optional(),
  url: z.string().optional(),
  rating: z.string().optional(),
  likes: z.string().optional(),
  replies: z.string().optional(),
  shares: z.string().optional(),
  parentId: z.string().optional(),
  threadId: z.string().optional(),
  require: z.string().optional(),
  cursorPath: z.string().optional(),
  cursorParam: z.string().optional(),
  lastIdParam: z.string().optional(),
  nextUrlPath: z.string().optional(),
  nextFromLinkHeader: z.boolean().optional(),
  sinceIdParam: z.string().optional(),
});

const regexString = z.string().refine(isRegex, { message: phrase('a valid regular expression', '有效的正则表达式') });
const sitemapSchema = z.strictObject({
  include: z.array(regexString).optional(),
  exclude: z.array(regexString).optional(),
  lastmodAfter: z
    .string()
    .refine((v) => /^\d+[hdw]$/.test(v) || Number.isFinite(Date.parse(v)), {
      message: phrase('an ISO date or an age such as 30d, 12h, 2w', 'ISO 日期，或 30d、12h、2w 这样的时长'),
    })
    .optional(),
});

const browserSchema = z.strictObject({
  waitFor: z.string().optional(),
  scrolls: z.number().int().min(0).max(500).optional(),
  loadMore: z.string().optional(),
  settleMs: z.number().int().min(100).max(60_000).optional(),
});

export const targetInputSchema = z
  .strictObject({
    id: idString,
    /** Defaults to the preset's kind, else `html`. */
    kind: z.enum(TARGET_KINDS).optional(),
    url: httpUrl,
    brand: idString,
    source: idString.optional(),
    preset: z.enum(PRESET_NAMES).optional(),
    selectors: selectorSpecSchema.optional(),
    pagination: paginationSchema.optional(),
    detail: detailSchema.optional(),
    json: jsonMappingSchema.optional(),
    sitemap: sitemapSchema.optional(),
    browser: browserSchema.optional(),
    maxPages: z.number().int().min(1).max(100000).default(50),
    maxDepth: z.number().int().min(0).max(20).optional(),
    delayMs: z.number().int().min(0).optional(),
    requestsPerMinute: z.number().positive().max(60_000).optional(),
    maxConcurrency: z.number().int().min(1).max(64).optional(),
    stopAtKnown: z.boolean().optional(),
    allowPrivate: z.boolean().default(false),
    timeZone: ianaZone.optional(),
    schedule: z.string().optional(),
  })
  .superRefine((t, ctx) => {
    // The Chinese rides in the issue's params, where describeIssue finds it.
    const problem = (path: Array<string | number>, message: Bilingual) =>
      ctx.addIssue({ code: 'custom', path, message: message.en, params: { zh: message.zh } });
    const kind = t.kind ?? (t.preset ? PRESET_KINDS[t.preset] : 'html');
    if (t.preset) {
      const presetKind = PRESET_KINDS[t.preset];
      const compatible = presetKind === kind || (presetKind === 'html' && kind === 'browser');
      if (!compatible)
        problem(['kind'], {
          en: `kind ${presetKind} (the kind of preset ${t.preset}); remove kind or set it to ${presetKind}`,
          zh: `kind ${presetKind}（预设 ${t.preset} 的类型）；请删除 kind，或改为 ${presetKind}`,
        });
    }
    if ((kind === 'html' || kind === 'browser') && !t.selectors && !t.preset)
      problem(['selectors'], {
        en: `CSS selectors with at least item and text (required for kind ${kind}; \`voc targets suggest URL\` or the console's Guess selectors button finds them on the page)`,
        zh: `至少含 item 和 text 的 CSS 选择器（kind ${kind} 必须提供；\`voc targets suggest URL\` 或控制台的“猜测选择器”按钮可根据页面猜测）`,
      });
    if (kind === 'json' && !t.json && !t.preset)
      problem(['json'], {
        en: 'a field mapping with at least items, id and text (required for kind json)',
        zh: '至少含 items、id 和 text 的字段映射（kind json 必须提供）',
      });
    if (kind === 'sitemap' && !t.detail?.post && !t.detail?.replies)
      problem(['detail'], {
        en: 'detail.post selectors (at least text) to read each page listed in the sitemap (required for kind sitemap)',
        zh: 'detail.post 选择器（至少含 text），用来读取 sitemap 列出的每个页面（kind sitemap 必须提供）',
      });
    const p = t.pagination;
    if (p?.type === 'template' && !p.url?.includes('{page}'))
      problem(['pagination', 'url'], {
        en: 'a URL with {page} where the page number goes (required for pagination type template)',
        zh: '用 {page} 标出页码位置的 URL（pagination type 为 template 时必须提供）',
      });
    if (p?.type === 'loadMore') {
      if (!p.url || !/\{(page|cursor)\}/.test(p.url))
        problem(['pagination', 'url'], {
          en: 'the load-more endpoint URL with {page} or {cursor} (required for pagination type loadMore)',
          zh: '含 {page} 或 {cursor} 的“加载更多”接口 URL（pagination type 为 loadMore 时必须提供）',
        });
      else if (p.url.includes('{cursor}') && !p.cursorSelector)
        problem(['pagination', 'cursorSelector'], {
          en: 'the selector of the first cursor on the listing page (required when the URL has {cursor})',
          zh: '列表页上第一个游标的选择器（URL 含 {cursor} 时必须提供）',
        });
    }
  });
export type TargetInput = z.input<typeof targetInputSchema>;

/** An aspect a config adds or extends: its keywords, or keywords with an adjective table and labels. */
const aspectAdditionSchema = z.union(
  [
    z.array(z.string()),
    z.strictObject({
      keywords: z.array(z.string()).default([]),
      polar: z.record(z.string().min(1), z.enum(['pos', 'neg'])).default({}),
      label: z.strictObject({ 'zh-CN': z.string().min(1).optional(), en: z.string().min(1).optional() }).optional(),
    }),
  ],
  {
    error: phrase(
      'expected a list of keywords, or { keywords: [...], polar: { adjective: pos or neg }, label: { zh-CN, en } }',
      '应为关键词列表，或 { keywords: [...], polar: { 形容词: pos 或 neg }, label: { zh-CN, en } }',
    ),
  },
);
export type AspectAddition = z.infer<typeof aspectAdditionSchema>;

const brandSchema = z.strictObject({
  id: idString,
  name: z.string().min(1),
  aliases: z.array(z.string().min(1)).default([]),
  competitors: z.array(z.string().min(1)).default([]),
  /** Promise ids from the lexicon (`convenience`, `premium_service`...) this brand makes. */
  promises: z.array(z.string().min(1)).default([]),
  /** Aspect taxonomy id (`car`, `retail`, or one defined under `aspects`). */
  aspectTaxonomy: z.string().default('retail'),
  /** Product and feature names added to the segmenter dictionary. */
  products: z.array(z.string().min(1)).default([]),
});
export type BrandConfig = z.infer<typeof brandSchema>;

/**
 * A brand of no names or products with `aspectTaxonomy`, for classifying outside any configured
 * brand (`voc eval`, `voc explain --taxonomy`): every other field has the schema's default.
 */
export function standInBrand(id: string, aspectTaxonomy: string): BrandConfig {
  return brandSchema.parse({ id, name: id, aspectTaxonomy });
}

const channelOverrideSchema = z.strictObject({
  label: z.strictObject({ 'zh-CN': z.string(), en: z.string() }).partial().optional(),
  aliases: z.array(z.string().min(1)).default([]),
});

const wordList = z.array(z.string().min(1)).default([]);
/** A label the config gives a new or shipped entry: either language may be left to the lexicon. */
const partialLabel = z.strictObject({ 'zh-CN': z.string().min(1), en: z.string().min(1) }).partial();
/** Sentiment strength of a word the config adds (the shipped lexicon uses 0.5-3). */
const strength = z.number().positive().max(5);

/** Additions to the shipped lexicons for this deployment (see analysis/effective.ts). */
const lexiconOverrideSchema = z.strictObject({
  /** New promises (label required) or more descriptors for a shipped one. */
  promises: z
    .record(
      idString,
      z.strictObject({
        label: partialLabel.optional(),
        positive: wordList,
        negative: wordList,
        /** Words naming the dimension without a stance (能耗); their clause gives the polarity. */
        topics: wordList,
      }),
    )
    .default({}),
  /** New usage scenarios (type and label required) or more keywords for a shipped one. */
  scenarios: z
    .record(
      idString,
      z.strictObject({
        type: z.enum(SCENARIO_TYPES).optional(),
        label: partialLabel.optional(),
        keywords: wordList,
      }),
    )
    .default({}),
  /** Sentiment words with their strength; a word moves if the shipped lexicon has it on the other side. */
  sentiment: z
    .strictObject({
      positive: z.record(z.string().min(1), strength).default({}),
      negative: z.record(z.string().min(1), strength).default({}),
    })
    .prefault({}),
});

const configSchema = z.strictObject({
  timeZone: ianaZone.default('Asia/Shanghai'),
  locale: z.enum(['zh-CN', 'en']).default('zh-CN'),
  dataDir: z.string().default('.voc-data'),
  crawler: z
    .strictObject({
      userAgent: z.string().default('voc/0.1 (+https://github.com/voc-project/voc)'),
      /** Where site owners can reach whoever runs this crawler; replaces the URL in the User-Agent. */
      contactUrl: httpUrl.optional(),
      defaultDelayMs: z.number().int().min(0).default(1000),
      /** Default request budget per minute per host (a target's requestsPerMinute wins). */
      requestsPerMinute: z.number().positive().max(60_000).optional(),
      /** Requests in flight to one host at once (a target's maxConcurrency wins). */
      maxConcurrencyPerHost: z.number().int().min(1).max(64).default(2),
      respectRobots: z.boolean().default(true),
      /** Hosts or IPs that may resolve to private/loopback addresses (tests, demo, intranet). */
      allowPrivateHosts: z.array(z.string()).default([]),
      /** Targets crawled at once. */
      concurrency: z.number().int().min(1).max(64).default(4),
      /** Key of the author-handle HMAC; VOC_AUTHOR_SECRET wins. At least 16 characters. */
      authorSecret: z.string().min(16).optional(),
      /** Response body cap, bytes (raw and decompressed). */
      maxBytes: z.number().int().min(1024).max(1024 * 1024 * 1024).default(5 * 1024 * 1024),
      timeouts: z
        .strictObject({
          connectMs: z.number().int().min(100).default(10_000),
          headersMs: z.number().int().min(100).default(20_000),
          bodyMs: z.number().int().min(100).default(30_000),
        })
        .prefault({}),
      /** Retries of a failed page (5xx, timeouts); Retry-After waits do not count. */
      retries: z.number().int().min(0).max(10).default(3),
      /** Keep the raw HTML of fetched pages (gzipped, under dataDir/raw) for re-extraction. */
      keepRawHtml: z.boolean().default(false),
      /** Days after which raw HTML and failure snapshots are deleted. */
      retentionDays: z.number().int().min(1).max(3650).default(30),
      browser: z
        .strictObject({
          /** Chromium binary (default $CHROME_PATH, else /usr/bin/chromium). */
          executablePath: z.string().optional(),
          /** Browser contexts open at once. */
          contexts: z.number().int().min(1).max(16).default(2),
          /** Pages a context serves before it is closed and a fresh one opened. */
          recycleAfterPages: z.number().int().min(1).max(10_000).default(50),
        })
        .prefault({}),
    })
    .prefault({}),
  brands: z.array(brandSchema).default([]),
  /** Channel taxonomy overrides: extra aliases for a default channel, or a new channel. */
  channels: z.record(z.string(), channelOverrideSchema).default({}),
  /**
   * Aspect taxonomies: id -> aspect -> keywords, or { keywords, polar, label }; merged over the
   * lexicon defaults. `polar` says what an aspect-dependent adjective means next to the aspect
   * (高: neg for a price, 大: pos for a screen) and overrides the shipped table word by word.
   */
  aspects: z.record(z.string(), z.record(z.string(), aspectAdditionSchema)).default({}),
  /** Promise descriptors and sentiment words added to (or moved within) the shipped lexicons. */
  lexicon: lexiconOverrideSchema.prefault({}),
  /**
   * Models trained with `voc train` on the user's own labelled data: the sentiment model decides
   * post sentiment, the aspect model the aspects (mapped onto each brand's taxonomy) and the
   * channel model the stance of each detected channel and which posts are breakpoints (on top of
   * the rules' cues); channel detection and descriptors stay the rules'. Paths are relative to the
   * config file.
   */
  models: z
    .strictObject({
      sentiment: z.string().min(1).optional(),
      aspects: z.string().min(1).optional(),
      channels: z.string().min(1).optional(),
    })
    .prefault({}),
  targets: z.array(targetInputSchema).default([]),
  campaigns: z.array(campaignSchema).default([]),
  reports: z.array(reportScheduleSchema).default([]),
  smtp: smtpSchema.optional(),
});

export type VocConfig = z.infer<typeof configSchema>;

/** Default config file name looked up in the working directory. */
export const CONFIG_FILE = 'voc.config.yaml';

/** Parses and validates a config object (already read from YAML). */
export function parseConfig(raw: unknown, origin = CONFIG_FILE): VocConfig {
  const result = configSchema.safeParse(raw ?? {});
  if (!result.success) throw issueError(origin, result.error.issues[0]!);
  const config = result.data;
  const brandIds = new Set(config.brands.map((b) => b.id));
  const seen = new Set<string>();
  config.targets.forEach((t, i) => {
    if (seen.has(t.id))
      throw new InputError({
        en: `${origin}: targets.${i}.id: duplicate target id "${t.id}"; ids must be unique`,
        zh: `${origin}：targets.${i}.id：抓取目标 ID“${t.id}”重复；ID 必须唯一`,
      });
    seen.add(t.id);
    if (!brandIds.has(t.brand))
      throw new InputError({
        en: `${origin}: targets.${i}.brand: unknown brand "${t.brand}"; expected one of the ids under brands (${brandIdList([...brandIds]).en})`,
        zh: `${origin}：targets.${i}.brand：未知品牌“${t.brand}”；应为 brands 下的某个 id（${brandIdList([...brandIds]).zh}）`,
      });
  });
  return config;
}

/** The file each loaded config was read from, so a problem found later (a lexicon addition, a model
 *  file, when the classifier is first built) can name the file as well as the field. */
const sources = new WeakMap<VocConfig, string>();

/** The file `config` was read from by loadConfig (undefined for a config built in code or the default). */
export function configSource(config: VocConfig): string | undefined {
  return sources.get(config);
}

/** Reads `path` (or ./voc.config.yaml when it exists, else an empty config). */
export function loadConfig(path?: string): { config: VocConfig; path?: string } {
  const file = path ?? (existsSync(CONFIG_FILE) ? CONFIG_FILE : undefined);
  if (!file) return { config: parseConfig({}) };
  if (!existsSync(file))
    throw new InputError({
      en: `config file not found: ${file}; pass --config PATH or create ${CONFIG_FILE}`,
      zh: `找不到配置文件：${file}；请用 --config PATH 指定，或创建 ${CONFIG_FILE}`,
    });
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    const msg = (err as Error).message.split('\n')[0];
    throw new InputError({ en: `${file}: not valid YAML: ${msg}`, zh: `${file}：不是有效的 YAML：${msg}` });
  }
  const config = parseConfig(raw, file);
  // A relative dataDir is relative to the config file, so `voc -c other/voc.config.yaml` works from anywhere.
  const base = dirname(resolve(file));
  config.dataDir = resolve(base, config.dataDir);
  // Model files likewise. A missing one is not an error here: `voc train` must be able to make it,
  // and commands that never classify need none (see checkModelFiles).
  for (const task of MODEL_TASKS) {
    const model = config.models[task];
    if (model !== undefined) config.models[task] = resolve(base, model);
  }
  sources.set(config, file);
  return { config, path: file };
}

/** The model kinds a config may name under `models:`. */
export const MODEL_TASKS = ['sentiment', 'aspects', 'channels'] as const;

/**
 * The model files the config names must exist before anything is classified (`voc config check`, and
 * the classifier when it is built): one InputError naming the field and the command that makes it.
 */
export function checkModelFiles(config: Pick<VocConfig, 'models'>): void {
  for (const task of MODEL_TASKS) {
    const model = config.models[task];
    if (model !== undefined && !existsSync(model)) {
      const train = `voc train ${task} ${task === 'channels' ? '--gold GOLD.jsonl' : '--data FILE'} --out ${model}`;
      throw new InputError({
        en: `models.${task}: model file not found: ${model}; train one with \`${train}\` or remove the entry`,
        zh: `models.${task}：找不到模型文件：${model}；请用 \`${train}\` 训练一个，或删除这一项`,
      });
    }
  }
}

/**
 * What a target added outside the config file (`voc targets add|import`, the console's API) must
 * satisfy besides its schema: a brand the config declares, and an id the config does not own
 * (a target declared in the file is changed there). `field(name)` names the field in errors.
 */
export function checkTargetAgainstConfig(target: Target, config: VocConfig, field: (name: 'brand' | 'id') => string, opts: { checkConfigOwned?: boolean } = {}): void {
  if (!config.brands.some((b) => b.id === target.brand))
    throw new InputError({
      en: `${field('brand')}: unknown brand "${target.brand}"; expected one of the ids under brands (${brandIdList(config.brands.map((b) => b.id)).en})`,
      zh: `${field('brand')}：未知品牌“${target.brand}”；应为 brands 下的某个 id（${brandIdList(config.brands.map((b) => b.id)).zh}）`,
    });
  if (opts.checkConfigOwned !== false && config.targets.some((t) => t.id === target.id))
    throw new InputError({
      en: `${field('id')}: target "${target.id}" is declared in the config file; change it there`,
      zh: `${field('id')}：抓取目标“${target.id}”是在配置文件中声明的；请在配置文件中修改`,
    });
}

/** Fills a target's defaults from the config (source, kind, delay, time zone, private-address allowance). */
export function resolveTarget(input: TargetInput, config: VocConfig, origin = 'target'): Target {
  const parsed = targetInputSchema.safeParse(input);
  if (!parsed.success) throw issueError(origin, parsed.error.issues[0]!);
  const t = parsed.data;
  const host = new URL(t.url).hostname.replace(/^\[|\]$/g, '');
  const target: Target = {
    id: t.id,
    kind: t.kind ?? (t.preset ? PRESET_KINDS[t.preset] : 'html'),
    url: t.url,
    brand: t.brand,
    source: t.source ?? t.id,
    maxPages: t.maxPages,
    delayMs: t.delayMs ?? config.crawler.defaultDelayMs,
    allowPrivate: t.allowPrivate || config.crawler.allowPrivateHosts.includes(host),
    timeZone: t.timeZone ?? config.timeZone,
  };
  // Optional parts are copied only when present, so a stored target stays as small as its config.
  const optional = {
    selectors: t.selectors,
    pagination: t.pagination,
    detail: t.detail,
    json: t.json,
    sitemap: t.sitemap,
    browser: t.browser,
    preset: t.preset,
    maxDepth: t.maxDepth,
    requestsPerMinute: t.requestsPerMinute,
    maxConcurrency: t.maxConcurrency,
    stopAtKnown: t.stopAtKnown,
    schedule: t.schedule || undefined,
  };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) (target as unknown as Record<string, unknown>)[key] = value;
  return target;
}

/** The brand ids an error offers; with none, how to get one (a new user's first config). */
export function brandIdList(ids: readonly string[]): Bilingual {
  if (!ids.length) return { en: 'none defined yet; `voc init` writes a config with one', zh: '尚未定义品牌；`voc init` 可生成含一个品牌的配置' };
  return { en: ids.join(', '), zh: ids.join('、') };
}

export function findBrand(config: VocConfig, id: string): BrandConfig {
  const brand = config.brands.find((b) => b.id === id);
  if (!brand)
    throw new InputError({
      en: `unknown brand "${id}"; expected one of: ${config.brands.length ? brandIdList(config.brands.map((b) => b.id)).en : `(${brandIdList([]).en})`}`,
      zh: `未知品牌“${id}”；应为以下之一：${config.brands.length ? brandIdList(config.brands.map((b) => b.id)).zh : `（${brandIdList([]).zh}）`}`,
    });
  return brand;
}

/** The InputError of a schema issue: `origin: field.path: what is expected`. */
function issueError(origin: string, issue: z.core.$ZodIssue): InputError {
  const { en, zh } = describeIssue(issue);
  return new InputError({ en: `${origin}: ${en}`, zh: `${origin}：${zh}` });
}


function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.includes('/') || zone === 'UTC';
  } catch {
    return false;
  }
}

/** `iso`, `unix`, `unix_ms`, or a pattern holding at least YYYY, MM/M and DD/D. */
function isTimeFormat(value: string): boolean {
  if (value === 'iso' || value === 'unix' || value === 'unix_ms') return true;
  return /YYYY/.test(value) && /M/.test(value.replace(/mm/g, '')) && /D/.test(value);
}

function isRegex(value: string): boolean {
  try {
    new RegExp(value);
    return true;
  } catch {
    return false;
  }
}

function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}
