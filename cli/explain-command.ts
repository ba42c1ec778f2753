/**
 * `voc explain`: classify a text given on the command line, standard input or a file (one post per
 * line) and print every label with the words that decided it, or `--json` lines. Nothing is
 * stored. What it is for: checking why a post counts where it does in a report, and trying a
 * lexicon addition in the config before a re-classification.
 *
 *   voc explain "在京东买的，门店不给退，客服让我找门店"
 *   voc --lang en explain --brand acme --file posts.txt --json
 */
import { currentHelpLocale } from './help.js';
import type { Command } from 'commander';
import { MODEL_TASKS, findBrand, standInBrand, type BrandConfig, type VocConfig } from '../core/config.js';
import { InputError, type Bilingual } from '../core/errors.js';
import type { Locale } from '../core/types.js';
import { loadLexicons } from '../analysis/lexicons.js';
import { readInputFile } from '../analysis/eval/input-file.js';
import { classifierFor, inConfigFile } from './app.js';
import { explainLines } from './explain-output.js';
import { writeLine } from './stdout.js';
import { jsonText } from './json.js';

export interface ExplainCommandContext {
  readConfig(): VocConfig;
  locale(config?: VocConfig): Locale;
  /**
   * Where results go (default: standard output). It may return a promise to make the next post wait
   * (a full pipe), and `false` to stop: the reader went away (voc explain --file F | head).
   */
  stdout?: (text: string) => void | boolean | Promise<boolean>;
  /** Standard input, read whole as bytes (default process.stdin). */
  stdin?: () => Promise<Buffer>;
}

/** One text to classify: `line` is its line in the --file input (absent for a single post). */
interface ExplainInput {
  text: string;
  line?: number;
}

interface ExplainOptions {
  file?: string;
  brand?: string;
  taxonomy?: string;
  rulesOnly?: boolean;
  json?: boolean;
}

/** The brand posts are classified for when the config names none (or `--taxonomy` asks for one). */
export const EXPLAIN_BRAND = 'voc-explain';

/** Adds `voc explain` to `program`. */
export function registerExplainCommand(program: Command, ctx: ExplainCommandContext): void {
  const out = ctx.stdout ?? ((line: string) => writeLine(line));
  const stdin = ctx.stdin ?? readStdin;
  program
    .command('explain')
    .description('classify a text and show each label with the words that decided it (nothing is stored)')
    .argument('[text...]', 'the post (words are joined with spaces); "-" reads it from standard input')
    .option('--file <path>', 'classify each non-empty line of a file as its own post ("-": standard input)')
    .option('--brand <id>', "the brand whose names and aspect taxonomy apply (default: the config's only brand)")
    .option('--taxonomy <id>', 'classify for a stand-in brand with this aspect taxonomy instead of a brand of the config (default retail when the config has none; its lexicon version differs from the brands\')')
    .option('--rules-only', 'leave out the trained models the config names (models:)')
    .option('--json', 'one JSON object per post and line: {"n", "line" (with --file), "text", "classification"}')
    .addHelpText('after', () =>
      currentHelpLocale() === 'en'
        ? '\n「words」@N: the words that decided a label and where they start in the post as given (a UTF-16 offset, as in --json and in stored classifications).\n\nExamples:\n  voc explain "在京东买的，门店不给退，客服让我找门店"\n  voc --lang en explain --file posts.txt --json'
        : '\n「词」@N：决定一个标签的词，以及它在原文中的起始位置（UTF-16 偏移，与 --json 和已存储的分类结果一致）。\n\n示例：\n  voc explain "在京东买的，门店不给退，客服让我找门店"\n  voc --lang en explain --file posts.txt --json',
    )
    .action(async (words: string[], opts: ExplainOptions) => {
      const config = ctx.readConfig();
      const loc = ctx.locale(config);
      // Options first: a wrong --brand fails before standard input is read.
      const brand = explainBrand(config, opts);
      const inputs = await postsToExplain(words, opts, stdin);
      const effective: VocConfig = {
        ...config,
        brands: config.brands.some((b) => b.id === brand.id) ? config.brands : [...config.brands, brand],
        models: opts.rulesOnly ? {} : config.models,
      };
      const classifier = inConfigFile(config, () => classifierFor(effective));
      const models = MODEL_TASKS.filter((t) => effective.models[t] !== undefined);
      for (const [i, { text, line }] of inputs.entries()) {
        const n = i + 1;
        const c = classifier.classify({ id: `explain:${line ?? n}`, text, brand: brand.id });
        const shown = opts.json
          ? jsonText({ n, ...(line !== undefined ? { line } : {}), text, classification: c })
          : `${i > 0 ? '\n' : ''}${explainLines(c, text, { n, line }, { locale: loc, lexicons: classifier.lexicons, taxonomy: brand.aspectTaxonomy, models }).join('\n')}`;
        // Waits while the reader is behind (a pipe holds a few posts, not the whole file), and stops
        // when it has gone away.
        if ((await out(shown)) === false) break;
      }
    });
}

