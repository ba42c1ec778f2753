// What the evaluation scripts share about the two sentiment corpora (after npx tsc): where the shared
// data is, which reviews some sample or the dev set already holds, the unlabelled reviews in file
// order, and a seeded draw from them.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCorpusPool } from '../dist/analysis/eval/readers.js';
import { seededRandom } from '../dist/analysis/model/random.js';

export const here = dirname(fileURLToPath(import.meta.url));
/** ../shared/data, or VOC_SHARED_DATA. */
export const sharedData = process.env.VOC_SHARED_DATA ?? join(here, '..', '..', 'shared', 'data');
/** The two review corpora, in the order the scripts walk them. */
export const REVIEW_POOLS = ['online_shopping', 'waimai'];

/** Exits with a clear message when the corpora are not under `sharedData`. */
export function requireCorpora(script) {
  for (const file of ['online_shopping_10_cats.csv', 'waimai_10k.csv']) {
    if (!existsSync(join(sharedData, 'sentiment', file))) {
      console.error(`${script}: ${join(sharedData, 'sentiment', file)} not found; set VOC_SHARED_DATA to the folder holding sentiment/ (../shared/data)`);
      process.exit(2);
    }
  }
}

/** "pool:id" of every review in the dev gold set or in any labelled file of evaluation/. */
export function labelledReviews() {
  const used = new Set();
  const files = [join(sharedData, 'gold', 'channels-dev.jsonl'), ...readdirSync(here).filter((f) => f.endsWith('.jsonl')).map((f) => join(here, f))];
  for (const file of files) for (const line of readFileSync(file, 'utf8').split('\n')) if (line.trim()) { const o = JSON.parse(line); used.add(`${o.pool}:${o.id}`); }
  return used;
}

/** Texts of both corpora by "pool:id". */
export function corpusTexts() {
  const texts = new Map();
  for (const pool of REVIEW_POOLS) for (const [id, text] of readCorpusPool(sharedData, pool)) texts.set(`${pool}:${id}`, text);
  return texts;
}

/** The reviews no sample holds, in file order, each text once (its first row), empty ones left out. */
export function* unlabelledReviews() {
  const used = labelledReviews();
  const seen = new Set();
  for (const pool of REVIEW_POOLS) {
    for (const [id, text] of readCorpusPool(sharedData, pool)) {
      if (!text.trim() || seen.has(text)) continue;
      seen.add(text);
      if (!used.has(`${pool}:${id}`)) yield { pool, id: Number(id), text };
    }
  }
}

/** Prints `n` of `pool` drawn with `seed` (a seeded shuffle) as JSON lines, and how many there were. */
export function printDraw(pool, seed, n, what) {
  const random = seededRandom(seed);
  for (let i = pool.length - 1; i > 0; i--) { const j = Math.floor(random() * (i + 1)); [pool[i], pool[j]] = [pool[j], pool[i]]; }
  process.stderr.write(`${pool.length} reviews ${what}\n`);
  for (const o of pool.slice(0, n)) process.stdout.write(JSON.stringify(o) + '\n');
}
