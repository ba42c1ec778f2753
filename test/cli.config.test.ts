import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertBuilt, runVoc } from './helpers/cli.js';

beforeAll(assertBuilt);

function tempConfig(yaml: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'voc-cli-'));
  const file = join(dir, 'voc.config.yaml');
  writeFileSync(file, yaml);
  return { dir, file };
}

const BRAND = `brands:\n  - id: acme\n    name: Acme\n`;

describe('bad config and bad targets: one clear line, exit 2, nothing written', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['unknown time zone', `timeZone: Mars/Olympus\n${BRAND}`, /^voc: .*voc\.config\.yaml: timeZone: expected an IANA time zone such as Asia\/Shanghai$/],
    ['misspelt field', `${BRAND}    aliasses: [A]\n`, /brands\.0: unknown field "aliasses"/],
    ['wrong type', `crawler:\n  concurrency: lots\n`, /crawler\.concurrency: expected number/],
    [
      'bad target URL',
      `${BRAND}targets:\n  - id: t1\n    url: ftp://example.com/x\n    brand: acme\n    selectors: { item: li, text: p }\n`,
      /targets\.0\.url: expected an absolute http:\/\/ or https:\/\/ URL/,
    ],
    [
      'unknown brand on a target',
      `${BRAND}targets:\n  - id: t1\n    url: https://example.com/\n    brand: nope\n    selectors: { item: li, text: p }\n`,
      /targets\.0\.brand: unknown brand "nope"; expected one of the ids under brands \(acme\)/,
    ],
    ['not YAML', `brands: [\n`, /not valid YAML/],
  ];
  for (const [name, yaml, pattern] of cases) {
    it(name, async () => {
      const { dir, file } = tempConfig(yaml);
      const r = await runVoc(['--config', file, 'crawl']);
      expect(r.code).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(pattern);
      expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/); // no stack trace
      expect(r.stdout).toBe('');
      // Nothing written: the data directory was never created.
      expect(readdirSync(dir)).toEqual(['voc.config.yaml']);
    });
  }

  it('a target whose host is a private address is refused before anything is stored', async () => {
    const { dir, file } = tempConfig(
      `${BRAND}dataDir: data\ntargets:\n  - id: intranet\n    url: http://10.0.0.1/forum/\n    brand: acme\n    selectors: { item: li, text: p }\n`,
    );
    const r = await runVoc(['--config', file, 'crawl']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^voc: .*http:\/\/10\.0\.0\.1\/forum\/.*private/);
    expect(existsSync(join(dir, 'data'))).toBe(false);
  });

  it('bad command-line values name the option', async () => {
    const r = await runVoc(['report', '--brand', 'acme', '--period', '2026-13']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^voc: /);
  });

  it('config check names a brand promise nobody defined, and a new promise without its label', async () => {
    const unknown = tempConfig(`brands:\n  - { id: acme, name: Acme, promises: [eco] }\n`);
    const r = await runVoc(['--config', unknown.file, 'config', 'check']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      `voc: ${unknown.file}: brands.0.promises: unknown promise "eco"; known: convenience, premium_service, reliable_quality, modern, transparency; define a new one under lexicon.promises`,
    );
    const unlabelled = tempConfig(`${BRAND}lexicon:\n  promises:\n    eco: { positive: [环保] }\n`);
    const u = await runVoc(['--config', unlabelled.file, 'config', 'check']);
    expect(u.code).toBe(2);
    expect(u.stderr.trim()).toMatch(/^voc: .*voc\.config\.yaml: lexicon\.promises\.eco\.label: a new promise needs a label in zh-CN and en/);
  });

  it('a command that classifies names the config file of a bad lexicon addition, as config check does', async () => {
    const { file } = tempConfig(`${BRAND}lexicon:\n  scenarios:\n    charging: { keywords: [充电站] }\n`);
    const r = await runVoc(['--config', file, 'classify']);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.slice(0, `voc: ${file}: `.length)).toBe(`voc: ${file}: `);
    expect(lines[0]!.slice(`voc: ${file}: `.length)).toMatch(/^lexicon\.scenarios\.charging: a new scenario needs a type \(time, weather, place, companion or activity\) and a label in zh-CN and en/);
  });

  it('config check names a model file that is not there', async () => {
    const { file } = tempConfig(`${BRAND}models:\n  sentiment: models/sentiment.json\n`);
    const r = await runVoc(['--config', file, 'config', 'check']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^voc: .*voc\.config\.yaml: models\.sentiment: model file not found: \/.*models\/sentiment\.json; train one with `voc train sentiment --data FILE --out \/.*models\/sentiment\.json` or remove the entry$/);
    // A command that classifies nothing still runs, so `voc train` can make the file.
    const list = await runVoc(['--config', file, 'targets', 'list']);
    expect(list.code).toBe(0);
  });

  it('config check accepts a valid file', async () => {
    const { file } = tempConfig(BRAND);
    const r = await runVoc(['--config', file, '--lang', 'en', 'config', 'check']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('Config valid: 1 brands, 0 targets');
  });
});
