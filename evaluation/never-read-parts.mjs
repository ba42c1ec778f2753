// Writes the parts of the two sentiment corpora whose errors the lexicon work never reads, as CSV
// files `voc eval sentiment` scores like the whole files: waimai rows whose 0-based index is not
// divisible by 7, and the online_shopping categories outside the development ones (衣服, 水果, 洗发水,
// 平板, 蒙牛), i.e. 书籍, 手机, 计算机, 热水器. Lexicon words are read off the development parts only;
// these parts say whether they carry over (EVALUATION.md, "Eighth session").
//
//   node evaluation/never-read-parts.mjs OUT_DIR      (after npx tsc; writes rest_waimai.csv, rest_shop.csv)
//   node bin/voc.js eval sentiment --data OUT_DIR/rest_waimai.csv --json
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsvRows } from '../dist/analysis/eval/readers.js';
import { requireCorpora, sharedData as data } from './corpora.mjs';

const out = process.argv[2];
if (!out) {
  console.error('usage: node evaluation/never-read-parts.mjs OUT_DIR');
  process.exit(2);
}
requireCorpora('never-read-parts');
if (!existsSync(out)) {
  console.error(`never-read-parts: output folder ${out} does not exist; create it or pass another OUT_DIR`);
  process.exit(2);
}
const DEVELOPMENT = new Set(['衣服', '水果', '洗发水', '平板', '蒙牛']);
const quote = (s) => `"${s.replace(/"/g, '""')}"`;
const rows = (file) => parseCsvRows(readFileSync(join(data, 'sentiment', file), 'utf8'), file, ['label', 'review'], 'label and review columns').rows;
const waimai = ['label,review'];
rows('waimai_10k.csv').forEach((r, i) => { if (i % 7 !== 0) waimai.push(`${r.fields.label},${quote(r.fields.review)}`); });
const shop = ['label,review'];
for (const r of rows('online_shopping_10_cats.csv')) if (!DEVELOPMENT.has(r.fields.cat)) shop.push(`${r.fields.label},${quote(r.fields.review ?? '')}`);
writeFileSync(join(out, 'rest_waimai.csv'), waimai.join('\n') + '\n');
writeFileSync(join(out, 'rest_shop.csv'), shop.join('\n') + '\n');
console.error(`${waimai.length - 1} + ${shop.length - 1} rows -> ${out}/rest_waimai.csv, ${out}/rest_shop.csv`);