/** The texts to classify, from the words, standard input or --file; a clear error when there is none. */
async function postsToExplain(words: string[], opts: ExplainOptions, stdin: () => Promise<Buffer>): Promise<ExplainInput[]> {
  if (opts.file !== undefined && words.length)
    throw new InputError({
      en: 'explain: give the post as text or with --file, not both',
      zh: 'explain：帖子可以直接作为文本给出，或用 --file 指定，但不能同时使用',
    });
  if (opts.file !== undefined) {
    const name: Bilingual = opts.file === '-' ? { en: 'standard input', zh: '标准输入' } : { en: opts.file, zh: opts.file };
    const content = utf8Text(opts.file === '-' ? await stdin() : readInputFile(opts.file, { en: '--file', zh: '--file 指定的文件' }), {
      en: `--file: ${name.en}`,
      zh: `--file：${name.zh}`,
    });
    // Posts keep the number of their line, so that a result can be traced back (sed -n 4p posts.txt).
    const posts = content.split(/\r?\n/).flatMap((text, k) => (text.trim() ? [{ text, line: k + 1 }] : []));
    if (!posts.length)
      throw new InputError({ en: `--file: ${name.en} holds no text; write one post per line`, zh: `--file：${beforeZh(name.zh)}中没有文本；请每行写一条帖子` });
    return posts;
  }
  if (words.length === 1 && words[0] === '-') {
    const text = utf8Text(await stdin(), { en: 'explain: standard input', zh: 'explain：标准输入' });
    if (!text.trim())
      throw new InputError({
        en: 'explain: standard input was empty; pipe the post in (echo "客服态度很差" | voc explain -)',
        zh: 'explain：标准输入为空；请用管道传入帖子（echo "客服态度很差" | voc explain -）',
      });
    return [{ text: text.replace(/\r?\n$/, '') }];
  }
  if (!words.length || !words.join('').trim())
    throw new InputError({
      en: 'explain: give the post to classify: voc explain "客服态度很差", "-" to read it from standard input, or --file FILE with one post per line',
      zh: 'explain：请给出要分类的帖子：voc explain "客服态度很差"；或用 "-" 从标准输入读取；或用 --file FILE 指定每行一条帖子的文件',
    });
  return [{ text: words.join(' ') }];
}

/**
 * `bytes` as UTF-8 text without its byte-order mark; an InputError naming `what` for anything else
 * (UTF-16 from a Windows editor, a binary file), which would otherwise be classified as garbage.
 */
function utf8Text(bytes: Buffer, what: Bilingual): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InputError({
      en: `${what.en} is not UTF-8 text; save it as UTF-8 (one post per line)`,
      zh: `${beforeZh(what.zh)}不是 UTF-8 文本；请另存为 UTF-8（每行一条帖子）`,
    });
  }
  if (text.includes('\u0000'))
    throw new InputError({
      en: `${what.en} holds NUL bytes: a binary file, or UTF-16 text; save it as UTF-8 (one post per line)`,
      zh: `${beforeZh(what.zh)}含有 NUL 字节，说明这是二进制文件或 UTF-16 文本；请另存为 UTF-8（每行一条帖子）`,
    });
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** `s` to be followed by Chinese words: a space after a file name or option, none after Chinese. */
function beforeZh(s: string): string {
  return /[\x21-\x7e]$/.test(s) ? `${s} ` : s;
}

/**
 * The brand the posts are classified for: --brand, else the config's only brand, else a brand of
 * no names with the --taxonomy (retail by default). Two or more brands and neither option: the
 * user must say which, as its names and aspect taxonomy change the classification.
 */
function explainBrand(config: VocConfig, opts: ExplainOptions): BrandConfig {
  if (opts.brand !== undefined) {
    const brand = inConfigFile(config, () => findBrand(config, opts.brand!));
    if (opts.taxonomy !== undefined)
      throw new InputError({
        en: `--taxonomy: not with --brand; brand "${brand.id}" uses the aspect taxonomy "${brand.aspectTaxonomy}" (brands[].aspectTaxonomy in the config)`,
        zh: `--taxonomy：不能与 --brand 同时使用；品牌“${brand.id}”使用方面分类“${brand.aspectTaxonomy}”（配置中的 brands[].aspectTaxonomy）`,
      });
    return brand;
  }
  if (opts.taxonomy === undefined && config.brands.length === 1) return config.brands[0]!;
  if (opts.taxonomy === undefined && config.brands.length > 1)
    throw new InputError({
      en: `--brand: the config has ${config.brands.length} brands (${config.brands.map((b) => b.id).join(', ')}); name one with --brand, or pass --taxonomy for none`,
      zh: `--brand：配置中有 ${config.brands.length} 个品牌（${config.brands.map((b) => b.id).join('、')}）；请用 --brand 指定其一，或用 --taxonomy 改用替身品牌（不绑定配置中的品牌）`,
    });
  const taxonomy = opts.taxonomy ?? 'retail';
  const known = new Set([...Object.keys(loadLexicons().aspects), ...Object.keys(config.aspects)]);
  if (!known.has(taxonomy))
    throw new InputError({
      en: `--taxonomy: unknown aspect taxonomy "${taxonomy}"; expected one of: ${[...known].sort().join(', ')}`,
      zh: `--taxonomy：未知的方面分类“${taxonomy}”；应为以下之一：${[...known].sort().join('、')}`,
    });
  return standInBrand(EXPLAIN_BRAND, taxonomy);
}

async function readStdin(): Promise<Buffer> {
  if (process.stdin.isTTY)
    throw new InputError({
      en: 'explain: "-" reads the post from standard input; pipe it in (echo "客服态度很差" | voc explain -)',
      zh: 'explain："-" 表示从标准输入读取帖子；请用管道传入（echo "客服态度很差" | voc explain -）',
    });
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
