/**
 * The evaluation scripts of evaluation/ (draw-questions.mjs, draw-breakpoints.mjs, score-flags.mjs,
 * which share corpora.mjs, and draw-sample.py) run on the public corpora under ../shared/data; here they run, as the
 * child processes they are, on a small corpus written for this test (VOC_SHARED_DATA), so what they
 * draw and score is known exactly. They import the compiled classifier (dist/), which `npm test`
 * compiles before it runs the tests; run `npx tsc` first when running this file alone.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { textSha256 } from '../analysis/eval/readers.js';

const ROOT = join(import.meta.dirname, '..');
const data = mkdtempSync(join(tmpdir(), 'voc-eval-scripts-'));

// Ids far above the real corpus's (about 63,000), so no labelled sample of evaluation/ names them.
const SHOP: Array<[number, string]> = [
  [990001, '请问怎么申请退款？'],
  [990002, '质量很好，物流很快。'],
  [990003, '为什么这么慢？差评'],
  // The same text again: only its first row can be drawn.
  [990004, '为什么这么慢？差评'],
  [990005, ''],
  [990006, '页面上写着买就送耳机，问了客服却说没有这个活动。'],
  [990007, '客服态度很好，在京东买的，价格便宜'],
];
const text = (id: number) => SHOP.find(([i]) => i === id)![1];

beforeAll(() => {
  mkdirSync(join(data, 'sentiment'));
  mkdirSync(join(data, 'gold'));
  writeFileSync(join(data, 'sentiment', 'online_shopping_10_cats.csv'), 'id,cat,label,review\n' + SHOP.map(([id, t]) => `${id},手机,1,${t}`).join('\n') + '\n');
  // Food-delivery rows with no asking sign and no second channel: no draw may pick them.
  writeFileSync(join(data, 'sentiment', 'waimai_10k.csv'), 'label,review\n1,很快，好吃，味道足，量大\n0,味道一般\n');
  writeFileSync(join(data, 'gold', 'channels-dev.jsonl'), '');
});

function run(script: string, args: string[], env: Record<string, string> = { VOC_SHARED_DATA: data }): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'evaluation', script), ...args], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The ids of the JSON lines a draw printed. */
function drawn(stdout: string): number[] {
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { pool: string; id: number; text: string })
    .map((o) => {
      expect(o.pool).toBe('online_shopping');
      expect(o.text).toBe(text(o.id));
      return o.id;
    })
    .sort();
}

