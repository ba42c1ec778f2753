/**
 * One headless Chromium per process, launched on first use and reused by every PDF render
 * (a launch costs about a second; a page costs milliseconds). Closed by `closeBrowser()`, and
 * killed on process exit or SIGTERM so that no orphan Chromium outlives voc.
 */
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { VocError } from '../core/errors.js';

import { CHROME_ARGS, chromePath } from '../core/chromium.js';

export { DEFAULT_CHROME_PATH, CHROME_ARGS, chromePath } from '../core/chromium.js';

interface Running {
  browser: Browser;
  userDataDir: string;
}

const CLOSE_TIMEOUT_MS = 5_000;

let launching: Promise<Running> | undefined;
let running: Running | undefined;
let hooksInstalled = false;
let spare: Promise<Page | undefined> | undefined;

/** The shared browser, launched on first call. A crashed browser is replaced on the next call. */
export async function getBrowser(): Promise<Browser> {
  if (running && !running.browser.connected) await closeBrowser();
  launching ??= launch().catch((err: unknown) => {
    launching = undefined;
    throw err;
  });
  return (await launching).browser;
}

/**
 * Starts the shared browser in the background, with a blank page ready: a report that will print
 * a PDF calls this before it loads its data, so Chromium's start-up (seconds on a small machine)
 * overlaps the aggregation. A launch failure is not raised here; the next getBrowser() reports it.
 */
export function prelaunchBrowser(): void {
  void getBrowser()
    .then(async (browser) => {
      spare ??= browser.newPage().catch(() => undefined);
      await spare;
    })
    .catch(() => undefined);
}

/** A fresh page of the shared browser (the one prelaunchBrowser prepared, when there is one). */
export async function newPage(): Promise<Page> {
  const browser = await getBrowser();
  const ready = spare;
  spare = undefined;
  const page = ready ? await ready : undefined;
  if (page && !page.isClosed() && browser.connected) return page;
  return browser.newPage();
}

async function launch(): Promise<Running> {
  const executablePath = chromePath();
  try {
    accessSync(executablePath, constants.X_OK);
  } catch {
    throw new VocError({
      en: `Chromium not found at ${executablePath}; install it with \`apt-get install chromium fonts-wqy-microhei fonts-noto-cjk\` or set CHROME_PATH to a Chrome/Chromium executable`,
      zh: `未在 ${executablePath} 找到 Chromium；请用 \`apt-get install chromium fonts-wqy-microhei fonts-noto-cjk\` 安装，或将 CHROME_PATH 设为 Chrome/Chromium 可执行文件的路径`,
    });
  }
  const userDataDir = mkdtempSync(join(tmpdir(), 'voc-chromium-'));
  try {
    // Imported here, not at the top: only commands that print a PDF pay for loading puppeteer.
    const { default: puppeteer } = await import('puppeteer-core');
    const browser = await puppeteer.launch({
      executablePath,
      headless: true,
      args: [...CHROME_ARGS, `--user-data-dir=${userDataDir}`],
      // voc owns the process lifecycle (below); puppeteer's own handlers would exit the process.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      timeout: 30_000,
    });
    running = { browser, userDataDir };
    installExitHooks();
    return running;
  } catch (err) {
    removeProfile(userDataDir);
    throw new VocError(
      { en: `could not start Chromium (${executablePath}): ${firstLine(err)}`, zh: `无法启动 Chromium（${executablePath}）：${firstLine(err)}` },
      1,
    );
  }
}

/**
 * Closes the shared browser (if any) and removes its profile directory. Safe to call twice.
 * `force` kills the process outright (for a browser that hung); a graceful close that takes
 * more than a few seconds ends the same way.
 */
export async function closeBrowser(options: { force?: boolean } = {}): Promise<void> {
  spare = undefined;
  const pending = launching;
  launching = undefined;
  const current = running ?? (await pending?.catch(() => undefined));
  running = undefined;
  if (!current) return;
  try {
    if (options.force) throw new Error('forced');
    await new Promise<void>((resolvePromise, reject) => {
      const timer = setTimeout(() => reject(new Error('close timed out')), CLOSE_TIMEOUT_MS);
      current.browser.close().then(
        () => {
          clearTimeout(timer);
          resolvePromise();
        },
        (err: unknown) => {
          clearTimeout(timer);
          reject(err);
        },
      );
    });
  } catch {
    killProcessGroup(current.browser);
    await current.browser.disconnect().catch(() => undefined);
  } finally {
    removeProfile(current.userDataDir);
  }
}

/** Synchronous last resort: 'exit' handlers cannot await, so the browser is killed outright. */
function killNow(): void {
  spare = undefined;
  const current = running;
  running = undefined;
  launching = undefined;
  if (!current) return;
  killProcessGroup(current.browser);
  removeProfile(current.userDataDir);
}

/**
 * Chromium runs as a process group (puppeteer starts it detached): killing the group takes the
 * renderer and GPU helpers down with it instead of leaving them to notice their parent died.
 */
function killProcessGroup(browser: Browser): void {
  const child = browser.process();
  if (!child?.pid) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    try {
      child.kill('SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

/** Removes a profile directory; helpers still exiting may be writing into it, hence the retries. Never throws. */
function removeProfile(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 20 });
  } catch {
    // A leftover temp directory is not worth failing a report (or an exit) for.
  }
}

function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.once('exit', killNow);
  const onSigterm = () => {
    killNow();
    // If nobody else handles SIGTERM, keep its default meaning: terminate.
    if (process.listenerCount('SIGTERM') === 0) process.kill(process.pid, 'SIGTERM');
  };
  process.once('SIGTERM', onSigterm);
}

function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split('\n')[0]!;
}
