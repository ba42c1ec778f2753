/**
 * The report stage: store -> figures -> HTML/PDF files -> archived ReportRecord. Re-running it
 * for the same brand, period and locale replaces the files and the record (the id is derived
 * from them; deliveries already made are kept), and every file appears atomically, so a crash
 * leaves the previous report intact.
 *
 * The steps are exported one by one (load, aggregate, charts, HTML, PDF, archive) so that the
 * benchmark can time each and `voc reports rerender` can start from an archived snapshot.
 */
import { createHash } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { findBrand, type BrandConfig, type VocConfig } from '../core/config.js';
import { InputError, VocError, errorText } from '../core/errors.js';
import { REPORT_SECTIONS, type ReportSection } from '../core/report-config.js';
import type { Classification, Post, ReportSpec } from '../core/types.js';
import { resolvePeriod } from '../core/time.js';
import type { ReportRecord, ReportSnapshot, Store } from '../store/store.js';
import { aggregateReport, type AggregateInput, type ReportFigures, type ReportItem } from './aggregate.js';
import type { CompetitorInput } from './competitors.js';
import { checkReportConfig } from './config-check.js';
import { countExcluded, isAnalysed } from './exclusion.js';
import { LOCALES } from './i18n.js';
import { withConfigChannelLabels, type Labels } from './labels.js';
import { prelaunchBrowser } from './browser.js';
import { renderPdf } from './pdf.js';
import { renderReportHtml } from './render-html.js';
import { buildViewModel, type ClassifierEvaluation, type ReportViewModel } from './view-model.js';
import { ensureDir } from '../core/dirs.js';

export interface GenerateDeps {
  store: Store;
  config: VocConfig;
  labels: Labels;
  /** Lexicon version of the classifier, archived with the report. */
  lexiconVersion: string;
  /** Clock for the "generated at" line (tests pin it). */
  now?: () => Date;
  /** The classifier's accuracy as measured by `voc eval` (printed in the methods appendix). */
  evaluation?: ClassifierEvaluation;
}

/** A report spec with the sections to print (all when absent). */
export type ReportRequest = ReportSpec & { sections?: ReportSection[] };

export interface GenerateOptions {
  /** Archive under this id (scheduled reports use `<schedule>:<period>:<locale>`). */
  recordId?: string;
  scheduleId?: string;
}

export interface GenerateResult {
  record: ReportRecord;
  /** Absolute paths of the files written, in spec.formats order. */
  files: string[];
  figures: ReportFigures;
  viewModel: ReportViewModel;
}

const CLASSIFICATION_BATCH = 500;

/** Builds the report of `spec` from the store and writes it to `outDir` (created if missing). */
export async function generateReport(deps: GenerateDeps, spec: ReportRequest, outDir: string, options: GenerateOptions = {}): Promise<GenerateResult> {
  validateRequest(deps, spec);
  // Chromium starts while the data loads (bad input was refused above, so it is not started for nothing).
  if (spec.formats.includes('pdf')) prelaunchBrowser();
  const { input, snapshot } = await loadReportInput(deps, spec);
  return renderAndArchive(deps, spec, input, snapshot, outDir, options);
}

/**
 * Re-renders an archived report from its snapshot: the same posts (read again by id) with their
 * current classifications, the archived spec and the current templates. Returns whether the
 * figures equal the archived ones.
 */
export async function rerenderReport(
  deps: GenerateDeps,
  recordId: string,
  outDir?: string,
): Promise<GenerateResult & { figuresUnchanged: boolean | null }> {
  const archived = await deps.store.getReport(recordId);
  if (!archived) {
    throw new InputError({
      en: `unknown report "${recordId}"; \`voc reports list\` shows the archived reports`,
      zh: `报告“${recordId}”不存在；\`voc reports list\` 可查看已归档的报告`,
    });
  }
  if (!archived.spec || !archived.snapshot) {
    throw new InputError({
      en: `report "${recordId}" was archived without its spec and snapshot (made by an older voc); render it again with \`voc report\``,
      zh: `报告“${recordId}”归档时没有保存其参数和快照（由旧版 voc 生成）；请用 \`voc report\` 重新生成`,
    });
  }
  const { sections, ...base } = archived.spec;
  const spec: ReportRequest = { ...base, ...(sections ? { sections: sections as ReportSection[] } : {}) };
  validateRequest(deps, spec);
  if (spec.formats.includes('pdf')) prelaunchBrowser();
  const input = await loadSnapshotInput(deps, spec, archived);
  const dir = outDir ?? (archived.files[0] ? resolve(archived.files[0].path, '..') : resolve('reports'));
  const result = await renderAndArchive(deps, spec, input, archived.snapshot, dir, {
    recordId: archived.id,
    ...(archived.scheduleId ? { scheduleId: archived.scheduleId } : {}),
  });
  return { ...result, figuresUnchanged: archived.figuresSha256 ? archived.figuresSha256 === result.record.figuresSha256 : null };
}

