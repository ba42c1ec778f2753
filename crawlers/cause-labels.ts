/**
 * The causes a crawl error is grouped by (`ErrorCause` in stats.ts: `timeout`, `http_404`,
 * `robots`...) in words, for the summary a user reads. The ids themselves stay in the JSON
 * output and the run records, where scripts branch on them.
 */
import type { Locale } from '../core/types.js';

const LABELS: Record<string, { en: string; zh: string }> = {
  timeout: { en: 'timeout', zh: '超时' },
  too_large: { en: 'too large', zh: '超出大小上限' },
  refused: { en: 'refused', zh: '已拒绝' },
  robots: { en: 'robots.txt', zh: 'robots.txt 禁止' },
  http: { en: 'HTTP error', zh: 'HTTP 错误' },
  network: { en: 'network', zh: '网络错误' },
  too_many_redirects: { en: 'too many redirects', zh: '重定向过多' },
  decode: { en: 'cannot decode', zh: '无法解码' },
  extraction: { en: 'extraction', zh: '提取失败' },
  not_html: { en: 'not HTML', zh: '不是 HTML 页面' },
  empty_body: { en: 'empty page', zh: '空白页面' },
  config: { en: 'configuration', zh: '配置错误' },
  error: { en: 'error', zh: '其他错误' },
};

/** `http_404` -> "HTTP 404"; a known cause -> its words; anything else as it is. */
export function causeLabel(cause: string, locale: Locale): string {
  const http = /^http_(\d{3})$/.exec(cause);
  if (http) return `HTTP ${http[1]}`;
  const label = LABELS[cause];
  if (!label) return cause;
  return locale === 'en' ? label.en : label.zh;
}
