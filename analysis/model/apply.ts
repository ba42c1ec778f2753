/**
 * Plugging trained models into the rule classifier: `withModels(classifier, models)` returns a
 * classifier whose post sentiment comes from the sentiment model, whose aspects come from the
 * aspect model and whose channel stances and breakpoints the channel model recalibrates (keeping or
 * vetoing the rules' breakpoints and adding its own); channel detection, descriptors and everything
 * else stay the rules'.
 *
 * The classifier's `lexiconVersion` gains `+m<8 hex>` (a hash of the model files), so stored
 * classifications made without, or with another, model are classified again.
 */
import { createHash } from 'node:crypto';
import { InputError, inBoth, type ErrorText } from '../../core/errors.js';
import type { AspectHit, Classification, Polarity, SentimentLabel, Span } from '../../core/types.js';
import type { Classifier, PostInput } from '../classifier.js';
import { subjectAspectMap } from '../eval/maps.js';
import { predictAspects, type AspectModel } from './aspect-model.js';
import { applyChannelModel, type ChannelModel } from './channel-model.js';
import { predictSentiment, type SentimentModel } from './sentiment-model.js';
import { loadModel, type TrainingNote } from './serialize.js';

/** A model with what loading it from model.json adds (absent on models built in memory). */
type Provenance = { fileSha256?: string; note?: TrainingNote };

export interface Models {
  sentiment?: SentimentModel & Provenance;
  aspects?: AspectModel & Provenance;
  channels?: ChannelModel & Provenance;
}

export interface ModelPaths {
  /** model.json of `voc train sentiment`. */
  sentimentModel?: string;
  /** model.json of `voc train aspects`. */
  aspectModel?: string;
  /** model.json of `voc train channels`. */
  channelModel?: string;
}

/** Loads the models named by `paths` (a missing or wrong file is an InputError naming it). */
export function loadModels(paths: ModelPaths): Models {
  const models: Models = {};
  if (paths.sentimentModel) models.sentiment = loadModel(paths.sentimentModel, 'sentiment') as Models['sentiment'];
  if (paths.aspectModel) models.aspects = loadModel(paths.aspectModel, 'aspects') as Models['aspects'];
  if (paths.channelModel) models.channels = loadModel(paths.channelModel, 'channels') as Models['channels'];
  if (models.sentiment) sentimentMapping(models.sentiment, paths.sentimentModel!);
  return models;
}

export interface WithModelsOptions {
  /** Aspect taxonomy whose ids the aspect model's subjects map to, per brand (default: the car map by label). */
  taxonomyOf?: (brand: string) => string | undefined;
}

/** Wraps `base` so that the given models decide sentiment and aspects. */
export function withModels(base: Classifier, models: Models, options: WithModelsOptions = {}): Classifier {
  if (!models.sentiment && !models.aspects && !models.channels) return base;
  const stanceOf = models.sentiment ? sentimentMapping(models.sentiment, { en: 'sentiment model', zh: '情感模型' }) : undefined;
  const digest = createHash('sha256');
  for (const m of [models.sentiment, models.aspects]) digest.update(m ? (m.fileSha256 ?? `${m.task}:${m.vocab.size}`) : '-');
  // Only a channel model extends the digest, so versions of classifications made with the other
  // two models (stored before channel models existed) stay what they were.
  if (models.channels) digest.update(models.channels.fileSha256 ?? `channels:${models.channels.training.posts}`);
  const version = `${base.lexiconVersion}+m${digest.digest('hex').slice(0, 8)}`;
  const subjectMaps = new Map<string, Map<string, string>>();
  const subjectMap = (brand: string) => {
    const taxonomy = options.taxonomyOf?.(brand) ?? 'car';
    let m = subjectMaps.get(taxonomy);
    if (!m) {
      m = subjectAspectMap(models.aspects!.subjects, base.lexicons, taxonomy);
      subjectMaps.set(taxonomy, m);
    }
    return m;
  };
  return {
    lexiconVersion: version,
    lexicons: base.lexicons,
    classify(post: PostInput): Classification {
      let c = base.classify(post);
      c.lexiconVersion = version;
      const text = typeof post.text === 'string' ? post.text : '';
      if (c.spam || !text.trim()) return c;
      // First, while c still holds the rules' post sentiment the channel model was trained on.
      if (models.channels) c = applyChannelModel(models.channels, text, c);
      if (models.sentiment && stanceOf) c.sentiment = modelSentiment(models.sentiment, stanceOf, text);
      if (models.aspects) c.aspects = modelAspects(models.aspects, subjectMap(post.brand), text, c.aspects);
      return c;
    },
  };
}

/** Model label -> sign (+1 positive, -1 negative, 0 neutral); labels that are no sentiment are an InputError. */
function sentimentMapping(model: SentimentModel, origin: ErrorText): Map<string, number> {
  const sign: Record<string, number> = { '1': 1, pos: 1, positive: 1, '0': -1, neg: -1, negative: -1, '-1': -1, neutral: 0, neu: 0 };
  const threeWay = model.labels.includes('-1');
  const out = new Map<string, number>();
  for (const l of model.labels) {
    const s = threeWay && l === '0' ? 0 : sign[l.toLowerCase()];
    if (s === undefined) {
      const o = inBoth(origin);
      throw new InputError({
        en: `${o.en}: label "${l}" is not a sentiment; train on labels 1/0, -1/0/1 or pos/neg/neutral`,
        zh: `${o.zh}：标签“${l}”不是情感标签；请用 1/0、-1/0/1 或 pos/neg/neutral 标签训练`,
      });
    }
    out.set(l, s);
  }
  return out;
}

function modelSentiment(model: SentimentModel, stanceOf: Map<string, number>, text: string): { label: SentimentLabel; score: number } {
  const p = predictSentiment(model, text);
  let score = 0;
  model.labels.forEach((l, i) => (score += stanceOf.get(l)! * p.probabilities[i]!));
  const s = stanceOf.get(p.label)!;
  return { label: s > 0 ? 'pos' : s < 0 ? 'neg' : 'neutral', score: Math.round(score * 1000) / 1000 };
}

function modelAspects(model: AspectModel, toAspect: Map<string, string>, text: string, ruleHits: AspectHit[]): AspectHit[] {
  const out: AspectHit[] = [];
  for (const p of predictAspects(model, text)) {
    const aspect = toAspect.get(p.subject) ?? p.subject;
    const polarity: Polarity = p.sentiment > 0 ? 'pos' : p.sentiment < 0 ? 'neg' : 'neutral';
    // The rules' keyword is the better evidence when they saw the aspect too.
    const ruleEvidence = ruleHits.find((h) => h.aspect === aspect)?.evidence;
    const evidence: Span = ruleEvidence ?? spanOf(text, p.evidence);
    out.push({ aspect, polarity, evidence });
  }
  return out;
}

function spanOf(text: string, range: { start: number; end: number } | undefined): Span {
  const r = range ?? { start: 0, end: Math.min(text.length, 20) };
  return { start: r.start, end: r.end, text: text.slice(r.start, r.end) };
}
