/**
 * The last `voc eval` figures, kept in `<dataDir>/evaluation.json` for the report's methods
 * appendix ("classifier accuracy measured on … on …"). Each eval run replaces its own entry (one
 * per eval kind, data file and predictor, so the lexicon and a trained model on the same file are
 * both kept) and the top level is rebuilt from all entries:
 *
 *   { measuredAt, corpus, metrics: [{ id, name, value, n, ci95 }], runs: { KEY: { kind, measuredAt, corpus, metrics } } }
 *
 * Metric names are stored in English; `readSavedEvaluation` words them in the report's language
 * by `id`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { InputError, type Bilingual } from '../../core/errors.js';
import { writeFileWhole } from '../../core/write-whole.js';
import type { Locale } from '../../core/types.js';
import type { ClassifierEvaluation } from '../../reports/view-model.js';
import type { Interval95 } from './bootstrap.js';
import type { ChannelEvalResult } from './channels.js';
import type { AspectEvalResult } from './aspects.js';
import type { SemevalEvalResult } from './semeval.js';
import type { SentimentEvalResult } from './sentiment.js';
import { ensureDataDir } from '../../core/dirs.js';
import { withFileLock } from '../../core/file-lock.js';

export const EVALUATION_FILE = 'evaluation.json';

export type EvalKind = 'channels' | 'sentiment' | 'aspects' | 'semeval';

/** Metric ids with their names in both report languages. */
const METRIC_NAMES = {
  channel_f1: { en: 'channel detection F1', zh: '渠道识别 F1' },
  channel_polarity: { en: 'channel polarity accuracy', zh: '渠道褒贬准确率' },
  breakpoint_f1: { en: 'breakpoint F1', zh: '断点 F1' },
  channel_polarity_model: { en: 'channel polarity accuracy (trained channel model)', zh: '渠道褒贬准确率（训练的渠道模型）' },
  breakpoint_f1_model: { en: 'breakpoint F1 (trained channel model)', zh: '断点 F1（训练的渠道模型）' },
  // How many breakpoints of each kind are found: the report's breakpoint counts are low by about this much.
  breakpoint_recall_handoff: { en: 'breakpoint recall, broken hand-offs', zh: '断点召回率（交接断裂）' },
  breakpoint_recall_inconsistency: { en: 'breakpoint recall, inconsistencies', zh: '断点召回率（说法不一致）' },
  breakpoint_recall_runaround: { en: 'breakpoint recall, runarounds', zh: '断点召回率（互相推诿）' },
  breakpoint_recall_handoff_model: { en: 'breakpoint recall, broken hand-offs (trained channel model)', zh: '断点召回率（交接断裂，训练的渠道模型）' },
  breakpoint_recall_inconsistency_model: { en: 'breakpoint recall, inconsistencies (trained channel model)', zh: '断点召回率（说法不一致，训练的渠道模型）' },
  breakpoint_recall_runaround_model: { en: 'breakpoint recall, runarounds (trained channel model)', zh: '断点召回率（互相推诿，训练的渠道模型）' },
  question_f1: { en: 'question F1', zh: '提问识别 F1' },
  scenario_recall: { en: 'usage scenario recall', zh: '使用场景召回率' },
  scenario_precision: { en: 'usage scenario precision', zh: '使用场景精确率' },
  post_sentiment: { en: 'post sentiment accuracy', zh: '帖子情感准确率' },
  sentiment_rules: { en: 'sentiment accuracy (lexicon)', zh: '情感准确率（词典）' },
  sentiment_model: { en: 'sentiment accuracy (trained model)', zh: '情感准确率（训练模型）' },
  aspect_f1: { en: 'aspect F1', zh: '方面识别 F1' },
  aspect_sentiment_f1: { en: 'aspect+sentiment F1', zh: '方面+情感 F1' },
  semeval_f1: { en: 'aspect category F1', zh: '方面类别 F1' },
} as const;

export type MetricId = keyof typeof METRIC_NAMES;

export interface SavedMetric {
  id: MetricId;
  /** English name; the report words it from `id` and `file`. */
  name: string;
  /** Data file the figure was measured on (a sentiment figure on two files is two figures). */
  file: string;
  value: number;
  n: number;
  /** 95% bootstrap interval over the items scored (absent in files saved before voc printed them). */
  ci95?: Interval95;
}

export interface SavedRun {
  kind: EvalKind;
  measuredAt: string;
  /** Data file name and how much of it was scored. */
  corpus: string;
  metrics: SavedMetric[];
}

interface SavedFile extends ClassifierEvaluation {
  metrics: SavedMetric[];
  runs: Record<string, SavedRun>;
}

