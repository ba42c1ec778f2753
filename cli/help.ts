/**
 * `voc --help` and commander's usage errors in the output language. The command tree is written in
 * English (cli/program.ts and the register* modules); for zh-CN every description is swapped for
 * its entry in HELP_ZH, commander's own words (Usage:, Options:, "unknown option") are translated,
 * and the hint after a usage error too. The language is known before parsing: `--lang` in the
 * arguments, else VOC_LANG, else the config's `locale`, else zh-CN, as for every other output.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Help, type Command, type Option } from 'commander';
import type { Locale } from '../core/types.js';
import { HELP_ZH } from './help-zh.js';
import { localeOf, parseLocaleStrict } from './messages.js';

const TITLES_ZH: Readonly<Record<string, string>> = {
  'Usage:': '用法：',
  'Options:': '选项：',
  'Commands:': '命令：',
  'Arguments:': '参数：',
  'Global Options:': '全局选项：',
};

const HINT = { 'zh-CN': '（voc --help 列出所有命令）', en: '(voc --help lists the commands)' } as const;

/**
 * The output language as far as it can be known before parsing: `--lang X` / `--lang=X` among the
 * arguments, VOC_LANG, then the `locale:` of the config file the arguments name (or
 * ./voc.config.yaml). A config that cannot be read leaves it at zh-CN: the command itself will
 * report the problem. A language voc does not speak (`--lang fr`) is an InputError.
 */
export function localeBeforeParsing(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Locale {
  const given = optionValue(argv, ['--lang']);
  if (given !== undefined) return parseLocaleStrict(given, '--lang');
  if (env.VOC_LANG) return parseLocaleStrict(env.VOC_LANG, 'VOC_LANG');
  return configFileLocale(optionValue(argv, ['-c', '--config'])) ?? 'zh-CN';
}

/**
 * The `locale:` line of the config file at `path` (default ./voc.config.yaml), without loading it:
 * a file that does not validate, or a command that never loads it (`voc init`), still speaks its
 * language. Undefined when there is no such file or line.
 */
export function configFileLocale(path?: string): Locale | undefined {
  const file = resolve(path ?? 'voc.config.yaml');
  try {
    if (!existsSync(file)) return undefined;
    // One line is enough (`locale: en`); a full load would validate the whole file first.
    const m = /^locale:\s*["']?([\w-]+)["']?\s*(?:#.*)?$/m.exec(readFileSync(file, 'utf8'));
    return m ? localeOf(m[1]!) : undefined;
  } catch {
    return undefined;
  }
}

/** The value of the first of `names` among the arguments before `--`, as `--x v` or `--x=v`. */
function optionValue(argv: readonly string[], names: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    for (const n of names) {
      if (a === n) return argv[i + 1];
      if (a.startsWith(`${n}=`)) return a.slice(n.length + 1);
    }
  }
  return undefined;
}

/** Every command of the tree, the root first. */
function allCommands(root: Command): Command[] {
  return [root, ...root.commands.flatMap((c) => allCommands(c))];
}

/** Each description of the tree (commands, options, arguments) with where it is, for the test that HELP_ZH covers them. */
export function helpDescriptions(root: Command): Array<{ where: string; text: string }> {
  const out: Array<{ where: string; text: string }> = [];
  const walk = (cmd: Command, path: string) => {
    if (cmd.description()) out.push({ where: path, text: cmd.description() });
    for (const o of cmd.options) if (o.description) out.push({ where: `${path} ${o.flags}`, text: o.description });
    for (const a of cmd.registeredArguments) if (a.description) out.push({ where: `${path} <${a.name()}>`, text: a.description });
    for (const c of cmd.commands) walk(c, `${path} ${c.name()}`);
  };
  walk(root, root.name());
  return out;
}

/** The locale the help of this process speaks (set by `localizeProgram`), for help texts added as functions. */
let helpLocale: Locale = 'zh-CN';
export function currentHelpLocale(): Locale {
  return helpLocale;
}

/**
 * Makes the tree speak `locale` in its help and usage errors. English leaves commander's own words;
 * Chinese swaps every description that HELP_ZH has (one it lacks stays English, which a test
 * prevents).
 */
export function localizeProgram(root: Command, locale: Locale): void {
  helpLocale = locale;
  const zh = (text: string) => (Object.hasOwn(HELP_ZH, text) ? HELP_ZH[text]! : text);
  for (const cmd of allCommands(root)) {
    // The hint after a usage mistake lives here only, for both languages.
    cmd.showHelpAfterError(HINT[locale]);
    if (locale === 'en') continue;
    if (cmd.description()) cmd.description(zh(cmd.description()));
    for (const o of cmd.options) if (o.description) o.description = zh(o.description);
    for (const a of cmd.registeredArguments) if (a.description) a.description = zh(a.description);
    cmd.helpOption('-h, --help', '显示帮助');
    if (cmd.commands.length > 0) cmd.helpCommand('help [command]', '显示命令的帮助');
    cmd.configureHelp({
      styleTitle: (title: string) => TITLES_ZH[title] ?? title,
      optionDescription(this: Help, option: Option) {
        return extrasInChinese(Help.prototype.optionDescription.call(this, option));
      },
    });
    cmd.configureOutput({ outputError: (text, write) => write(usageErrorInChinese(text)) });
  }
}

/** "(default: 4)" / "(choices: …)" after an option's description, in Chinese brackets. */
function extrasInChinese(text: string): string {
  return text.replace(/ ?\(((?:choices|default|preset|env): [^)]*)\)$/, (_, inner: string) =>
    `（${inner.replace(/choices: /, '可选：').replace(/default: /, '默认：').replace(/preset: /, '预设：').replace(/env: /, '环境变量：').replace(/, (?=默认|预设|环境变量)/g, '；')}）`,
  );
}

