/**
 * The classifier against the demo corpus's true labels: every post must come out exactly as the
 * annotator labelled it (channels with stance, descriptors, sentiment, aspects, scenarios,
 * questions, breakpoints, spam). The demo report test relies on this being 100%.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '../core/config.js';
import { BREAKPOINT_KINDS, DEFAULT_CHANNELS, type Classification } from '../core/types.js';
import { createClassifier, type Classifier } from '../analysis/index.js';
import { DEMO_BRANDS, loadDemoPosts, truthToClassification, demoPostId, type DemoPost, type DemoTruth } from '../demo/corpus/index.js';
import { buildDemoPosts } from '../demo/corpus/generate.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
let classifier: Classifier;
let posts: DemoPost[];

beforeAll(() => {
  classifier = createClassifier(parseConfig({ brands: DEMO_BRANDS }, 'demo brands'));
  posts = loadDemoPosts();
});

const sign = (p: string) => ({ pos: '+', neg: '-', neutral: '0' })[p] ?? p;

/** Order-free comparable form of a classification (or of the truth). */
function comparable(c: Pick<Classification, 'channels' | 'descriptors' | 'aspects' | 'scenarios' | 'breakpoints' | 'spam'> & { sentiment: string; question: boolean; about: string[] }) {
  return {
    channels: c.channels.map((x) => `${x.channel}${sign(x.polarity)}`).sort(),
    descriptors: c.descriptors.map((d) => `${d.word}:${d.promise}${sign(d.polarity)}@${d.channel ?? '-'}`).sort(),
    sentiment: c.sentiment,
    aspects: c.aspects.map((a) => `${a.aspect}${sign(a.polarity)}`).sort(),
    scenarios: c.scenarios.map((s) => `${s.scenario}${sign(s.polarity)}`).sort(),
    question: c.question,
    questionAbout: [...c.about].sort(),
    breakpoints: c.breakpoints.map((b) => `${b.channels.join('/')}:${b.kind}`).sort(),
    spam: c.spam,
  };
}

function fromTruth(t: DemoTruth) {
  return comparable({ ...t, channels: t.channels, about: t.questionAbout });
}

describe('demo corpus: classifier output equals the true labels', () => {
  it('classifies every demo post exactly as labelled', () => {
    const failures: string[] = [];
    for (const p of posts) {
      const c = classifier.classify({ id: demoPostId(p), text: p.text, brand: p.brand });
      const got = comparable({ ...c, sentiment: c.sentiment.label, question: c.question.isQuestion, about: c.question.about });
      const want = fromTruth(p.truth);
      const diffs = (Object.keys(want) as Array<keyof typeof want>).filter((k) => JSON.stringify(want[k]) !== JSON.stringify(got[k]));
      if (diffs.length)
        failures.push(
          `${p.externalId} ${p.text}\n` + diffs.map((k) => `    ${k}: want ${JSON.stringify(want[k])} got ${JSON.stringify(got[k])}`).join('\n'),
        );
    }
    expect(failures, `${failures.length} of ${posts.length} posts differ:\n${failures.join('\n')}`).toEqual([]);
  });

  it('keeps lexicon version and post ids in the classification', () => {
    const p = posts[0]!;
    const c = classifier.classify({ id: demoPostId(p), text: p.text, brand: p.brand });
    expect(c.postId).toBe('demo-forum:xc-0001');
    expect(c.brand).toBe('xingchi');
    expect(c.lang).toBe('zh');
    expect(c.lexiconVersion).toBe(classifier.lexiconVersion);
    expect(c.lexiconVersion).toMatch(/^\d+\.\d+\.\d+\+[0-9a-f]{8}$/);
  });

  it('has evidence spans that slice the post text exactly', () => {
    for (const p of posts) {
      const c = classifier.classify({ id: demoPostId(p), text: p.text, brand: p.brand });
      const spans = [
        ...c.channels.map((x) => x.evidence),
        ...c.descriptors.map((x) => x.evidence),
        ...c.aspects.map((x) => x.evidence),
        ...c.scenarios.map((x) => x.evidence),
        ...c.breakpoints.map((x) => x.evidence),
      ];
      for (const s of spans) {
        expect(s.text.length, `${p.externalId}: empty evidence`).toBeGreaterThan(0);
        expect(p.text.slice(s.start, s.end), p.externalId).toBe(s.text);
      }
    }
  });
});

