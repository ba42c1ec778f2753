/**
 * Public API of the evaluation tooling (`voc eval`): metric functions, readers of the labelled
 * formats, scorers producing the `--json` shapes, file-level runners and the table printer.
 *
 *   const { result } = runSentimentEval({ data: 'labelled.csv', config });
 *   console.log(formatSentimentTable(result, 'zh-CN'));
 */
export { prf, ratio, SetMatchCounter, singleLabelScores, binaryScores } from './metrics.js';
export type { Prf, LabelScore, Counts } from './metrics.js';
export { readSentimentCsv, readAspectsCsv, readChannelGold, parseCsvRows, readInputFile } from './readers.js';
export type { SentimentRow, AspectPost, AspectLabel, AspectSentiment, GoldRow, CsvRow } from './readers.js';
export { readSemevalXml, evalSemeval } from './semeval.js';
export type { SemevalSentence, SemevalEvalResult } from './semeval.js';
export { evalChannels, occurrences, overlaps } from './channels.js';
export type { ChannelEvalResult, ErrorExample } from './channels.js';
export { evalSentiment, labelStances, ruleLabel } from './sentiment.js';
export type { SentimentEvalResult } from './sentiment.js';
export { evalAspects, ruleSubjects } from './aspects.js';
export type { AspectEvalResult, SubjectPrediction } from './aspects.js';
export { BUILTIN_MAPS, CAR_SUBJECTS, detectCategoryMap, loadCategoryMap, mapCategory, subjectAspectMap } from './maps.js';
export type { CategoryMap } from './maps.js';
export { splitHoldout, checkFraction } from './split.js';
export type { HoldoutSpec } from './split.js';
export { runChannelsEval, runSentimentEval, runAspectsEval, runSemevalEval, evalClassifier, EVAL_BRAND } from './run.js';
export type { EvalConfig, Noted, EvalNote } from './run.js';
export { formatChannelsTable, formatSentimentTable, formatAspectsTable, formatSemevalTable, formatTrainSummary } from './table.js';
export { evaluationRun, saveEvaluationRun, readSavedEvaluation, EVALUATION_FILE } from './saved.js';
export type { SavedRun, SavedMetric, EvalKind } from './saved.js';
