import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorText, InputError } from '../core/errors.js';
import { readAspectsCsv, readChannelGold, readCorpusPool, readSentimentCsv, textSha256 } from '../analysis/eval/readers.js';
import { readSemevalXml } from '../analysis/eval/semeval.js';
import { splitHoldout } from '../analysis/eval/split.js';

const FIX = join(import.meta.dirname, 'fixtures', 'eval');
const tmp = mkdtempSync(join(tmpdir(), 'voc-eval-readers-'));

function write(name: string, content: string): string {
  const p = join(tmp, name);
  writeFileSync(p, content);
  return p;
}

function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).exitCode).toBe(2);
    return err as InputError;
  }
  throw new Error('expected an InputError');
}

describe('readSentimentCsv', () => {
  it('reads quotes, commas and newlines inside quotes and a BOM, and skips empty reviews', () => {
    const { rows, skipped } = readSentimentCsv(join(FIX, 'sentiment.csv'));
    expect(skipped).toBe(1);
    expect(rows).toEqual([
      { line: 2, label: '1', text: '好吃，量大，送得快' },
      { line: 3, label: '0', text: '等了两个小时\n饭都凉了' },
      { line: 5, label: '1', text: '老板说"下次再来"，很热情' },
      { line: 7, label: '0', text: '太咸了' },
    ]);
  });

  it('names the file and the missing column', () => {
    const p = write('no-review.csv', 'label,text\n1,好\n');
    const e = inputError(() => readSentimentCsv(p));
    expect(e.message).toBe(
      `${p}: no "review" column (columns found: label, text); a sentiment file needs a "label" column (1 positive, 0 negative) and a "review" column`,
    );
  });

  it('names the line of an empty label', () => {
    const p = write('empty-label.csv', 'label,review\n1,好\n,差\n');
    expect(inputError(() => readSentimentCsv(p)).message).toBe(`${p}: line 3: empty "label"; expected 1 (positive) or 0 (negative)`);
  });

  it('reports a broken CSV as one line, with its line number', () => {
    const p = write('broken.csv', 'label,review\n1,"unterminated\n');
    const e = inputError(() => readSentimentCsv(p));
    expect(e.message).toMatch(new RegExp(`^${p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: not a valid CSV file`));
    expect(e.message).not.toContain('\n');
  });

  it('says when the file is missing', () => {
    expect(inputError(() => readSentimentCsv(join(tmp, 'nope.csv'))).message).toBe(`sentiment file not found: ${join(tmp, 'nope.csv')}; check the path`);
  });
});

describe('readAspectsCsv', () => {
  it('groups rows by post in order and keeps the first row of a repeated subject', () => {
    const { posts, rows, duplicates } = readAspectsCsv(join(FIX, 'aspects.csv'));
    expect(rows).toBe(6);
    expect(duplicates).toBe(1);
    expect(posts).toEqual([
      {
        id: 'p1',
        text: '动力很足，加速快',
        line: 2,
        labels: [
          { subject: '动力', sentiment: 1, word: '足' },
          { subject: '价格', sentiment: 0 },
        ],
      },
      {
        id: 'p2',
        text: '油耗有点高，\n不过空间大',
        line: 4,
        labels: [
          { subject: '油耗', sentiment: -1, word: '高' },
          { subject: '空间', sentiment: 1, word: '大' },
        ],
      },
      { id: 'p3', text: '外观"还行"吧', line: 10, labels: [{ subject: '外观', sentiment: 0 }] },
    ]);
  });

  it('names the line and value of a bad sentiment_value', () => {
    const p = write('bad-sentiment.csv', 'content_id,content,subject,sentiment_value\na,好,价格,2\n');
    expect(inputError(() => readAspectsCsv(p)).message).toBe(`${p}: line 2: "sentiment_value" is "2"; expected -1, 0 or 1`);
  });

  it('names a missing column', () => {
    const p = write('no-subject.csv', 'content_id,content,sentiment_value\na,好,1\n');
    expect(inputError(() => readAspectsCsv(p)).message).toContain(`${p}: no "subject" column (columns found: content_id, content, sentiment_value)`);
  });
});

