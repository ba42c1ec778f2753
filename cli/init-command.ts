/**
 * `voc init`: write a starter voc.config.yaml with one brand, so a new user has a valid file to
 * edit instead of copying README fragments together. The text is checked with the config schema
 * before it is written, and written whole or not at all (core/write-whole.ts: a temp file linked into
 * place, which also refuses to replace a file that appeared meanwhile).
 *
 *   voc init --id xingchi --brand 星驰汽车 --taxonomy car
 *   voc --lang en init --brand Acme
 */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CONFIG_FILE, parseConfig } from '../core/config.js';
import { InputError } from '../core/errors.js';
import { slugId } from '../core/ids.js';
import { FileExistsError, writeFileWhole } from '../core/write-whole.js';
import { STARTER_TAXONOMIES, starterConfig } from '../core/starter-config.js';
import type { Locale } from '../core/types.js';
import { messages } from './messages.js';

export interface InitCommandContext {
  /** The --config path, if given. */
  configPath(): string | undefined;
  locale(): Locale;
}

interface InitOptions {
  id?: string;
  brand?: string;
  taxonomy: string;
  force?: boolean;
}

const ID_PATTERN = /^[a-z0-9][a-z0-9_-]*$/;

/** Adds `voc init` to `program`. */
export function registerInitCommand(program: Command, ctx: InitCommandContext): void {
  program
    .command('init')
    .description('write a starter config file with one brand (./voc.config.yaml, or the --config path)')
    .option('--id <id>', 'brand id used on the command line (lower-case letters, digits, _ or -); default: made from --brand when it is Latin')
    .option('--brand <name>', 'brand name as posts write it (default: the id)')
    .option('--taxonomy <id>', 'aspect taxonomy: car, retail or electronics', 'retail')
    .option('--force', 'replace an existing config file')
    .action((opts: InitOptions) => {
      const loc = ctx.locale();
      const file = resolve(ctx.configPath() ?? CONFIG_FILE);
      const { brandId, brandName } = brandOf(opts);
      if (!(STARTER_TAXONOMIES as readonly string[]).includes(opts.taxonomy))
        throw new InputError({
          en: `--taxonomy: unknown taxonomy "${opts.taxonomy}"; use one of ${STARTER_TAXONOMIES.join(', ')} (define your own under aspects: in the file afterwards)`,
          zh: `--taxonomy：未知的方面分类“${opts.taxonomy}”；应为 ${STARTER_TAXONOMIES.join('、')} 之一（自定义分类可在生成后写在文件的 aspects: 下）`,
        });
      const text = starterConfig({ brandId, brandName, taxonomy: opts.taxonomy, locale: loc });
      // The starter must load as it stands: a schema change that breaks it fails here (and in the test), not in the user's next command.
      parseConfig(parseYaml(text), file);
      writeWhole(file, text, opts.force === true);
      console.log(messages(loc).initDone(file, brandId, brandName, opts.taxonomy, new Date().toISOString().slice(0, 7)));
    });
}

/** The brand's id and name from the options: an id alone names the brand too; a Latin name gives the id. */
function brandOf(opts: InitOptions): { brandId: string; brandName: string } {
  const name = opts.brand?.trim();
  if (opts.brand !== undefined && !name)
    throw new InputError({ en: '--brand: empty; give the brand name as posts write it', zh: '--brand：为空；请给出帖子中写的品牌名称' });
  const id = opts.id ?? (name ? idFromName(name) : 'mybrand');
  if (!ID_PATTERN.test(id))
    throw new InputError(
      opts.id !== undefined
        ? {
            en: `--id: "${opts.id}" is not an id; use lower-case letters, digits, _ or - (e.g. --id acme)`,
            zh: `--id：“${opts.id}”不是有效的 ID；请使用小写字母、数字、_ 或 -（例如 --id acme）`,
          }
        : {
            en: `--id: needed, as no id can be made from the brand name "${name}"; give one of lower-case letters, digits, _ or - (e.g. --id xingchi)`,
            zh: `--id：必须提供，因为无法从品牌名称“${name}”生成 ID；请给出由小写字母、数字、_ 或 - 组成的 ID（例如 --id xingchi）`,
          },
    );
  return { brandId: id, brandName: name ?? id };
}

/** `Acme Retail` -> `acme-retail`; a name with no Latin letter or digit gives '' (then --id is asked for). */
const idFromName = (name: string) => slugId(name);

function alreadyThere(file: string): InputError {
  return new InputError({
    en: `${file}: already exists; edit it, or pass --force to replace it with a starter`,
    zh: `${file}：已存在；请直接编辑它，或加 --force 用初始配置替换`,
  });
}

/** Writes the starter whole (core/write-whole.ts); an existing file is replaced only with --force. */
function writeWhole(file: string, text: string, replace: boolean): void {
  try {
    writeFileWhole(file, text, { replace });
  } catch (err) {
    if (err instanceof FileExistsError) throw alreadyThere(file);
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new InputError({
      en: `${file}: cannot write it (${code}); check that the folder exists and is writable`,
      zh: `${file}：无法写入（${code}）；请检查文件夹是否存在且可写`,
    });
  }
}
