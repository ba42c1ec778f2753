/** Fixed CLI output in zh-CN (default) and en. Pick with `--lang`, VOC_LANG or config.locale. */
import type { Locale } from '../core/types.js';
import { InputError } from '../core/errors.js';

const zh = {
  demoServing: (url: string) => `演示论坛已在 ${url} 启动`,
  demoCrawling: '正在抓取演示论坛（真实 HTTP 抓取）…',
  crawlDone: (pages: number, created: number, updated: number, unchanged: number, errors: number) =>
    `抓取完成：${pages} 页，新增 ${created} 条，更新 ${updated} 条，未变 ${unchanged} 条，错误 ${errors} 个`,
  classified: (n: number) => `已分类 ${n} 条帖子`,
  reportWritten: (brand: string, period: string) => `报告 ${brand}（${period}）：`,
  posts: (n: number) => `${n} 条帖子`,
  topBreakpoint: '最常见的跨渠道断点',
  tiedPairs: (pairs: string[], posts: number) => `${pairs.join('、')}（并列，各 ${posts} 篇）`,
  dragChannel: '拖累品牌最多的渠道',
  none: '无',
  progress: (pages: number, posts: number, errors: number) => `已抓取 ${pages} 页 · ${posts} 条新帖 · ${errors} 个错误`,
  workerStarted: (queues: string, concurrency: number) => `worker 已启动：队列 ${queues}，并发 ${concurrency}；按 Ctrl+C 停止`,
  workerStopping: '正在停止 worker：等待进行中的任务完成…',
  configOk: (brands: number, inFile: number, stored: number) =>
    `配置有效：${brands} 个品牌，抓取目标 ${inFile + stored} 个（配置文件中 ${inFile} 个，用 voc targets add 添加的 ${stored} 个）`,
  configNoBrand: '提示：配置中没有品牌，抓取和报告都需要至少一个；voc init 可生成含一个品牌的初始配置，或在 brands: 下添加',
  configNone: (file: string) => `提示：找不到 ${file}，以下按默认配置（没有品牌）校验；voc init 可生成一个含一个品牌的初始配置`,
  initDone: (file: string, id: string, name: string, taxonomy: string, period: string) =>
    [
      `已写入 ${file}：品牌 ${id}（“${name}”），方面分类 ${taxonomy}。下一步：`,
      `  1. 添加抓取目标：voc targets add --id ${id}-forum --brand ${id} --url URL --selectors item=…,text=…（或用 --preset）`,
      `  2. 试抓：        voc targets test ${id}-forum`,
      `  3. 抓取：        voc crawl`,
      `  4. 生成报告：    voc report --brand ${id} --period ${period}`,
      `品牌别名、竞品、产品和定时报告请直接编辑该文件；voc config check 可校验它。`,
    ].join('\n'),
  modelLexiconChanged: (task: string, trained: string, current: string) =>
    `提示：models.${task} 是用词典 ${trained} 训练的，当前配置的词典是 ${current}；模型仍会使用，但建议用 voc train ${task} 重新训练，让它学习当前规则的输出`,
  // --- queues, schedules, workers (issue 5) ---
  workerStopped: 'worker 已停止',
  scheduleAdded: (kind: string, id: string, pattern: string, tz: string, next: string) =>
    `已设置定时任务 ${kind}/${id}：${pattern}（${tz}），下次触发 ${next}`,
  scheduleRemoved: (kind: string, id: string) => `已删除定时任务 ${kind}/${id}`,
  scheduleNotFound: (kind: string, id: string) => `没有定时任务 ${kind}/${id}（voc schedule list 可查看全部）`,
  schedulesNone: '尚无定时任务',
  scheduleColumns: ['类型', 'ID', 'cron', '时区', '下次触发', '来源', '对象'],
  failedNone: '没有失败的任务',
  failedColumns: ['队列', '任务 ID', '名称', '尝试次数', '失败时间', '原因'],
  jobRetried: (queue: string, id: string) => `已重新排队 ${queue}/${id}`,
  jobsRetried: (n: number, detail: string) => `已重新排队 ${n} 个失败任务（${detail}）`,
  statusColumns: ['队列', '等待', '运行中', '延迟', '等待子任务', '失败', '已完成', 'worker', '定时'],
  statusWorkers: (n: number) => `worker 连接共 ${n} 个`,
  runLine: (id: string, kind: string, status: string) => `运行 ${id}（${kind}）：${status}`,
  runProgress: (pagesDone: number, pagesQueued: number, batchesDone: number, batchesQueued: number) =>
    `页面 ${pagesDone}/${pagesQueued} · 分类批次 ${batchesDone}/${batchesQueued}`,
  runTimes: (started: string, finished: string) => `开始 ${started} · 结束 ${finished}`,
  runStatus: { queued: '排队中', running: '进行中', succeeded: '成功', failed: '失败', cancelled: '已取消' } as Record<string, string>,
  serveListening: (url: string, admin: boolean) =>
    `voc 服务已启动：${url}（/health、/metrics${admin ? '、/admin/queues' : ''}）；按 Ctrl+C 停止`,
  schedulerReady: (added: number, updated: number, unchanged: number, removed: number) =>
    `scheduler 已就绪：新增 ${added}，更新 ${updated}，未变 ${unchanged}，删除 ${removed} 个定时任务；SIGHUP 重新读取配置`,
  schedulerStopping: '正在停止 scheduler…',
  runRow: (id: string, kind: string, status: string, pages: number, posts: number, errors: number) =>
    `${id}\t${kind}\t${status}\t${pages} 页\t新增 ${posts} 条\t错误 ${errors} 个`,
  noRuns: '还没有抓取运行：用 `voc crawl` 开始一次',
  // --- errors ---
  unexpectedError: (detail: string) => `意外错误：${detail}`,
  debugHint: '请加上 VOC_DEBUG=1 重新运行以查看出错位置，并报告此问题',
  cannotWrite: (detail: string) => `无法写入输出：${detail}`,
  evaluationUnreadable: (detail: string) => `${detail}；报告的方法附录将不含实测准确率`,
};