describe('evaluation scripts on a known corpus', () => {
  it('draw-questions draws the reviews called questions, or with --missed those with an asking sign that are not', () => {
    const called = run('draw-questions.mjs', ['1', '10']);
    expect(called.status).toBe(0);
    expect(drawn(called.stdout)).toEqual([990001]);
    expect(called.stderr).toContain('1 reviews called a question');
    const missed = run('draw-questions.mjs', ['1', '10', '--missed']);
    // 为什么这么慢？ once, although two rows hold it; the empty review never.
    expect(drawn(missed.stdout)).toEqual([990003]);
  });

  it('draw-breakpoints draws found breakpoints, or a channel pair without one', () => {
    expect(drawn(run('draw-breakpoints.mjs', ['1', '10', '--found']).stdout)).toEqual([990006]);
    expect(drawn(run('draw-breakpoints.mjs', ['1', '10', '--pair', 'customer_service+marketplace']).stdout)).toEqual([990007]);
    // N caps the draw; the seed decides which.
    expect(drawn(run('draw-breakpoints.mjs', ['1', '1', '--pair', 'customer_service+marketplace']).stdout)).toHaveLength(1);
  });

  it('score-flags scores the rows both annotators agree on, a breakpoint only on its pair', () => {
    const row = (id: number, extra: object) => JSON.stringify({ pool: 'online_shopping', id, text_sha256: textSha256(text(id)).slice(0, 16), ...extra });
    const questions = join(data, 'q.jsonl');
    writeFileSync(
      questions,
      [
        row(990001, { question: [true, true] }), // found: tp
        row(990002, { question: [false, false] }), // tn
        row(990003, { question: [true, false] }), // disputed
        row(990007, { question: [true, true] }), // missed: fn
      ].join('\n') + '\n',
    );
    expect(JSON.parse(run('score-flags.mjs', [questions]).stdout)).toEqual({ agreed: 3, disputed: 1, positives: 2, tp: 1, fp: 0, fn: 1, precision: 1, recall: 0.5, f1: 0.6667 });
    const breakpoints = join(data, 'b.jsonl');
    const bp = (id: number, flag: boolean, pair: string[]) =>
      row(id, { breakpoint: [flag, flag], breakpoint_channels: [pair, pair], breakpoint_kind: [flag ? 'inconsistency' : null, flag ? 'inconsistency' : null] });
    writeFileSync(
      breakpoints,
      [
        bp(990006, true, ['marketplace', 'customer_service']), // found on the same pair: tp
        bp(990002, false, []), // tn
      ].join('\n') + '\n',
    );
    expect(JSON.parse(run('score-flags.mjs', [breakpoints]).stdout)).toMatchObject({ agreed: 2, disputed: 0, tp: 1, fp: 0, fn: 0 });
    // Another pair is a miss and a false alarm at once.
    writeFileSync(breakpoints, bp(990006, true, ['store', 'customer_service']) + '\n');
    expect(JSON.parse(run('score-flags.mjs', [breakpoints]).stdout)).toMatchObject({ agreed: 1, tp: 0, fp: 1, fn: 1 });
  });

  it('a row whose text is not the labelled one, or corpora that are missing, stop with a message', () => {
    const wrong = join(data, 'wrong.jsonl');
    writeFileSync(wrong, JSON.stringify({ pool: 'online_shopping', id: 990001, text_sha256: 'deadbeefdeadbeef', question: [true, true] }) + '\n');
    const r = run('score-flags.mjs', [wrong]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${wrong}:1: no text for online_shopping row 990001 with hash deadbeefdeadbeef`);
    const empty = mkdtempSync(join(tmpdir(), 'voc-eval-scripts-empty-'));
    const missing = run('draw-questions.mjs', ['1', '10'], { VOC_SHARED_DATA: empty });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain(`draw-questions: ${join(empty, 'sentiment', 'online_shopping_10_cats.csv')} not found; set VOC_SHARED_DATA`);
    expect(missing.stdout).toBe('');
  });

  it('draw-sample.py says which stratum is used up instead of failing in random.sample', () => {
    // One review of the fixture corpus has cue words of two groups (客服 + 京东; 页面 is no cue word of the
    // website group): far from the 140 a channel sample needs.
    const r = spawnSync('python3', [join(ROOT, 'evaluation', 'draw-sample.py'), '1', '-', 'light'], { cwd: ROOT, env: { ...process.env, VOC_SHARED_DATA: data }, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('draw-sample: only 1 unused shopping reviews with cue words of two or more groups are left, 140 needed: this stratum is used up');
    expect(r.stderr).not.toContain('Traceback');
    // `rest` takes reviews with one group too, but the fixture has too few of them as well.
    const rest = spawnSync('python3', [join(ROOT, 'evaluation', 'draw-sample.py'), '1', '-', 'rest'], { cwd: ROOT, env: { ...process.env, VOC_SHARED_DATA: data }, encoding: 'utf8' });
    expect(rest.status).toBe(1);
    expect(rest.stderr).toContain('draw-sample: only 4 unused shopping reviews with cue words of one group or more are left, 140 needed');
  });

  it('draw-sample.py rest takes every review with two channel groups, one-group reviews to make 140, and 10 food-delivery reviews', () => {
    // 30 shopping reviews with two groups (客服 + 京东), 170 with one (物流), 12 food-delivery reviews with one (骑手).
    const big = mkdtempSync(join(tmpdir(), 'voc-eval-scripts-rest-'));
    mkdirSync(join(big, 'sentiment'));
    mkdirSync(join(big, 'gold'));
    const shop = Array.from({ length: 200 }, (_, i) => `${980001 + i},手机,1,${i < 30 ? `客服回复快，京东发货也快，第${i}次` : `物流很快，第${i}次`}`);
    writeFileSync(join(big, 'sentiment', 'online_shopping_10_cats.csv'), 'id,cat,label,review\n' + shop.join('\n') + '\n');
    writeFileSync(join(big, 'sentiment', 'waimai_10k.csv'), 'label,review\n' + Array.from({ length: 12 }, (_, i) => `1,骑手送得快，第${i}份`).join('\n') + '\n');
    writeFileSync(join(big, 'gold', 'channels-dev.jsonl'), '');
    const r = spawnSync('python3', [join(ROOT, 'evaluation', 'draw-sample.py'), '7', '-', 'rest'], { cwd: ROOT, env: { ...process.env, VOC_SHARED_DATA: big }, encoding: 'utf8' });
    expect(r.status).toBe(0);
    const drawn = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { pool: string; id: number; text: string });
    expect(drawn).toHaveLength(150);
    expect(drawn.filter((o) => o.pool === 'online_shopping' && o.text.includes('客服'))).toHaveLength(30);
    expect(drawn.filter((o) => o.pool === 'online_shopping' && !o.text.includes('客服'))).toHaveLength(110);
    expect(drawn.filter((o) => o.pool === 'waimai')).toHaveLength(10);
    expect(new Set(drawn.map((o) => `${o.pool}:${o.id}`)).size).toBe(150);
    // The same seed draws the same sample.
    expect(spawnSync('python3', [join(ROOT, 'evaluation', 'draw-sample.py'), '7', '-', 'rest'], { cwd: ROOT, env: { ...process.env, VOC_SHARED_DATA: big }, encoding: 'utf8' }).stdout).toBe(r.stdout);
  });
});
