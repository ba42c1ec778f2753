/**
 * A failure the user can act on. The CLI prints it as one line (no stack trace) in the user's
 * language and exits with `exitCode` (2 = bad input or configuration, 1 = a run that failed).
 *
 * `message` is always English (logs, stored run errors, tests); `zh` is the same sentence in
 * Chinese when the raiser wrote one. `errorText` picks by locale.
 */
import type { Locale } from './types.js';

/** One message in both languages the product speaks. */
export interface Bilingual {
  en: string;
  zh: string;
}

export type ErrorText = string | Bilingual;

export class VocError extends Error {
  readonly exitCode: number;
  /** The message in Chinese, when the raiser gave one. */
  readonly zh: string | undefined;
  constructor(message: ErrorText, exitCode = 2) {
    super(typeof message === 'string' ? message : message.en);
    this.name = 'VocError';
    this.exitCode = exitCode;
    this.zh = typeof message === 'string' ? undefined : message.zh;
  }
}

/** Bad user input: config field, target, URL, CLI option. */
export class InputError extends VocError {
  constructor(message: ErrorText) {
    super(message, 2);
    this.name = 'InputError';
  }
}

/** A URL refused by the crawl safety rules (private address, scheme, robots.txt...). */
export class RefusedUrlError extends VocError {
  readonly url: string;
  /** Why, without the URL: the same reason can be told about another URL (robots.txt -> the page). */
  readonly reason: Bilingual;
  constructor(url: string, reason: ErrorText) {
    const why = inBoth(reason);
    super({ en: `refused ${url}: ${why.en}`, zh: `已拒绝 ${url}：${why.zh}` }, 2);
    this.name = 'RefusedUrlError';
    this.url = url;
    this.reason = why;
  }
}

/** The error's message in `locale`: its Chinese text for zh-CN when it has one, else English. */
export function errorText(err: Error, locale: Locale): string {
  return inLocale(locale, err.message, err instanceof VocError ? err.zh : undefined);
}

/** A stored message in `locale`: its Chinese for zh-CN when one was written, else the English. */
export function inLocale(locale: Locale, en: string, zh: string | undefined): string {
  return locale !== 'en' && zh !== undefined ? zh : en;
}

/** The first line of an error's Chinese message, when its raiser wrote one (beside `message`'s English). */
export function firstLineZh(err: unknown): string | undefined {
  return err instanceof VocError && err.zh !== undefined ? err.zh.split('\n')[0]!.trim() : undefined;
}

/** Both languages of a message whose parts may themselves be bilingual (a cause, a detail). */
export function inBoth(text: ErrorText): Bilingual {
  return typeof text === 'string' ? { en: text, zh: text } : text;
}
