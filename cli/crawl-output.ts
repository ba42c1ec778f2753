/**
 * What `voc crawl` shows: a live progress line on stderr (only on a terminal: pages, posts,
 * errors, rate, and a bar when the page cap is known) and, at the end, a summary table per
 * target (pages, new / updated / duplicate posts, HTTP statuses, retries, politeness wait,
 * errors by cause, drift alarms). In zh-CN (default) or English; `--json` gets `crawlReportJson`.
 *
 * Everything printed that came from a site (URLs, error texts) goes through `terminalSafe`:
 * crawled text is hostile, and escape sequences must not reach the user's terminal.
 */
import { InputError } from '../core/errors.js';
import { parseDayOption, zonedWallTimeToUtc } from '../core/time.js';
import type { Locale } from '../core/types.js';
import type { CrawlSummary } from '../crawlers/crawl-target.js';
import { causeLabel } from '../crawlers/cause-labels.js';
import { groupMessage, mergeStats, targetOutcome, type TargetOutcome, type TargetStats } from '../crawlers/stats.js';
import type { QueuedTargetSummary } from '../workers/target-totals.js';

const LABELS = {
  'zh-CN': {
    target: '目标',
    pages: '页面',
    newPosts: '新增',
    updated: '更新',
    duplicate: '重复',
    nearDup: '近似重复',
    statuses: 'HTTP 状态',
    retries: '重试',
    wait: '礼貌等待',
    errors: '错误',
    total: '合计',
    stopped: '停止原因',
    rate: '页/分钟',
    progress: (pages: number, posts: number, errors: number, rate: string) => `已抓取 ${pages} 页 · ${posts} 条帖子 · ${errors} 个错误 · ${rate} 页/分钟`,
    drift: (id: string) => `⚠ 漂移告警 ${id}`,
    errorLine: (cause: string, count: number) => `${cause} × ${count}`,
    snapshot: '页面快照',
    none: '无',
    running: '进行中',
    stop: {
      no_next: '没有下一页',
      page_cap: '达到页数上限',
      loop: '分页循环',
      empty_page: '空页',
      known: '已是抓过的内容',
      since: '早于 --since',
      not_modified: '未变化 (304)',
      aborted: '已中止',
      error: '出错',
    } as Record<string, string>,
  },
  en: {
    target: 'target',
    pages: 'pages',
    newPosts: 'new',
    updated: 'updated',
    duplicate: 'duplicate',
    nearDup: 'near-dup',
    statuses: 'HTTP statuses',
    retries: 'retries',
    wait: 'polite wait',
    errors: 'errors',
    total: 'total',
    stopped: 'stopped',
    rate: 'pages/min',
    progress: (pages: number, posts: number, errors: number, rate: string) => `${pages} pages · ${posts} posts · ${errors} errors · ${rate} pages/min`,
    drift: (id: string) => `⚠ drift alarm ${id}`,
    errorLine: (cause: string, count: number) => `${cause} × ${count}`,
    snapshot: 'page snapshot',
    none: 'none',
    running: 'running',
    stop: {
      no_next: 'no next page',
      page_cap: 'page cap',
      loop: 'pagination loop',
      empty_page: 'empty page',
      known: 'reached stored posts',
      since: 'older than --since',
      not_modified: 'not modified (304)',
      aborted: 'aborted',
      error: 'error',
    } as Record<string, string>,
  },
} as const;

function labels(locale: Locale) {
  return LABELS[locale === 'en' ? 'en' : 'zh-CN'];
}

/**
 * Text from a crawl made safe for a terminal: control characters (ANSI escapes, carriage
 * returns, bidi overrides) removed, whitespace runs collapsed, cut at `max` columns.
 */
export function terminalSafe(text: string, max = 200): string {
  const clean = text
    .replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '') // CSI sequences
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return truncate(clean, max);
}

