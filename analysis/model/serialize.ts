/**
 * model.json: a trained model as one JSON document. Weights and vocabulary buckets are stored as
 * base64 of little-endian Float32 / Int32 arrays (a tenth of the size of decimal numbers). The
 * document carries a format version, the feature configuration, the training data size and the
 * lexicon version of the process that trained it. Writing goes through a temporary file and a
 * rename, so a crash never leaves a half-written model behind.
 *
 * voc never ships a model: users train on their own labelled data and put the file where they like.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { errorText, InputError } from '../../core/errors.js';
import { writeFileWhole } from '../../core/write-whole.js';
import { describeExpected, issueField } from '../../core/schema-issues.js';
import type { AspectModel } from './aspect-model.js';
import type { BreakpointModel } from './breakpoint-model.js';
import type { ChannelModel } from './channel-model.js';
import { STANCE_LABELS } from './stance-model.js';
import { aspectContextSchema, contextFromJson, contextToJson } from './aspect-serialize.js';
import { BREAKPOINT_SIGNALS } from './breakpoint-model.js';
import { Vocabulary, type FeatureConfig } from './features.js';
import type { LinearModel } from './linear.js';
import type { SentimentModel } from './sentiment-model.js';

export const MODEL_FORMAT = 'voc-model';
export const MODEL_FORMAT_VERSION = 1;

export type TrainedModel = SentimentModel | AspectModel | ChannelModel;

/** Where a model's training data came from, recorded in model.json. */
export interface TrainingNote {
  /** File name of the training data (no folder: model files get shared). */
  dataFile?: string;
  /** sha256 of the training data file, so `voc eval` can warn when it scores a model on its own training data. */
  dataSha256?: string;
  /** The held-out part that was NOT trained on. */
  holdout?: { fraction: number; seed?: number };
  /** Lexicon version of the process that trained (the jieba dictionary it used). */
  lexiconVersion?: string;
}

/** A model loaded from disk with its provenance. */
export type LoadedModel = TrainedModel & { note: TrainingNote; path: string; fileSha256: string };

const linearSchema = z.object({
  outputs: z.number().int().min(1),
  weights: z.string(),
  bias: z.array(z.number()),
});

const featureSchema = z.object({
  wordNgrams: z.number().int().min(0).max(4),
  charNgrams: z.tuple([z.number().int().min(0).max(6), z.number().int().min(0).max(6)]),
  hashBits: z.number().int().min(16).max(26),
  minDf: z.number().int().min(1),
  maxFeatures: z.number().int().min(1),
  simplified: z.boolean().optional(),
});

const breakpointKindSchema = z.enum(['inconsistency', 'handoff', 'runaround']);

const noteSchema = z.object({
  dataFile: z.string().optional(),
  dataSha256: z.string().optional(),
  holdout: z.object({ fraction: z.number(), seed: z.number().optional() }).optional(),
  lexiconVersion: z.string().optional(),
});

const fileSchema = z.discriminatedUnion('task', [
  z.object({
    format: z.literal(MODEL_FORMAT),
    version: z.number().int(),
    task: z.literal('sentiment'),
    features: featureSchema,
    vocabulary: z.string(),
    note: noteSchema.default({}),
    // method, nbL2, nbShare: how a binary model was fitted (absent in models of older voc, which are plain or NB-LR).
    training: z.object({
      rows: z.number(),
      labelCounts: z.record(z.string(), z.number()),
      l2: z.number(),
      method: z.enum(['lr', 'nblr', 'ensemble']).optional(),
      nbL2: z.number().optional(),
      nbShare: z.number().optional(),
    }),
    labels: z.array(z.string()).min(2),
    linear: linearSchema,
  }),
  z.object({
    format: z.literal(MODEL_FORMAT),
    version: z.number().int(),
    task: z.literal('aspects'),
    features: featureSchema,
    vocabulary: z.string(),
    note: noteSchema.default({}),
    training: z.object({
      posts: z.number(),
      rows: z.number(),
      subjectCounts: z.record(z.string(), z.number()),
      l2Presence: z.number(),
      l2Sentiment: z.number(),
    }),
    subjects: z.array(z.string()).min(1),
    threshold: z.number(),
    jointThreshold: z.number().optional(),
    atLeastOne: z.boolean(),
    presence: z.array(linearSchema),
    context: aspectContextSchema.optional(),
    sentiment: linearSchema,
  }),
  z.object({
    format: z.literal(MODEL_FORMAT),
    version: z.number().int(),
    task: z.literal('channels'),
    note: noteSchema.default({}),
    training: z.object({ posts: z.number() }),
    skipped: z.array(z.object({ part: z.enum(['stance', 'breakpoints']), found: z.number(), needed: z.number() })).default([]),
    stance: z
      .object({
        tokens: z.array(z.string()),
        linear: linearSchema,
        training: z.object({ mentions: z.number(), l2: z.number(), ruleAccuracy: z.number(), cvAccuracy: z.number() }),
      })
      .optional(),
    breakpoints: z
      .object({
        features: featureSchema,
        vocabulary: z.string(),
        training: z.object({ posts: z.number(), breakpoints: z.number(), l2: z.number(), cvF1: z.number() }),
        signals: z.array(z.enum(BREAKPOINT_SIGNALS)),
        threshold: z.number(),
        vetoMargin: z.number(),
        defaultKind: breakpointKindSchema,
        pairs: z.record(
          z.string().regex(/^[a-z0-9_-]+\+[a-z0-9_-]+$/),
          z.object({ seen: z.number().int().min(0), broke: z.number().int().min(0), kinds: z.partialRecord(breakpointKindSchema, z.number().int().min(0)) }),
        ),
        linear: linearSchema,
      })
      .optional(),
  }),
]);

