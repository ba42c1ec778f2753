/**
 * Checks every target's start URL before a crawl touches the store: scheme, credentials and the
 * addresses its host resolves to. A bad target URL is then one line and exit code 2 with nothing
 * written, instead of a failed run recorded halfway.
 */
import { InputError, RefusedUrlError, errorText } from '../core/errors.js';
import type { Target } from '../core/types.js';
import { assertCrawlableUrl, resolvePublicAddresses } from '../crawlers/address-safety.js';

export async function preflightTargets(targets: Target[]): Promise<void> {
  for (const t of targets) {
    try {
      await resolvePublicAddresses(assertCrawlableUrl(t.url), t.allowPrivate);
    } catch (err) {
      if (err instanceof RefusedUrlError) throw new InputError({ en: `target ${t.id}: ${err.message}`, zh: `抓取目标 ${t.id}：${errorText(err, 'zh-CN')}` });
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
        throw new InputError({
          en: `target ${t.id}: host of ${t.url} not found (DNS ${code}); check the URL`,
          zh: `抓取目标 ${t.id}：找不到 ${t.url} 的主机（DNS ${code}）；请检查 URL`,
        });
      throw err;
    }
  }
}
