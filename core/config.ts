/**
 * `voc.config.yaml`: brands, promises, taxonomy overrides, targets, time zone. Validated with zod;
 * a bad file becomes one `InputError` line naming the field path and what is expected.
 */
import { readFileSync, existsSync, statSync } from 'node:fs';
import { resolve, dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { InputError, type Bilingual } from './errors.js';
import { DEFAULT_CHANNELS, PRESET_KINDS, PRESET_NAMES, SCENARIO_TYPES, TARGET_KINDS, type Target } from './types.js';
import { STARTER_TAXONOMIES } from './starter-config.js';
import { nearest } from './nearest.js';
import { campaignSchema, reportScheduleSchema, smtpSchema } from './report-config.js';
import { phrase } from './phrases.js';
import { describeIssue } from './schema-issues.js';
import { describeYamlError } from './yaml-error.js';

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

/** The keys a listing selector spec takes, and those of a detail page's post (no next page): read off the schemas, for the checks at `targets add` (cli/selector-check.ts). */
export const SELECTOR_KEYS: readonly string[] = Object.keys(selectorSpecSchema.shape);
export const DETAIL_POST_KEYS: readonly string[] = ['item', ...Object.keys(selectorFields)];

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
  checkTaxonomies(config, origin);
  checkNewChannels(config, origin);
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

/**
 * A brand's aspectTaxonomy must be a shipped taxonomy or one the config defines under `aspects:`:
 * the classifier gives an unknown id an empty taxonomy, so a typo (`retial`) would silently switch
 * aspect classification off for the brand.
 */
function checkTaxonomies(config: VocConfig, origin: string): void {
  const defined = Object.keys(config.aspects).filter((id) => !(STARTER_TAXONOMIES as readonly string[]).includes(id));
  const known = [...STARTER_TAXONOMIES, ...defined];
  config.brands.forEach((b, i) => {
    if (known.includes(b.aspectTaxonomy)) return;
    const guess = nearest(b.aspectTaxonomy, known);
    const ownEn = defined.length ? ` (or ${defined.join(', ')} defined under aspects:)` : ' (or a taxonomy defined in the config under aspects:)';
    const ownZh = defined.length ? `（或 aspects: 下定义的 ${defined.join('、')}）` : '（或在配置的 aspects: 下定义的分类）';
    throw new InputError({
      en: `${origin}: brands.${i}.aspectTaxonomy: unknown taxonomy "${b.aspectTaxonomy}"; ${guess ? `did you mean ${guess}? ` : ''}expected one of ${STARTER_TAXONOMIES.join(', ')}${ownEn}`,
      zh: `${origin}：brands.${i}.aspectTaxonomy：未知的方面分类“${b.aspectTaxonomy}”；${guess ? `是否想写 ${guess}？` : ''}应为 ${STARTER_TAXONOMIES.join('、')} 之一${ownZh}`,
    });
  });
}

/**
 * A key under `channels:` that is not a shipped channel makes a new channel. Reports print its
 * label, so a new one needs both; and an id a couple of letters from a shipped one (`stroe`) is far
 * more likely a typo that would quietly leave the aliases off the shipped channel, so it is named.
 */
function checkNewChannels(config: VocConfig, origin: string): void {
  for (const [id, c] of Object.entries(config.channels)) {
    if ((DEFAULT_CHANNELS as readonly string[]).includes(id)) continue;
    if (c.label?.['zh-CN'] && c.label.en) continue;
    const guess = nearest(id, DEFAULT_CHANNELS);
    throw new InputError(
      guess
        ? {
            en: `${origin}: channels.${id}: unknown channel "${id}"; did you mean ${guess}? (a new channel needs a label { zh-CN, en })`,
            zh: `${origin}：channels.${id}：未知的渠道“${id}”；是否想写 ${guess}？（新渠道需要 label { zh-CN, en }）`,
          }
        : {
            en: `${origin}: channels.${id}.label: a new channel needs a label in zh-CN and en, e.g. { zh-CN: 车友论坛, en: Owners forum }; the shipped channels are ${DEFAULT_CHANNELS.join(', ')}`,
            zh: `${origin}：channels.${id}.label：新渠道需要 zh-CN 和 en 两种语言的名称，例如 { zh-CN: 车友论坛, en: Owners forum }；内置渠道为 ${DEFAULT_CHANNELS.join('、')}`,
          },
    );
  }
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
      en: `config file not found: ${file}; \`voc -c ${file} init\` writes a starter one, or pass --config with the path of yours`,
      zh: `找不到配置文件：${file}；\`voc -c ${file} init\` 可生成一个初始配置，或用 --config 指定已有配置文件的路径`,
    });
  if (statSync(file).isDirectory())
    throw new InputError({
      en: `${file}: is a folder, not a config file; pass the file itself (e.g. --config ${join(file, CONFIG_FILE)})`,
      zh: `${file}：是文件夹，不是配置文件；请指定文件本身（例如 --config ${join(file, CONFIG_FILE)}）`,
    });
  let raw: unknown;
  const text = readFileSync(file, 'utf8');
  try {
    raw = parseYaml(text);
  } catch (err) {
    const { en, zh } = describeYamlError(err, text);
    throw new InputError({ en: `${file}: not valid YAML: ${en}`, zh: `${file}：不是有效的 YAML：${zh}` });
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
export function checkTargetAgainstConfig(
  target: Target,
  config: VocConfig,
  field: (name: 'brand' | 'id') => string | Bilingual,
  opts: { checkConfigOwned?: boolean } = {},
): void {
  // A field named with a file before it (`file: targets.0`) takes each language's colon.
  const named = (name: 'brand' | 'id') => {
    const f = field(name);
    return typeof f === 'string' ? { en: f, zh: f } : f;
  };
  if (!config.brands.some((b) => b.id === target.brand))
    throw new InputError({
      en: `${named('brand').en}: unknown brand "${target.brand}"; expected one of the ids under brands (${brandIdList(config.brands.map((b) => b.id)).en})`,
      zh: `${named('brand').zh}：未知品牌“${target.brand}”；应为 brands 下的某个 id（${brandIdList(config.brands.map((b) => b.id)).zh}）`,
    });
  if (opts.checkConfigOwned !== false && config.targets.some((t) => t.id === target.id))
    throw new InputError({
      en: `${named('id').en}: target "${target.id}" is declared in the config file; change it there`,
      zh: `${named('id').zh}：抓取目标“${target.id}”是在配置文件中声明的；请在配置文件中修改`,
    });
}

/**
 * A target as stored: what its input gave, nothing taken from the config. The crawl delay, the time
 * zone and above all the private-address allowance come from the config as it is at crawl time
 * (`targetWithDefaults`), so editing the config (removing a host from crawler.allowPrivateHosts,
 * a new defaultDelayMs) reaches targets added earlier. `kind`, `source` and `maxPages` depend on
 * the input alone and are kept.
 */
export type StoredTarget = Omit<Target, 'delayMs' | 'allowPrivate' | 'timeZone'> & Partial<Pick<Target, 'delayMs' | 'allowPrivate' | 'timeZone'>>;

/** The stored form of each target `resolveTarget` made, for `storedFormOf`. */
const storedForms = new WeakMap<Target, StoredTarget>();

/** Validates a target's input (schema issues name `origin`) and keeps only what it gave. */
export function storedTarget(input: TargetInput, origin: Origin = 'target'): StoredTarget {
  const parsed = targetInputSchema.safeParse(input);
  if (!parsed.success) throw issueError(origin, parsed.error.issues[0]!);
  const t = parsed.data;
  const target: StoredTarget = {
    id: t.id,
    kind: t.kind ?? (t.preset ? PRESET_KINDS[t.preset] : 'html'),
    url: t.url,
    brand: t.brand,
    source: t.source ?? t.id,
    maxPages: t.maxPages,
  };
  // Optional parts are copied only when present, so a stored target stays as small as its input.
  const optional = {
    delayMs: t.delayMs,
    // The schema defaults it to false; only an explicit true is the input's (a config file's) word.
    allowPrivate: t.allowPrivate || undefined,
    timeZone: t.timeZone,
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

/**
 * The target a crawl uses: `stored` with the config's current defaults (delay, time zone) and the
 * private-address allowance of `crawler.allowPrivateHosts`.
 *
 * `allowPrivate` set on the target itself is honoured only with `trustAllowPrivate`, i.e. for a
 * target declared in the config file, which only whoever runs voc edits. A stored target's flag is
 * ignored: voc up to 0.1 stored `allowPrivate: true` whenever the host was listed in
 * allowPrivateHosts when the target was added, and that copy cannot be told from a deliberate one,
 * so honouring it would keep open an intranet host the config has since closed. The console and
 * `voc targets add` refuse the field; a current voc stores it only in the copy of a target the config
 * file declares, which is read from the file instead (effectiveTarget), and ignored once the file
 * no longer declares it.
 */
export function targetWithDefaults(stored: StoredTarget, config: VocConfig, opts: { trustAllowPrivate?: boolean } = {}): Target {
  let host = '';
  try {
    host = new URL(stored.url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    // A damaged stored URL: no host, no allowance; the crawl reports the URL itself.
  }
  const { allowPrivate, ...rest } = stored;
  return {
    ...rest,
    delayMs: stored.delayMs ?? config.crawler.defaultDelayMs,
    timeZone: stored.timeZone ?? config.timeZone,
    allowPrivate: (opts.trustAllowPrivate === true && allowPrivate === true) || config.crawler.allowPrivateHosts.includes(host),
  };
}

/**
 * Validates a target's input and fills its defaults from the config, for a crawl, a preview or a
 * check. Saving it through `storedFormOf` keeps only what the input gave. `allowPrivate` of the
 * input is honoured: callers taking targets from anyone but the config file refuse that field.
 */
export function resolveTarget(input: TargetInput, config: VocConfig, origin: Origin = 'target'): Target {
  const stored = storedTarget(input, origin);
  const target = targetWithDefaults(stored, config, { trustAllowPrivate: true });
  storedForms.set(target, stored);
  return target;
}

/** What to store of `target`: its input's fields when `resolveTarget` made it, else the target as it is. */
export function storedFormOf(target: Target): StoredTarget {
  return storedForms.get(target) ?? target;
}

/**
 * A target read from the store as a crawl uses it: a target the config file declares is the config's
 * (its stored copy may be older), any other gets the config's current defaults and allowances.
 */
export function effectiveTarget(stored: StoredTarget, config: VocConfig): Target {
  const i = config.targets.findIndex((t) => t.id === stored.id);
  if (i >= 0) return resolveTarget(config.targets[i]!, config, `targets.${i}`);
  return targetWithDefaults(stored, config);
}

/** The brand ids an error offers; with none, how to get one (a new user's first config). */
export function brandIdList(ids: readonly string[]): Bilingual {
  if (!ids.length) return { en: 'none defined yet; `voc init` writes a config with one', zh: '尚未定义品牌；`voc init` 可生成含一个品牌的配置' };
  return { en: ids.join(', '), zh: ids.join('、') };
}

/**
 * The brand a command-line value names: its id, else (case-insensitive) its name or an alias when
 * only one brand has it, so `--brand 优品汇` finds youpin. Unknown values fail as in findBrand.
 */
export function brandNamed(config: VocConfig, value: string): BrandConfig {
  if (config.brands.some((b) => b.id === value)) return findBrand(config, value);
  const wanted = value.trim().toLowerCase();
  const named = config.brands.filter((b) => [b.name, ...b.aliases].some((n) => n.toLowerCase() === wanted));
  if (named.length > 1)
    throw new InputError({
      en: `brand "${value}" is a name of several brands: ${named.map((b) => b.id).join(', ')}; give one of those ids`,
      zh: `“${value}”同时是多个品牌的名称：${named.map((b) => b.id).join('、')}；请给出其中一个 ID`,
    });
  return named[0] ?? findBrand(config, value);
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
function issueError(origin: Origin, issue: z.core.$ZodIssue): InputError {
  const { en, zh } = describeIssue(issue);
  const o = typeof origin === 'string' ? { en: origin, zh: origin } : origin;
  return new InputError({ en: `${o.en}: ${en}`, zh: `${o.zh}：${zh}` });
}

/** What an error names before the field: a file, `target`, or a file and a place in it in each language's punctuation. */
export type Origin = string | Bilingual;


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
