/**
 * Builds `demo/data/posts.jsonl` from the hand-written, hand-labelled sources `demo/corpus/*.posts`.
 * Texts and labels are written by people; this script only parses them, checks every label against
 * the lexicon ids, and adds the forum metadata (author handle, time, rating, likes) from a seeded
 * PRNG, so the output is identical on every run.
 *
 *   npx tsc -p . && node dist/demo/corpus/generate.js [--root <repo folder>]
 *
 * Source format, one post per block, blocks separated by blank lines, `#` lines are comments:
 *
 *   @ 2026-10-12 09:30                      optional: fixed publication time (else drawn)
 *   星驰App预约试驾很方便，到了4S店却说没有记录。  the text (one line)
 *   = neg | ch app+ store- | d 方便:convenience+@app | bp app/store:handoff
 *
 * Label line: the sentiment (pos, neg, mixed, neutral, or `spam` for a spam post with no other
 * labels), then `|`-separated fields:
 *   ch  channel+ / channel- / channel0            channels with stance
 *   d   word:promise+@channel (or @- for none)    promise descriptors
 *   a   aspect+ / aspect- / aspect0               aspects of the brand's taxonomy
 *   sc  scenario+ / scenario- / scenario0         usage scenarios with the stance of their sentence
 *   q   [about...]                                a genuine question, about aspects / products
 *   bp  chanA/chanB:kind ...                      breakpoints
 */
import { readFileSync, readdirSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BREAKPOINT_KINDS, type BreakpointKind, type Polarity, type SentimentLabel } from '../../core/types.js';
import { loadLexicons, type Lexicons } from '../../analysis/lexicons.js';
import { DEMO_BRANDS, type DemoPost, type DemoTruth } from './index.js';
import { seededRandom as prng } from '../../core/random.js';

const SOURCES: Array<{ file: string; brand: string; prefix: string }> = [
  { file: 'xingchi.posts', brand: 'xingchi', prefix: 'xc' },
  { file: 'youpinhui.posts', brand: 'youpinhui', prefix: 'yp' },
];

/** Period the drawn times fall in (Asia/Shanghai wall time); October is the report month. */
const FIRST_DAY = Date.UTC(2026, 8, 1);
const SEPTEMBER_DAYS = 30;
const OCTOBER_DAYS = 31;
/** Share of drawn times that fall in October (the report month; September is the comparison). */
const OCTOBER_SHARE = 0.62;

interface RawPost {
  file: string;
  line: number;
  time?: string;
  text: string;
  labels: string;
}


export function parseSource(file: string, content: string): RawPost[] {
  const out: RawPost[] = [];
  let block: Array<{ line: number; text: string }> = [];
  const flush = () => {
    if (!block.length) return;
    let i = 0;
    let time: string | undefined;
    if (block[0]!.text.startsWith('@')) {
      time = block[0]!.text.slice(1).trim();
      i = 1;
    }
    const textLines = block.slice(i).filter((l) => !l.text.startsWith('='));
    const labelLine = block.find((l) => l.text.startsWith('='));
    if (textLines.length !== 1 || !labelLine) throw new Error(`${file}:${block[0]!.line}: a post needs exactly one text line and one "=" label line`);
    out.push({ file, line: textLines[0]!.line, ...(time ? { time } : {}), text: textLines[0]!.text.trim(), labels: labelLine.text.slice(1).trim() });
    block = [];
  };
  content.split('\n').forEach((raw, idx) => {
    const text = raw.replace(/\s+$/, '');
    if (text.startsWith('#')) return;
    if (!text.trim()) return flush();
    block.push({ line: idx + 1, text });
  });
  flush();
  return out;
}

const POLARITY: Record<string, Polarity> = { '+': 'pos', '-': 'neg', '0': 'neutral' };