/** Refuses a request that cannot be rendered (unknown brand, bad spec, inconsistent report config), in one line. */
export function validateRequest(deps: Pick<GenerateDeps, 'config'>, spec: ReportRequest): BrandConfig {
  checkReportConfig(deps.config);
  const brand = findBrand(deps.config, spec.brand);
  validateSpec(spec);
  return brand;
}

/** Validates the request and reads every post the report needs from the store. */
export async function loadReportInput(deps: GenerateDeps, spec: ReportRequest): Promise<{ input: AggregateInput; snapshot: ReportSnapshot }> {
  const brand = validateRequest(deps, spec);
  const previousRange = previousPeriod(spec);
  const current = await loadItems(deps.store, spec.brand, spec.from, spec.to);
  const previous = await loadItems(deps.store, spec.brand, previousRange.from, previousRange.to);
  const competitors: CompetitorInput[] = [];
  for (const c of resolveCompetitors(deps.config, brand)) {
    if (!c.brand) {
      competitors.push({ id: c.name, name: c.name, tracked: false, items: [], previousItems: [] });
      continue;
    }
    const now = await loadItems(deps.store, c.brand.id, spec.from, spec.to);
    const before = await loadItems(deps.store, c.brand.id, previousRange.from, previousRange.to);
    competitors.push({ id: c.brand.id, name: c.brand.name, tracked: true, items: now.items, previousItems: before.items });
  }
  const dataUntil = (deps.now ?? (() => new Date()))().toISOString();
  const input = buildInput(deps.config, brand, spec, previousRange, current.items, previous.items, current.unclassified, competitors, dataUntil);
  return { input, snapshot: snapshotOf(input) };
}

/** The input of an archived report, from the post ids of its snapshot. */
export async function loadSnapshotInput(deps: GenerateDeps, spec: ReportRequest, record: ReportRecord): Promise<AggregateInput> {
  const brand = validateRequest(deps, spec);
  const snap = record.snapshot!;
  const missing: string[] = [];
  const byIds = async (ids: readonly string[]) => {
    const { items, unclassified } = await itemsByIds(deps.store, ids);
    missing.push(...unclassified);
    return items;
  };
  const current = await byIds([...record.postIds, ...snap.excludedPostIds]);
  const previous = await byIds(snap.previousPostIds);
  const competitors: CompetitorInput[] = [];
  for (const c of resolveCompetitors(deps.config, brand)) {
    const ids = c.brand ? snap.competitorPostIds?.[c.brand.id] : undefined;
    if (!c.brand || !ids) competitors.push({ id: c.brand?.id ?? c.name, name: c.brand?.name ?? c.name, tracked: false, items: [], previousItems: [] });
    else competitors.push({ id: c.brand.id, name: c.brand.name, tracked: true, items: await byIds(ids.current), previousItems: await byIds(ids.previous) });
  }
  if (missing.length > 0) {
    throw new VocError(
      {
        en: `report "${record.id}": ${missing.length} post(s) of its snapshot are no longer stored or classified (first: ${missing[0]}); it cannot be re-rendered as it was`,
        zh: `报告“${record.id}”：其快照中有 ${missing.length} 条帖子已不在存储中，或已没有分类结果（第一条：${missing[0]}）；无法按原样重新生成`,
      },
      1,
    );
  }
  // The period was as open as when the report was first made: the same days are (not) gaps.
  return buildInput(deps.config, brand, spec, previousPeriod(spec), current, previous, snap.postsUnclassified, competitors, record.createdAt);
}