describe('readChannelGold', () => {
  it('reads the 30-row fixture', () => {
    const rows = readChannelGold(join(FIX, 'channels-gold.jsonl'));
    expect(rows).toHaveLength(30);
    expect(rows[5]).toMatchObject({
      line: 6,
      text: '官网上写着送赠品，客服却说没有。',
      breakpoint: true,
      breakpoint_channels: ['customer_service', 'website'],
      breakpoint_kind: 'inconsistency',
    });
  });

  it('names the line and field of a bad row', () => {
    const p = write('bad-gold.jsonl', '{"text":"a","channels":[],"breakpoint":false,"question":false}\n\n{"text":"b","channels":[{"channel":"store","polarity":"great"}],"breakpoint":false,"question":false}\n');
    const err = inputError(() => readChannelGold(p));
    expect(err.message).toBe(`${p}: line 3: field channels.0.polarity: expected one of "pos", "neg", "neutral"; see the gold README for the schema`);
    expect(errorText(err, 'zh-CN')).toBe(`${p}：第 3 行：字段 channels.0.polarity：应为以下之一："pos"、"neg"、"neutral"；格式见金标准数据的 README`);
    // A wrong type: zod's own English ("Invalid input: expected string, received number") used to show through.
    const typed = write('typed-gold.jsonl', '{"text":1,"channels":[],"breakpoint":false,"question":false}\n');
    expect(errorText(inputError(() => readChannelGold(typed)), 'zh-CN')).toBe(`${typed}：第 1 行：字段 text：应为字符串；格式见金标准数据的 README`);
  });

  it('names a line that is not JSON', () => {
    const p = write('not-json.jsonl', '{"text":"a","channels":[],"breakpoint":false,"question":false}\n{oops\n');
    expect(inputError(() => readChannelGold(p)).message).toMatch(/line 2: not valid JSON/);
  });

  it('wants two channels for a breakpoint', () => {
    const p = write('one-channel.jsonl', '{"text":"a","channels":[],"breakpoint":true,"breakpoint_channels":["store"],"question":false}\n');
    expect(inputError(() => readChannelGold(p)).message).toBe(`${p}: line 1: field breakpoint_channels: a breakpoint needs two channels`);
  });
});

describe('readChannelGold: rows stored without their text', () => {
  // A corpus folder laid out like ../shared/data, with texts written for this test.
  const corpus = join(tmp, 'corpus');
  mkdirSync(join(corpus, 'sentiment'), { recursive: true });
  writeFileSync(join(corpus, 'sentiment', 'online_shopping_10_cats.csv'), 'cat,label,review,id\n衣服,0,"客服说有货，门店却说没货",77\n衣服,1,\uFEFF物流很快,78\n');
  writeFileSync(join(corpus, 'sentiment', 'waimai_10k.csv'), 'label,review\n1,送餐很快\n0,"骑手让我打客服电话，打不通"\n');
  const labels = (pool: string, id: number | string, text: string, extra = '') =>
    `{"pool":"${pool}","id":${JSON.stringify(id)},"text_sha256":"${textSha256(text).slice(0, 16)}"${extra},"channels":[],"breakpoint":false,"question":false}`;

  it('reads a whole corpus by id for the evaluation scripts, and names the known pools for an unknown one', () => {
    expect([...readCorpusPool(corpus, 'online_shopping')]).toEqual([
      ['77', '客服说有货，门店却说没货'],
      ['78', '物流很快'],
    ]);
    expect([...readCorpusPool(corpus, 'waimai').keys()]).toEqual(['0', '1']);
    expect(inputError(() => readCorpusPool(corpus, 'jd')).message).toBe('pool "jd" is not a known corpus; use one of online_shopping, waimai, semeval2014_laptops, semeval2014_restaurants');
  });

  it('joins the text by pool and id (the id column, or the data-row index) and checks its hash', () => {
    const p = write('joined.jsonl', [labels('online_shopping', 77, '客服说有货，门店却说没货'), labels('waimai', 1, '骑手让我打客服电话，打不通'), labels('online_shopping', '78', '物流很快')].join('\n') + '\n');
    expect(readChannelGold(p, { texts: corpus }).map((r) => [r.line, r.text])).toEqual([
      [1, '客服说有货，门店却说没货'],
      [2, '骑手让我打客服电话，打不通'],
      [3, '物流很快'], // the stray BOM removed, as the gold README does
    ]);
  });

  it('joins English rows from the SemEval-2014 sentences by sentence id', () => {
    mkdirSync(join(corpus, 'semeval2014-en'), { recursive: true });
    writeFileSync(
      join(corpus, 'semeval2014-en', 'Laptop_Train_v2.xml'),
      '<sentences><sentence id="7"><text>Support told me to take it back to the store.</text></sentence><sentence id="8"><text>Fast shipping.</text></sentence></sentences>',
    );
    const p = write('english.jsonl', [labels('semeval2014_laptops', '8', 'Fast shipping.'), labels('semeval2014_laptops', 7, 'Support told me to take it back to the store.')].join('\n') + '\n');
    expect(readChannelGold(p, { texts: corpus }).map((r) => r.text)).toEqual(['Fast shipping.', 'Support told me to take it back to the store.']);
    const missing = write('english-missing.jsonl', labels('semeval2014_restaurants', 1, 'x') + '\n');
    expect(inputError(() => readChannelGold(missing, { texts: corpus })).message).toMatch(/semeval2014-en\/Restaurants_Train_v2\.xml/);
  });

  it('says what is missing or wrong, naming the line and field', () => {
    const p = write('no-texts.jsonl', labels('waimai', 0, '送餐很快') + '\n');
    expect(inputError(() => readChannelGold(p)).message).toBe(`${p}: line 1: no text; pass --texts with the folder holding sentiment/waimai_10k.csv (../shared/data)`);
    const changed = write('changed.jsonl', labels('waimai', 0, '送餐很慢') + '\n');
    expect(inputError(() => readChannelGold(changed, { texts: corpus })).message).toMatch(/line 1: field text_sha256: the text of waimai row 0 in .* is not the labelled one/);
    const missing = write('missing-row.jsonl', labels('waimai', 9, 'x') + '\n');
    expect(inputError(() => readChannelGold(missing, { texts: corpus })).message).toMatch(/line 1: field id: waimai has no row 9 in /);
    const pool = write('bad-pool.jsonl', labels('hotels', 1, 'x') + '\n');
    expect(inputError(() => readChannelGold(pool, { texts: corpus })).message).toMatch(/line 1: field pool: "hotels" is not a known corpus; a row without text needs pool \(one of online_shopping, waimai, semeval2014_laptops, semeval2014_restaurants\) and id/);
  });
});

