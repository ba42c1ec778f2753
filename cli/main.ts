/**
 * The `voc` command: runs the command tree of cli/program.ts. Errors the user can act on print as
 * one line in the output language with exit code 2 (1 for a run that failed); anything else is one
 * line and a hint, never a stack trace unless VOC_DEBUG is set.
 */
import { CommanderError } from 'commander';
import { VocError, errorText } from '../core/errors.js';
import { messages } from './messages.js';
import { locale, program } from './program.js';
import { localeBeforeParsing, localizeProgram } from './help.js';
import { flushStdio } from './flush.js';
import { watchStdout } from './stdout.js';

// A reader going away early (voc runs list | head) drops the rest of the output; other write errors are one line.
watchStdout(process.stdout, (detail) => messages(locale()).cannotWrite(detail));

async function main(): Promise<void> {
  try {
    // Help and usage errors come before any command runs: their language is settled from the arguments.
    localizeProgram(program, localeBeforeParsing(process.argv.slice(2)));
    await program.parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander already printed the usage problem (or help/version); keep its exit code, 2 for misuse.
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    if (err instanceof VocError) {
      console.error(`voc: ${errorText(err, locale())}`);
      process.exitCode = err.exitCode;
      return;
    }
    const m = messages(locale());
    console.error(`voc: ${m.unexpectedError((err as Error)?.message ?? String(err))}`);
    if (process.env.VOC_DEBUG) console.error((err as Error)?.stack);
    else console.error(`voc: ${m.debugHint}`);
    process.exitCode = 1;
  }
}

await main();
// Open handles (a browser, a Redis connection) must not keep a finished command alive.
const { closeBrowser } = await import('../reports/browser.js');
await closeBrowser().catch(() => undefined);
// Output still queued for a slow reader (a pipe) would be lost by process.exit.
await flushStdio();
process.exit(process.exitCode ?? 0);