export function parseLabels(raw: RawPost, brand: string, lex: Lexicons): DemoTruth {
  const where = `${raw.file}:${raw.line}`;
  const fail = (msg: string): never => {
    throw new Error(`${where}: ${msg}`);
  };
  const fields = raw.labels.split('|').map((f) => f.trim()).filter(Boolean);
  const head = fields.shift() ?? fail('missing sentiment');
  const truth: DemoTruth = {
    channels: [],
    descriptors: [],
    sentiment: 'neutral',
    aspects: [],
    scenarios: [],
    question: false,
    questionAbout: [],
    breakpoints: [],
    spam: false,
  };
  if (head === 'spam') {
    if (fields.length) fail('a spam post has no other labels');
    truth.spam = true;
    return truth;
  }
  if (!['pos', 'neg', 'mixed', 'neutral'].includes(head)) fail(`unknown sentiment "${head}"`);
  truth.sentiment = head as SentimentLabel;
  const taxonomy = DEMO_BRANDS.find((b) => b.id === brand)!.aspectTaxonomy;
  const products = DEMO_BRANDS.find((b) => b.id === brand)!.products;
  const promiseWords = new Map<string, string>();
  for (const p of Object.values(lex.promises)) for (const w of [...p.positive, ...p.negative, ...p.topics.map((t) => t.word)]) promiseWords.set(w, p.id);

  const signed = (token: string, what: string, valid: (id: string) => boolean) => {
    const m = /^(.+?)([+\-0])$/.exec(token) ?? fail(`${what} "${token}" needs a stance suffix + - or 0`);
    if (!valid(m[1]!)) fail(`unknown ${what} "${m[1]}"`);
    return { id: m[1]!, polarity: POLARITY[m[2]!]! };
  };
  for (const field of fields) {
    const [key, ...tokens] = field.split(/\s+/);
    switch (key) {
      case 'ch':
        for (const t of tokens) {
          const s = signed(t, 'channel', (id) => id in lex.channels);
          truth.channels.push({ channel: s.id, polarity: s.polarity });
        }
        break;
      case 'd':
        for (const t of tokens) {
          const m = /^(.+):([a-z_]+)([+-])@(.+)$/.exec(t) ?? fail(`descriptor "${t}" must look like word:promise+@channel`);
          const [, word, promise, sign, channel] = m;
          if (!(promise! in lex.promises)) fail(`unknown promise "${promise}"`);
          if (promiseWords.get(word!) !== promise) fail(`"${word}" is not a ${promise} word of lexicons/promises.yaml`);
          if (channel !== '-' && !(channel! in lex.channels)) fail(`unknown channel "${channel}"`);
          truth.descriptors.push({ word: word!, promise: promise!, polarity: sign === '+' ? 'pos' : 'neg', channel: channel === '-' ? null : channel! });
        }
        break;
      case 'a':
        for (const t of tokens) {
          const s = signed(t, 'aspect', (id) => id in (lex.aspects[taxonomy] ?? {}));
          truth.aspects.push({ aspect: s.id, polarity: s.polarity });
        }
        break;
      case 'sc':
        for (const t of tokens) {
          const s = signed(t, 'scenario', (id) => id in lex.scenarios);
          truth.scenarios.push({ scenario: s.id, polarity: s.polarity });
        }
        break;
      case 'q':
        truth.question = true;
        for (const t of tokens) {
          if (!(t in (lex.aspects[taxonomy] ?? {})) && !products.includes(t)) fail(`question about "${t}": not an aspect of ${taxonomy} nor a product of ${brand}`);
          truth.questionAbout.push(t);
        }
        break;
      case 'bp':
        for (const t of tokens) {
          const m = /^([a-z_]+)\/([a-z_]+):([a-z]+)$/.exec(t) ?? fail(`breakpoint "${t}" must look like chanA/chanB:kind`);
          const [, a, b, kind] = m;
          if (!BREAKPOINT_KINDS.includes(kind as BreakpointKind)) fail(`unknown breakpoint kind "${kind}"`);
          for (const c of [a!, b!]) if (!truth.channels.some((x) => x.channel === c)) fail(`breakpoint channel "${c}" is not among the post's channels`);
          truth.breakpoints.push({ channels: (a! < b! ? [a!, b!] : [b!, a!]) as [string, string], kind: kind as BreakpointKind });
        }
        break;
      default:
        fail(`unknown label field "${key}"`);
    }
  }
  return truth;
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高'];
const NICKS = ['小', '阿', '老', '大']; 
const TAILS = ['同学', '哥', '姐', '爸', '妈', '先生', '女士', '酱', '仔', '叔'];
const WORDS = ['追风', '星辰', '橘子', '清风', '晨光', '柠檬', '小鹿', '木木', '山河', '奶茶', '南风', '咸鱼', '可乐', '猫猫', '阿布', '大白'];
const LATIN = ['driver', 'auto', 'life', 'mama', 'day', 'run', 'cat', 'sun', 'go', 'happy'];

function authorHandle(rand: () => number, brand: string): string {
  const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)]!;
  const n = Math.floor(rand() * 9000) + 100;
  switch (Math.floor(rand() * 4)) {
    case 0:
      return `${pick(NICKS)}${pick(SURNAMES)}${pick(TAILS)}${n % 100}`;
    case 1:
      return `${pick(WORDS)}${pick(WORDS)}_${n}`;
    case 2:
      return `${brand === 'xingchi' ? '车友' : '吃货'}${pick(WORDS)}${n % 1000}`;
    default:
      return `${pick(LATIN)}_${pick(WORDS)}${n}`;
  }
}