/** Commander's usage errors (lib/command.js) and their Chinese. */
const USAGE_ERRORS_ZH: ReadonlyArray<[RegExp, (...m: string[]) => string]> = [
  [/^error: unknown option '([^']*)'/, (_, o) => `错误：未知选项 '${o}'`],
  [/^error: unknown command '([^']*)'/, (_, c) => `错误：未知命令 '${c}'`],
  [/^error: missing required argument '([^']*)'/, (_, a) => `错误：缺少必需的参数 '${a}'`],
  [/^error: option '([^']*)' argument missing/, (_, o) => `错误：选项 '${o}' 缺少值`],
  [/^error: required option '([^']*)' not specified/, (_, o) => `错误：必须指定选项 '${o}'`],
  [/^error: too many arguments( for '[^']*')?\. Expected (\d+) arguments? but got (\d+)\./, (_, f, e, g) => `错误：${f ? `${f.replace(/^ for /, '')} 的` : ''}参数过多：应为 ${e} 个，实际为 ${g} 个`],
  [/^error: option '([^']*)' argument '([^']*)' is invalid\./, (_, o, v) => `错误：选项 '${o}' 的值 '${v}' 无效`],
  [/^error: (.*) cannot be used with (.*)$/m, (_, a, b) => `错误：${a} 不能与 ${b} 同时使用`],
];

/** Commander's usage errors (unknown option, missing argument…) in Chinese; any other text as it is. */
export function usageErrorInChinese(text: string): string {
  let out = text;
  for (const [re, to] of USAGE_ERRORS_ZH) {
    const m = re.exec(out);
    if (m) {
      out = out.slice(0, m.index) + to(...m) + out.slice(m.index + m[0].length);
      break;
    }
  }
  return out.replace(/\(Did you mean one of ([^?]*)\?\)/, '（你是不是想输入以下之一：$1？）').replace(/\(Did you mean ([^?]*)\?\)/, '（你是不是想输入 $1？）');
}
