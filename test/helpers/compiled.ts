/**
 * Child-process tests run the compiled dist/ build, the way a second voc process would. `npm test`
 * builds it first; when one test file is run by hand after an edit, `ensureCompiled` rebuilds it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './cli.js';

/** The .ts files directly inside each of `folders` (relative to the repository root). */
export function sourcesIn(...folders: string[]): string[] {
  return folders.flatMap((d) =>
    readdirSync(join(ROOT, d))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => `${d}/${f}`),
  );
}

/** Runs tsc when any of `sources` is newer than its dist/ output; throws if that did not help. */
export function ensureCompiled(sources: string[]): void {
  const stale = () =>
    sources.some((src) => {
      const out = join(ROOT, 'dist', src.replace(/\.ts$/, '.js'));
      return !existsSync(out) || statSync(join(ROOT, src)).mtimeMs > statSync(out).mtimeMs;
    });
  if (!stale()) return;
  let output = '';
  try {
    execFileSync('npx', ['tsc', '-p', '.'], { cwd: ROOT, stdio: 'pipe' });
  } catch (err) {
    // Other folders may not type-check yet; tsc still emits, which is all the children need.
    output = String((err as { stdout?: Buffer }).stdout ?? err);
  }
  if (stale()) throw new Error(`could not build ${sources.join(', ')} into dist/ with tsc:\n${output}`);
}
