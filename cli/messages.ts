/** Fixed CLI output in zh-CN (default) and en. Pick with `--lang`, VOC_LANG or config.locale. */
import type { Locale } from '../core/types.js';

const zh = {
  demoServing: (url: string) => `演示论坛已在 ${url} 启动`,
  demoCrawling: '正在抓取演示论坛（真实 HTTP 抓取）…',
  crawlDone: (pages: number, created: number, updated: number, unchanged: number, errors: number) =>
    `抓取完成：${pages} 页，新增 ${created} 条，更新 ${updated} 条，未变 ${unchanged} 条，错误 ${errors} 个`,
  classified: (n: number) => `已分类 ${n} 条帖子`,
  reportWritten: (brand: string, period: string) => `报告 ${brand}（${period}）：`,
  posts: (n: number) => `${n} 条帖子`,
  topBreakpoint: '最常见的跨渠道断点',
  dragChannel: '拖累品牌最多的渠道',
  none: '无',
  progress: (pages: number, posts: number, errors: number) => `已抓取 ${pages} 页 · ${posts} 条新帖 · ${errors} 个错误`,
  workerStarted: (queues: string, concurrency: number) => `worker 已启动：队列 ${queues}，并发 ${concurrency}；按 Ctrl+C 停止`,
  workerStopping: '正在停止 worker：等待进行中的任务完成…',
  configOk: (brands: number, targets: number) => `配置有效：${brands} 个品牌，${targets} 个抓取目标`,
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
  dragChannel: 'Channel dragging the brand down most',
  none: 'none',
  progress: (pages, posts, errors) => `${pages} pages · ${posts} new posts · ${errors} errors`,
  workerStarted: (queues, concurrency) => `worker started: queues ${queues}, concurrency ${concurrency}; Ctrl+C to stop`,
  workerStopping: 'Stopping worker: waiting for in-flight jobs…',
  configOk: (brands, targets) => `Config valid: ${brands} brands, ${targets} targets`,
};

export type Messages = typeof zh;

export function messages(locale: Locale): Messages {
  return locale === 'en' ? en : zh;
}

export function parseLocale(value: string | undefined, fallback: Locale): Locale {
  if (!value) return fallback;
  const v = value.toLowerCase();
  if (v === 'en' || v.startsWith('en-')) return 'en';
  if (v === 'zh' || v === 'zh-cn' || v.startsWith('zh')) return 'zh-CN';
  return fallback;
}
