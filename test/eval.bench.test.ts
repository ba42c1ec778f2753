import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchmarkPosts } from '../bench/classify.js';

const ROOT = join(import.meta.dirname, '..');
const SCRIPT = join(ROOT, 'dist', 'bench', 'classify.js');

describe('bench/classify', () => {
  it('composes the same 50-300 character posts for a seed', () => {
    const posts = benchmarkPosts(3000, 9);
    expect(posts).toHaveLength(3000);
    for (const p of posts) {
      expect(p.length).toBeGreaterThanOrEqual(50);
      expect(p.length).toBeLessThanOrEqual(300);
    }
    expect(benchmarkPosts(3000, 9)).toEqual(posts);
    expect(benchmarkPosts(50, 10)).not.toEqual(posts.slice(0, 50));
    // Varied, not one template repeated.
    expect(new Set(posts).size).toBeGreaterThan(2900);
  });

  it('prints one JSON object with the throughput figures (compiled script, as `npm test` builds it)', async () => {
    if (!existsSync(SCRIPT)) throw new Error('dist/ is missing: run `npm run build` (npm test does it) before this test');
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, [SCRIPT, '--json', '--posts', '300'], { cwd: ROOT, timeout: 120_000 }, (err, out, errOut) =>
        err ? reject(new Error(`${err.message}\n${errOut}`)) : resolve(out),
      ),
    );
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const r = JSON.parse(lines[0]!) as Record<string, number>;
    expect(Object.keys(r).slice(0, 5)).toEqual(['posts', 'classify_posts_per_s', 'cut_posts_per_s', 'ratio', 'peak_rss_mb']);
    expect(r.posts).toBe(300);
    expect(r.classify_posts_per_s).toBeGreaterThan(0);
    expect(r.ratio).toBeCloseTo(r.classify_posts_per_s! / r.cut_posts_per_s!, 2);
    expect(r.peak_rss_mb).toBeGreaterThan(0);
  });
});
