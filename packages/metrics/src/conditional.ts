/**
 * `@gen-eval/metrics/conditional`: what text-conditioned generation is measured with — the
 * attributes measured from pixels, the caption grammar, the caption and judge encoders, and the
 * metrics that check an image obeys its condition. Loads no native addon.
 */
export type { AttributeName, CaptionedBase, CaptionEncoder, CaptionMeaning, ImageTextJudge } from './conditional/types.js';
export {
  attributeAccuracy,
  classAccuracy,
  type AttributeAccuracyEntry,
  type AttributeAccuracyResult,
  type ClassAccuracyEntry,
  type ClassAccuracyResult,
} from './conditional/accuracy.js';
export { intraFid, type IntraFidClass, type IntraFidOptions, type IntraFidResult } from './conditional/intra-fid.js';
export { meaningKey, rPrecision, type CaptionSet, type RPrecisionOptions, type RPrecisionResult } from './conditional/r-precision.js';
export { textAlignment, type TextAlignmentResult } from './conditional/text-alignment.js';
export {
  attributeIndexes,
  attributeValueIndex,
  BASE_ATTRIBUTES,
  imageLevels,
  INK_LEVEL,
  measureAttributeLevels,
  measureAttributes,
  measureImageAttributes,
  OBJECT_LEVEL,
  thresholdRow,
} from './conditional/attributes.js';
export type { AttributeValues } from './conditional/attributes.js';
export { CAPTION_GRAMMAR_FILE, loadCaptionGrammar } from './conditional/grammar.js';
export type { ArticleRule, AttributeGrammar, BaseGrammar, CaptionGrammar } from './conditional/grammar.js';
export { captionVocabulary, generateCaption, parseCaption, tokenizeCaption } from './conditional/captions.js';
export type { CaptionRng, GeneratedCaption } from './conditional/captions.js';
export { loadCaptionEncoder, loadJudge, type JudgeOptions, type LoadedCaptionEncoder, type LoadedJudge } from './conditional/encoders.js';
export {
  TEXT_ENCODER_NAMES,
  textEncoderMetadata,
  type RetrievalRecord,
  type TextEncoderMetadata,
  type TextEncoderName,
  type TextEncoderRole,
} from './conditional/text-encoders.js';
