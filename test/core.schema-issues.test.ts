import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeExpected, describeIssue } from '../core/schema-issues.js';
import { phrase } from '../core/phrases.js';

/** The description of the first issue `schema` finds in `value`. */
function first(schema: z.ZodType, value: unknown) {
  const parsed = schema.safeParse(value);
  if (parsed.success) throw new Error('expected the value to fail');
  return describeIssue(parsed.error.issues[0]!);
}

describe('describeIssue', () => {
  it('names the field and the expected type in both languages, never zod\'s own English', () => {
    expect(first(z.object({ text: z.string() }), { text: 1 })).toEqual({ en: 'text: expected string', zh: 'text：应为字符串' });
    expect(first(z.object({ a: z.object({ n: z.number() }) }), { a: { n: 'x' } })).toEqual({ en: 'a.n: expected number', zh: 'a.n：应为数字' });
    expect(first(z.object({}), null)).toEqual({ en: '(top level): expected object', zh: '（顶层）：应为对象' });
  });

  it('lists the allowed values of an enum and of a discriminated union (a model file\'s task)', () => {
    expect(first(z.enum(['pos', 'neg']), 'great')).toEqual({ en: '(top level): expected one of "pos", "neg"', zh: '（顶层）：应为以下之一："pos"、"neg"' });
    const task = z.discriminatedUnion('task', [z.object({ task: z.literal('sentiment') }), z.object({ task: z.literal('aspects') })]);
    expect(first(task, { task: 5 })).toEqual({ en: 'task: expected one of "sentiment", "aspects"', zh: 'task：应为以下之一："sentiment"、"aspects"' });
  });

  it('says which types a union takes, or that the value matches none of its forms', () => {
    expect(first(z.object({ a: z.union([z.string(), z.array(z.string())]) }), { a: {} })).toEqual({ en: 'a: expected string or array', zh: 'a：应为字符串或列表' });
    expect(first(z.union([z.object({ a: z.string() }), z.number()]), { a: 1 })).toEqual({
      en: '(top level): matches none of the forms allowed here',
      zh: '（顶层）：不符合此处允许的任何一种形式',
    });
  });

  it('uses the phrase registry for a check of ours, and the pattern for a bare regex', () => {
    const id = z.string().regex(/^[a-z]+$/, { message: phrase('lower-case letters', '小写字母') });
    expect(first(id, 'A')).toEqual({ en: '(top level): expected lower-case letters', zh: '（顶层）：应为小写字母' });
    expect(first(z.string().regex(/^a/), 'b')).toEqual({ en: '(top level): expected text matching /^a/', zh: '（顶层）：应匹配 /^a/' });
  });

  it('gives bounds and multiples in Chinese', () => {
    expect(first(z.string().min(1), '').zh).toBe('（顶层）：不能为空');
    expect(first(z.array(z.string()).max(2), ['a', 'b', 'c']).zh).toBe('（顶层）：最多 2 项');
    expect(first(z.number().max(10), 11).zh).toBe('（顶层）：应不大于 10');
    expect(first(z.number().multipleOf(5), 3).zh).toBe('（顶层）：应为 5 的倍数');
  });

  it('describes what is expected without the path too', () => {
    const parsed = z.object({ a: z.boolean() }).safeParse({ a: 'yes' });
    expect(describeExpected(parsed.error!.issues[0]!)).toEqual({ en: 'expected boolean', zh: '应为布尔值（true/false）' });
  });
});
