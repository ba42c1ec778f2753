/**
 * Chromium for JS-rendered listings (playwright-core with the system's Chromium; never a
 * downloaded browser). A capped pool of browser contexts, each recycled after N pages so a
 * leaking site cannot grow the browser forever.
 *
 * The browser never touches the network itself: every request a page makes is routed and
 * answered by the crawler (`fetchResource`: the same URL safety, robots.txt, politeness and size
 * caps as any fetch), images, media and fonts are refused, and the browser's own DNS is pointed
 * at nothing (`--host-resolver-rules`), so a request that escaped routing (a WebSocket, a
 * prefetch) cannot reach anything either, and DNS rebinding has no browser-side way in.
 */
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { CHROME_ARGS } from '../core/chromium.js';

/** What the crawler answered for one routed request. */
export interface RoutedResponse {
  url: string;
  status: number;
  contentType?: string;
  body: string;
}

/** Playwright's resource types we care about (`document`, `script`, `xhr`, `fetch`, `stylesheet`...). */
export type ResourceType = string;

export interface RenderRequest {
  url: string;
  /**
   * Answers a request of the page (the page itself included). Throwing refuses it; for the page
   * itself the error becomes the render's error.
   */
  fetchResource(url: string, type: ResourceType, isNavigation: boolean): Promise<RoutedResponse>;
  /** Selector to wait for before reading the page. */
  waitFor?: string;
  /** Selector of the items, to tell whether a scroll or click revealed more. */
  itemSelector?: string;
  /** Scroll to the bottom (or click `loadMore`) up to this many times while items keep appearing. */
  scrolls?: number;
  loadMore?: string;
  /** Wait for new items after a scroll/click, ms (default 5000). */
  settleMs?: number;
  /** Whole-render deadline, ms (default 60 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface RenderedPage {
  /** URL of the page after redirects. */
  url: string;
  status: number;
  /** The DOM serialised after scripts ran, scrolls and clicks. */
  html: string;
  /** Requests refused (blocked types, non-GET, failed checks). */
  blocked: number;
}

export interface BrowserPool {
  render(request: RenderRequest): Promise<RenderedPage>;
  close(): Promise<void>;
}

export interface BrowserPoolOptions {
  executablePath: string;
  /** Contexts open at once (= pages rendered in parallel). */
  contexts: number;
  /** Pages a context serves before it is replaced. */
  recycleAfterPages: number;
  userAgent: string;
}

/** Flags every launch uses: voc's quiet headless Chromium, and no resolver of its own. */
export const CHROMIUM_FLAGS = [
  ...CHROME_ARGS,
  // Every request is answered by the crawler through routing: the browser's own resolver
  // answers nothing, so nothing can bypass the checks.
  '--host-resolver-rules=MAP * ~NOTFOUND',
];

const BLOCKED_TYPES = new Set(['image', 'media', 'font']);

interface Slot {
  context: BrowserContext;
  served: number;
}

/**
 * Creates the pool; Chromium starts on the first render.
 *
 * @example
 * const pool = createBrowserPool({ executablePath: '/usr/bin/chromium', contexts: 2, recycleAfterPages: 50, userAgent });
 * const page = await pool.render({ url, fetchResource, waitFor: '.post', itemSelector: '.post', scrolls: 5 });
 * await pool.close();
 */
