/**
 * The report commands of `voc`, as a module the main program registers:
 *
 *   voc report --brand B --period 2026-10 | --from D --to D [--format pdf,html] [--out DIR]
 *              [--sections LIST] [--json] [--deliver [SCHEDULE]]
 *   voc reports list [--brand B] [--json]
 *   voc reports show ID [--json]
 *   voc reports rerender ID [--out DIR] [--json]
 *
 * Bad input is one InputError line (exit 2); a delivery that failed after its retries sets exit
 * code 1 and is recorded on the archived report (`voc reports show` prints it).
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { brandNamed, type VocConfig } from '../core/config.js';
import { InputError } from '../core/errors.js';
import { REPORT_SECTIONS, type ReportScheduleConfig, type ReportSection } from '../core/report-config.js';
import { checkComparablePeriod, formatInZone, resolvePeriod } from '../core/time.js';
import type { Locale } from '../core/types.js';
import { checkReportConfig } from '../reports/config-check.js';
import { deliverReport, type DeliveryOutcome } from '../reports/deliver/index.js';
import { formatRange } from '../reports/format.js';
import { generateReport, rerenderReport, type GenerateDeps, type ReportRequest } from '../reports/generate.js';
import type { ClassifierEvaluation } from '../reports/view-model.js';
import { snapshotCounts, type DeliveryRecord, type ReportRecord } from '../store/store.js';
import { reportLabels } from '../workers/labels.js';
import type { App } from './app.js';
import { parseFormats } from './options.js';
import { jsonText } from './json.js';

export interface ReportCommandContext {
  readConfig(): VocConfig;
  openApp(config: VocConfig): Promise<App>;
  locale(config?: VocConfig): Locale;
  /** The classifier's accuracy measured by `voc eval`, when known (printed in the methods appendix). */
  evaluation?(config: VocConfig): ClassifierEvaluation | undefined;
}

const TEXT = {
  'zh-CN': {
    none: '（没有已归档的报告）',
    posts: (n: number) => `${n} 条帖子`,
    deliveryCounts: (sent: number, failed: number) => `已送达 ${sent}，失败 ${failed}`,
    delivered: (d: DeliveryRecord) => `${channelName('zh-CN', d.channel)} → ${d.target}：${d.status === 'sent' ? '已送达' : '失败'}（尝试 ${d.attempts} 次）${d.error ? `：${d.errorZh ?? d.error}` : ''}`,
    unchanged: '数据快照的数字与归档时一致。',
    changed: '注意：数字与归档时不同（分类结果或数据已变化）。',
    unknownDigest: '归档记录没有数字摘要，无法比对。',
    fields: { brand: '品牌', period: '报告期', timeZone: '时区', locale: '语言', lexicon: '词典版本', created: '生成时间', posts: '分析帖子', spam: '排除的垃圾帖', nearDuplicates: '排除的近似重复帖', spamOrDuplicates: '排除的垃圾/重复帖', unclassified: '未分类', previous: '上期帖子', files: '文件', deliveries: '投递', schedule: '定时任务', sections: '章节' },
    noDeliveries: '（尚未投递）',
  },
  en: {
    none: '(no archived report)',
    posts: (n: number) => `${n} posts`,
    deliveryCounts: (sent: number, failed: number) => `delivered ${sent}, failed ${failed}`,
    delivered: (d: DeliveryRecord) => `${channelName('en', d.channel)} → ${d.target}: ${d.status}${d.attempts ? ` after ${d.attempts} attempt${d.attempts === 1 ? '' : 's'}` : ''}${d.error ? `: ${d.error}` : ''}`,
    unchanged: 'The figures from the data snapshot equal the archived ones.',
    changed: 'Note: the figures differ from the archived ones (classifications or data changed).',
    unknownDigest: 'The archived record has no figures digest to compare with.',
    fields: { brand: 'Brand', period: 'Period', timeZone: 'Time zone', locale: 'Language', lexicon: 'Lexicon', created: 'Created', posts: 'Posts analysed', spam: 'Excluded spam', nearDuplicates: 'Excluded near-duplicates', spamOrDuplicates: 'Excluded spam/duplicates', unclassified: 'Unclassified', previous: 'Previous-period posts', files: 'Files', deliveries: 'Deliveries', schedule: 'Schedule', sections: 'Sections' },
    noDeliveries: '(not delivered yet)',
  },
} as const;

