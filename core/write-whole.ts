/**
 * Writing a file whole or not at all: the data goes to a temporary file beside the target, which is
 * then renamed over it (or linked into place when an existing file must not be replaced), so a
 * crash, a full disk or a kill never leaves half a file where a reader or the user expects one.
 */
import { closeSync, existsSync, linkSync, openSync, renameSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Thrown by writeFileWhole with `replace: false` when the file exists. */
export class FileExistsError extends Error {
  constructor(readonly file: string) {
    super(`${file}: already exists`);
  }
}

/**
 * Writes `data` to `file` whole. `replace: false` never replaces an existing file, even one that
 * appears while writing (FileExistsError). Other failures are the file system's errors (ENOENT for a
 * missing folder, EACCES...); the temporary file never stays behind.
 */
export function writeFileWhole(file: string, data: string | Uint8Array, opts: { replace?: boolean } = {}): void {
  const temp = tempPath(file);
  try {
    if (opts.replace === false && existsSync(file)) throw new FileExistsError(file);
    writeFileSync(temp, data);
    if (opts.replace === false) placeNew(temp, file);
    else renameSync(temp, file);
  } finally {
    try {
      unlinkSync(temp);
    } catch {
      // Renamed into place, or never made.
    }
  }
}

/**
 * Writes the chunks to `file` whole, replacing it, holding one chunk in memory at a time (an export
 * of every stored post). Failures as writeFileWhole's, including one thrown by the chunks' source.
 */
export async function writeFileWholeFrom(file: string, chunks: AsyncIterable<string>): Promise<void> {
  const temp = tempPath(file);
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'w');
    for await (const chunk of chunks) writeSync(fd, chunk);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, file);
  } finally {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // Renamed into place, or never made.
    }
  }
}

function tempPath(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
}

/** Links `temp` to `file`, which must not exist; where the file system has no hard links, checks and renames. */
function placeNew(temp: string, file: string): void {
  try {
    linkSync(temp, file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new FileExistsError(file);
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw err;
    if (existsSync(file)) throw new FileExistsError(file);
    renameSync(temp, file);
  }
}
