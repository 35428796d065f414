/**
 * What text-conditioned generation is judged with: the attributes measured from a digit's or
 * garment's pixels, the captions written from them, and the encoders that map captions (and, for
 * the judge, images) into a joint embedding space. Images here are grayscale n × 28 × 28 in
 * [0, 1], row-major (the embedded classifiers' domain).
 */

/** A measured attribute of a captioned data set. */
export type AttributeName = 'thickness' | 'slant' | 'size' | 'brightness';

/** The base data sets that have captioned versions (`captioned-mnist`, `captioned-fashion`). */
export type CaptionedBase = 'mnist' | 'fashion-mnist';

/** What a caption asks for: a class and one value index per attribute it names (absent: not named). */
export interface CaptionMeaning {
  readonly label: number;
  readonly attributes: Partial<Record<AttributeName, number>>;
}

/**
 * Captions → n × dims float32 embeddings, one row per caption, each row of unit L2 norm. A
 * caption with a word outside the vocabulary is a usage error naming the word.
 */
export interface CaptionEncoder {
  /** The encoder's name (its weights file, e.g. `text-cond-mnist`), recorded in run configs. */
  readonly name: string;
  readonly dims: number;
  encode(captions: readonly string[]): Float32Array;
}

/**
 * The judge: an image encoder and a caption encoder trained jointly, into one space of `dims`
 * (rows of unit L2 norm). It never conditions a generator (only the `cond` encoder does).
 */
export interface ImageTextJudge extends CaptionEncoder {
  /** n grayscale 28 × 28 images in [0, 1] → n × dims unit rows. */
  encodeImages(images: Float32Array, n: number): Promise<Float32Array>;
}
