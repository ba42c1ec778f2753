/**
 * Debian's Chromium, as every part of voc launches it (PDF printing, JS-rendered crawl targets,
 * the console's end-to-end tests): the executable and the flags for a quiet, offline, throw-away
 * browser. Never a downloaded browser.
 */

export const DEFAULT_CHROME_PATH = '/usr/bin/chromium';

/** Headless, no sandbox (containers), no GPU, no QUIC, no sync, no update checks, no background traffic. */
export const CHROME_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

/** The Chromium executable voc uses: `CHROME_PATH`, else Debian's `/usr/bin/chromium`. */
export function chromePath(env: NodeJS.ProcessEnv = process.env): string {
  return env.CHROME_PATH || DEFAULT_CHROME_PATH;
}