/** The JSON document of a model. */
export function modelToJson(model: TrainedModel, note: TrainingNote = {}): string {
  if (model.task === 'channels') return JSON.stringify(channelModelJson(model, note)) + '\n';
  const head = { format: MODEL_FORMAT, version: MODEL_FORMAT_VERSION, task: model.task, features: model.features };
  const vocabulary = encodeInt32(model.vocab.buckets);
  const doc =
    model.task === 'sentiment'
      ? { ...head, vocabulary, note, training: model.training, labels: model.labels, linear: linearJson(model.linear) }
      : {
          ...head,
          vocabulary,
          note,
          training: model.training,
          subjects: model.subjects,
          threshold: model.threshold,
          ...(model.jointThreshold ? { jointThreshold: model.jointThreshold } : {}),
          atLeastOne: model.atLeastOne,
          presence: model.presence.map(linearJson),
          sentiment: linearJson(model.sentiment),
          ...(model.context ? { context: contextToJson(model.context) } : {}),
        };
  return JSON.stringify(doc) + '\n';
}

function channelModelJson(model: ChannelModel, note: TrainingNote): object {
  const { stance, breakpoints: b } = model;
  return {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    task: 'channels',
    note,
    training: model.training,
    skipped: model.skipped,
    ...(stance ? { stance: { tokens: stance.tokens, linear: linearJson(stance.linear), training: stance.training } } : {}),
    ...(b
      ? {
          breakpoints: {
            features: b.features,
            vocabulary: encodeInt32(b.vocab.buckets),
            training: b.training,
            signals: b.signals,
            threshold: b.threshold,
            vetoMargin: b.vetoMargin,
            defaultKind: b.defaultKind,
            pairs: b.pairs,
            linear: linearJson(b.linear),
          },
        }
      : {}),
  };
}

/** Writes model.json atomically (temporary file in the same folder, then rename). */
export function saveModel(model: TrainedModel, path: string, note: TrainingNote = {}): void {
  const dir = dirname(path);
  if (!existsSync(dir))
    throw new InputError({
      en: `--out: folder ${dir} does not exist; create it or choose another path`,
      zh: `--out：文件夹 ${dir} 不存在；请先创建，或换一个路径`,
    });
  try {
    writeFileWhole(path, modelToJson(model, note));
  } catch (err) {
    throw new InputError({
      en: `cannot write the model to ${path}: ${(err as Error).message}`,
      zh: `无法将模型写入 ${path}：${errorText(err as Error, 'zh-CN')}`,
    });
  }
}

/** Parses a model document; `origin` names the file in error messages. */
export function modelFromJson(text: string, origin: string): TrainedModel & { note: TrainingNote } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new InputError({
      en: `${origin}: not a voc model (not JSON); train one with \`voc train sentiment|aspects|channels --out FILE\``,
      zh: `${origin}：不是 voc 模型（不是 JSON）；请用 \`voc train sentiment|aspects|channels --out FILE\` 训练一个`,
    });
  }
  const format = (raw as { format?: unknown })?.format;
  if (format !== MODEL_FORMAT)
    throw new InputError({
      en: `${origin}: not a voc model (no "format": "${MODEL_FORMAT}"); train one with \`voc train\``,
      zh: `${origin}：不是 voc 模型（缺少 "format": "${MODEL_FORMAT}"）；请用 \`voc train\` 训练一个`,
    });
  const version = (raw as { version?: unknown }).version;
  if (typeof version === 'number' && version > MODEL_FORMAT_VERSION)
    throw new InputError({
      en: `${origin}: model format version ${version} is newer than this voc reads (${MODEL_FORMAT_VERSION}); upgrade voc or retrain`,
      zh: `${origin}：模型格式版本 ${version} 比当前 voc 能读取的版本（${MODEL_FORMAT_VERSION}）新；请升级 voc，或重新训练`,
    });
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issueField(issue);
    const expected = describeExpected(issue);
    throw new InputError({
      en: `${origin}: damaged model file: field ${field || '(top level)'}: ${expected.en}; retrain it`,
      zh: `${origin}：模型文件已损坏：字段 ${field || '（顶层）'}：${expected.zh}；请重新训练`,
    });
  }
  const doc = parsed.data;
  if (doc.task === 'channels') return { ...channelModelFromJson(doc, origin), note: doc.note };
  const features = doc.features as FeatureConfig;
  const vocab = new Vocabulary(decodeInt32(doc.vocabulary, origin));
  const d = vocab.size;
  if (doc.task === 'sentiment') {
    const outputs = doc.labels.length === 2 ? 1 : doc.labels.length;
    return {
      task: 'sentiment',
      features,
      vocab,
      labels: doc.labels,
      linear: linearFromJson(doc.linear, outputs, d, origin),
      training: doc.training,
      note: doc.note,
    };
  }
  // Models without a context field (older voc) have no context columns and load unchanged.
  const context = doc.context ? contextFromJson(doc.context, doc.subjects.length, d, origin) : undefined;
  return {
    task: 'aspects',
    features,
    vocab,
    subjects: doc.subjects,
    threshold: doc.threshold,
    ...(doc.jointThreshold ? { jointThreshold: doc.jointThreshold } : {}),
    ...(context ? { context } : {}),
    atLeastOne: doc.atLeastOne,
    presence: doc.presence.map((p) => linearFromJson(p, 1, d, origin)),
    sentiment: linearFromJson(doc.sentiment, 3, d + doc.subjects.length + (context ? context.vocab.size : 0), origin),
    training: doc.training,
    note: doc.note,
  };
}

