/**
 * Checks every target's start URL before a crawl touches the store: scheme, credentials and the
 * addresses its host resolves to. A bad target URL is then one line and exit code 2 with nothing
 * written, instead of a failed run recorded halfway.
 */
import { InputError, RefusedUrlError, errorText, type Bilingual } from '../core/errors.js';
import type { Target } from '../core/types.js';
import { assertCrawlableUrl, resolvePublicAddresses } from '../crawlers/address-safety.js';

/** A target whose start URL cannot be crawled; `problem` says why without naming the target (a preview's spec has no id of its own). */
export class UnreachableTargetError extends InputError {
  readonly problem: Bilingual;
  constructor(targetId: string, problem: Bilingual) {
    super({ en: `target ${targetId}: ${problem.en}`, zh: `抓取目标 ${targetId}：${problem.zh}` });
    this.name = 'UnreachableTargetError';
    this.problem = problem;
  }
}

export async function preflightTargets(targets: Target[]): Promise<void> {
  for (const t of targets) {
    try {
      await resolvePublicAddresses(assertCrawlableUrl(t.url), t.allowPrivate);
    } catch (err) {
      if (err instanceof RefusedUrlError) throw new UnreachableTargetError(t.id, { en: err.message, zh: errorText(err, 'zh-CN') });
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
        throw new UnreachableTargetError(t.id, {
          en: `host of ${t.url} not found (DNS ${code}); check the URL`,
          zh: `找不到 ${t.url} 的主机（DNS ${code}）；请检查 URL`,
        });
      throw err;
    }
  }
}
