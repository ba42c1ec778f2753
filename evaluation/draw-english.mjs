// Draws an English sample for `voc eval channels` from the SemEval-2014 Task 4 training sentences
// (../shared/data/semeval2014-en): sentences naming a touchpoint, found by English cue words of the
// gold README's groups, plus a few without any. Writes the annotators' input (with texts, outside the
// repository) and prints the counts.
//   node evaluation/draw-english.mjs SEED OUT.jsonl [DATA_DIR]
// After `npx tsc -p tsconfig.json`: uses the built SemEval reader and seeded PRNG.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from '../dist/core/random.js';
import { readSemevalXml } from '../dist/analysis/eval/semeval.js';

const [seedArg, out, dataDir = '../shared/data'] = process.argv.slice(2);
if (!seedArg || !out) {
  console.error('usage: node evaluation/draw-english.mjs SEED OUT.jsonl [DATA_DIR]');
  process.exit(2);
}
// Cue-word groups: stratification only; labels come from reading.
const GROUPS = {
  website: /\b(website|web ?site|official site|online)\b/i,
  app: /\bapps?\b/i,
  marketplace: /\b(amazon|ebay|newegg|ordered online|bought online|online store|seamless|grubhub|opentable|yelp)\b/i,
  store: /\b(store|stores|best buy|shop|retailer|dealer|counter|in-store)\b/i,
  customer_service: /\b(customer service|support|tech support|call cent\w*|hotline|help ?desk|representative|on the phone|called)\b/i,
  delivery: /\b(deliver\w*|shipping|shipped|shipment|courier|take[- ]?out)\b/i,
  after_sales: /\b(warranty|return(ed|s)?|refund\w*|repair\w*|exchange\w*|replace\w*|geek squad|service cent\w*|sent it back|send it back)\b/i,
};
const random = seededRandom(Number(seedArg));
const shuffle = (xs) => {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
};
const seen = new Set();
const strata = [];
for (const [pool, file] of [['semeval2014_laptops', 'Laptop_Train_v2.xml'], ['semeval2014_restaurants', 'Restaurants_Train_v2.xml']]) {
  const byGroups = { two: [], one: [], none: [] };
  for (const s of readSemevalXml(join(dataDir, 'semeval2014-en', file))) {
    const text = s.text.trim();
    if (!text || seen.has(text)) continue;
    seen.add(text);
    const n = Object.values(GROUPS).filter((r) => r.test(s.text)).length;
    byGroups[n >= 2 ? 'two' : n === 1 ? 'one' : 'none'].push({ pool, id: s.id, text: s.text });
  }
  strata.push({ pool, ...byGroups });
}
const [laptops, restaurants] = strata;
// Laptops: every sentence with two groups, then one-group ones to 110; restaurants: 30 with one
// group; 5 of each file with none (false alarms).
const pick = (list, n) => shuffle([...list]).slice(0, n);
const rows = [
  ...pick(laptops.two, 110),
  ...pick(laptops.one, 110 - Math.min(110, laptops.two.length)),
  ...pick(restaurants.one, 30),
  ...pick(laptops.none, 5),
  ...pick(restaurants.none, 5),
];
const sha = (t) => createHash('sha256').update(t, 'utf8').digest('hex').slice(0, 16);
writeFileSync(out, rows.map((r) => JSON.stringify({ ...r, text_sha256: sha(r.text) })).join('\n') + '\n');
console.log(`${rows.length} sentences: laptops ${laptops.two.length} with two groups, ${laptops.one.length} with one; restaurants ${restaurants.one.length} with one -> ${out}`);
