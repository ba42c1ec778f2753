/**
 * Standard output of the `voc` command: one error listener that tells a reader going away early
 * (`voc explain --file posts.txt | head`: EPIPE) from a real failure to write (a full disk), and a
 * line writer for long outputs that waits for a slow reader and stops for a gone one.
 *
 * Node reports each write into a closed pipe as an 'error' event of process.stdout (the stream is
 * not destroyed), so whether the reader is gone has to be remembered here.
 */

let readerGone = false;
let failed = false;

/**
 * Listens for write errors of standard output: after EPIPE the rest of the output is dropped and the
 * command finishes its work (stores and browsers close as usual), as Unix tools stop printing; any
 * other error is one line on standard error and exit code 1, never a stack trace.
 */
export function watchStdout(
  stream: NodeJS.WriteStream = process.stdout,
  describe: (detail: string) => string = (detail) => `cannot write the output: ${detail}`,
): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') {
      readerGone = true;
      return;
    }
    if (failed) return;
    failed = true;
    console.error(`voc: ${describe(err.message)}`);
    process.exitCode = 1;
  });
}

/** Whether lines written to standard output can still reach a reader. */
export function stdoutOpen(): boolean {
  return !readerGone && !failed;
}

/**
 * Writes one line to standard output, waiting while the pipe is full (so a long listing holds a few
 * lines in memory, not all of them); false once nobody can read it, for the caller to stop.
 */
export async function writeLine(text: string, stream: NodeJS.WriteStream = process.stdout): Promise<boolean> {
  // A turn of the event loop first: a write error is delivered there, and a loop of resolved awaits
  // alone would never let it in.
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (!stdoutOpen()) return false;
  if (stream.write(text + '\n')) return true;
  await new Promise<void>((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('error', done);
      resolve();
    };
    stream.once('drain', done);
    stream.once('error', done);
  });
  return stdoutOpen();
}