const en: typeof zh = {
  demoServing: (url) => `Demo forum serving at ${url}`,
  demoCrawling: 'Crawling the demo forum over real HTTP…',
  crawlDone: (pages, created, updated, unchanged, errors) =>
    `Crawl finished: ${pages} pages, ${created} new, ${updated} updated, ${unchanged} unchanged posts, ${errors} errors`,
  classified: (n) => `Classified ${n} posts`,
  reportWritten: (brand, period) => `Report ${brand} (${period}):`,
  posts: (n) => `${n} posts`,
  topBreakpoint: 'Top cross-channel breakpoint',
  tiedPairs: (pairs, posts) => `${pairs.join(', ')} (tied, ${posts} ${posts === 1 ? 'post' : 'posts'} each)`,
  dragChannel: 'Channel dragging the brand down most',
  none: 'none',
  progress: (pages, posts, errors) => `${pages} pages · ${posts} new posts · ${errors} errors`,
  workerStarted: (queues, concurrency) => `worker started: queues ${queues}, concurrency ${concurrency}; Ctrl+C to stop`,
  workerStopping: 'Stopping worker: waiting for in-flight jobs…',
  configOk: (brands, inFile, stored) =>
    `Config valid: ${brands} ${brands === 1 ? 'brand' : 'brands'}, ${inFile + stored} ${inFile + stored === 1 ? 'target' : 'targets'} (${inFile} in the config file, ${stored} added with voc targets add)`,
  configNoBrand: 'note: the config has no brand, and crawls and reports need one; voc init writes a starter config with one, or add one under brands:',
  configNone: (file) => `note: no ${file} found; checked the defaults (no brands) instead; voc init writes a starter config with one brand`,
  initDone: (file, id, name, taxonomy, period) =>
    [
      `Wrote ${file}: brand ${id} ("${name}"), aspect taxonomy ${taxonomy}. Next:`,
      `  1. add a crawl target:  voc targets add --id ${id}-forum --brand ${id} --url URL --selectors item=…,text=…  (or --preset)`,
      `  2. try it:              voc targets test ${id}-forum`,
      `  3. crawl:               voc crawl`,
      `  4. report:              voc report --brand ${id} --period ${period}`,
      `Edit the file for aliases, competitors, products and schedules; voc config check validates it.`,
    ].join('\n'),
  modelLexiconChanged: (task, trained, current) =>
    `note: models.${task} was trained with lexicon ${trained}; the config now gives ${current}. The model still applies; retrain it with voc train ${task} so it learns from the current rules' output`,
  // --- queues, schedules, workers (issue 5) ---
  workerStopped: 'worker stopped',
  scheduleAdded: (kind, id, pattern, tz, next) => `Schedule ${kind}/${id} set: ${pattern} (${tz}), next at ${next}`,
  scheduleRemoved: (kind, id) => `Schedule ${kind}/${id} removed`,
  scheduleNotFound: (kind, id) => `No schedule ${kind}/${id} (voc schedule list shows them all)`,
  schedulesNone: 'No schedules',
  scheduleColumns: ['kind', 'id', 'cron', 'time zone', 'next', 'origin', 'subject'],
  failedNone: 'No failed jobs',
  failedColumns: ['queue', 'job id', 'name', 'attempts', 'failed at', 'reason'],
  jobRetried: (queue, id) => `Re-queued ${queue}/${id}`,
  jobsRetried: (n, detail) => `Re-queued ${n} failed jobs (${detail})`,
  statusColumns: ['queue', 'waiting', 'active', 'delayed', 'waiting-children', 'failed', 'completed', 'workers', 'schedules'],
  statusWorkers: (n) => `${n} worker connections in all`,
  runLine: (id, kind, status) => `Run ${id} (${kind}): ${status}`,
  runProgress: (pagesDone, pagesQueued, batchesDone, batchesQueued) =>
    `pages ${pagesDone}/${pagesQueued} · classification batches ${batchesDone}/${batchesQueued}`,
  runTimes: (started, finished) => `started ${started} · finished ${finished}`,
  runStatus: { queued: 'queued', running: 'running', succeeded: 'succeeded', failed: 'failed', cancelled: 'cancelled' },
  serveListening: (url, admin) => `voc serving at ${url} (/health, /metrics${admin ? ', /admin/queues' : ''}); Ctrl+C to stop`,
  schedulerReady: (added, updated, unchanged, removed) =>
    `scheduler ready: ${added} added, ${updated} updated, ${unchanged} unchanged, ${removed} removed schedules; SIGHUP re-reads the config`,
  schedulerStopping: 'Stopping scheduler…',
  runRow: (id, kind, status, pages, posts, errors) => `${id}\t${kind}\t${status}\tpages ${pages}\tnew ${posts}\terrors ${errors}`,
  noRuns: 'no crawl runs yet: start one with `voc crawl`',
  // --- errors ---
  unexpectedError: (detail) => `unexpected error: ${detail}`,
  debugHint: 'run again with VOC_DEBUG=1 to see where it happened, and please report it',
  cannotWrite: (detail) => `cannot write the output: ${detail}`,
  evaluationUnreadable: (detail) => `${detail}; the report's methods appendix is printed without measured accuracy`,
};

