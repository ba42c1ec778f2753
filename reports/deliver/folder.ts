/**
 * Folder delivery: copies the report's files into a folder (a shared drive, a synced folder).
 * Each file appears atomically (copied under a temporary name, then renamed).
 */
import { copyFile, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { withRetries, type RetryOutcome, type RetryPolicy } from './retry.js';
import { ensureDir } from '../../core/dirs.js';

export async function copyToFolder(folder: string, files: readonly string[], policy: RetryPolicy): Promise<RetryOutcome> {
  return withRetries(async () => {
    ensureDir(folder);
    for (const file of files) {
      const target = join(folder, basename(file));
      const tmp = `${target}.tmp`;
      try {
        await copyFile(file, tmp);
        await rename(tmp, target);
      } catch (err) {
        await rm(tmp, { force: true });
        throw new Error(`copy ${basename(file)} to ${folder}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
    }
  }, policy);
}