describe('demo corpus: the data itself', () => {
  it('is what demo/corpus/generate.ts makes of the labelled sources (regenerate after editing them)', () => {
    expect(buildDemoPosts(join(root, 'demo', 'corpus'))).toEqual(posts);
  });

  it('has the size, brands and time range the demo needs', () => {
    expect(posts.length).toBeGreaterThanOrEqual(320);
    const xc = posts.filter((p) => p.brand === 'xingchi').length;
    const yp = posts.filter((p) => p.brand === 'youpinhui').length;
    expect(xc).toBe(170);
    expect(yp).toBe(156);
    expect(new Set(posts.map((p) => p.externalId)).size).toBe(posts.length);
    for (const p of posts) {
      expect(p.publishedAt >= '2026-09-01 00:00' && p.publishedAt <= '2026-10-31 23:59', p.externalId).toBe(true);
      expect(p.rating).toBeGreaterThanOrEqual(1);
      expect(p.rating).toBeLessThanOrEqual(5);
      if (!p.truth.spam) {
        expect(p.text.length, p.externalId).toBeGreaterThanOrEqual(30);
        expect(p.text.length, p.externalId).toBeLessThanOrEqual(200);
      }
    }
  });

  it('covers every channel, all breakpoint kinds, questions, scenarios and spam', () => {
    for (const ch of DEFAULT_CHANNELS) {
      const n = posts.filter((p) => p.truth.channels.some((c) => c.channel === ch)).length;
      expect(n, ch).toBeGreaterThanOrEqual(15);
    }
    const bp = posts.filter((p) => p.truth.breakpoints.length);
    expect(bp.length).toBeGreaterThanOrEqual(40);
    for (const kind of BREAKPOINT_KINDS) {
      const pairs = new Set(bp.flatMap((p) => p.truth.breakpoints.filter((b) => b.kind === kind).map((b) => b.channels.join('/'))));
      expect(pairs.size, kind).toBeGreaterThanOrEqual(3);
    }
    expect(posts.filter((p) => p.truth.question).length).toBeGreaterThanOrEqual(30);
    expect(posts.filter((p) => p.truth.spam).length).toBeGreaterThanOrEqual(5);
    expect(posts.filter((p) => p.truth.channels.length === 0 && !p.truth.spam).length).toBeGreaterThanOrEqual(30);
    expect(posts.filter((p) => p.truth.scenarios.length).length).toBeGreaterThanOrEqual(60);
    for (const s of ['pos', 'neg', 'mixed', 'neutral'] as const) expect(posts.filter((p) => p.truth.sentiment === s).length, s).toBeGreaterThan(5);
  });

  it('tells the 自动泊车 campaign story: questions about it spike after 2026-10-10', () => {
    const about = posts.filter((p) => p.truth.question && p.truth.questionAbout.includes('自动泊车'));
    const before = about.filter((p) => p.publishedAt < '2026-10-10').length;
    const after = about.filter((p) => p.publishedAt >= '2026-10-10').length;
    expect(before).toBe(2);
    expect(after).toBe(13);
  });

  it('turns the truth into a Classification with empty evidence', () => {
    const p = posts.find((x) => x.truth.breakpoints.length)!;
    const c = truthToClassification(p, 'v-test');
    expect(c.postId).toBe(demoPostId(p));
    expect(c.lexiconVersion).toBe('v-test');
    expect(c.breakpoints[0]!.evidence).toEqual({ start: 0, end: 0, text: '' });
    expect(c.breakpoints.map((b) => b.channels)).toEqual(p.truth.breakpoints.map((b) => b.channels));
    expect(c.sentiment.label).toBe(p.truth.sentiment);
    const scenarioPost = posts.find((x) => x.truth.scenarios.some((s) => s.scenario === 'winter'))!;
    expect(truthToClassification(scenarioPost, 'v').scenarios.find((s) => s.scenario === 'winter')!.type).toBe('time');
  });
});
