/**
 * Folder delivery: copies the report's files into a folder (a shared drive, a synced folder).
 * Each file appears atomically (copied under a temporary name, then renamed).
 */
import { copyFile, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { withRetries, type RetryOutcome, type RetryPolicy } from './retry.js';
import { ensureDir } from '../../core/dirs.js';
import { VocError } from '../../core/errors.js';

export async function copyToFolder(folder: string, files: readonly string[], policy: RetryPolicy): Promise<RetryOutcome> {
  return withRetries(async () => {
    try {
      ensureDir(folder);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      throw new VocError({ en: `folder ${folder}: cannot create it (${code})`, zh: `文件夹 ${folder}：无法创建（${code}）` }, 1);
    }
    for (const file of files) {
      const target = join(folder, basename(file));
      const tmp = `${target}.tmp`;
      try {
        await copyFile(file, tmp);
        await rename(tmp, target);
      } catch (err) {
        await rm(tmp, { force: true });
        const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
        throw new VocError({ en: `copy ${basename(file)} to ${folder}: ${why}`, zh: `复制 ${basename(file)} 到 ${folder}：${why}` }, 1);
      }
    }
  }, policy);
}