function channelName(locale: Locale, channel: string): string {
  const zh: Record<string, string> = { email: '邮件', webhook: 'Webhook', folder: '文件夹' };
  return locale === 'zh-CN' ? zh[channel] ?? channel : channel;
}

/** Adds `report` and `reports list|show|rerender` to `program`. */
export function registerReportCommands(program: Command, ctx: ReportCommandContext): void {
  program
    .command('report')
    .description('render the brand-consistency report of a brand and period to HTML and PDF, archive it and optionally deliver it')
    .requiredOption('--brand <id>', 'brand id from the config')
    .option('--period <YYYY-MM>', 'a calendar month in the config time zone')
    .option('--from <YYYY-MM-DD>', 'first day (with --to)')
    .option('--to <YYYY-MM-DD>', 'last day, inclusive (with --from)')
    .option('--format <list>', 'pdf,html', 'html,pdf')
    .option('--out <dir>', 'output folder', 'reports')
    .option('--sections <list>', `sections to print (default all): ${REPORT_SECTIONS.join(',')}`)
    .option('--json', 'print the files and figures as JSON')
    .option('--deliver [schedule]', 'deliver as configured under `reports:` for this brand (all its entries, or the one named)')
    .action(
      async (opts: { brand: string; period?: string; from?: string; to?: string; format: string; out: string; sections?: string; json?: boolean; deliver?: string | boolean }) => {
        const config = ctx.readConfig();
        checkReportConfig(config);
        // A brand's name does as well as its id (--brand 优品汇); from here on, the id.
        opts.brand = brandNamed(config, opts.brand).id;
        if (opts.period && (opts.from || opts.to))
          throw new InputError({ en: 'give either --period or --from/--to, not both', zh: '--period 与 --from/--to 只能二选一' });
        const period = resolvePeriod(config.timeZone, opts.period, opts.from, opts.to);
        checkComparablePeriod(period, opts.period ? { to: '--period' } : {});
        const sections = opts.sections === undefined ? undefined : parseSections(opts.sections);
        const deliveries = opts.deliver === undefined ? [] : deliveryConfigs(config, opts.brand, opts.deliver);
        const loc = ctx.locale(config);
        const spec: ReportRequest = {
          brand: opts.brand,
          period: period.label,
          from: period.from,
          to: period.to,
          timeZone: config.timeZone,
          locale: loc,
          formats: parseFormats(opts.format),
          ...(sections ? { sections } : {}),
        };
        const app = await ctx.openApp(config);
        try {
          const result = await generateReport(generateDeps(ctx, app, config), spec, resolve(opts.out));
          const outcomes: DeliveryOutcome[] = [];
          for (const d of deliveries) outcomes.push(await deliverReport({ store: app.store, config }, result, d.deliver, 'manual'));
          const delivered = outcomes.flatMap((o) => o.delivered);
          if (opts.json) {
            console.log(jsonText({ files: result.files, figures: result.figures, record: { id: result.record.id }, ...(deliveries.length ? { deliveries: delivered } : {}) }));
          } else {
            for (const f of result.files) console.log(f);
            for (const d of delivered) console.log(TEXT[loc].delivered(d));
          }
          if (delivered.some((d) => d.status === 'failed')) process.exitCode = 1;
        } finally {
          await app.close();
        }
      },
    );

  const reports = program.commands.find((c) => c.name() === 'reports') ?? program.command('reports').description('archived reports');
  reports
    .command('list')
    .description('archived reports, newest first')
    .option('--brand <id>', 'only this brand')
    .option('--json', 'one JSON object per line')
    .action(async (opts: { brand?: string; json?: boolean }) => {
      const config = ctx.readConfig();
      const loc = ctx.locale(config);
      const app = await ctx.openApp(config);
      try {
        const list = await app.store.listReports(opts.brand);
        if (!opts.json && list.length === 0) console.log(TEXT[loc].none);
        for (const r of list) {
          if (opts.json) console.log(jsonText(summariseRecord(r)));
          else {
            const sent = (r.deliveries ?? []).filter((d) => d.status === 'sent').length;
            const failed = (r.deliveries ?? []).filter((d) => d.status === 'failed').length;
            console.log([r.id, r.brand, r.period, r.locale, TEXT[loc].posts(r.postCount), formatInZone(r.createdAt, config.timeZone), TEXT[loc].deliveryCounts(sent, failed)].join('\t'));
          }
        }
      } finally {
        await app.close();
      }
    });

  reports
    .command('show')
    .description('one archived report: spec, data snapshot, files with checksums and delivery outcomes')
    .argument('<id>')
    .option('--json', 'the record as JSON (post id lists replaced by their counts)')
    .action(async (id: string, opts: { json?: boolean }) => {
      const config = ctx.readConfig();
      const loc = ctx.locale(config);
      const app = await ctx.openApp(config);
      try {
        const r = await app.store.getReport(id);
        if (!r)
          throw new InputError({
            en: `unknown report "${id}"; \`voc reports list\` shows the archived reports`,
            zh: `报告“${id}”不存在；\`voc reports list\` 可查看已归档的报告`,
          });
        if (opts.json) console.log(jsonText(summariseRecord(r), null, 2));
        else console.log(describeRecord(r, loc, config.timeZone));
      } finally {
        await app.close();
      }
    });

  reports
    .command('rerender')
    .description('render an archived report again from its data snapshot and spec (same posts, current templates)')
    .argument('<id>')
    .option('--out <dir>', 'output folder (default: where it was written)')
    .option('--json', 'print the files, figures and whether they changed as JSON')
    .action(async (id: string, opts: { out?: string; json?: boolean }) => {
      const config = ctx.readConfig();
      const loc = ctx.locale(config);
      const app = await ctx.openApp(config);
      try {
        const result = await rerenderReport(generateDeps(ctx, app, config), id, opts.out ? resolve(opts.out) : undefined);
        if (opts.json) console.log(jsonText({ files: result.files, figures: result.figures, figuresUnchanged: result.figuresUnchanged }));
        else {
          for (const f of result.files) console.log(f);
          console.log(result.figuresUnchanged === null ? TEXT[loc].unknownDigest : result.figuresUnchanged ? TEXT[loc].unchanged : TEXT[loc].changed);
        }
      } finally {
        await app.close();
      }
    });
}