function buildInput(
  config: VocConfig,
  brand: BrandConfig,
  spec: ReportSpec,
  previousRange: { from: string; to: string },
  items: ReportItem[],
  previousItems: ReportItem[],
  unclassifiedPosts: number,
  competitors: CompetitorInput[],
  dataUntil: string,
): AggregateInput {
  return {
    spec: baseSpec(spec),
    brand,
    items,
    previousItems,
    previousRange,
    unclassifiedPosts,
    targets: config.targets.filter((t) => t.brand === brand.id).map((t) => t.id),
    campaigns: config.campaigns.filter((c) => c.brand === brand.id),
    competitors,
    dataUntil,
  };
}

/** The report's figures, view model, files and archive record from a loaded input. */
async function renderAndArchive(
  deps: GenerateDeps,
  spec: ReportRequest,
  input: AggregateInput,
  snapshot: ReportSnapshot,
  outDir: string,
  options: GenerateOptions,
): Promise<GenerateResult> {
  const figures = aggregateReport(input);
  const labels = withConfigChannelLabels(deps.labels, deps.config);
  const generatedAt = (deps.now ?? (() => new Date()))();
  const viewModel = buildViewModel(figures, {
    labels,
    generatedAt,
    lexiconVersion: deps.lexiconVersion,
    ...(spec.sections ? { sections: spec.sections } : {}),
    ...(deps.evaluation ? { evaluation: deps.evaluation } : {}),
  });
  const html = renderReportHtml(viewModel);
  const files = await writeReportFiles(spec, html, viewModel.title, outDir);

  const id = options.recordId ?? reportId(spec);
  // Deliveries already made for this record stay on it: a re-run must not send them again.
  const previous = await deps.store.getReport(id);
  await removeSupersededFiles(previous?.files ?? [], files);
  const record: ReportRecord = {
    id,
    brand: spec.brand,
    period: spec.period,
    from: spec.from,
    to: spec.to,
    timeZone: spec.timeZone,
    locale: spec.locale,
    lexiconVersion: deps.lexiconVersion,
    createdAt: generatedAt.toISOString(),
    postCount: figures.coverage.postsAnalysed,
    files: await Promise.all(files.map(({ format, path }) => describeFile(format, path))),
    postIds: sortedIds(input.items.filter(isAnalysed)),
    spec: { ...baseSpec(spec), ...(spec.sections ? { sections: [...spec.sections] } : {}) },
    snapshot,
    figuresSha256: figuresDigest(figures),
    ...(options.scheduleId ? { scheduleId: options.scheduleId } : {}),
    ...(previous?.deliveries?.length ? { deliveries: previous.deliveries } : {}),
  };
  await deps.store.saveReport(record);
  return { record, files: files.map((f) => f.path), figures, viewModel };
}

/**
 * A report rendered again in fewer formats (html after html and pdf) would leave the older PDF,
 * with the older figures, beside the new HTML for a reader to take as current. The files this
 * record listed before, in the folder written now, that this render did not write are removed;
 * a folder written before and not now is left alone (the user may have moved on from it).
 */
async function removeSupersededFiles(before: ReadonlyArray<{ path: string }>, now: ReadonlyArray<{ path: string }>): Promise<void> {
  const written = new Set(now.map((f) => resolve(f.path)));
  const dirs = new Set(now.map((f) => dirname(resolve(f.path))));
  for (const f of before) {
    const path = resolve(f.path);
    if (!written.has(path) && dirs.has(dirname(path))) await rm(path, { force: true });
  }
}

/** Writes the formats of `spec` to `outDir`; PDF first, since it is the step that can fail. */
export async function writeReportFiles(
  spec: ReportSpec,
  html: string,
  title: string,
  outDir: string,
): Promise<Array<{ format: 'html' | 'pdf'; path: string }>> {
  const dir = resolve(outDir);
  try {
    ensureDir(dir);
  } catch (err) {
    throw new InputError({
      en: `--out: cannot create the output folder ${dir}: ${(err as Error).message}`,
      zh: `--out：无法创建输出文件夹 ${dir}：${errorText(err as Error, 'zh-CN')}`,
    });
  }
  const base = join(dir, reportFileBase(spec));
  const paths: Record<'html' | 'pdf', string> = { html: `${base}.html`, pdf: `${base}.pdf` };
  const formats = [...new Set(spec.formats)];
  // Nothing is written until the PDF has succeeded.
  if (formats.includes('pdf')) await renderPdf(html, paths.pdf, { locale: spec.locale, title });
  if (formats.includes('html')) await writeAtomically(paths.html, html);
  return formats.map((format) => ({ format, path: paths[format] }));
}