export function createBrowserPool(options: BrowserPoolOptions): BrowserPool {
  let browser: Promise<Browser> | undefined;
  const idle: Slot[] = [];
  let open = 0;
  const waiting: Array<(slot: Slot | null) => void> = [];
  let closed = false;

  function launch(): Promise<Browser> {
    // playwright-core is loaded on first use: most crawls never start a browser.
    browser ??= import('playwright-core')
      .then(({ chromium }) =>
        chromium.launch({ executablePath: options.executablePath, args: CHROMIUM_FLAGS, headless: true, handleSIGINT: false, handleSIGTERM: false }),
      )
      .then((b) => {
        // A crashed browser is replaced on the next render.
        b.on('disconnected', () => {
          browser = undefined;
          idle.length = 0;
        });
        return b;
      })
      .catch((err: unknown) => {
        browser = undefined;
        throw new Error(`cannot start Chromium at ${options.executablePath} (${(err as Error).message.split('\n')[0]}); install chromium or set CHROME_PATH`);
      });
    return browser;
  }

  async function newSlot(): Promise<Slot> {
    const b = await launch();
    const context = await b.newContext({
      userAgent: options.userAgent,
      serviceWorkers: 'block',
      acceptDownloads: false,
      javaScriptEnabled: true,
    });
    // Pop-ups a page opens are closed at once: they are not what we came for.
    context.on('page', (p) => {
      void p.opener().then((opener) => (opener ? p.close() : undefined)).catch(() => undefined);
    });
    return { context, served: 0 };
  }

  async function acquire(): Promise<Slot> {
    const slot = idle.pop();
    if (slot) return slot;
    if (open < options.contexts) {
      open++;
      try {
        return await newSlot();
      } catch (err) {
        open--;
        throw err;
      }
    }
    const next = await new Promise<Slot | null>((resolve) => waiting.push(resolve));
    return next ?? acquire();
  }

  async function release(slot: Slot, broken: boolean): Promise<void> {
    slot.served++;
    if (broken || closed || slot.served >= options.recycleAfterPages) {
      await slot.context.close().catch(() => undefined);
      open--;
      const w = waiting.shift();
      w?.(null); // the waiter opens a fresh context
      return;
    }
    const w = waiting.shift();
    if (w) w(slot);
    else idle.push(slot);
  }

  async function render(req: RenderRequest): Promise<RenderedPage> {
    if (closed) throw new Error('the browser pool is closed');
    const slot = await acquire();
    let page: Page | undefined;
    let broken = false;
    let blocked = 0;
    let navError: unknown;
    let status = 0;
    const timeoutMs = req.timeoutMs ?? 60_000;
    try {
      page = await slot.context.newPage();
      page.setDefaultTimeout(timeoutMs);
      await page.route('**/*', async (route: Route) => {
        const r = route.request();
        const isNavigation = r.isNavigationRequest() && r.frame() === page!.mainFrame();
        if (BLOCKED_TYPES.has(r.resourceType()) || r.method() !== 'GET' || !/^https?:/i.test(r.url())) {
          blocked++;
          return route.abort('blockedbyclient').catch(() => undefined);
        }
        try {
          const res = await req.fetchResource(r.url(), r.resourceType(), isNavigation);
          if (isNavigation) status = res.status;
          if (res.url !== r.url() && isNavigation) {
            // Let the browser follow the redirect so relative links resolve against the final URL.
            return await route.fulfill({ status: 302, headers: { location: res.url } });
          }
          await route.fulfill({ status: res.status, headers: { 'content-type': utf8ContentType(res.contentType) }, body: res.body });
        } catch (err) {
          if (isNavigation) navError ??= err;
          blocked++;
          await route.abort('blockedbyclient').catch(() => undefined);
        }
      });
      const onAbort = () => void page?.close().catch(() => undefined);
      req.signal?.addEventListener('abort', onAbort, { once: true });
      try {
        try {
          await page.goto(req.url, { waitUntil: 'domcontentloaded', timeout: timeoutMs });
        } catch (err) {
          throw navError ?? err;
        }
        if (navError) throw navError;
        const waitFor = req.waitFor ?? req.itemSelector;
        if (waitFor) await page.waitForSelector(waitFor, { timeout: Math.min(timeoutMs, req.settleMs ?? 10_000), state: 'attached' }).catch(() => undefined);
        if (req.scrolls && req.itemSelector) await revealMore(page, req);
        const html = await page.content();
        return { url: page.url(), status: status || 200, html, blocked };
      } finally {
        req.signal?.removeEventListener('abort', onAbort);
      }
    } catch (err) {
      broken = !page || page.isClosed() ? true : broken;
      throw err;
    } finally {
      await page?.close().catch(() => undefined);
      await release(slot, broken);
    }
  }

  return {
    render,
    async close() {
      closed = true;
      for (const w of waiting.splice(0)) w(null);
      const b = browser;
      browser = undefined;
      idle.length = 0;
      if (b) await (await b.catch(() => undefined))?.close().catch(() => undefined);
    },
  };
}

/** Scrolls (or clicks "load more") while each round reveals more items. */
async function revealMore(page: Page, req: RenderRequest): Promise<void> {
  const itemSelector = req.itemSelector!;
  const settleMs = req.settleMs ?? 5000;
  let count = await page.locator(itemSelector).count();
  for (let round = 0; round < req.scrolls!; round++) {
    if (req.loadMore) {
      const button = page.locator(req.loadMore).first();
      if ((await button.count()) === 0 || !(await button.isVisible().catch(() => false))) return;
      await button.click({ timeout: settleMs }).catch(() => undefined);
    } else {
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    }
    const grew = await page
      .waitForFunction(([sel, n]) => document.querySelectorAll(sel as string).length > (n as number), [itemSelector, count] as const, {
        timeout: settleMs,
      })
      .then(() => true)
      .catch(() => false);
    if (!grew) return;
    count = await page.locator(itemSelector).count();
  }
}

/** The content type with its charset set to UTF-8 (the crawler hands the browser decoded text). */
function utf8ContentType(contentType: string | undefined): string {
  const base = (contentType ?? 'text/html').split(';')[0]!.trim() || 'text/html';
  return `${base}; charset=utf-8`;
}
