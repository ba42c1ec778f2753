import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchmarkPosts } from '../bench/classify.js';
import { createClassifier } from '../analysis/classifier.js';
import { trainChannelModel } from '../analysis/model/channel-model.js';
import { saveModel } from '../analysis/model/serialize.js';
import { parseConfig } from '../core/config.js';
import { breakpointGold } from './model.channels.data.js';
import { benchUsage, count, flag, parseBenchOptions, text } from '../bench/options.js';

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

  const runBench = async (...extra: string[]) => {
    if (!existsSync(SCRIPT)) throw new Error('dist/ is missing: run `npm run build` (npm test does it) before this test');
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, [SCRIPT, '--json', '--posts', '300', ...extra], { cwd: ROOT, timeout: 120_000 }, (err, out, errOut) =>
        err ? reject(new Error(`${err.message}\n${errOut}`)) : resolve(out),
      ),
    );
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    return JSON.parse(lines[0]!) as Record<string, number | string>;
  };

  it('prints one JSON object with the throughput figures (compiled script, as `npm test` builds it)', async () => {
    const r = (await runBench()) as Record<string, number>;
    expect(Object.keys(r).slice(0, 5)).toEqual(['posts', 'classify_posts_per_s', 'cut_posts_per_s', 'ratio', 'peak_rss_mb']);
    expect(r.posts).toBe(300);
    expect(r.classify_posts_per_s).toBeGreaterThan(0);
    expect(r.ratio).toBeCloseTo(r.classify_posts_per_s! / r.cut_posts_per_s!, 2);
    expect(r.peak_rss_mb).toBeGreaterThan(0);
  });

  it('measures the rules with a trained channel model when given --channel-model', async () => {
    // A channel model trained on the synthetic gold of the model tests (breakpoints only: too few
    // labelled stances for the stance part), saved as `voc train channels` saves it.
    const rules = createClassifier(parseConfig({ brands: [{ id: 'b', name: '星驰' }] }));
    const { train } = breakpointGold();
    const model = trainChannelModel(
      train.map((r) => ({
        text: r.text,
        rules: rules.classify({ id: 'x', text: r.text, brand: 'b' }),
        channels: r.channels,
        breakpoint: r.breakpoint,
        breakpointChannels: r.breakpoint_channels,
        breakpointKind: r.breakpoint_kind,
      })),
    );
    const path = join(mkdtempSync(join(tmpdir(), 'voc-bench-')), 'channels.json');
    saveModel(model, path, { dataFile: 'synthetic.jsonl' });
    const [plain, withModel] = [await runBench(), await runBench('--channel-model', path)];
    expect(withModel.posts).toBe(300);
    expect(withModel.classify_posts_per_s as number).toBeGreaterThan(0);
    // The classifier measured is the one with the model: its version carries the model's hash.
    expect(String(withModel.lexicon_version)).toMatch(new RegExp(`^${String(plain.lexicon_version).replace(/[.+]/g, '\\$&')}\\+m[0-9a-f]{8}$`));
  });
});

describe('bench options', () => {
  const specs = { json: flag('one JSON object'), posts: count(100_000, 'posts'), 'store-dir': text('DIR', 'where the store goes') };

  it('reads flags, whole numbers and texts, with the defaults for what is not given', () => {
    expect(parseBenchOptions(specs, [])).toEqual({ json: false, posts: 100_000, 'store-dir': undefined });
    expect(parseBenchOptions(specs, ['--json', '--posts', '300', '--store-dir', '/tmp/x'])).toEqual({ json: true, posts: 300, 'store-dir': '/tmp/x' });
    expect(parseBenchOptions(specs, ['--posts=42'])).toEqual({ json: false, posts: 42, 'store-dir': undefined });
    expect(parseBenchOptions(specs, ['--json', '--help'])).toBe('help');
  });

  it('refuses a mistyped option, a missing value and a number that is no whole number >= 1, naming the option', () => {
    expect(() => parseBenchOptions(specs, ['--pots', '3'])).toThrow(/Unknown option '--pots'/);
    expect(() => parseBenchOptions(specs, ['--posts'])).toThrow(/--posts/);
    for (const bad of ['0', '-3', '1.5', 'many']) expect(() => parseBenchOptions(specs, [`--posts=${bad}`])).toThrow(`--posts: expected a whole number >= 1, got "${bad}"`);
    expect(() => parseBenchOptions(specs, ['stray'])).toThrow(/stray/);
  });

  it('lists every option with its default in the usage', () => {
    expect(benchUsage('x.js', specs).split('\n')).toEqual([
      'usage: node dist/bench/x.js [options]',
      '',
      '  --json                  one JSON object',
      '  --posts N               posts (default 100000)',
      '  --store-dir DIR         where the store goes',
      '  --help                  print this and exit',
    ]);
  });

  const run = (...args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(process.execPath, [SCRIPT, ...args], { cwd: ROOT, timeout: 60_000 }, (_err, stdout, stderr) => resolve({ code: child.exitCode, stdout, stderr }));
    });

  it('a bench script answers --help with its usage and a bad option with one line and exit code 2, no stack trace', async () => {
    const help = await run('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--posts N               posts to classify (default 100000)');
    const bad = await run('--posts', 'x');
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr.split('\n')[0]).toBe('classify.js: --posts: expected a whole number >= 1, got "x"');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });
});
