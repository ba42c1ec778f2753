/**
 * The report stage: store -> figures -> HTML/PDF files -> archived ReportRecord. Re-running it
 * for the same brand, period and locale replaces the files and the record (the id is derived
 * from them), and every file appears atomically, so a crash leaves the previous report intact.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { findBrand, type VocConfig } from '../core/config.js';
import { InputError, VocError } from '../core/errors.js';
import type { Classification, ReportSpec } from '../core/types.js';
import { resolvePeriod } from '../core/time.js';
import type { ReportRecord, Store } from '../store/store.js';
import { aggregateReport, type ReportFigures, type ReportItem } from './aggregate.js';
import { LOCALES } from './i18n.js';
import { withConfigChannelLabels, type Labels } from './labels.js';
import { renderPdf } from './pdf.js';
import { renderReportHtml } from './render-html.js';
import { buildViewModel } from './view-model.js';

export interface GenerateDeps {
  store: Store;
  config: VocConfig;
  labels: Labels;
  /** Lexicon version of the classifier, archived with the report. */
  lexiconVersion: string;
  /** Clock for the "generated at" line (tests pin it). */
  now?: () => Date;
}

export interface GenerateResult {
  record: ReportRecord;
  /** Absolute paths of the files written, in spec.formats order. */
  files: string[];
  figures: ReportFigures;
}

const CLASSIFICATION_BATCH = 500;

/** Builds the report of `spec` from the store and writes it to `outDir` (created if missing). */
export async function generateReport(deps: GenerateDeps, spec: ReportSpec, outDir: string): Promise<GenerateResult> {
  const brand = findBrand(deps.config, spec.brand);
  validateSpec(spec);
  const previousRange = previousPeriod(spec);

  const current = await loadItems(deps.store, spec.brand, spec.from, spec.to);
  const previous = await loadItems(deps.store, spec.brand, previousRange.from, previousRange.to);
  const figures = aggregateReport({
    spec,
    brand,
    items: current.items,
    previousItems: previous.items,
    previousRange,
    unclassifiedPosts: current.unclassified,
  });

  const labels = withConfigChannelLabels(deps.labels, deps.config);
  const generatedAt = (deps.now ?? (() => new Date()))();
  const viewModel = buildViewModel(figures, { labels, generatedAt, lexiconVersion: deps.lexiconVersion });
  const html = renderReportHtml(viewModel);

  const dir = resolve(outDir);
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    throw new InputError(`--out: cannot create the output folder ${dir}: ${(err as Error).message}`);
  }
  const base = join(dir, reportFileBase(spec));
  const paths: Record<'html' | 'pdf', string> = { html: `${base}.html`, pdf: `${base}.pdf` };
  const formats = [...new Set(spec.formats)];
  // PDF first: it is the step that can fail, and nothing is written until it has succeeded.
  if (formats.includes('pdf')) await renderPdf(html, paths.pdf, { locale: spec.locale, title: viewModel.title });
  if (formats.includes('html')) await writeAtomically(paths.html, html);

  const files = formats.map((f) => paths[f]);
  const record: ReportRecord = {
    id: reportId(spec),
    brand: spec.brand,
    period: spec.period,
    from: spec.from,
    to: spec.to,
    timeZone: spec.timeZone,
    locale: spec.locale,
    lexiconVersion: deps.lexiconVersion,
    createdAt: generatedAt.toISOString(),
    postCount: figures.coverage.postsAnalysed,
    files: await Promise.all(formats.map((format) => describeFile(format, paths[format]))),
    postIds: current.items
      .filter((i) => !i.classification.spam)
      .map((i) => i.post.id)
      .sort(),
  };
  await deps.store.saveReport(record);
  return { record, files, figures };
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

function validateSpec(spec: ReportSpec): void {
  const from = Date.parse(spec.from);
  const to = Date.parse(spec.to);
  if (!Number.isFinite(from)) throw new InputError(`report spec: from: expected an ISO date-time, got "${spec.from}"`);
  if (!Number.isFinite(to)) throw new InputError(`report spec: to: expected an ISO date-time, got "${spec.to}"`);
  if (to <= from) throw new InputError(`report spec: to (${spec.to}) must be after from (${spec.from})`);
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: spec.timeZone });
  } catch {
    throw new InputError(`report spec: timeZone: "${spec.timeZone}" is not an IANA time zone such as Asia/Shanghai`);
  }
  if (!LOCALES.includes(spec.locale)) throw new InputError(`report spec: locale: expected zh-CN or en, got "${spec.locale}"`);
  if (!spec.period.trim()) throw new InputError('report spec: period: expected a label such as 2026-10');
  if (spec.formats.length === 0 || spec.formats.some((f) => f !== 'html' && f !== 'pdf')) {
    throw new InputError(`report spec: formats: expected html and/or pdf, got ${JSON.stringify(spec.formats)}`);
  }
}

async function loadItems(store: Store, brand: string, from: string, to: string): Promise<{ items: ReportItem[]; unclassified: number }> {
  const posts = await store.queryPosts({ brand, from, to });
  const byId = new Map<string, Classification>();
  for (let i = 0; i < posts.length; i += CLASSIFICATION_BATCH) {
    const ids = posts.slice(i, i + CLASSIFICATION_BATCH).map((p) => p.id);
    for (const c of await store.getClassifications(ids)) byId.set(c.postId, c);
  }
  const items: ReportItem[] = [];
  let unclassified = 0;
  for (const post of posts) {
    const classification = byId.get(post.id);
    if (classification) items.push({ post, classification });
    else unclassified++;
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
    throw new VocError(`cannot write ${path}: ${(err as Error).message}`, 1);
  }
}

async function describeFile(format: string, path: string): Promise<ReportRecord['files'][number]> {
  const data = await readFile(path);
  return { format, path, sha256: createHash('sha256').update(data).digest('hex'), bytes: data.length };
}