function drawTime(rand: () => number): string {
  const october = rand() < OCTOBER_SHARE;
  const day = october ? SEPTEMBER_DAYS + Math.floor(rand() * OCTOBER_DAYS) : Math.floor(rand() * SEPTEMBER_DAYS);
  // People post in the waking hours mostly.
  const minutes = 7 * 60 + Math.floor(rand() * (17 * 60));
  const t = new Date(FIRST_DAY + day * 86_400_000 + minutes * 60_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${t.getUTCFullYear()}-${p(t.getUTCMonth() + 1)}-${p(t.getUTCDate())} ${p(t.getUTCHours())}:${p(t.getUTCMinutes())}`;
}

function drawRating(rand: () => number, truth: DemoTruth): number {
  const r = rand();
  if (truth.spam) return 5;
  switch (truth.sentiment) {
    case 'pos':
      return r < 0.65 ? 5 : 4;
    case 'neg':
      return r < 0.6 ? 1 : 2;
    case 'mixed':
      return r < 0.7 ? 3 : r < 0.85 ? 4 : 2;
    default:
      return r < 0.5 ? 3 : 4;
  }
}

/** Parses and checks all sources and returns the posts (metadata drawn with a fixed seed). */
export function buildDemoPosts(corpusDir: string, lex: Lexicons = loadLexicons()): DemoPost[] {
  const posts: DemoPost[] = [];
  const seen = new Set<string>();
  for (const src of SOURCES) {
    const rand = prng(src.brand === 'xingchi' ? 20261001 : 20261002);
    const raws = parseSource(src.file, readFileSync(join(corpusDir, src.file), 'utf8'));
    raws.forEach((raw, i) => {
      const truth = parseLabels(raw, src.brand, lex);
      if (seen.has(raw.text)) throw new Error(`${raw.file}:${raw.line}: duplicate text`);
      seen.add(raw.text);
      if (!truth.spam && (raw.text.length < 30 || raw.text.length > 200)) throw new Error(`${raw.file}:${raw.line}: text of ${raw.text.length} characters; keep posts between 30 and 200`);
      if (raw.time && !/^2026-(09|10)-\d{2} \d{2}:\d{2}$/.test(raw.time)) throw new Error(`${raw.file}:${raw.line}: time must be 2026-09/10 as YYYY-MM-DD HH:mm`);
      const author = authorHandle(rand, src.brand);
      const drawn = drawTime(rand);
      posts.push({
        brand: src.brand,
        externalId: `${src.prefix}-${String(i + 1).padStart(4, '0')}`,
        author,
        publishedAt: raw.time ?? drawn,
        rating: drawRating(rand, truth),
        likes: Math.floor(rand() ** 3 * 240),
        text: raw.text,
        truth,
      });
    });
  }
  return posts;
}

function findRoot(): string {
  const flag = process.argv.indexOf('--root');
  if (flag >= 0 && process.argv[flag + 1]) return resolve(process.argv[flag + 1]!);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'demo', 'corpus', SOURCES[0]!.file))) return dir;
    dir = dirname(dir);
  }
  throw new Error('cannot find demo/corpus/*.posts; pass --root <repo folder>');
}

function main(): void {
  const root = findRoot();
  const posts = buildDemoPosts(join(root, 'demo', 'corpus'), loadLexicons(join(root, 'lexicons')));
  mkdirSync(join(root, 'demo', 'data'), { recursive: true });
  writeFileSync(join(root, 'demo', 'data', 'posts.jsonl'), posts.map((p) => JSON.stringify(p)).join('\n') + '\n');
  const by = (brand: string) => posts.filter((p) => p.brand === brand).length;
  console.log(`wrote ${posts.length} posts (xingchi ${by('xingchi')}, youpinhui ${by('youpinhui')}) to demo/data/posts.jsonl`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
