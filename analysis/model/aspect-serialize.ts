/**
 * The subject-context part of an aspect model in model.json (see serialize.ts): the context term
 * buckets and each subject's anchor columns as base64 of little-endian Int32 arrays. Models written
 * before contexts existed have no `context` field and load as they were trained.
 */
import { z } from 'zod';
import { InputError } from '../../core/errors.js';
import type { AspectContextModel } from './aspect-model.js';
import { Vocabulary } from './features.js';

export const aspectContextSchema = z.object({
  vocabulary: z.string(),
  anchors: z.array(z.string()),
  spread: z.number().int().min(0),
  conjoined: z.boolean(),
  postTerms: z.boolean(),
});

export type AspectContextJson = z.infer<typeof aspectContextSchema>;

export function contextToJson(c: AspectContextModel): AspectContextJson {
  return { vocabulary: int32ToBase64(c.vocab.buckets), anchors: c.anchors.map(int32ToBase64), spread: c.spread, conjoined: c.conjoined, postTerms: c.postTerms };
}

/** Decodes a context; `subjects` and `vocabSize` check it against the rest of the model. */
export function contextFromJson(j: AspectContextJson, subjects: number, vocabSize: number, origin: string): AspectContextModel {
  const anchors = j.anchors.map((a) => base64ToInt32(a, origin));
  if (anchors.length !== subjects || anchors.some((a) => a.some((c) => c < 0 || c >= vocabSize)))
    throw new InputError({
      en: `${origin}: damaged model file: subject anchors do not match the vocabulary; retrain it`,
      zh: `${origin}：模型文件已损坏：主题锚点与词表不匹配；请重新训练`,
    });
  return { vocab: new Vocabulary(base64ToInt32(j.vocabulary, origin)), anchors, spread: j.spread, conjoined: j.conjoined, postTerms: j.postTerms };
}

function int32ToBase64(a: Int32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

function base64ToInt32(s: string, origin: string): Int32Array {
  const b = Buffer.from(s, 'base64');
  if (b.length % 4)
    throw new InputError({
      en: `${origin}: damaged model file: truncated subject context; retrain it`,
      zh: `${origin}：模型文件已损坏：主题上下文数据不完整；请重新训练`,
    });
  // Copy into a fresh, aligned buffer (Buffer pools may start at odd offsets).
  return new Int32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
}