describe('readSemevalXml', () => {
  it('reads SemEval-2016 sentences with their opinions (entities decoded)', () => {
    const s = readSemevalXml(join(FIX, 'semeval2016.xml'));
    expect(s.map((x) => x.id)).toEqual(['1:0', '1:1', '1:2', '2:0', '2:1']);
    expect(s[0]!.categories).toEqual([
      { category: 'PHONE#DESIGN_FEATURES', polarity: 'positive' },
      { category: 'BATTERY#QUALITY', polarity: 'positive' },
    ]);
    expect(s[2]!.text).toBe('总之还不错 & 推荐。');
    expect(s[4]!.categories).toEqual([]);
  });

  it('reads SemEval-2014 categories and terms, keeping the text exactly (offsets count blanks)', () => {
    const s = readSemevalXml(join(FIX, 'semeval2014.xml'));
    expect(s).toHaveLength(3);
    expect(s[0]!.categories).toEqual([
      { category: 'food', polarity: 'positive' },
      { category: 'service', polarity: 'negative' },
    ]);
    expect(s[1]!.text).toBe('  We went there on a Sunday.');
    for (const sentence of s) for (const t of sentence.terms) expect(sentence.text.slice(t.from, t.to)).toBe(t.term);
  });

  it('refuses a file that is not XML, or has no sentences', () => {
    const bad = write('bad.xml', '<sentences><sentence><text>a</sentence>');
    expect(inputError(() => readSemevalXml(bad)).message).toMatch(/not well-formed XML \(line 1: .*\); expected a SemEval-2014 or -2016 file$/);
    const empty = write('empty.xml', '<?xml version="1.0"?><root><item/></root>');
    expect(inputError(() => readSemevalXml(empty)).message).toBe(`${empty}: no <sentence> elements; expected a SemEval-2014 or -2016 file`);
  });
});

describe('splitHoldout', () => {
  const items = Array.from({ length: 10 }, (_, i) => i);

  it('holds out the last share in file order without a seed', () => {
    expect(splitHoldout(items, { fraction: 0.2 })).toEqual({ train: [0, 1, 2, 3, 4, 5, 6, 7], heldOut: [8, 9] });
  });

  it('shuffles with a seed, the same way every time, keeping file order inside each part', () => {
    const a = splitHoldout(items, { fraction: 0.5, seed: 3 });
    const b = splitHoldout(items, { fraction: 0.5, seed: 3 });
    expect(a).toEqual(b);
    expect(a.heldOut).toHaveLength(5);
    expect([...a.train, ...a.heldOut].sort((x, y) => x - y)).toEqual(items);
    expect(a.heldOut).toEqual([...a.heldOut].sort((x, y) => x - y));
    expect(splitHoldout(items, { fraction: 0.5, seed: 4 }).heldOut).not.toEqual(a.heldOut);
  });

  it('refuses shares outside (0, 1)', () => {
    expect(inputError(() => splitHoldout(items, { fraction: 1 })).message).toBe('--holdout: expected a share between 0 and 1 such as 0.5 or 0.2, got 1');
  });
});