/** `<brand>:<period>:<locale>`: one archived record per report, replaced when re-generated. */
export function reportId(spec: Pick<ReportSpec, 'brand' | 'period' | 'locale'>): string {
  return `${spec.brand}:${spec.period}:${spec.locale}`;
}

/**
 * File name without extension: `<brand>-<period>` with anything but letters, digits, `.`, `_`
 * and `-` replaced, plus `-en` for an English report so both languages can share a folder.
 */
export function reportFileBase(spec: Pick<ReportSpec, 'brand' | 'period' | 'locale'>): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_');
  return `${safe(spec.brand)}-${safe(spec.period)}${spec.locale === 'zh-CN' ? '' : `-${safe(spec.locale)}`}`;
}

/**
 * The previous period: the calendar month before for a `YYYY-MM` period whose bounds match
 * that month in the spec's zone, otherwise the range of the same length just before.
 */
export function previousPeriod(spec: ReportSpec): { from: string; to: string } {
  if (/^\d{4}-\d{2}$/.test(spec.period)) {
    try {
      const month = resolvePeriod(spec.timeZone, spec.period);
      if (month.from === spec.from && month.to === spec.to) return month.previous;
    } catch {
      // Not a valid month after all: fall through to the same-length rule.
    }
  }
  const length = Date.parse(spec.to) - Date.parse(spec.from);
  return { from: new Date(Date.parse(spec.from) - length).toISOString(), to: spec.from };
}

/** sha256 of the figures' JSON (figures are deterministic, so equal data gives an equal digest). */
export function figuresDigest(figures: ReportFigures): string {
  return createHash('sha256').update(JSON.stringify(figures)).digest('hex');
}

/** The tracked (configured brand) or untracked (name only) competitors of `brand`. */
export function resolveCompetitors(config: VocConfig, brand: BrandConfig): Array<{ name: string; brand?: BrandConfig }> {
  return [...new Set(brand.competitors)].map((name) => {
    const match = config.brands.find((b) => b.id !== brand.id && (b.id === name || b.name === name || b.aliases.includes(name)));
    return match ? { name, brand: match } : { name };
  });
}

function baseSpec(spec: ReportSpec): ReportSpec {
  return { brand: spec.brand, period: spec.period, from: spec.from, to: spec.to, timeZone: spec.timeZone, locale: spec.locale, formats: [...spec.formats] };
}

function snapshotOf(input: AggregateInput): ReportSnapshot {
  const analysed = (items: readonly ReportItem[]) => sortedIds(items.filter(isAnalysed));
  const competitorPostIds: NonNullable<ReportSnapshot['competitorPostIds']> = {};
  for (const c of input.competitors ?? []) if (c.tracked) competitorPostIds[c.id] = { current: analysed(c.items), previous: analysed(c.previousItems) };
  // Spam and near-duplicates: their ids are kept so that a re-render reads them again (coverage counts them).
  const excluded = input.items.filter((i) => !isAnalysed(i));
  const counts = countExcluded(input.items);
  return {
    postsClassified: input.items.length,
    postsAnalysed: input.items.length - excluded.length,
    postsExcludedSpam: counts.spam,
    postsExcludedNearDuplicates: counts.nearDuplicate,
    postsUnclassified: input.unclassifiedPosts ?? 0,
    excludedPostIds: sortedIds(excluded),
    previousPostIds: analysed(input.previousItems),
    ...(Object.keys(competitorPostIds).length ? { competitorPostIds } : {}),
  };
}

function sortedIds(items: readonly ReportItem[]): string[] {
  return items.map((i) => i.post.id).sort();
}