function generateDeps(ctx: ReportCommandContext, app: App, config: VocConfig): GenerateDeps {
  const evaluation = ctx.evaluation?.(config);
  return {
    store: app.store,
    config,
    labels: reportLabels(config, app.classifier.lexicons),
    lexiconVersion: app.classifier.lexiconVersion,
    ...(evaluation ? { evaluation } : {}),
  };
}

/** The `reports:` entries whose delivery `voc report --deliver [id]` uses. */
function deliveryConfigs(config: VocConfig, brand: string, which: string | boolean): ReportScheduleConfig[] {
  const own = config.reports.filter((r) => r.brand === brand);
  if (typeof which === 'string') {
    const entry = config.reports.find((r) => r.id === which);
    if (!entry) {
      const ids = config.reports.map((r) => r.id);
      throw new InputError({
        en: `--deliver: unknown report "${which}"; expected one of the ids under reports (${ids.join(', ') || 'none defined'})`,
        zh: `--deliver：报告“${which}”不存在；应为 reports 下的 id 之一（${ids.join('、') || '尚未定义'}）`,
      });
    }
    if (entry.brand !== brand)
      throw new InputError({
        en: `--deliver: report "${which}" is for brand "${entry.brand}", not "${brand}"`,
        zh: `--deliver：报告“${which}”属于品牌“${entry.brand}”，而不是“${brand}”`,
      });
    return [entry];
  }
  const withChannels = own.filter((r) => r.deliver.email || r.deliver.webhook || r.deliver.folder);
  if (withChannels.length === 0)
    throw new InputError({
      en: `--deliver: no delivery configured for brand "${brand}"; add an entry with deliver: {email, webhook or folder} under reports: in voc.config.yaml`,
      zh: `--deliver：品牌“${brand}”没有配置投递；请在 voc.config.yaml 的 reports: 下添加一项，带上 deliver:（email、webhook 或 folder）`,
    });
  return withChannels;
}