const KIND_ORDER: EvalKind[] = ['channels', 'sentiment', 'aspects', 'semeval'];

/** Values rounded to 4 decimals, as `voc eval --json` prints them. */
function namedMetric(id: MetricId, value: number, n: number, file: string, ci95?: Interval95): SavedMetric {
  return { id, name: `${METRIC_NAMES[id].en} · ${file}`, file, value: Math.round(value * 1e4) / 1e4, n, ...(ci95 ? { ci95: [ci95[0], ci95[1]] } : {}) };
}

/** What `voc eval` measured, as a saved run. `scored` is the number of items scored. */
export function evaluationRun(
  kind: EvalKind,
  dataFile: string,
  result: ChannelEvalResult | SentimentEvalResult | AspectEvalResult | SemevalEvalResult,
  opts: { model: boolean; heldOut?: boolean; measuredAt?: Date },
): SavedRun {
  const measuredAt = (opts.measuredAt ?? new Date()).toISOString();
  const n = result.n;
  const file = basename(dataFile);
  const metric = (id: MetricId, value: number, count: number, ci95?: Interval95) => namedMetric(id, value, count, file, ci95);
  const part = opts.heldOut ? `held-out part, ${n}` : `${n}`;
  let metrics: SavedMetric[];
  let unit: string;
  switch (kind) {
    case 'channels': {
      const r = result as ChannelEvalResult;
      unit = 'posts';
      // A channel model changes only stances and breakpoints; the rules' run of the same file
      // carries the other figures.
      const ci = r.ci95;
      const byKind = (['handoff', 'inconsistency', 'runaround'] as const).flatMap((kind) => {
        const k = r.breakpoints.per_kind[kind];
        return k ? [metric(`breakpoint_recall_${kind}${opts.model ? '_model' : ''}`, k.recall, k.support)] : [];
      });
      metrics = opts.model
        ? [metric('channel_polarity_model', r.polarity.accuracy, r.polarity.n, ci?.polarity), metric('breakpoint_f1_model', r.breakpoints.f1, r.breakpoints.support, ci?.breakpoints_f1), ...byKind]
        : [
            metric('channel_f1', r.channels.micro_f1, r.n, ci?.channels_micro_f1),
            metric('channel_polarity', r.polarity.accuracy, r.polarity.n, ci?.polarity),
            metric('breakpoint_f1', r.breakpoints.f1, r.breakpoints.support, ci?.breakpoints_f1),
            ...byKind,
            metric('question_f1', r.questions.f1, r.questions.support, ci?.questions_f1),
            // The report has a scenario section, so its reader should see how far to trust it; a
            // file without labelled scenarios measures neither figure.
            ...(r.scenarios.gold > 0 ? [metric('scenario_recall', r.scenarios.recall, r.scenarios.gold)] : []),
            ...(r.scenarios.predicted > 0 ? [metric('scenario_precision', r.scenarios.precision, r.scenarios.predicted)] : []),
            metric('post_sentiment', r.sentiment.accuracy, r.sentiment.n, ci?.sentiment),
          ];
      break;
    }
    case 'sentiment': {
      const r = result as SentimentEvalResult;
      unit = 'reviews';
      metrics = [metric(opts.model ? 'sentiment_model' : 'sentiment_rules', r.accuracy, r.n, r.ci95?.accuracy)];
      break;
    }
    case 'aspects': {
      const r = result as AspectEvalResult;
      unit = 'posts';
      metrics = [
        metric('aspect_f1', r.subject.micro_f1, r.n, r.ci95?.subject_micro_f1),
        metric('aspect_sentiment_f1', r.subject_sentiment.micro_f1, r.n, r.ci95?.subject_sentiment_micro_f1),
      ];
      break;
    }
    case 'semeval': {
      const r = result as SemevalEvalResult;
      unit = 'sentences';
      metrics = [metric('semeval_f1', r.micro_f1, r.n, r.ci95?.micro_f1)];
      break;
    }
  }
  return { kind, measuredAt, corpus: `${file} (${part} ${unit})`, metrics };
}

/** Key of a run in the file: a later run of the same kind, file and predictor replaces it. */
function runKey(run: SavedRun, dataFile: string, model: boolean): string {
  return `${run.kind}:${basename(dataFile)}:${model ? 'model' : 'rules'}`;
}

/**
 * Merges `run` into `<dataDir>/evaluation.json` (created with its folder when missing; written to a
 * temporary file and renamed, so a reader never sees half a file; under a lock file, so two evals
 * saving at once both keep their entry).
 */
