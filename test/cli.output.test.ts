import { execFile, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { flushed } from '../cli/flush.js';
import { jsonText } from '../cli/json.js';
import { assertBuilt, ROOT, VOC_BIN } from './helpers/cli.js';

beforeAll(assertBuilt);

describe('standard output is complete when voc exits', () => {
  it('flushed() waits for every write queued before it', async () => {
    // A stream that takes one event-loop turn per chunk, as a pipe to a slow reader does.
    let written = 0;
    const slow = new Writable({
      highWaterMark: 1,
      write(_chunk, _enc, done) {
        setImmediate(() => {
          written++;
          done();
        });
      },
    });
    for (let i = 0; i < 200; i++) slow.write(`line ${i}\n`);
    expect(written).toBeLessThan(200);
    await flushed(slow);
    expect(written).toBe(201); // the 200 lines and the empty marker write
  });

  it('a long listing piped to another program arrives whole (it used to be cut at process.exit)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'voc-out-'));
    // 2,000 gold rows whose labels disagree with the text: --errors lists about 2 MB of errors.
    const rows: string[] = [];
    for (let i = 0; i < 2000; i++) {
      rows.push(JSON.stringify({ text: `第${i}次找客服，客服态度很差，一直没人处理，退款也没到账，真的很失望。`, sentiment: 'pos', channels: [{ channel: 'website', polarity: 'pos' }], breakpoint: false, breakpoint_channels: [], breakpoint_kind: null, scenarios: [], question: true }));
    }
    const gold = join(dir, 'gold.jsonl');
    writeFileSync(gold, rows.join('\n') + '\n');
    const args = [VOC_BIN, '--data-dir', join(dir, 'data'), 'eval', 'channels', '--gold', gold, '--errors', '100000', '--no-save'];
    const quoted = args.map((a) => `'${a}'`).join(' ');
    const sh = (cmd: string) =>
      new Promise<string>((resolve, reject) =>
        execFile('/bin/sh', ['-c', cmd], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 }, (err, stdout) => (err ? reject(err) : resolve(stdout))),
      );
    // Written to a file (never cut), then through a pipe to wc.
    await sh(`'${process.execPath}' ${quoted} > '${join(dir, 'out.txt')}'`);
    const bytes = readFileSync(join(dir, 'out.txt')).length;
    expect(bytes).toBeGreaterThan(1_000_000);
    const piped = Number((await sh(`'${process.execPath}' ${quoted} | wc -c`)).trim());
    expect(piped).toBe(bytes);
  }, 120_000);
});

describe('JSON on standard output', () => {
  it('escapes the C1 controls, separators and direction overrides crawled text may hold, and stays the same JSON', () => {
    const value = { text: '客服\u0085很差\u2028\u202e!', n: 0.5 };
    expect(jsonText(value)).toBe('{"text":"客服\\u0085很差\\u2028\\u202e!","n":0.5}');
    expect(JSON.parse(jsonText(value))).toEqual(value);
    expect(jsonText({ a: [1, 2] }, null, 2)).toBe(JSON.stringify({ a: [1, 2] }, null, 2));
  });
});

describe('a failure to write the output', () => {
  it('is one line on standard error and exit code 1, not a stack trace (a full disk: /dev/full)', async () => {
    assertBuilt();
    const full = openSync('/dev/full', 'w');
    try {
      const child = spawn(process.execPath, [VOC_BIN, 'explain', '客服态度很差'], { cwd: ROOT, stdio: ['ignore', full, 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
      expect([code, stderr]).toEqual([1, 'voc: 无法写入输出：ENOSPC: no space left on device, write\n']);
    } finally {
      closeSync(full);
    }
  }, 60_000);
});