/** Columns a string takes in a terminal: East Asian wide characters count two. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    w += (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x1f300 && c <= 0x1faff) || (c >= 0x20000 && c <= 0x3fffd) ? 2 : 1;
  }
  return w;
}

function truncate(s: string, max: number): string {
  if (displayWidth(s) <= max) return s;
  let out = '';
  for (const ch of s) {
    if (displayWidth(out + ch) > max - 1) break;
    out += ch;
  }
  return `${out}…`;
}

function pad(s: string, width: number, right = false): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(s)));
  return right ? fill + s : s + fill;
}

function seconds(ms: number): string {
  return ms >= 10_000 ? `${Math.round(ms / 1000)} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** `200×48 304×1 429×2`, statuses in numeric order. */
export function statusHistogram(statuses: Record<string, number>): string {
  const keys = Object.keys(statuses).sort((a, b) => Number(a) - Number(b));
  return keys.length ? keys.map((k) => `${k}×${statuses[k]}`).join(' ') : '-';
}

/**
 * `voc crawl --since VALUE` as an ISO instant: a date (`2026-10-01`, local midnight in `zone`),
 * an ISO time with a zone, or an age (`7d`, `12h`, `2w`) before `now`.
 *
 * @example parseSince('2026-10-01', 'Asia/Shanghai') // '2026-09-30T16:00:00.000Z'
 */
export function parseSince(value: string, zone: string, now: Date = new Date()): string {
  const v = value.trim();
  const age = /^(\d+)\s*([hdw])$/i.exec(v);
  if (age) return new Date(now.getTime() - Number(age[1]) * { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 }[age[2]!.toLowerCase() as 'h' | 'd' | 'w']).toISOString();
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) {
    // The shared check: a day that exists (not 2026-11-31), in a year from 1970 to 9999.
    const [y, m, d] = parseDayOption(v, '--since');
    return new Date(zonedWallTimeToUtc(y, m, d, 0, 0, 0, zone)).toISOString();
  }
  const time = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}.*(Z|[+-]\d{2}:?\d{2})$/i.exec(v);
  if (time && Number.isFinite(Date.parse(v))) {
    parseDayOption(time[1]!, '--since');
    return new Date(Date.parse(v)).toISOString();
  }
  throw new InputError({
    en: `--since: expected a date (2026-10-01), an ISO time with a zone, or an age such as 7d, 12h or 2w; got "${value}"`,
    zh: `--since：应为日期（2026-10-01）、带时区的 ISO 时间，或 7d、12h、2w 这样的时长；实际为“${value}”`,
  });
}

/**
 * A target's summary as the table and `--json` show it: an in-process crawl's, or a queued
 * target's, which may still be going (`stoppedBecause: null, running: true`, shown as "running").
 */
export type ReportSummary = CrawlSummary | (Omit<CrawlSummary, 'stoppedBecause'> & { stoppedBecause: null; running: true });

/** One target's row of the summary table. */
export interface CrawlReportRow {
  targetId: string;
  summary: ReportSummary;
}

/** The stop-reason cell: why the target stopped, or that it is still being crawled. */
function stopCell(summary: ReportSummary, L: ReturnType<typeof labels>): string {
  if (summary.stoppedBecause === null) return L.running;
  return L.stop[summary.stoppedBecause] ?? summary.stoppedBecause;
}

/**
 * The end-of-run table, one row per target and a total row, then error causes and drift alarms.
 *
 * @example process.stdout.write(renderSummaryTable([{ targetId: 'acme-forum', summary }], 'zh-CN'));
 */
