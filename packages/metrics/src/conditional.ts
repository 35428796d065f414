/**
 * `@gen-eval/metrics/conditional`: what text-conditioned generation is measured with — the
 * attributes measured from pixels, the caption grammar, the caption and judge encoders, and the
 * metrics that check an image obeys its condition. Loads no native addon.
 */
export type { AttributeName, CaptionedBase, CaptionEncoder, CaptionMeaning, ImageTextJudge } from './conditional/types.js';
