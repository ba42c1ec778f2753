/**
 * `voc explain`: classify a text given on the command line, standard input or a file (one post per
 * line) and print every label with the words that decided it, or `--json` lines. Nothing is
 * stored. What it is for: checking why a post counts where it does in a report, and trying a
 * lexicon addition in the config before a re-classification.
 *
 *   voc explain "在京东买的，门店不给退，客服让我找门店"
 *   voc --lang en explain --brand acme --file posts.txt --json
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { MODEL_TASKS, findBrand, type BrandConfig, type VocConfig } from '../core/config.js';
import { InputError } from '../core/errors.js';
import type { Locale } from '../core/types.js';
import { loadLexicons } from '../analysis/lexicons.js';
import { classifierFor, inConfigFile } from './app.js';
import { explainLines } from './explain-output.js';

export interface ExplainCommandContext {
  readConfig(): VocConfig;
  locale(config?: VocConfig): Locale;
  /** Where results go (default process.stdout). */
  stdout?: (text: string) => void;
  /** Standard input, read whole (default process.stdin). */
  stdin?: () => Promise<string>;
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
  const out = ctx.stdout ?? ((s: string) => void process.stdout.write(s + '\n'));
  const stdin = ctx.stdin ?? readStdin;
  program
    .command('explain')
    .description('classify a text and show each label with the words that decided it (nothing is stored)')
    .argument('[text...]', 'the post (words are joined with spaces); "-" reads it from standard input')
    .option('--file <path>', 'classify each non-empty line of a file as its own post ("-": standard input)')
    .option('--brand <id>', "the brand whose names and aspect taxonomy apply (default: the config's only brand)")
    .option('--taxonomy <id>', 'aspect taxonomy of a brand-less classification (default retail); not with --brand')
    .option('--rules-only', 'leave out the trained models the config names (models:)')
    .option('--json', 'one JSON object per post and line: {"n", "text", "classification"}')
    .addHelpText('after', '\nExamples:\n  voc explain "在京东买的，门店不给退，客服让我找门店"\n  voc --lang en explain --file posts.txt --json')
    .action(async (words: string[], opts: ExplainOptions) => {
      const config = ctx.readConfig();
      const loc = ctx.locale(config);
      const texts = await postsToExplain(words, opts, stdin);
      const brand = explainBrand(config, opts);
      const effective: VocConfig = {
        ...config,
        brands: config.brands.some((b) => b.id === brand.id) ? config.brands : [...config.brands, brand],
        models: opts.rulesOnly ? {} : config.models,
      };
      const classifier = inConfigFile(config, () => classifierFor(effective));
      const models = MODEL_TASKS.filter((t) => effective.models[t] !== undefined);
      texts.forEach((text, i) => {
        const c = classifier.classify({ id: `explain:${i + 1}`, text, brand: brand.id });
        if (opts.json) out(JSON.stringify({ n: i + 1, text, classification: c }));
        else {
          if (i > 0) out('');
          out(explainLines(c, text, i + 1, { locale: loc, lexicons: classifier.lexicons, taxonomy: brand.aspectTaxonomy, models }).join('\n'));
        }
      });
    });
}

/** The texts to classify, from the words, standard input or --file; a clear error when there is none. */
async function postsToExplain(words: string[], opts: ExplainOptions, stdin: () => Promise<string>): Promise<string[]> {
  if (opts.file !== undefined && words.length)
    throw new InputError('explain: give the post as text or with --file, not both');
  if (opts.file !== undefined) {
    const content = opts.file === '-' ? await stdin() : readTextFile(opts.file);
    const lines = content.split(/\r?\n/).filter((l) => l.trim() !== '');
    if (!lines.length) throw new InputError(`--file: ${opts.file === '-' ? 'standard input' : opts.file} holds no text; write one post per line`);
    return lines;
  }
  if (words.length === 1 && words[0] === '-') {
    const text = await stdin();
    if (!text.trim()) throw new InputError('explain: standard input was empty; pipe the post in (echo "客服态度很差" | voc explain -)');
    return [text.replace(/\r?\n$/, '')];
  }
  if (!words.length || !words.join('').trim())
    throw new InputError('explain: give the post to classify: voc explain "客服态度很差", "-" to read it from standard input, or --file FILE with one post per line');
  return [words.join(' ')];
}

function readTextFile(path: string): string {
  if (!existsSync(path)) throw new InputError(`--file: ${path} not found`);
  if (!statSync(path).isFile()) throw new InputError(`--file: ${path} is not a file`);
  return readFileSync(path, 'utf8');
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
      throw new InputError(`--taxonomy: not with --brand; brand "${brand.id}" uses the aspect taxonomy "${brand.aspectTaxonomy}" (brands[].aspectTaxonomy in the config)`);
    return brand;
  }
  if (opts.taxonomy === undefined && config.brands.length === 1) return config.brands[0]!;
  if (opts.taxonomy === undefined && config.brands.length > 1)
    throw new InputError(`--brand: the config has ${config.brands.length} brands (${config.brands.map((b) => b.id).join(', ')}); name one with --brand, or pass --taxonomy for none`);
  const taxonomy = opts.taxonomy ?? 'retail';
  const known = new Set([...Object.keys(loadLexicons().aspects), ...Object.keys(config.aspects)]);
  if (!known.has(taxonomy)) throw new InputError(`--taxonomy: unknown aspect taxonomy "${taxonomy}"; expected one of: ${[...known].sort().join(', ')}`);
  return { id: EXPLAIN_BRAND, name: EXPLAIN_BRAND, aliases: [], competitors: [], promises: [], aspectTaxonomy: taxonomy, products: [] };
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new InputError('explain: "-" reads the post from standard input; pipe it in (echo "客服态度很差" | voc explain -)');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