export function renderSummaryTable(rows: CrawlReportRow[], locale: Locale): string {
  const L = labels(locale);
  const line = (id: string, s: TargetStats, stopped: string) => [
    terminalSafe(id, 32),
    String(s.pages),
    String(s.postsNew),
    String(s.postsUpdated),
    String(s.postsUnchanged + s.postsRepeated),
    String(s.nearDuplicates),
    statusHistogram(s.statuses),
    String(s.retries),
    seconds(s.politenessWaitMs),
    String(s.errors.reduce((n, g) => n + g.count, 0)),
    stopped,
  ];
  const header = [L.target, L.pages, L.newPosts, L.updated, L.duplicate, L.nearDup, L.statuses, L.retries, L.wait, L.errors, L.stopped];
  const body = rows.map((r) => line(r.targetId, r.summary.stats, stopCell(r.summary, L)));
  const total = rows.length > 1 ? [line(L.total, mergeStats(rows.map((r) => r.summary.stats)), '')] : [];
  const table = [header, ...body, ...total];
  const widths = header.map((_, c) => Math.max(...table.map((r) => displayWidth(r[c]!))));
  const numeric = new Set([1, 2, 3, 4, 5, 7, 8, 9]);
  const render = (r: string[]) => r.map((cell, c) => pad(cell, widths[c]!, numeric.has(c))).join('  ').trimEnd();
  const out = [render(header), widths.map((w) => '─'.repeat(w)).join('  '), ...body.map(render)];
  if (total.length) out.push(widths.map((w) => '─'.repeat(w)).join('  '), render(total[0]!));
  for (const r of rows) {
    const s = r.summary.stats;
    for (const g of s.errors) {
      // The snapshot gets a line of its own (whole, to copy): the message does not repeat it.
      const message = g.snapshot ? withoutSnapshot(groupMessage(g, locale), g.snapshot) : groupMessage(g, locale);
      out.push(`  ${terminalSafe(r.targetId, 32)}: ${L.errorLine(causeLabel(g.cause, locale), g.count)} — ${terminalSafe(message, 400)}`);
      if (g.snapshot) out.push(`      ${L.snapshot}: ${terminalSafe(g.snapshot, 300)}`);
    }
    if (s.drift) out.push(`  ${L.drift(terminalSafe(r.targetId, 32))}: ${terminalSafe(groupMessage(s.drift, locale), 400)}`);
  }
  return `${out.join('\n')}\n`;
}

const FAILED_TARGETS = {
  'zh-CN': (ids: string) =>
    `失败的目标：${ids}（出错，没有读到帖子，也没有 304 未变化），所以本次运行算失败；原因见各目标的错误，\`voc targets test ID\` 可查看目标能提取到什么`,
  en: (ids: string) =>
    `Failed targets: ${ids} (errors, no post read, no 304 Not Modified), so the run failed; their errors say why, and \`voc targets test ID\` shows what a target extracts`,
};

/**
 * The line naming the targets that made a run fail (workers/run-outcome.ts), or undefined when none
 * did; `voc crawl` and `voc runs show` print it under the run's figures.
 */
export function failedTargetsLine(run: { failedTargets?: string[] }, locale: Locale): string | undefined {
  const ids = run.failedTargets ?? [];
  if (ids.length === 0) return undefined;
  return FAILED_TARGETS[locale === 'en' ? 'en' : 'zh-CN'](ids.map((id) => terminalSafe(id, 32)).join(locale === 'en' ? ', ' : '、'));
}

/** A message without its "; the page is saved in FILE" clause (either language). */
function withoutSnapshot(message: string, snapshot: string): string {
  for (const clause of [`; the page is saved in ${snapshot}`, `；页面已保存在 ${snapshot}`]) if (message.includes(clause)) return message.replace(clause, '');
  return message;
}

/**
 * A queued target's figures in the shape of an in-process crawl summary (one table for both).
 * A target the tracker marks as running (its run is active, its chain has not ended) keeps
 * `stoppedBecause: null` and `running: true`; a finished run's target without a recorded reason
 * ended because its last page had no next link.
 */
