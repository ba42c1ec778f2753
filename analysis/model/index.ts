/**
 * Public API of the trainable models (`voc train`): a linear sentiment model and an aspect model
 * over word and character n-grams, their model.json format, and `withModels`, which makes the rule
 * classifier take sentiment and aspects from them.
 *
 *   const classifier = withModels(createClassifier(config), loadModels({ sentimentModel: 'model.json' }));
 */
export { trainSentimentModel, predictSentiment } from './sentiment-model.js';
export type { SentimentModel, SentimentExample, SentimentPrediction, SentimentTrainOptions } from './sentiment-model.js';
export { trainAspectModel, predictAspects } from './aspect-model.js';
export type { AspectModel, AspectExample, AspectPrediction, AspectTrainOptions, SubjectSentiment } from './aspect-model.js';
export { saveModel, loadModel, modelToJson, modelFromJson, MODEL_FORMAT, MODEL_FORMAT_VERSION } from './serialize.js';
export type { TrainedModel, LoadedModel, TrainingNote } from './serialize.js';
export { withModels, loadModels } from './apply.js';
export type { Models, ModelPaths } from './apply.js';
export { trainSentimentFile, trainAspectsFile, sentimentHoldout, aspectsHoldout } from './train.js';
export type { TrainFileOptions, TrainReport } from './train.js';
export { DEFAULT_FEATURES, forEachTerm, Vocabulary } from './features.js';
export type { FeatureConfig } from './features.js';
export { seededRandom, shuffled } from './random.js';
