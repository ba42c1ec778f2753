/**
 * The key of the author pseudonymisation HMAC. From VOC_AUTHOR_SECRET, else generated once and kept
 * in the data directory (mode 0600) so that the same author maps to the same hash on every run.
 * With MongoDB (several machines) the secret must come from the environment so all agree.
 */
import { existsSync, linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { InputError } from '../core/errors.js';
import { ensureDataDir } from '../core/dirs.js';

export function authorSecret(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.VOC_AUTHOR_SECRET?.trim();
  if (fromEnv) {
    if (fromEnv.length < 16)
      throw new InputError({
        en: 'VOC_AUTHOR_SECRET: expected at least 16 characters (e.g. `openssl rand -hex 32`)',
        zh: 'VOC_AUTHOR_SECRET：至少需要 16 个字符（例如 `openssl rand -hex 32` 的输出）',
      });
    return fromEnv;
  }
  if (env.MONGODB_URI)
    throw new InputError({
      en: 'VOC_AUTHOR_SECRET is not set: with MONGODB_URI every machine must share one secret; set it to e.g. the output of `openssl rand -hex 32`',
      zh: 'VOC_AUTHOR_SECRET 未设置：使用 MONGODB_URI 时，所有机器必须共用同一个密钥；请把它设为例如 `openssl rand -hex 32` 的输出',
    });
  const file = join(dataDir, 'author-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  ensureDataDir(dataDir);
  const secret = randomBytes(32).toString('hex');
  // Write a temporary file, then link it in place: a link never replaces an existing file, so when
  // processes start at once exactly one secret wins, none is ever seen half-written, and every
  // process reads the winner (a rename would let a later process replace a secret already in use).
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, secret, { mode: 0o600 });
  try {
    linkSync(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    unlinkSync(tmp);
  }
  return readFileSync(file, 'utf8').trim();
}