export function summaryOfQueuedTarget(t: QueuedTargetSummary): ReportSummary {
  const common = {
    targetId: t.targetId,
    pages: t.stats.pages,
    posts: t.stats.postsNew + t.stats.postsUpdated + t.stats.postsUnchanged,
    errors: t.stats.errors.flatMap((g) => g.urls.map((url) => ({ url, message: g.message, ...(g.zh !== undefined ? { zh: g.zh } : {}), cause: g.cause }))),
  };
  if (t.running && !t.stoppedBecause) return { ...common, stoppedBecause: null, running: true, stats: t.stats };
  return { ...common, stoppedBecause: t.stoppedBecause ?? 'no_next', stats: t.stats };
}

/**
 * The machine-readable report of a crawl (`voc crawl --json`): each target with its `outcome`
 * (ok, unchanged, failed: what the run's status is made of; absent while it is still running).
 */
export function crawlReportJson(rows: CrawlReportRow[]): { targets: Array<ReportSummary & { outcome?: TargetOutcome }>; total: TargetStats } {
  return {
    targets: rows.map((r) => ({ ...r.summary, targetId: r.targetId, ...(r.summary.stoppedBecause === null ? {} : { outcome: targetOutcome(r.summary.stats) }) })),
    total: mergeStats(rows.map((r) => r.summary.stats)),
  };
}

export interface ProgressBar {
  /** The latest stats of one target (call as often as you like; drawing is throttled). */
  update(targetId: string, stats: TargetStats, pageCap?: number): void;
  /** Clears the line; call before printing the summary. */
  finish(): void;
}

/**
 * A one-line live progress display on `stream` (stderr). A no-op when the stream is not a
 * terminal, so logs and pipes get no control characters.
 *
 * @example
 * const bar = createProgressBar(process.stderr, 'zh-CN');
 * await crawlTarget(ctx, target, { onProgress: (s) => bar.update(target.id, s, target.maxPages) });
 * bar.finish();
 */
export function createProgressBar(
  stream: Pick<NodeJS.WriteStream, 'write'> & { isTTY?: boolean; columns?: number },
  locale: Locale,
  options: { now?: () => number; intervalMs?: number } = {},
): ProgressBar {
  const L = labels(locale);
  const now = options.now ?? Date.now;
  const intervalMs = options.intervalMs ?? 100;
  const started = now();
  const targets = new Map<string, { stats: TargetStats; cap?: number }>();
  let lastDraw = 0;
  let drawn = false;

  function draw(force = false): void {
    if (!stream.isTTY) return;
    const t = now();
    if (!force && t - lastDraw < intervalMs) return;
    lastDraw = t;
    let pages = 0;
    let posts = 0;
    let errors = 0;
    let cap = 0;
    let capped = true;
    for (const { stats, cap: c } of targets.values()) {
      pages += stats.pages + stats.notModified;
      posts += stats.postsNew || stats.postsExtracted;
      errors += stats.errors.reduce((n, g) => n + g.count, 0);
      if (c === undefined || !Number.isFinite(c)) capped = false;
      else cap += c;
    }
    const minutes = Math.max((t - started) / 60_000, 1 / 600);
    const rate = String(Math.round(pages / minutes));
    const text = L.progress(pages, posts, errors, rate);
    let bar = '';
    if (capped && cap > 0) {
      const width = 20;
      const done = Math.min(width, Math.round((pages / cap) * width));
      bar = `[${'█'.repeat(done)}${'░'.repeat(width - done)}] `;
    }
    // A pseudo-terminal may report 0 columns: assume a usual width then. On a narrow terminal the
    // bar goes first, so the counts stay readable.
    const width = Math.max(20, (stream.columns || 100) - 1);
    const line = displayWidth(bar + text) <= width ? bar + text : text;
    stream.write(`\r\u001b[2K${truncate(line, width)}`);
    drawn = true;
  }

  return {
    update(targetId, stats, pageCap) {
      targets.set(targetId, { stats, ...(pageCap !== undefined ? { cap: pageCap } : {}) });
      draw();
    },
    finish() {
      if (!stream.isTTY) return;
      if (targets.size) draw(true);
      if (drawn) stream.write('\r\u001b[2K');
    },
  };
}
