/**
 * `voc.config.yaml`: brands, promises, taxonomy overrides, targets, time zone. Validated with zod;
 * a bad file becomes one `InputError` line naming the field path and what is expected.
 */
import { readFileSync, existsSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { InputError } from './errors.js';
import type { Target } from './types.js';
import { campaignSchema, reportScheduleSchema, smtpSchema } from './report-config.js';

const ianaZone = z.string().refine(isValidTimeZone, { message: 'an IANA time zone such as Asia/Shanghai' });
const idString = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]*$/, { message: 'an id of lower-case letters, digits, _ or - (e.g. "acme-forum")' });

const selectorSpecSchema = z.strictObject({
  item: z.string().min(1),
  text: z.string().min(1),
  id: z.string().optional(),
  author: z.string().optional(),
  time: z.string().optional(),
  timeFormat: z.enum(['iso', 'unix', 'unix_ms']).optional(),
  link: z.string().optional(),
  rating: z.string().optional(),
  likes: z.string().optional(),
  replies: z.string().optional(),
  nextPage: z.string().optional(),
});

const httpUrl = z.string().refine(isHttpUrl, { message: 'an absolute http:// or https:// URL' });

export const targetInputSchema = z.strictObject({
  id: idString,
  kind: z.literal('html').default('html'),
  url: httpUrl,
  brand: idString,
  source: idString.optional(),
  selectors: selectorSpecSchema,
  maxPages: z.number().int().min(1).max(100000).default(50),
  delayMs: z.number().int().min(0).optional(),
  allowPrivate: z.boolean().default(false),
  timeZone: ianaZone.optional(),
  schedule: z.string().optional(),
});
export type TargetInput = z.input<typeof targetInputSchema>;

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

const channelOverrideSchema = z.strictObject({
  label: z.strictObject({ 'zh-CN': z.string(), en: z.string() }).partial().optional(),
  aliases: z.array(z.string().min(1)).default([]),
});

const configSchema = z.strictObject({
  timeZone: ianaZone.default('Asia/Shanghai'),
  locale: z.enum(['zh-CN', 'en']).default('zh-CN'),
  dataDir: z.string().default('.voc-data'),
  crawler: z
    .strictObject({
      userAgent: z.string().default('voc/0.1 (+https://github.com/voc-project/voc)'),
      defaultDelayMs: z.number().int().min(0).default(1000),
      respectRobots: z.boolean().default(true),
      /** Hosts or IPs that may resolve to private/loopback addresses (tests, demo, intranet). */
      allowPrivateHosts: z.array(z.string()).default([]),
      concurrency: z.number().int().min(1).max(64).default(4),
    })
    .prefault({}),
  brands: z.array(brandSchema).default([]),
  /** Channel taxonomy overrides: extra aliases for a default channel, or a new channel. */
  channels: z.record(z.string(), channelOverrideSchema).default({}),
  /** Aspect taxonomies: id -> aspect -> keywords; merged over the lexicon defaults. */
  aspects: z.record(z.string(), z.record(z.string(), z.array(z.string()))).default({}),
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
  if (!result.success) throw new InputError(`${origin}: ${describeIssue(result.error.issues[0]!)}`);
  const config = result.data;
  const brandIds = new Set(config.brands.map((b) => b.id));
  const seen = new Set<string>();
  config.targets.forEach((t, i) => {
    if (seen.has(t.id)) throw new InputError(`${origin}: targets.${i}.id: duplicate target id "${t.id}"; ids must be unique`);
    seen.add(t.id);
    if (!brandIds.has(t.brand))
      throw new InputError(
        `${origin}: targets.${i}.brand: unknown brand "${t.brand}"; expected one of the ids under brands (${[...brandIds].join(', ') || 'none defined'})`,
      );
  });
  return config;
}

/** Reads `path` (or ./voc.config.yaml when it exists, else an empty config). */
export function loadConfig(path?: string): { config: VocConfig; path?: string } {
  const file = path ?? (existsSync(CONFIG_FILE) ? CONFIG_FILE : undefined);
  if (!file) return { config: parseConfig({}) };
  if (!existsSync(file)) throw new InputError(`config file not found: ${file}; pass --config PATH or create ${CONFIG_FILE}`);
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    const msg = (err as Error).message.split('\n')[0];
    throw new InputError(`${file}: not valid YAML: ${msg}`);
  }
  const config = parseConfig(raw, file);
  // A relative dataDir is relative to the config file, so `voc -c other/voc.config.yaml` works from anywhere.
  config.dataDir = resolve(dirname(resolve(file)), config.dataDir);
  return { config, path: file };
}

/** Fills a target's defaults from the config (source, delay, time zone, private-address allowance). */
export function resolveTarget(input: TargetInput, config: VocConfig, origin = 'target'): Target {
  const parsed = targetInputSchema.safeParse(input);
  if (!parsed.success) throw new InputError(`${origin}: ${describeIssue(parsed.error.issues[0]!)}`);
  const t = parsed.data;
  const host = new URL(t.url).hostname.replace(/^\[|\]$/g, '');
  return {
    id: t.id,
    kind: t.kind,
    url: t.url,
    brand: t.brand,
    source: t.source ?? t.id,
    selectors: t.selectors,
    maxPages: t.maxPages,
    delayMs: t.delayMs ?? config.crawler.defaultDelayMs,
    allowPrivate: t.allowPrivate || config.crawler.allowPrivateHosts.includes(host),
    timeZone: t.timeZone ?? config.timeZone,
    ...(t.schedule ? { schedule: t.schedule } : {}),
  };
}

export function findBrand(config: VocConfig, id: string): BrandConfig {
  const brand = config.brands.find((b) => b.id === id);
  if (!brand)
    throw new InputError(
      `unknown brand "${id}"; expected one of: ${config.brands.map((b) => b.id).join(', ') || '(no brands in the config)'}`,
    );
  return brand;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.length ? issue.path.map(String).join('.') : '(top level)';
  let expected = issue.message;
  if (issue.code === 'invalid_type') {
    expected = `expected ${issue.expected}`;
  } else if (issue.code === 'unrecognized_keys') {
    expected = `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}; check the spelling against the configuration reference in README.md`;
  } else if (issue.code === 'invalid_value') {
    expected = `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  } else if (issue.code === 'custom' || issue.code === 'invalid_format') {
    expected = `expected ${issue.message}`;
  }
  return `${path}: ${expected}`;
}

function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.includes('/') || zone === 'UTC';
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
