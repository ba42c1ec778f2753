/**
 * Every error a user can act on speaks both languages: a `new InputError(...)` or `new VocError(...)`
 * in the product's source must pass `{ en, zh }` (or a value built elsewhere), never a bare English
 * string. The CLI prints `zh` for zh-CN, the default; a bare string would reach a Chinese user in
 * English. Read with the TypeScript parser, so a call split over lines or nested in a ternary counts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { InputError, VocError, errorText } from '../core/errors.js';
import { ROOT } from './helpers/cli.js';

const SOURCE_DIRS = ['analysis', 'cli', 'core', 'crawlers', 'demo', 'reports', 'server', 'store', 'workers'];

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

/** `new InputError('…')`, `new VocError(\`…\`, 1)` and the like, as `file:line`. */
function englishOnlyErrors(file: string, text = readFileSync(join(ROOT, file), 'utf8')): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const literal = (n: ts.Node): boolean =>
    ts.isStringLiteral(n) ||
    ts.isNoSubstitutionTemplateLiteral(n) ||
    ts.isTemplateExpression(n) ||
    (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.PlusToken && (literal(n.left) || literal(n.right))) ||
    (ts.isConditionalExpression(n) && (literal(n.whenTrue) || literal(n.whenFalse))) ||
    (ts.isParenthesizedExpression(n) && literal(n.expression));
  const visit = (n: ts.Node): void => {
    if (ts.isNewExpression(n) && ts.isIdentifier(n.expression) && (n.expression.text === 'InputError' || n.expression.text === 'VocError')) {
      const first = n.arguments?.[0];
      if (first && literal(first)) found.push(`${file}:${source.getLineAndCharacterOfPosition(n.getStart()).line + 1}`);
    }
    ts.forEachChild(n, visit);
  };
  visit(source);
  return found;
}

describe('errors in both languages', () => {
  it('every InputError and VocError of the product carries its Chinese', () => {
    // Crawl-time refusals (RefusedUrlError: robots.txt, private addresses) are another class, stored
    // with the run's error log in one wording, and not scanned here.
    const files = SOURCE_DIRS.flatMap(sourceFiles);
    expect(files.length).toBeGreaterThan(150);
    expect(files.flatMap((f) => englishOnlyErrors(f))).toEqual([]);
  });

  it('the scan finds a bare English message however it is written', () => {
    const code = [
      'throw new InputError(',
      '  `--out: ${dir} is missing`,',
      ');',
      "const e = x ? new InputError('a' + b) : new InputError({ en: 'a', zh: '甲' });",
      'throw new VocError(ok ? "x" : y, 1);',
      'throw new InputError(message);',
    ].join('\n');
    expect(englishOnlyErrors('probe.ts', code)).toEqual(['probe.ts:1', 'probe.ts:4', 'probe.ts:5']);
  });

  it('picks the Chinese for zh-CN and the English otherwise; a message without Chinese stays English', () => {
    const both = new InputError({ en: '--out: folder /x does not exist', zh: '--out：文件夹 /x 不存在' });
    expect(both.message).toBe('--out: folder /x does not exist');
    expect(errorText(both, 'zh-CN')).toBe('--out：文件夹 /x 不存在');
    expect(errorText(both, 'en')).toBe('--out: folder /x does not exist');
    expect(errorText(new VocError('plain', 1), 'zh-CN')).toBe('plain');
    expect(errorText(new Error('not ours'), 'zh-CN')).toBe('not ours');
    expect(new VocError({ en: 'a', zh: '甲' }, 1).exitCode).toBe(1);
  });
});
