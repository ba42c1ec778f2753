/**
 * A failure the user can act on. The CLI prints `message` as one line (no stack trace) and exits
 * with `exitCode` (2 = bad input or configuration, 1 = a run that failed).
 */
export class VocError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
    super(message);
    this.name = 'VocError';
    this.exitCode = exitCode;
  }
}

/** Bad user input: config field, target, URL, CLI option. */
export class InputError extends VocError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'InputError';
  }
}

/** A URL refused by the crawl safety rules (private address, scheme, robots.txt...). */
export class RefusedUrlError extends VocError {
  readonly url: string;
  constructor(url: string, reason: string) {
    super(`refused ${url}: ${reason}`, 2);
    this.name = 'RefusedUrlError';
    this.url = url;
  }
}