type ChannelDoc = Extract<z.infer<typeof fileSchema>, { task: 'channels' }>;

function channelModelFromJson(doc: ChannelDoc, origin: string): ChannelModel {
  const { stance, breakpoints: b } = doc;
  let breakpoints: BreakpointModel | undefined;
  if (b) {
    const vocab = new Vocabulary(decodeInt32(b.vocabulary, origin));
    breakpoints = {
      features: b.features as FeatureConfig,
      vocab,
      signals: b.signals,
      linear: linearFromJson(b.linear, 1, vocab.size + b.signals.length, origin),
      threshold: b.threshold,
      vetoMargin: b.vetoMargin,
      defaultKind: b.defaultKind,
      pairs: b.pairs as BreakpointModel['pairs'],
      training: b.training,
    };
  }
  return {
    task: 'channels',
    ...(stance ? { stance: { tokens: stance.tokens, linear: linearFromJson(stance.linear, STANCE_LABELS.length, stance.tokens.length, origin), training: stance.training } } : {}),
    ...(breakpoints ? { breakpoints } : {}),
    skipped: doc.skipped,
    training: doc.training,
  };
}

/** Reads model.json with provenance (path and sha256 of the file). */
export function loadModel(path: string, expected?: TrainedModel['task']): LoadedModel {
  if (!existsSync(path)) {
    const task = expected ?? 'sentiment';
    const command = `voc train ${task}${task === 'channels' ? ' --gold GOLD.jsonl' : ''} --out ${path}`;
    throw new InputError({
      en: `model file not found: ${path}; train one with \`${command}\``,
      zh: `找不到模型文件：${path}；请用 \`${command}\` 训练一个`,
    });
  }
  if (statSync(path).isDirectory())
    throw new InputError({ en: `model ${path} is a folder; pass the model.json file`, zh: `模型 ${path} 是文件夹；请指定 model.json 文件` });
  const bytes = readFileSync(path);
  const model = modelFromJson(bytes.toString('utf8'), path);
  if (expected && model.task !== expected)
    throw new InputError({
      en: `${path}: this is ${model.task === 'aspects' ? 'an' : 'a'} ${model.task} model; this command needs one made by \`voc train ${expected}\``,
      zh: `${path}：这是 ${model.task} 模型；此命令需要用 \`voc train ${expected}\` 训练的模型`,
    });
  return { ...model, path, fileSha256: sha256(bytes) } as LoadedModel;
}

/** sha256 (hex) of a file or buffer. */
export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function linearJson(m: LinearModel): z.infer<typeof linearSchema> {
  return { outputs: m.outputs, weights: encodeFloat32(m.weights), bias: Array.from(m.bias) };
}

function linearFromJson(j: z.infer<typeof linearSchema>, outputs: number, features: number, origin: string): LinearModel {
  const weights = decodeFloat32(j.weights, origin);
  if (j.outputs !== outputs || weights.length !== outputs * features || j.bias.length !== outputs)
    throw new InputError({
      en: `${origin}: damaged model file: weight sizes do not match the vocabulary; retrain it`,
      zh: `${origin}：模型文件已损坏：权重大小与词表不匹配；请重新训练`,
    });
  return { outputs, features, weights, bias: Float64Array.from(j.bias) };
}

function encodeFloat32(a: Float32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

function encodeInt32(a: Int32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

function decodeFloat32(s: string, origin: string): Float32Array {
  const b = Buffer.from(s, 'base64');
  if (b.length % 4)
    throw new InputError({ en: `${origin}: damaged model file: truncated weights; retrain it`, zh: `${origin}：模型文件已损坏：权重数据不完整；请重新训练` });
  // Copy into a fresh, aligned buffer (Buffer pools may start at odd offsets).
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
}

function decodeInt32(s: string, origin: string): Int32Array {
  const b = Buffer.from(s, 'base64');
  if (b.length % 4)
    throw new InputError({ en: `${origin}: damaged model file: truncated vocabulary; retrain it`, zh: `${origin}：模型文件已损坏：词表数据不完整；请重新训练` });
  return new Int32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
}