export type Messages = typeof zh;

export function messages(locale: Locale): Messages {
  return locale === 'en' ? en : zh;
}

/**
 * The output language a `--lang` or VOC_LANG value names: zh, zh-CN, zh-Hans (any case) are zh-CN;
 * en and en with a region (en-US, en-GB) are en. Undefined for anything else.
 */
export function localeOf(value: string): Locale | undefined {
  const v = value.trim().toLowerCase();
  if (v === 'en' || /^en-[a-z]{2,3}$/.test(v)) return 'en';
  if (v === 'zh' || v === 'zh-cn' || v === 'zh-hans' || v === 'zh-hans-cn') return 'zh-CN';
  return undefined;
}

/**
 * `value` as a locale, refusing any other language: a `--lang fr` that quietly printed Chinese would
 * leave the user guessing. The line is in both languages, as the language asked for is unknown.
 */
export function parseLocaleStrict(value: string, source: string): Locale {
  const loc = localeOf(value);
  if (loc) return loc;
  const line = `${source}：不支持的语言“${value}”；可用 zh-CN（或 zh）、en（或 en-US 等） | ${source}: unsupported language "${value}"; use zh-CN (or zh) or en (or en-US, en-GB…)`;
  throw new InputError({ en: line, zh: line });
}

/** `value` as a locale, else `fallback` (values are checked with parseLocaleStrict before any command runs). */
export function parseLocale(value: string | undefined, fallback: Locale): Locale {
  return (value ? localeOf(value) : undefined) ?? fallback;
}