function parseSections(value: string): ReportSection[] {
  const list = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const s of list)
    if (!REPORT_SECTIONS.includes(s as ReportSection))
      throw new InputError({
        en: `--sections: unknown section "${s}"; expected some of ${REPORT_SECTIONS.join(',')}`,
        zh: `--sections：未知的章节“${s}”；应为 ${REPORT_SECTIONS.join(',')} 中的一个或多个`,
      });
  if (list.length === 0)
    throw new InputError({ en: `--sections: expected some of ${REPORT_SECTIONS.join(',')}`, zh: `--sections：应为 ${REPORT_SECTIONS.join(',')} 中的一个或多个` });
  return [...new Set(list)] as ReportSection[];
}


/** The record without its (long) post id lists, which are replaced by their lengths. */
export function summariseRecord(r: ReportRecord): unknown {
  const { postIds, snapshot, ...rest } = r;
  return {
    ...rest,
    postIds: postIds.length,
    ...(snapshot
      ? {
          snapshot: {
            ...snapshotCounts(snapshot),
            excludedPostIds: snapshot.excludedPostIds.length,
            previousPostIds: snapshot.previousPostIds.length,
            ...(snapshot.competitorPostIds
              ? { competitorPostIds: Object.fromEntries(Object.entries(snapshot.competitorPostIds).map(([k, v]) => [k, { current: v.current.length, previous: v.previous.length }])) }
              : {}),
          },
        }
      : {}),
  };
}

/** `voc reports show`: the record for people; its creation time in `zone` (the config's, as every printed date). */
export function describeRecord(r: ReportRecord, loc: Locale, zone = r.timeZone): string {
  const T = TEXT[loc];
  const f = T.fields;
  const lines = [
    r.id,
    `  ${f.brand}: ${r.brand}`,
    `  ${f.period}: ${r.period} (${formatRange(r.from, r.to, r.timeZone)})`,
    `  ${f.timeZone}: ${r.timeZone}`,
    `  ${f.locale}: ${r.locale}`,
    `  ${f.lexicon}: ${r.lexiconVersion}`,
    `  ${f.created}: ${formatInZone(r.createdAt, zone)}`,
    `  ${f.posts}: ${r.postCount}`,
  ];
  if (r.snapshot) {
    // Records made before near-duplicates were counted apart hold both in postsExcludedSpam.
    const near = r.snapshot.postsExcludedNearDuplicates;
    if (near === undefined) lines.push(`  ${f.spamOrDuplicates}: ${r.snapshot.postsExcludedSpam}`);
    else lines.push(`  ${f.spam}: ${r.snapshot.postsExcludedSpam}`, `  ${f.nearDuplicates}: ${near}`);
    lines.push(`  ${f.unclassified}: ${r.snapshot.postsUnclassified}`, `  ${f.previous}: ${r.snapshot.previousPostIds.length}`);
  }
  if (r.scheduleId) lines.push(`  ${f.schedule}: ${r.scheduleId}`);
  if (r.spec?.sections) lines.push(`  ${f.sections}: ${r.spec.sections.join(',')}`);
  lines.push(`  ${f.files}:`);
  for (const file of r.files) lines.push(`    ${file.format}\t${file.path}\tsha256 ${file.sha256}\t${file.bytes} B`);
  lines.push(`  ${f.deliveries}:`);
  if (!r.deliveries?.length) lines.push(`    ${T.noDeliveries}`);
  for (const d of r.deliveries ?? []) lines.push(`    ${d.at} [${d.key}] ${T.delivered(d)}`);
  return lines.join('\n');
}
