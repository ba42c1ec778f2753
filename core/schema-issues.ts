/**
 * A zod validation issue as one line a user can act on, in English and Chinese: the field path and
 * what is expected there. Every reader of a user's file (config, gold sets, lexicons, category maps,
 * model files) and the console API describe issues here, so zod's own English ("Invalid input:
 * expected string, received number") never reaches a Chinese screen.
 */
import type { z } from 'zod';
import type { Bilingual } from './errors.js';
import { phraseZh } from './phrases.js';

/** The Chinese of the type names zod expects (`invalid_type`); any other name stays in English. */
const TYPE_ZH: Readonly<Record<string, string>> = {
  string: '字符串',
  number: '数字',
  integer: '整数',
  boolean: '布尔值（true/false）',
  array: '列表',
  object: '对象',
};

/** A JSON type name (string, number…) in Chinese, for zod's and the API schema's messages; unknown names as given. */
export function typeNameZh(name: string): string {
  return Object.hasOwn(TYPE_ZH, name) ? TYPE_ZH[name]! : name;
}

/** The issue's field path joined with dots; '' for the top level. */
export function issueField(issue: z.core.$ZodIssue): string {
  return issue.path.map(String).join('.');
}

/** A schema issue as `field.path: what is expected`, in English and Chinese. */
export function describeIssue(issue: z.core.$ZodIssue): Bilingual {
  const path = issueField(issue);
  const { en, zh } = describeExpected(issue);
  return { en: `${path || '(top level)'}: ${en}`, zh: `${path || '（顶层）'}：${zh}` };
}

/** What the field should hold (`expected number` / `应为数字`), without the field's path. */
export function describeExpected(issue: z.core.$ZodIssue): Bilingual {
  let expected = issue.message;
  // zod's own English stays inside the Chinese where there is no Chinese for it.
  let expectedZh = phraseZh(issue.message) ?? issue.message;
  if (issue.code === 'invalid_type') {
    expected = `expected ${issue.expected}`;
    expectedZh = `应为${TYPE_ZH[issue.expected] ?? ` ${issue.expected}`}`;
  } else if (issue.code === 'unrecognized_keys') {
    expected = `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}; check the spelling against the configuration reference in README.md`;
    expectedZh = `未知字段 ${issue.keys.map((k) => `"${k}"`).join('、')}；请对照 README.md 的配置说明检查拼写`;
  } else if (issue.code === 'invalid_value') {
    expected = `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    expectedZh = `应为以下之一：${issue.values.map((v) => JSON.stringify(v)).join('、')}`;
  } else if (issue.code === 'custom' || issue.code === 'invalid_format') {
    expected = `expected ${issue.message}`;
    const zh = (issue.code === 'custom' && typeof issue.params?.zh === 'string' ? issue.params.zh : undefined) ?? phraseZh(issue.message);
    expectedZh = zh === undefined ? `应为 ${issue.message}` : `应为${/^[\x21-\x7e]/.test(zh) ? ' ' : ''}${zh}`;
    const pattern = issue.code === 'invalid_format' && issue.format === 'regex' ? (issue as { pattern?: string }).pattern : undefined;
    // A pattern without a phrase of ours: zod's own "Invalid string: must match…" reads badly after "expected".
    if (zh === undefined && pattern !== undefined && issue.message.startsWith('Invalid string')) {
      expected = `expected text matching ${pattern}`;
      expectedZh = `应匹配 ${pattern}`;
    }
  } else if (issue.code === 'too_small' || issue.code === 'too_big') {
    expectedZh = boundZh(issue) ?? expectedZh;
  } else if (issue.code === 'invalid_union') {
    // A union given its own message (`a list of keywords, or { keywords: … }`) keeps it.
    const ownMessage = issue.message !== 'Invalid input' && !issue.message.startsWith('Invalid discriminator');
    if (!ownMessage) ({ en: expected, zh: expectedZh } = unionChoice(issue) ?? { en: 'matches none of the forms allowed here', zh: '不符合此处允许的任何一种形式' });
  } else if (issue.code === 'not_multiple_of') {
    expectedZh = `应为 ${String(issue.divisor)} 的倍数`;
  } else if (issue.code === 'invalid_key') {
    expectedZh = `有无效的键：${issue.issues.map((i) => describeExpected(i).zh).join('；')}`;
  } else if (issue.code === 'invalid_element') {
    expectedZh = `有无效的元素：${issue.issues.map((i) => describeExpected(i).zh).join('；')}`;
  }
  return { en: expected, zh: expectedZh };
}

/** A length or size bound in Chinese (strings, lists, numbers); undefined for any other kind. */
function boundZh(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string | undefined {
  const small = issue.code === 'too_small';
  const n = String(small ? issue.minimum : issue.maximum);
  const inclusive = issue.inclusive !== false;
  if (issue.origin === 'number' || issue.origin === 'int')
    return small ? `应${inclusive ? '不小于' : '大于'} ${n}` : `应${inclusive ? '不大于' : '小于'} ${n}`;
  const unit = issue.origin === 'string' ? '个字符' : issue.origin === 'array' ? '项' : undefined;
  if (unit === undefined) return undefined;
  if (small && inclusive && n === '1') return issue.origin === 'string' ? '不能为空' : '至少需要 1 项';
  return small ? `${inclusive ? '至少' : '多于'} ${n} ${unit}` : `${inclusive ? '最多' : '少于'} ${n} ${unit}`;
}

/**
 * What a union accepts: the discriminator's values (a model file's `task`), or the types of its
 * branches when each failed on its type (`expected string or number`); undefined when the branches
 * failed deeper and no one line says what would do.
 */
function unionChoice(issue: z.core.$ZodIssueInvalidUnion): Bilingual | undefined {
  const options = (issue as { options?: unknown[] }).options;
  if (Array.isArray(options) && options.length) {
    const values = options.map((v) => JSON.stringify(v));
    return { en: `expected one of ${values.join(', ')}`, zh: `应为以下之一：${values.join('、')}` };
  }
  const types: string[] = [];
  for (const branch of issue.errors) {
    const only = branch.length === 1 ? branch[0] : undefined;
    if (only?.code !== 'invalid_type' || only.path.length) return undefined;
    if (!types.includes(only.expected)) types.push(only.expected);
  }
  if (!types.length) return undefined;
  return { en: `expected ${types.join(' or ')}`, zh: `应为${types.map(typeNameZh).join('或')}` };
}