function validateSpec(spec: ReportRequest): void {
  const from = Date.parse(spec.from);
  const to = Date.parse(spec.to);
  if (!Number.isFinite(from)) {
    throw new InputError({
      en: `report spec: from: expected an ISO date-time, got "${spec.from}"`,
      zh: `报告参数：from：应为 ISO 日期时间，实际为“${spec.from}”`,
    });
  }
  if (!Number.isFinite(to)) {
    throw new InputError({
      en: `report spec: to: expected an ISO date-time, got "${spec.to}"`,
      zh: `报告参数：to：应为 ISO 日期时间，实际为“${spec.to}”`,
    });
  }
  if (to <= from) {
    throw new InputError({
      en: `report spec: to (${spec.to}) must be after from (${spec.from})`,
      zh: `报告参数：to（${spec.to}）必须晚于 from（${spec.from}）`,
    });
  }
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: spec.timeZone });
  } catch {
    throw new InputError({
      en: `report spec: timeZone: "${spec.timeZone}" is not an IANA time zone such as Asia/Shanghai`,
      zh: `报告参数：timeZone：“${spec.timeZone}”不是 IANA 时区（如 Asia/Shanghai）`,
    });
  }
  if (!LOCALES.includes(spec.locale)) {
    throw new InputError({
      en: `report spec: locale: expected zh-CN or en, got "${spec.locale}"`,
      zh: `报告参数：locale：应为 zh-CN 或 en，实际为“${spec.locale}”`,
    });
  }
  if (!spec.period.trim()) {
    throw new InputError({ en: 'report spec: period: expected a label such as 2026-10', zh: '报告参数：period：应填写期间标签，如 2026-10' });
  }
  if (spec.formats.length === 0 || spec.formats.some((f) => f !== 'html' && f !== 'pdf')) {
    throw new InputError({
      en: `report spec: formats: expected html and/or pdf, got ${JSON.stringify(spec.formats)}`,
      zh: `报告参数：formats：应为 html 和/或 pdf，实际为 ${JSON.stringify(spec.formats)}`,
    });
  }
  const unknown = (spec.sections ?? []).filter((s) => !REPORT_SECTIONS.includes(s));
  if (unknown.length) {
    throw new InputError({
      en: `report spec: sections: unknown section "${unknown[0]}"; expected some of ${REPORT_SECTIONS.join(', ')}`,
      zh: `报告参数：sections：未知的章节“${unknown[0]}”；可选：${REPORT_SECTIONS.join('、')}`,
    });
  }
}

async function loadItems(store: Store, brand: string, from: string, to: string): Promise<{ items: ReportItem[]; unclassified: number }> {
  const posts = await store.queryPosts({ brand, from, to });
  const { items, unclassified } = await attachClassifications(store, posts);
  return { items, unclassified: unclassified.length };
}

async function itemsByIds(store: Store, ids: readonly string[]): Promise<{ items: ReportItem[]; unclassified: string[] }> {
  const posts: Post[] = [];
  for (let i = 0; i < ids.length; i += CLASSIFICATION_BATCH) posts.push(...(await store.getPosts(ids.slice(i, i + CLASSIFICATION_BATCH))));
  const found = new Set(posts.map((p) => p.id));
  const { items, unclassified } = await attachClassifications(store, posts);
  return { items, unclassified: [...ids.filter((id) => !found.has(id)), ...unclassified] };
}

async function attachClassifications(store: Store, posts: readonly Post[]): Promise<{ items: ReportItem[]; unclassified: string[] }> {
  const byId = new Map<string, Classification>();
  for (let i = 0; i < posts.length; i += CLASSIFICATION_BATCH) {
    const ids = posts.slice(i, i + CLASSIFICATION_BATCH).map((p) => p.id);
    for (const c of await store.getClassifications(ids)) byId.set(c.postId, c);
  }
  const items: ReportItem[] = [];
  const unclassified: string[] = [];
  for (const post of posts) {
    const classification = byId.get(post.id);
    if (classification) items.push({ post, classification });
    else unclassified.push(post.id);
  }
  return { items, unclassified };
}

async function writeAtomically(path: string, content: string): Promise<void> {
  const tmp = `${path}.tmp`;
  try {
    await writeFile(tmp, content, 'utf8');
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw new VocError({ en: `cannot write ${path}: ${(err as Error).message}`, zh: `无法写入 ${path}：${errorText(err as Error, 'zh-CN')}` }, 1);
  }
}

async function describeFile(format: string, path: string): Promise<ReportRecord['files'][number]> {
  const data = await readFile(path);
  return { format, path, sha256: createHash('sha256').update(data).digest('hex'), bytes: data.length };
}
