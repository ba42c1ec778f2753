/**
 * Waiting for standard output before `process.exit`. Node hands writes to a pipe to the OS in the
 * background once the pipe is full (`voc eval channels --errors 500 | less`, `voc runs --json | jq`),
 * and `process.exit` drops whatever is still queued: the reader would get a silently cut listing.
 */

/** Resolves once everything written to `stream` so far has been handed to the OS (or the stream has
 *  failed, e.g. the reader went away: nothing more can be delivered then). */
export function flushed(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    // An empty write is queued behind the pending ones: its callback runs once they are written.
    try {
      stream.write('', () => resolve());
    } catch {
      resolve();
    }
  });
}

/** Both standard streams, flushed. */
export async function flushStdio(): Promise<void> {
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
}