export function saveEvaluationRun(dataDir: string, run: SavedRun, dataFile: string, model: boolean): string {
  ensureDataDir(dataDir);
  const path = join(dataDir, EVALUATION_FILE);
  // Read, merge and write under a lock: two evals finishing at once must both be kept.
  return withFileLock(`${path}.lock`, () => mergeRun(path, run, dataFile, model));
}

function mergeRun(path: string, run: SavedRun, dataFile: string, model: boolean): string {
  const runs = existsSync(path) ? readSavedFile(path).runs : {};
  runs[runKey(run, dataFile, model)] = run;
  const ordered = Object.entries(runs).sort(
    ([ka, a], [kb, b]) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || (ka < kb ? -1 : ka > kb ? 1 : 0),
  );
  const file: SavedFile = {
    measuredAt: ordered.map(([, r]) => r.measuredAt).reduce((a, b) => (a > b ? a : b)),
    corpus: [...new Set(ordered.map(([, r]) => r.corpus))].join('; '),
    metrics: ordered.flatMap(([, r]) => r.metrics),
    runs: Object.fromEntries(ordered),
  };
  writeFileWhole(path, JSON.stringify(file, null, 2) + '\n');
  return path;
}

/**
 * The saved evaluation for the report's methods appendix, metric names in `locale`; undefined
 * when `voc eval` was never run for this data directory. A damaged file is an InputError naming it.
 */
export function readSavedEvaluation(dataDir: string, locale: Locale = 'zh-CN'): ClassifierEvaluation | undefined {
  const path = join(dataDir, EVALUATION_FILE);
  if (!existsSync(path)) return undefined;
  const file = readSavedFile(path);
  const runs = Object.values(file.runs);
  if (!runs.length) return undefined;
  const lang = locale === 'en' ? 'en' : 'zh';
  return {
    measuredAt: file.measuredAt,
    corpus: file.corpus,
    metrics: file.metrics.map((m) => ({
      name: METRIC_NAMES[m.id] && m.file ? `${METRIC_NAMES[m.id][lang]} · ${m.file}` : m.name,
      value: m.value,
      n: m.n,
      ...(m.ci95 ? { ci95: m.ci95 } : {}),
    })),
  };
}

function readSavedFile(path: string): SavedFile {
  const fix: Bilingual = { en: `delete it and run voc eval again`, zh: '请删除它，然后重新运行 voc eval' };
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new InputError({ en: `${path}: not valid JSON; ${fix.en}`, zh: `${path}：不是有效的 JSON；${fix.zh}` });
  }
  const f = data as Partial<SavedFile> | null;
  if (!f || typeof f !== 'object' || !f.runs || typeof f.runs !== 'object' || Array.isArray(f.runs))
    throw new InputError({
      en: `${path}: runs: expected an object of saved eval runs; ${fix.en}`,
      zh: `${path}：runs：应为对象，内容为已保存的各次评估结果；${fix.zh}`,
    });
  for (const [key, run] of Object.entries(f.runs)) {
    const ok =
      run &&
      KIND_ORDER.includes(run.kind) &&
      typeof run.measuredAt === 'string' &&
      !Number.isNaN(Date.parse(run.measuredAt)) &&
      typeof run.corpus === 'string' &&
      Array.isArray(run.metrics) &&
      run.metrics.every((m) => m && typeof m.name === 'string' && typeof m.value === 'number' && m.value >= 0 && m.value <= 1 && Number.isInteger(m.n) && (m.ci95 === undefined || isInterval(m.ci95)));
    if (!ok)
      throw new InputError({
        en: `${path}: runs.${key}: expected { kind, measuredAt, corpus, metrics: [{ name, value 0..1, n, ci95?: [lower, upper] }] }; ${fix.en}`,
        zh: `${path}：runs.${key}：应为 { kind, measuredAt, corpus, metrics: [{ name, value 0..1, n, ci95?: [lower, upper] }] }；${fix.zh}`,
      });
  }
  if (!Array.isArray(f.metrics) || typeof f.measuredAt !== 'string' || typeof f.corpus !== 'string')
    throw new InputError({
      en: `${path}: expected measuredAt, corpus and metrics at the top level; ${fix.en}`,
      zh: `${path}：顶层应有 measuredAt、corpus 和 metrics；${fix.zh}`,
    });
  return f as SavedFile;
}

function isInterval(x: unknown): x is Interval95 {
  return Array.isArray(x) && x.length === 2 && x.every((v) => typeof v === 'number' && v >= 0 && v <= 1) && x[0]! <= x[1]!;
}
