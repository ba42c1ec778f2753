/**
 * The classifier's speed shortcuts (filters, compact tables) agree with the plain computation they
 * stand in for: each is checked exhaustively on the shipped lexicon, or on the matches of a few
 * hundred benchmark posts.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { parseConfig } from '../core/config.js';
import { buildEffectiveLexicon } from '../analysis/effective.js';
import { loadLexicons } from '../analysis/lexicons.js';
import { normalise } from '../analysis/normalise.js';
import { ensureSegmenterWords, segment } from '../analysis/segment.js';
import { partKeyBit, TermTable, type Matches } from '../analysis/terms.js';
import { benchmarkPosts } from '../bench/classify.js';

const brands = [{ id: 'shop', name: '优品汇', aliases: ['YPH'], promises: ['convenience'], aspectTaxonomy: 'retail', products: ['净化器X1'] }];
let table: TermTable;
let matches: Array<{ text: string; m: Matches }>;

beforeAll(() => {
  table = new TermTable(buildEffectiveLexicon(loadLexicons(), parseConfig({ brands }, 'test config')));
  ensureSegmenterWords(table.dictionaryWords());
  const texts = [...benchmarkPosts(300, 11), '客服让我找售后，售后又让我找客服', '页面上写着买就送耳机，问了客服却说没有这个活动。这不是忽悠人吗？'];
  // match() reuses scratch space: copy what later checks read.
  matches = texts.map((t) => {
    const text = normalise(t).text;
    const m = table.match(text, segment(text));
    return { text, m: { sent: [...m.sent], chan: [...m.chan], topic: [...m.topic], question: [...m.question], cue: [...m.cue], spam: [...m.spam] } };
  });
});

describe('gap-pattern part roles', () => {
  it('the mask filter never rules out a key its Set holds', () => {
    let checked = 0;
    const seen = new Set<object>();
    for (const { m } of matches) {
      for (const h of [...m.question, ...m.cue]) {
        if (seen.has(h.roles)) continue;
        seen.add(h.roles);
        for (const key of h.roles.keys) {
          expect(h.roles.mask & partKeyBit(Math.floor(key / 64), key % 64)).not.toBe(0);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });
});
