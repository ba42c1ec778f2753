/**
 * Pages kept on disk: a snapshot of each page that failed extraction (so a broken selector can be
 * fixed against what the site really sent) and, when `crawler.keepRawHtml` is on, the raw HTML of
 * every fetched page. Both are gzipped, live under the data directory and are deleted after
 * `crawler.retentionDays`: raw pages may hold personal data that the stored, redacted posts do not.
 *
 * Layout: `<root>/<targetId>/<YYYY-MM-DD>/<HHmmss>-<hash>.html.gz`, the day in UTC, so pruning
 * removes whole day folders without opening files.
 */
import { readdir, rm, writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { shortHash } from '../core/ids.js';
import { ensureDir } from '../core/dirs.js';

export interface PageArchive {
  /** Saves `html` fetched from `url`; returns the file path. */
  save(targetId: string, url: string, html: string, at: Date): Promise<string>;
  /** Deletes day folders older than the retention period; returns how many were removed. */
  prune(at: Date): Promise<number>;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * An archive rooted at `root` keeping files `retentionDays` days.
 *
 * @example
 * const snapshots = createPageArchive(join(config.dataDir, 'snapshots'), 30);
 * const file = await snapshots.save('acme-forum', url, html, new Date());
 */
export function createPageArchive(root: string, retentionDays: number): PageArchive {
  return {
    async save(targetId, url, html, at) {
      const iso = at.toISOString();
      const dir = join(root, safeName(targetId), iso.slice(0, 10));
      ensureDir(dir);
      const file = join(dir, `${iso.slice(11, 19).replace(/:/g, '')}-${shortHash(url, 12)}.html.gz`);
      // The URL goes first in an HTML comment so the file says where it came from; `--` cannot end it early.
      const body = `<!-- voc snapshot of ${url.replace(/--/g, '%2D%2D')} at ${iso} -->\n${html}`;
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, gzipSync(body));
      await rename(tmp, file); // never a half-written snapshot
      return file;
    },
    async prune(at) {
      const cutoff = new Date(at.getTime() - retentionDays * 86_400_000).toISOString().slice(0, 10);
      let removed = 0;
      let targets: string[];
      try {
        targets = await readdir(root);
      } catch {
        return 0; // nothing archived yet
      }
      for (const t of targets) {
        let days: string[];
        try {
          days = await readdir(join(root, t));
        } catch {
          continue;
        }
        for (const day of days) {
          if (DAY.test(day) && day < cutoff) {
            await rm(join(root, t, day), { recursive: true, force: true });
            removed++;
          }
        }
      }
      return removed;
    },
  };
}

/** A target id is already `[a-z0-9_-]`; anything else is replaced so it cannot leave the folder. */
function safeName(id: string): string {
  return id.replace(/[^a-z0-9_-]/gi, '_') || '_';
}
